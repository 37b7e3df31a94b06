"""Comparing routing policies honestly: same contacts, same agents, only the policy changes.

Every policy is simulated with the same seed, so replication r of each policy draws the same
arrivals, handle times and patience from the same named streams (common random numbers). The
difference between two policies is then measured replication by replication, and its Student-t
interval is far narrower than the difference of two independent estimates would be.
"""

from __future__ import annotations

import attrs
import numpy as np

from .experiment import simulate_many, with_policy
from ..measure.results import Results
from ..measure.stats import mean_ci

__all__ = ["Comparison", "compare", "DEFAULT_KPIS"]

# KPIs compared by default, with the direction that is better
DEFAULT_KPIS = {"service_level": "higher", "asa": "lower", "abandon_rate": "lower",
                "wait_p90": "lower", "aht": "lower"}
# cost and value KPIs compared when the scenario has them (all lower is better)
COST_KPIS = ("total_cost", "cost_per_handled", "revenue_at_risk")


@attrs.frozen
class Comparison:
    """Results of several policies on one scenario, and their paired differences."""

    scenario: object
    baseline: str
    results: dict  # policy name -> Results

    @property
    def policies(self) -> list[str]:
        return list(self.results)

    def difference(self, policy: str, path: str) -> dict:
        """Paired difference ``policy − baseline`` of one KPI over replications:
        {mean, ci95, significant} (significant: the 95 % interval excludes zero)."""
        paired = self.results[policy].values(path) - self.results[self.baseline].values(path)
        mean, half = mean_ci(paired)
        significant = bool(np.isfinite(half) and abs(mean) > half)
        return {"mean": mean, "ci95": half, "significant": significant}

    def rows(self, kpis=tuple(DEFAULT_KPIS)) -> list[dict]:
        """One row per policy × (overall and each contact type) × KPI, plus agent-group occupancy."""
        sections = [("overall", "all")] + [(f"by_type.{t.name}", t.name)
                                          for t in self.scenario.contact_types]
        targets = [(f"{section}.{kpi}", name, kpi) for section, name in sections for kpi in kpis]
        targets += [(f"by_group.{g.name}.occupancy", g.name, "occupancy")
                    for g in self.scenario.agent_groups]
        # plans are compared on money too, when the scenario prices them
        first = next(iter(self.results.values())).replications[0]
        targets += [(f"cost.overall.{kpi}", "all", kpi) for kpi in COST_KPIS
                    if kpi in first.get("cost", {}).get("overall", {})]
        rows = []
        for policy, results in self.results.items():
            for path, name, kpi in targets:
                mean, half = mean_ci(results.values(path))
                row = {"policy": policy, "of": name, "kpi": kpi, "mean": mean, "ci95": half}
                if policy != self.baseline:
                    diff = self.difference(policy, path)
                    row.update({"diff": diff["mean"], "diff_ci95": diff["ci95"],
                                "significant": diff["significant"]})
                else:
                    row.update({"diff": 0.0, "diff_ci95": 0.0, "significant": False})
                rows.append(row)
        return rows

    def to_dict(self) -> dict:
        from ..measure.results import json_ready
        return json_ready({
            "scenario": self.scenario.name,
            "baseline": self.baseline,
            "policies": self.policies,
            "replications": next(iter(self.results.values())).n,
            "seed": next(iter(self.results.values())).seed,
            "rows": self.rows(),
        })


def compare(scenario, policies, replications: int | None = None, seed: int | None = None,
            jobs: int = 1, baseline: str | None = None, executor=None,
            progress=None) -> Comparison:
    """Simulate each policy with the same seed and replications; the first is the baseline
    unless ``baseline`` names another. ``policies`` is a list of names, or a mapping of names
    to parameters. ``progress(done, total)`` follows the replications of all policies."""
    if not isinstance(policies, dict):
        policies = {name: None for name in policies}
    if not policies:
        raise ValueError("give at least one policy")
    baseline = baseline or next(iter(policies))
    if baseline not in policies:
        policies = {baseline: None, **policies}
    runs = simulate_many([with_policy(scenario, policy, params)
                          for policy, params in policies.items()],
                         replications=replications, seed=seed, jobs=jobs, executor=executor,
                         progress=progress)
    results: dict[str, Results] = dict(zip(policies, runs))
    return Comparison(scenario=scenario, baseline=baseline, results=results)
