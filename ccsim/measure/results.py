"""Results of a run: per-replication KPIs, with means and Student-t confidence intervals."""

from __future__ import annotations

import math

import attrs
import numpy as np

from .interval_sums import TYPE_COUNTERS
from .stats import mean_ci, mean_ci_columns

__all__ = ["Results", "SUM_COLUMNS"]

# interval sums written to intervals.csv (queue_max is a maximum, not a sum: kept apart)
SUM_COLUMNS = tuple(name for name in TYPE_COUNTERS if name != "queue_max")


def _estimate(values) -> dict:
    mean, half = mean_ci(values)
    return {"mean": mean, "ci95": half}


def _estimate_tree(replications, keys: tuple) -> dict:
    """Mean and CI of every number below ``keys`` in the KPI trees, keeping the tree's shape
    (keys are followed one by one, so names containing dots are safe)."""
    def at(tree):
        for key in keys:
            tree = tree[key]
        return tree

    node = at(replications[0])
    if isinstance(node, dict):
        return {key: _estimate_tree(replications, (*keys, key)) for key in node}
    return _estimate([at(tree) for tree in replications])


@attrs.frozen
class Results:
    """What ``simulate`` returns. ``replications[r]`` is the KPI tree of replication r;
    ``sums[r]`` its raw interval sums (arrays rows × types / groups)."""

    scenario: object
    seed: int
    policy: str
    replications: tuple
    sums: tuple = attrs.field(repr=False)

    @property
    def n(self) -> int:
        return len(self.replications)

    def values(self, path: str) -> np.ndarray:
        """One KPI over the replications, e.g. ``values("by_type.sales.asa")``."""
        out = []
        for tree in self.replications:
            node = tree
            for part in path.split("."):
                node = node[part]
            out.append(node)
        return np.asarray(out, dtype=float)

    def summary(self) -> dict:
        """Every KPI of the warm-up-free window: {section: {name: {kpi: {mean, ci95}}}}."""
        first = self.replications[0]
        out = {"overall": {k: _estimate(self.values(f"overall.{k}")) for k in first["overall"]}}
        if "ivr" in first:
            out["ivr"] = {k: _estimate(self.values(f"ivr.{k}")) for k in first["ivr"]}
        for section in ("by_type", "by_channel", "by_segment", "by_group"):
            out[section] = {
                name: {k: _estimate(self.values(f"{section}.{name}.{k}")) for k in kpis}
                for name, kpis in first[section].items()
            }
        if "cost" in first:  # {overall, by_group, by_type}: kept as a tree
            out["cost"] = _estimate_tree(self.replications, ("cost",))
        return out

    def intervals(self) -> list[dict]:
        """Per interval and contact type (and "all"): KPI means and CIs over replications."""
        first = self.replications[0]["intervals"][0]
        return self._per_interval("contact_type", [*first["by_type"], "all"],
                                  lambda block, name: block["all"] if name == "all"
                                  else block["by_type"][name])

    def group_intervals(self) -> list[dict]:
        """Per interval and agent group: occupancy, staffing and handling, means over replications."""
        first = self.replications[0]["intervals"][0]
        return self._per_interval("agent_group", list(first["by_group"]),
                                  lambda block, name: block["by_group"][name])

    def _per_interval(self, label: str, names: list, pick) -> list[dict]:
        """One row per interval × name with every KPI's mean and CI, computed as one
        replications × (interval, name, KPI) matrix rather than KPI by KPI."""
        scenario = self.scenario
        intervals = self.replications[0]["intervals"]
        keys = [(k, name) for k in range(len(intervals)) for name in names]
        kpis = list(pick(intervals[0], names[0])) if names else []
        values = np.array([[pick(rep["intervals"][k], name)[kpi] for k, name in keys
                            for kpi in kpis] for rep in self.replications], dtype=float)
        means, halves = mean_ci_columns(values) if values.size else ([], [])
        rows, column = [], 0
        for k, name in keys:
            row = {"interval": k, "start": scenario.start + k * scenario.interval,
                   label: name, "warmup": intervals[k]["warmup"]}
            for kpi in kpis:
                row[kpi], row[f"{kpi}_ci95"] = float(means[column]), float(halves[column])
                column += 1
            rows.append(row)
        return rows

    def interval_sums(self) -> list[dict]:
        """Tidy sums: one row per replication × interval × contact type (for intervals.csv)."""
        rows = []
        scenario = self.scenario
        for r, data in enumerate(self.sums):
            for k in range(scenario.n_intervals):
                for t, spec in enumerate(scenario.contact_types):
                    row = {"replication": r, "interval": k,
                           "start": scenario.start + k * scenario.interval,
                           "contact_type": spec.name, "channel": spec.channel}
                    for name in SUM_COLUMNS:
                        row[name] = float(data[f"type.{name}"][k, t])
                    row["queue_max"] = float(data["type.queue_max"][k, t])
                    rows.append(row)
        return rows

    def frame(self, name: str = "intervals"):
        """A tidy pandas DataFrame (needs ``ccsim[pandas]``): ``intervals``, ``types``,
        ``groups``, ``replications``, ... (``ccsim.measure.frames.FRAMES``)."""
        from .frames import frame
        return frame(self, name)

    def rows(self, name: str = "intervals") -> list[dict]:
        """The rows of ``frame(name)`` as dicts, without pandas."""
        from .frames import rows
        return rows(self, name)

    def __repr__(self) -> str:
        from .frames import short_repr
        return short_repr(self)

    def _repr_html_(self) -> str:
        from .frames import html_summary
        return html_summary(self)

    def to_dict(self) -> dict:
        """The machine-readable document of ``ccsim run --json`` (NaN becomes null)."""
        return json_ready({
            "scenario": self.scenario.name,
            "seed": self.seed,
            "replications": self.n,
            "policy": self.policy,
            "warmup": self.scenario.warmup,
            "horizon": self.scenario.horizon,
            "interval": self.scenario.interval,
            "objectives": {t.name: {"threshold": t.service_level.threshold,
                                    "target": t.service_level.target,
                                    "formula": t.service_level.formula,
                                    "short_abandon": t.service_level.short_abandon}
                           for t in self.scenario.contact_types},
            "summary": self.summary(),
            "intervals": self.intervals(),
            "group_intervals": self.group_intervals(),
        })


def json_ready(value):
    """``value`` as JSON takes it: NaN and infinity become None, numpy scalars Python numbers."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return json_ready(value.item())
    return value


