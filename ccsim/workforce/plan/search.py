"""Greedy marginal analysis over the whole day, with common random numbers.

The plan is a headcount per agent group and interval. Every evaluation simulates the whole
day (an interval's agents also serve the queue the next interval inherits) with the same seed.

* **Add** while some (contact type, interval) misses a target: in each interval that misses,
  add agents to the group with the most missed work per unit of cost it can take — the
  shortfalls of the missed types it serves, divided by its handle-time factor, per hour of its
  cost — until every missed type there has been given agents; more agents the further a type
  is from its target. A cross-trained group covering two missed queues wins over two
  specialists: that is where pooling saves.
* **Remove** once every target holds: two trials per group — one agent fewer in every
  other interval where it has room (even, then odd intervals, so that a miss is the
  removal's own) — simulated as one batch; in each interval the costliest group
  whose own trial still met every target there and in the next interval (whose queue it
  inherits) gives up an agent; the combination is simulated, and the removals of intervals
  that then miss are put back for good. A (group, interval) whose removal missed is needed.

The number of simulations is bounded by ``max_rounds``; a (group, interval) never exceeds
``cap``: a target still missed then is reported, never hidden.
"""

from __future__ import annotations

from .evaluate import evaluate_plans
from .seed import servers

__all__ = ["greedy_search"]


def _copy(plan):
    return [list(row) for row in plan]


def greedy_search(scenario, targets_by_type, start, rates, cap, replications, seed,
                  confidence, first, jobs=1, executor=None, max_rounds=40, progress=None):
    """(plan, verdict, rounds, stuck cells) from the ``start`` plan; ``rates`` are the costs
    per agent-hour of the groups, ``cap[g][k]`` the most agents a cell may get."""
    say = progress or (lambda *args: None)
    groups = scenario.agent_groups
    n_groups, n = len(groups), scenario.n_intervals
    skilled = {t: servers(scenario, t) for t in targets_by_type}
    names = [t.name for t in scenario.contact_types]

    def evaluate(plan):
        return evaluate_plans(scenario, [plan], targets_by_type, replications, seed,
                              confidence, first, jobs, executor)[0]

    plan = _copy(start)
    verdict = evaluate(plan)
    rounds, stuck = 1, set()
    tight = [[False] * n for _ in range(n_groups)]
    while rounds < max_rounds:
        gaps = verdict.gaps()
        if gaps:
            added = _add(plan, gaps, skilled, groups, names, rates, cap, stuck)
            if not added:
                break
            say(rounds, f"{len({k for _, k in gaps})} intervals short: added {sum(added.values())} agents")
            verdict, rounds = evaluate(plan), rounds + 1
            continue
        # two trials per group: one agent fewer in every other interval where it has room, all
        # simulated in one batch; each interval then gives up the costliest group whose own
        # trial still met every target there and in the next interval
        trials, owners = [], []
        for g in range(n_groups):
            for parity in (0, 1):  # every other interval: a miss is the removal's own
                cells = [k for k in range(first, n) if k % 2 == parity and plan[g][k] > 0
                         and not tight[g][k]]
                if cells:
                    trial = _copy(plan)
                    for k in cells:
                        trial[g][k] -= 1
                    trials.append(trial)
                    owners.append((g, cells))
        if not trials:
            break
        verdicts = evaluate_plans(scenario, trials, targets_by_type, replications, seed,
                                  confidence, first, jobs, executor)
        rounds += 1
        chosen = {}
        for (g, cells), attempt in zip(owners, verdicts):
            failed = {k for _, k, _ in attempt.missed}
            for k in cells:
                if k in failed or k + 1 in failed:
                    tight[g][k] = True
                elif k not in chosen or rates[g] > rates[chosen[k]]:
                    chosen[k] = g
        if not chosen:
            break
        for k, g in chosen.items():
            plan[g][k] -= 1
        verdict = evaluate(plan)
        rounds += 1
        failed = {k for _, k, _ in verdict.missed}
        back = [k for k in chosen if k in failed or k + 1 in failed]
        for k in back:  # together they missed: put these back and keep them
            plan[chosen[k]][k] += 1
            tight[chosen[k]][k] = True
        say(rounds, f"took one agent from {len(chosen) - len(back)} intervals"
                    + (f", put back {len(back)}" if back else ""))
        if back:
            verdict = evaluate(plan)
            rounds += 1
    return plan, verdict, rounds, sorted(stuck)


def _add(plan, gaps, skilled, groups, names, rates, cap, stuck) -> dict:
    """Add agents where targets miss (see the module docstring); (group, interval) → agents
    added. Cells whose every group is at its cap go to ``stuck``."""
    added: dict = {}
    for k in sorted({k for _, k in gaps}):
        need = {t: 1 + int(gap > 0.15) + int(gap > 0.3)
                for (t, j), gap in sorted(gaps.items()) if j == k}
        while need:
            scores = []
            for g, group in enumerate(groups):
                if plan[g][k] >= cap[g][k]:
                    continue
                covered = [t for t in need if g in skilled[t]]
                if not covered:
                    continue
                gain = sum(need[t] / group.skill(names[t]).proficiency for t in covered)
                rank = min(group.skill(names[t]).rank for t in covered)
                scores.append((-gain / rates[g], rank, g, covered))
            if not scores:
                stuck.update((t, k) for t in need)
                break
            _, _, g, covered = min(scores)
            amount = min(max(need[t] for t in covered), cap[g][k] - plan[g][k])
            plan[g][k] += amount
            added[(g, k)] = added.get((g, k), 0) + amount
            for t in covered:
                del need[t]
    return added
