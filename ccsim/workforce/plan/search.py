"""Greedy marginal analysis over the whole day, with common random numbers.

The plan is a headcount per agent group and interval. Every evaluation simulates the whole
day (an interval's agents also serve the queue the next interval inherits) with the same seed.

* **Add** while some (contact type, interval) misses a target: in each interval that misses,
  add agents to the group with the most missed work per unit of cost it can take — the
  shortfalls of the missed types it serves, divided by its handle-time factor, per hour of its
  cost — until every missed type there has been given agents; more agents the further a type
  is from its target. A cross-trained group covering two missed queues wins over two
  specialists: that is where pooling saves.
* **Trim** once every target holds: two trials per group — ``step`` agents fewer in every
  other interval where it has room (even, then odd intervals, so that a miss is the
  removal's own) — simulated as one batch. A cell's step starts at its share of the
  smallest margin of the types its group serves (at least one agent) and is halved whenever its removal misses a target there or in the next interval (whose
  queue it inherits); a cell whose one-agent removal misses is needed. In each interval the
  group whose trial held and saves the most cost gives up its step; the combination is
  simulated and the removals of intervals that then miss are put back (their step halved).

With a validation seed (``ccsim.plan`` derives one from the seed) each plan is simulated on
two independent sets of days and a target is met only when it holds on both, so that a trim
does not fit the search seed's random days.

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
                  confidence, first, jobs=1, executor=None, max_rounds=40, progress=None,
                  trim=True, skilled=None, validation=None):
    """(plan, verdict, rounds, stuck cells) from the ``start`` plan; ``rates`` are the costs
    per agent-hour of the groups, ``cap[g][k]`` the most agents a cell may get. ``trim``
    False only adds; ``skilled`` (type → the groups that may be given agents for it, all
    that serve it by default) restricts the adds, e.g. to a baseline's own split. With a
    ``validation`` seed every plan is also judged on that seed's days and a target counts as
    met only when it holds on both: a removal that passes on the search seed alone (fitted to
    its days) is not kept, and the adds cover both."""
    say = progress or (lambda *args: None)
    groups = scenario.agent_groups
    n_groups, n = len(groups), scenario.n_intervals
    skilled = skilled or {t: servers(scenario, t) for t in targets_by_type}
    names = [t.name for t in scenario.contact_types]
    serves = [[t for t in targets_by_type if g in skilled[t]] for g in range(n_groups)]

    def evaluate(plan):
        return evaluate_plans(scenario, [plan], targets_by_type, replications, seed,
                              confidence, first, jobs, executor, validation)[0]

    plan = _copy(start)
    verdict = evaluate(plan)
    rounds, stuck = 1, set()
    tight = [[False] * n for _ in range(n_groups)]
    step = [[0] * n for _ in range(n_groups)]  # agents to try taking out (0: not set)
    while rounds < max_rounds:
        gaps = verdict.gaps()
        if gaps:
            added = _add(plan, gaps, skilled, groups, names, rates, cap, stuck)
            if not added:
                break
            say(rounds, f"{len({k for _, k in gaps})} intervals short: added {sum(added.values())} agents")
            verdict, rounds = evaluate(plan), rounds + 1
            continue
        if not trim:
            break
        trials, owners = [], []
        for g in range(n_groups):
            for parity in (0, 1):  # every other interval: a miss is the removal's own
                cells = [k for k in range(first, n) if k % 2 == parity and plan[g][k] > 0
                         and not tight[g][k]]
                if cells:
                    trial = _copy(plan)
                    for k in cells:
                        step[g][k] = min(step[g][k] or _first_step(verdict, serves[g], plan[g][k], k),
                                         plan[g][k])
                        trial[g][k] -= step[g][k]
                    trials.append(trial)
                    owners.append((g, cells))
        if not trials:
            break
        verdicts = evaluate_plans(scenario, trials, targets_by_type, replications, seed,
                                  confidence, first, jobs, executor, validation)
        rounds += 1
        chosen = {}
        for (g, cells), attempt in zip(owners, verdicts):
            failed = {k for _, k, _ in attempt.missed}
            for k in cells:
                if k in failed or k + 1 in failed:
                    _shrink(step, tight, g, k)
                elif k not in chosen or (rates[g] * step[g][k], g) > \
                        (rates[chosen[k]] * step[chosen[k]][k], chosen[k]):
                    chosen[k] = g
        if not chosen:
            continue  # the steps were halved: try again with smaller ones
        for k, g in chosen.items():
            plan[g][k] -= step[g][k]
        verdict = evaluate(plan)
        rounds += 1
        failed = {k for _, k, _ in verdict.missed}
        back = [k for k in chosen if k in failed or k + 1 in failed]
        for k in back:  # together they missed: put these back and try a smaller step
            g = chosen[k]
            plan[g][k] += step[g][k]
            _shrink(step, tight, g, k)
        say(rounds, f"took {sum(step[g][k] for k, g in chosen.items() if k not in back)} agents "
                    f"from {len(chosen) - len(back)} intervals"
                    + (f", put back {len(back)}" if back else ""))
        if back:
            verdict = evaluate(plan)
            rounds += 1
    return plan, verdict, rounds, sorted(stuck)


def _first_step(verdict, types, agents, k) -> int:
    """Agents to try taking out of a cell first: its share of the smallest margin of the
    types its group serves, there and in the next interval (at least one)."""
    margin = min((verdict.slack(t, j) for t in types for j in (k, k + 1)
                  if j < len(verdict.cells[next(iter(verdict.cells))]["met"])), default=0.0)
    return max(1, int(agents * margin))


def _shrink(step, tight, g, k):
    """The removal of ``step[g][k]`` agents missed: halve it; one agent missing: needed."""
    if step[g][k] <= 1:
        tight[g][k] = True
    step[g][k] //= 2


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
