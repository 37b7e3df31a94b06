"""Staffing: bringing each group's logged-in headcount to the plan of every interval. Mixed
into ``Center``; uses its state and observer."""

from __future__ import annotations

from .entities import BUSY, IDLE, LOGGED_OUT, Agent


class StaffingMixin:
    # --- staffing ------------------------------------------------------------------------
    def _on_boundary(self, event) -> None:
        k = event._value
        self.observer.interval_closed(k - 1, self.env._now)
        if k < self.scenario.n_intervals:
            self._staff(k)

    def _staff(self, k: int) -> None:
        """Bring each group's logged-in headcount to the plan of interval ``k``.

        Leaving agents finish the contact in hand first; agents who must stay are asked first
        (a busy agent due to leave stays on rather than a new one logging in)."""
        now = self.env._now
        for spec, g in zip(self.scenario.agent_groups, self.groups):
            target = self.scenario.headcount(spec, k)
            present = g.staffed - sum(1 for a in g.agents if a.leaving)
            if target > present:
                for agent in g.agents:
                    if present == target:
                        break
                    if agent.leaving:
                        agent.leaving = False
                        present += 1
                while present < target:
                    agent = self._log_in(g)
                    present += 1
                    self._free(agent, now)
            elif target < present:
                for agent in reversed(self._idle_agents(g)):
                    if present == target:
                        break
                    if agent.held == 0:
                        self._take_idle(agent)
                        self._log_out(agent)
                        present -= 1
                for agent in reversed(g.agents):
                    if present == target:
                        break
                    if agent.held > 0 and not agent.leaving:
                        if agent.state == IDLE:  # holds chats but had room: takes no more
                            self._take_idle(agent)
                            agent.state = BUSY
                        agent.leaving = True
                        present -= 1
            self.observer.staffing(g.index, g.staffed, now)

    def _log_in(self, g) -> Agent:
        if g.off:
            agent = g.off.pop()
        else:
            self._agent_ids += 1
            agent = Agent(self._agent_ids, g.name, g.index)
            agent.home = g
            agent.capacity = g.capacity
        g.agents.append(agent)
        g.staffed += 1
        return agent

    def _log_out(self, agent: Agent) -> None:
        g = agent.home
        agent.state = LOGGED_OUT
        g.agents.remove(agent)
        g.off.append(agent)
        g.staffed -= 1

    def _idle_agents(self, g) -> list[Agent]:
        return [a for epoch, a in g.idle if a.state == IDLE and a.idle_epoch == epoch]
