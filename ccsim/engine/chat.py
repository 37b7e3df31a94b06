"""Chats paced by the agent's current load (``stretch_model: dynamic``). Mixed into ``Center``.

With the fixed model a chat's handle time is set when it starts, at the stretch factor of the
load it starts at. With the dynamic model each chat carries its remaining *work* (its talk, hold
and ACW at the group's proficiency: the time it would take handled alone) and an agent holding k
chats advances each of them at rate 1 / stretch[k-1]. Whenever the agent takes or finishes a
chat, the work done since the last change is subtracted and every chat's completion is scheduled
again at the new pace. A simpy timeout cannot be cancelled, so each completion carries the
chat's version number and a completion whose version is out of date is ignored.

The observer hears ``answer`` with the handle time projected at the load of that moment and
``retimed(contact, agent, now, old_end, new_end)`` whenever the projection changes; at the end
``contact.factor`` is the chat's realised handle time over its talk, hold and ACW.
"""

from __future__ import annotations

from .entities import IN_SERVICE

__all__ = ["PacedChatMixin"]


class PacedChatMixin:
    def _serve_paced(self, contact, agent, now: float) -> None:
        """The agent (already holding ``contact``, last in its list) starts a paced chat."""
        g = agent.home
        self._progress(agent, agent.contacts[:-1], agent.held - 1, now)
        contact.work = (contact.talk + contact.hold + contact.acw) * g.factor[contact.type_index]
        contact.began, contact.version = now, 0
        duration = contact.work * g.stretch[agent.held - 1]
        contact.factor = g.factor[contact.type_index] * g.stretch[agent.held - 1]
        contact.ends = now + duration
        agent.busy_time += duration
        self.observer.answer(contact, agent, now, duration)
        self._retime(agent, now)

    def _progress(self, agent, contacts, load: int, now: float) -> None:
        """Work done on ``contacts`` since the agent's load last changed (it was ``load``)."""
        if load and now > agent.paced:
            done = (now - agent.paced) / agent.home.stretch[load - 1]
            for contact in contacts:
                contact.work -= done
        agent.paced = now

    def _retime(self, agent, now: float) -> None:
        """Schedule the completion of every chat the agent holds at its current pace."""
        pace = agent.home.stretch[agent.held - 1] if agent.held else 1.0
        agent.pace_load = agent.held
        for contact in agent.contacts:
            delay = max(contact.work, 0.0) * pace
            ends = now + delay
            contact.version += 1
            self._after(delay, self._paced_done, (contact, contact.version))
            if ends != contact.ends:
                parts = contact.talk + contact.hold + contact.acw
                if parts:
                    contact.factor = (ends - contact.began) / parts
                agent.busy_time += ends - contact.ends
                self.observer.retimed(contact, agent, now, contact.ends, ends)
                contact.ends = ends

    def _on_paced_done(self, event) -> None:
        contact, version = event._value
        if version != contact.version or contact.state != IN_SERVICE:
            return  # re-timed since: a later completion is scheduled
        agent = contact.agent
        now = self.env._now
        self._progress(agent, agent.contacts, agent.held, now)
        self._on_done(contact)
        if agent.held and agent.pace_load != agent.held:  # took no new chat: slower no more
            self._retime(agent, now)
