"""Staffing: agents logging in and out, for headcount plans and for shifts. Mixed into
``Center``; uses its state and observer.

A headcount group is brought to its plan at every interval boundary (less the positions absent
that day). A shift group follows its agents' realised duties: each agent logs in, steps away
for its activities and logs out at its own times. Either way an agent due to leave finishes
the contacts in hand first. Each log-in, log-out and step away is told to the observer
(``agent_state``) with what the agent is doing from then on: "logged_in", "logged_out" or the
activity's name. Time an agent stays logged in past its scheduled log-off (the end of its shift,
or the boundary where a headcount plan let it go while it held contacts) is told as
``overtime``; a break delayed by a contact moves no log-off, so it makes none.
"""

from __future__ import annotations

import math
from itertools import accumulate

from ..schedules import DAY, absent_slots, realise
from .entities import BUSY, IDLE, LOGGED_OUT, Agent


def _stay_out(agent, now) -> None:
    """What a leaving agent of a shift does once free when nothing else is planned."""


def _off_duty(agent, now) -> None:
    """A headcount agent who left waits among the group's logged-out agents for the next
    rise in headcount."""
    agent.home.off.append(agent)


class StaffingMixin:
    # --- staffing ------------------------------------------------------------------------
    def _start_staffing(self, streams) -> None:
        """Draw the day's absences and duties, staff the first interval, schedule the shifts."""
        scenario = self.scenario
        days = int((scenario.start + scenario.horizon) // DAY) + 1
        for spec, g in zip(scenario.agent_groups, self.groups):
            g.present = None
            if spec.shifts:
                duties = realise(scenario, spec, streams(f"{spec.name}.absence"),
                                 streams(f"{spec.name}.adherence"))
                roster = {}
                for duty in duties:
                    if duty.agent not in roster:
                        roster[duty.agent] = self._new_agent(g)
                        roster[duty.agent].name = duty.agent
                    if duty.login < scenario.horizon:
                        self._after(max(0.0, duty.login), self._on_login,
                                    (roster[duty.agent], duty))
            elif spec.absence > 0:
                # present[d][h]: agents at work on day d among the first h positions
                g.present = [[0, *accumulate(not a for a in day)]
                             for day in absent_slots(spec, days, streams(f"{spec.name}.absence"))]
        self._staff(0)

    def _on_boundary(self, event) -> None:
        k = event._value
        self.observer.interval_closed(k - 1, self.env._now)
        if k < self.scenario.n_intervals:
            self._staff(k)

    def _staff(self, k: int) -> None:
        """Bring each headcount group's logged-in agents to the plan of interval ``k``.

        Agents who must stay are asked first (a busy agent due to leave stays on rather than
        a new one logging in)."""
        now = self.env._now
        scenario = self.scenario
        for spec, g in zip(scenario.agent_groups, self.groups):
            if spec.shifts:
                continue
            target = scenario.headcount(spec, k)
            if g.present is not None:
                target = g.present[int((scenario.start + k * scenario.interval) // DAY)][target]
            present = g.staffed - sum(1 for a in g.agents if a.leaving)
            if target > present:
                for agent in list(g.agents):
                    if present == target:
                        break
                    if agent.leaving:
                        agent.leaving = None
                        present += 1
                        self._overtime(agent, now)  # back on the plan: its overtime ends
                        agent.due_off = math.inf
                        if agent.held < agent.capacity:  # a chat slot free: available again
                            self._free(agent, now)
                while present < target:
                    agent = g.off.pop() if g.off else self._new_agent(g)
                    agent.due_off = math.inf
                    self._log_in(agent, now)
                    present += 1
                    self._free(agent, now)
            elif target < present:
                for agent in reversed(self._idle_agents(g)):
                    if present == target:
                        break
                    if agent.held == 0:
                        self._take_idle(agent)
                        self._log_out(agent, now)
                        _off_duty(agent, now)
                        present -= 1
                for agent in reversed(g.agents):
                    if present == target:
                        break
                    if agent.held > 0 and not agent.leaving:
                        agent.due_off = now  # what it works from now on is overtime
                        self._retire(agent, _off_duty, now)
                        present -= 1
            self.observer.staffing(g.index, g.staffed, now)

    # --- shifts --------------------------------------------------------------------------
    def _on_login(self, event) -> None:
        agent, duty = event._value
        now = self.env._now
        agent.shift_end, agent.due_off = duty.logout, duty.end
        horizon = self.scenario.horizon
        for start, length, name in duty.activities:
            if now <= start < min(duty.logout, horizon):
                self._after(start - now, self._on_activity, (agent, start, length, name))
        if duty.logout < horizon:  # later, the agent stays to drain the queues
            self._after(duty.logout - now, self._on_logout, agent)
        self._return(agent, now)

    def _on_activity(self, event) -> None:
        """A planned activity is due: the agent steps away (after the contact in hand)."""
        agent, start, length, name = event._value
        if agent.state == LOGGED_OUT or agent.leaving:
            return  # not at work (late, or already leaving)
        now = self.env._now
        if agent.home.finish_contact:
            back = self._back_after(length)
        else:
            back = self._back_at(start + length)
        self._retire(agent, back, now, name)

    def _back_after(self, length):
        return lambda agent, now: self._after(length, self._on_back, agent)

    def _back_at(self, when):
        return lambda agent, now: self._after(max(0.0, when - now), self._on_back, agent)

    def _on_back(self, event) -> None:
        agent, now = event._value, self.env._now
        if agent.state == LOGGED_OUT and now >= agent.shift_end:
            # the activity outlasted the shift: the agent goes home once it is over
            self.observer.agent_state(agent, "logged_out", now)
            return
        self._return(agent, now)

    def _return(self, agent: Agent, now: float) -> None:
        if now < agent.shift_end and agent.state == LOGGED_OUT:
            self._log_in(agent, now)
            self.observer.staffing(agent.group_index, agent.home.staffed, now)
            self._free(agent, now)

    def _on_logout(self, event) -> None:
        agent = event._value
        if agent.state != LOGGED_OUT:
            if agent.leaving:
                # no return from the activity: the day is over
                agent.leaving, agent.away = _stay_out, "logged_out"
            else:
                self._retire(agent, _stay_out, self.env._now)

    # --- logging in and out ---------------------------------------------------------------
    def _retire(self, agent: Agent, then, now: float, away: str = "logged_out") -> None:
        """Take ``agent`` out of service: at once if free, else once the contacts in hand are
        done (it takes no more); ``then(agent, time)`` runs when it has left. ``away`` is what
        it is doing meanwhile: logged out, or an activity's name."""
        if agent.state == IDLE:
            self._take_idle(agent)
        if agent.held:
            agent.state = BUSY
            agent.leaving, agent.away = then, away
            return
        self._leave(agent, then, away, now)

    def _leave(self, agent: Agent, then, away: str, now: float) -> None:
        """A free agent leaves service (see ``_retire``)."""
        self._log_out(agent, now, away)
        self.observer.staffing(agent.group_index, agent.home.staffed, now)
        then(agent, now)

    def _new_agent(self, g) -> Agent:
        self._agent_ids += 1
        agent = Agent(self._agent_ids, g.name, g.index)
        agent.home = g
        agent.capacity = g.capacity
        return agent

    def _log_in(self, agent: Agent, now: float) -> None:
        g = agent.home
        g.agents.append(agent)
        g.staffed += 1
        self.observer.agent_state(agent, "logged_in", now)

    def _log_out(self, agent: Agent, now: float, away: str = "logged_out") -> None:
        g = agent.home
        self._overtime(agent, now)
        agent.state = LOGGED_OUT
        g.agents.remove(agent)
        g.staffed -= 1
        self.observer.agent_state(agent, away, now)

    def _overtime(self, agent: Agent, now: float) -> None:
        """Tell the observer the time ``agent`` has worked past its scheduled log-off."""
        if now > agent.due_off:
            self.observer.overtime(agent, agent.due_off, now)

    def _close_overtime(self, now: float) -> None:
        """At the end of the run: the overtime of agents still at work."""
        for g in self.groups:
            for agent in g.agents:
                self._overtime(agent, now)

    def _idle_agents(self, g) -> list[Agent]:
        return [a for epoch, a in g.idle if a.state == IDLE and a.idle_epoch == epoch]
