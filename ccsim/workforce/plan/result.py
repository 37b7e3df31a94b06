"""A plan a WFM team can act on: the headcount per group and interval, what it costs against
the input plan and against baseline (a), the targets it achieves with their confidence bounds,
FTE grossed up for shrinkage, a runnable scenario, and a warning for every target missed."""

from __future__ import annotations

import math

import attrs

from ...units import format_clock

__all__ = ["Plan", "FTE_HOURS"]

FTE_HOURS = 8.0  # paid hours of one full-time equivalent per day


@attrs.frozen
class Plan:
    """The result of ``ccsim.plan``. ``required[group]`` is the agents needed on the phones
    per interval; ``baseline_a`` the agents per contact type each staffed alone (Erlang A/C);
    ``baseline_groups`` baseline (a) mapped onto the groups; ``start`` the search's start
    (the pooled Erlang staffing, or baseline (a) on the groups); ``verdict`` the
    simulated targets of ``required``; ``shifts`` the shift plan when one was asked for."""

    scenario: object  # the input, with the targets' thresholds on its contact types
    targets: tuple
    targets_by_type: dict
    objective: str
    confidence: float
    replications: int
    seed: int
    rounds: int
    max_rounds: int
    rates: tuple  # cost per agent-hour of each group (1 with objective agent-hours)
    required: dict  # group name -> tuple of agents per interval
    start: dict  # group name -> tuple (the search's start)
    baseline_a: dict  # contact type name -> tuple (each type alone)
    verdict: object
    stuck: tuple = ()  # (type index, interval) no group could be given more agents for
    shifts: object = None
    baseline_groups: dict = attrs.Factory(dict)  # group name -> tuple (baseline (a) on the groups)
    validation_seed: int | None = None  # the second seed every candidate was also judged on

    @property
    def hours_per_interval(self) -> float:
        return self.scenario.interval / 3600.0

    def agent_hours(self, which: str = "required") -> float:
        """Agent-hours on the phones of ``required``, ``start`` or ``baseline_a``."""
        return sum(sum(row) for row in getattr(self, which).values()) * self.hours_per_interval

    def cost(self, which: str = "required") -> float:
        """Objective value: agent-hours × each group's rate. Baseline (a) is priced at the
        rate of the groups that take each type first."""
        if which == "baseline_a":
            return self._baseline_cost()
        rows = getattr(self, which)
        return sum(rate * sum(rows[g.name]) for g, rate in
                   zip(self.scenario.agent_groups, self.rates)) * self.hours_per_interval

    def _baseline_cost(self) -> float:
        from .seed import servers

        total = 0.0
        names = [t.name for t in self.scenario.contact_types]
        for name, row in self.baseline_a.items():
            t = names.index(name)
            skilled = servers(self.scenario, t)
            best = min(self.scenario.agent_groups[g].skill(name).rank for g in skilled)
            rate = min(self.rates[g] for g in skilled
                       if self.scenario.agent_groups[g].skill(name).rank == best)
            total += rate * sum(row)
        return total * self.hours_per_interval

    def input_cost(self) -> tuple[float, float]:
        """(paid agent-hours, cost) of the scenario's own plan."""
        hours = cost = 0.0
        for group, rate in zip(self.scenario.agent_groups, self.rates):
            paid = sum(self.scenario.scheduled(group, k)
                       for k in range(self.scenario.n_intervals)) * self.hours_per_interval
            hours, cost = hours + paid, cost + paid * rate
        return hours, cost

    def missed(self) -> list[dict]:
        """Every target missed: type, target, the intervals (clock times) and the best bound."""
        out = []
        for (t, kind), cell in self.verdict.cells.items():
            bad = [k for k, met in enumerate(cell["met"]) if not met]
            if bad:
                out.append({"type": self.scenario.contact_types[t].name,
                            "target": cell["target"].label(),
                            "intervals": [self.clock(k) for k in bad],
                            "bounds": [cell["bound"][k] for k in bad]})
        return out

    def warnings(self) -> list[str]:
        """One line per target missed (never a silent best effort)."""
        lines = []
        for miss in self.missed():
            label = miss["target"] if miss["target"].startswith(miss["type"] + ":") \
                else f"{miss['type']}: {miss['target']}"
            lines.append(f"{label} is NOT met at "
                         f"{_confidence(self.confidence)} confidence in {len(miss['intervals'])} "
                         f"intervals ({', '.join(miss['intervals'][:6])}"
                         f"{', ...' if len(miss['intervals']) > 6 else ''})")
        if lines and self.stuck:
            lines.append("every group serving those types reached its cap (the most agents a "
                         "(group, interval) may get): the targets look impossible")
        elif lines:
            lines.append(f"the search stopped after {self.rounds} simulations (--max-rounds "
                         f"{self.max_rounds}); raise it, or relax the targets")
        if self.shifts is not None and self.shifts.missed:
            short = [f"{group} {self.clock(k)}" for group, k, _ in self.shifts.missed]
            lines.append(f"the shift plan leaves {len(short)} (group, interval) cells short "
                         f"({', '.join(short[:6])}{', ...' if len(short) > 6 else ''}): "
                         f"{self.shifts.missed[0][2]} (every reason in summary.json)")
        return lines

    def clock(self, k: int) -> str:
        return format_clock(self.scenario.start + k * self.scenario.interval)

    def requirement_rows(self) -> list[dict]:
        """Group × interval: required agents, the input plan, FTE grossed up for absence."""
        rows = []
        for g, group in enumerate(self.scenario.agent_groups):
            shrink = min(group.absence, 0.95)
            for k, agents in enumerate(self.required[group.name]):
                rows.append({"group": group.name, "interval": k, "start": self.clock(k),
                             "required": agents,
                             "input_plan": self.scenario.headcount(group, k),
                             "gross_with_absence": round(agents / (1 - shrink), 2),
                             "start_plan": self.start[group.name][k]})
        return rows

    def fte_rows(self) -> list[dict]:
        """Per group: agent-hours on the phones, the scenario's absence, the hours to schedule
        once grossed up for it, and the FTE at ``FTE_HOURS`` a day."""
        rows = []
        for group, rate in zip(self.scenario.agent_groups, self.rates):
            hours = sum(self.required[group.name]) * self.hours_per_interval
            gross = hours / (1 - min(group.absence, 0.95))
            rows.append({"group": group.name, "agent_hours": round(hours, 2),
                         "absence": group.absence, "gross_hours": round(gross, 2),
                         "fte": round(gross / FTE_HOURS, 2), "rate": rate,
                         "cost": round(hours * rate, 2)})
        return rows

    def target_rows(self) -> list[dict]:
        """(type, target, interval): the simulated mean, its one-sided bound, met or not."""
        rows = []
        for (t, kind), cell in self.verdict.cells.items():
            for k in range(self.scenario.n_intervals):
                rows.append({"type": self.scenario.contact_types[t].name,
                             "target": cell["target"].label(), "interval": k,
                             "start": self.clock(k), "mean": _round(cell["mean"][k]),
                             "bound": _round(cell["bound"][k]), "met": cell["met"][k]})
        return rows

    def summary(self) -> dict:
        """The figures of the plan, for JSON and the printed summary."""
        hours, cost = self.input_cost()
        return {"objective": self.objective, "confidence": self.confidence,
                "replications": self.replications, "seed": self.seed,
                "validation_seed": self.validation_seed, "rounds": self.rounds,
                "agent_hours": {"plan": self.agent_hours(), "input": hours,
                                "baseline_a": self.agent_hours("baseline_a"),
                                "start": self.agent_hours("start")},
                "cost": {"plan": self.cost(), "input": cost,
                         "baseline_a": self.cost("baseline_a"), "start": self.cost("start")},
                "share_met": self.verdict.share_met(), "missed": self.missed(),
                "shift_cost": getattr(self.shifts, "cost", None),
                **({"shifts": self.shift_summary()} if self.shifts is not None else {})}

    def shift_summary(self) -> dict:
        """The shift plan's cost and paid hours, and every (group, interval) it leaves short
        with the reason (the catalogue's limits, or what the simulation still asked for)."""
        plan = self.shifts
        return {"cost": plan.cost, "paid_hours": plan.paid_hours,
                "corrections": plan.corrections, "notes": list(plan.notes),
                "short": [{"group": group, "start": self.clock(k), "reason": reason}
                          for group, k, reason in plan.missed]}

    def scenario_yaml(self) -> str:
        """The input scenario file with every group staffed by the plan's headcounts (shifts,
        absence and adherence taken out: these are agents on the phones). Comments are lost."""
        import yaml
        from pathlib import Path

        data = yaml.safe_load(Path(self.scenario.source).read_text(encoding="utf-8"))
        for group in self.scenario.agent_groups:
            entry = data["agent_groups"][group.name]
            for key in ("shifts", "absence", "adherence", "headcount"):
                entry.pop(key, None)
            entry["headcount"] = list(self.required[group.name])
        data["description"] = (f"Staffing found by ccsim plan ({', '.join(t.label() for t in self.targets)}"
                               f" at {_confidence(self.confidence)} confidence) for: "
                               + str(data.get("description", data.get("name", ""))).strip())
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _round(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else round(value, 4)


def _confidence(value: float) -> str:
    return f"{round(value * 100, 6):g}%"
