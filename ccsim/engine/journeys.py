"""What happens around a contact: trunk lines, redials, callbacks, resolution and repeats,
transfers. Mixed into ``Center``; uses its state, streams and observer.

Lines are counted without events: calls holding one are those waiting (in the IVR or queue)
plus answered calls whose talk and hold end later, kept in a heap of release times that is
emptied lazily when a new call needs a line. Follow-up contacts (a redial, a repeat, a transfer,
a call-back retry) are new contacts of the same customer, with the attempt number carried on.
"""

from __future__ import annotations

from heapq import heappop, heappush

from ..distributions import Uniform
from .entities import CALLBACK, NOT_REACHED, Contact

__all__ = ["JourneysMixin"]


_UNIT = Uniform(0.0, 1.0)


def _keyed_attributes(streams, spec):
    """``attributes(key)``: (talk, hold, ACW, patience) of a follow-up of type ``spec`` at its
    key; absent parts are 0 (patience: infinite)."""
    name = spec.name
    talk = streams.keyed(f"{name}.talk", spec.talk)
    hold = streams.keyed(f"{name}.hold", spec.hold) if spec.hold else None
    acw = streams.keyed(f"{name}.acw", spec.acw) if spec.acw else None
    patience = streams.keyed(f"{name}.patience", spec.patience) if spec.patience else None

    def attributes(key):
        return (talk(key), hold(key) if hold else 0.0, acw(key) if acw else 0.0,
                patience(key) if patience else float("inf"))

    return attributes


def _next_key(key: tuple, origin: str) -> tuple:
    """The key of a customer's next contact: a new attempt (redial, repeat), the next transfer
    leg of the attempt, or the next call-back retry of the leg."""
    source, customer, attempt, hop, retry = key
    if origin == "transfer":
        return source, customer, attempt, hop + 1, 0
    if origin == "callback retry":
        return source, customer, attempt, hop, retry + 1
    return source, customer, attempt + 1, 0, 0


class JourneysMixin:
    def _journey_streams(self, t, spec, streams, scenario) -> None:
        """Each decision of a journey draws from its own stream, named after the type, at the
        key of the contact deciding; follow-ups of the type take their attributes at their own
        key (see ``ccsim.streams``), so the order in which routing lets them happen is no
        matter."""
        name = spec.name
        t.lines = scenario.trunks != float("inf") and spec.channel == "phone"
        t.mean_handle = spec.mean_handle_time
        t.redial, t.callback = spec.redial, spec.callback
        t.transfer, t.resolution = spec.transfer, spec.resolution
        t.after = bool(spec.transfer or spec.resolution)
        t.attributes = _keyed_attributes(streams, spec)
        if spec.redial:
            t.redial_u = streams.keyed(f"{name}.redial", _UNIT)
            t.redial_delay = streams.keyed(f"{name}.redial_delay", spec.redial.delay)
        if spec.callback:
            t.callback_u = streams.keyed(f"{name}.callback", _UNIT)
            t.reach_u = streams.keyed(f"{name}.callback_reach", _UNIT)
            if spec.callback.retry_delay:
                t.retry_delay = streams.keyed(f"{name}.callback_retry", spec.callback.retry_delay)
        if spec.transfer:
            t.transfer_u = streams.keyed(f"{name}.transfer", _UNIT)
        if spec.resolution:
            t.resolve_u = streams.keyed(f"{name}.resolution", _UNIT)
            t.repeat_u = streams.keyed(f"{name}.repeat", _UNIT)
            if spec.resolution.repeat_delay:
                t.repeat_delay = streams.keyed(f"{name}.repeat_delay", spec.resolution.repeat_delay)

    # --- trunk lines -----------------------------------------------------------------------
    def _take_line(self, now: float) -> bool:
        releases = self._line_releases
        while releases and releases[0] <= now:
            heappop(releases)
        if self._lines_waiting + len(releases) >= self._trunks:
            return False
        self._lines_waiting += 1
        return True

    def _release_line(self, contact: Contact, at: float | None = None) -> None:
        """The call leaves the line now, or at ``at`` (end of talk and hold)."""
        if not contact.line:
            return
        contact.line = False
        self._lines_waiting -= 1
        if at is not None:
            heappush(self._line_releases, at)

    # --- follow-ups ------------------------------------------------------------------------
    def _follow_up(self, parent: Contact, type_name: str, delay: float, origin: str,
                   attempt: int) -> None:
        """Schedule the customer's next contact; one that would come after the horizon is
        only counted (it falls outside what is simulated)."""
        now = self.env._now
        if now + delay >= self.scenario.horizon:
            self.observer.journey("beyond horizon", parent, now)
            return
        self._after(delay, self._on_follow_up,
                    (parent, self.type_by_name[type_name], origin, attempt))

    def _on_follow_up(self, event) -> None:
        parent, t, origin, attempt = event._value
        now = self.env._now
        self._next_id += 1
        contact = Contact(self._next_id, t, int(now // self._interval), now,
                          _next_key(parent.key, origin), keyed=True)
        contact.customer, contact.attempt, contact.origin = parent.customer, attempt, origin
        contact.repeats = parent.repeats + (origin == "repeat")
        if origin == "callback retry":
            contact.callback, contact.accepted_at = CALLBACK, parent.accepted_at
            contact.tries = parent.tries
        self._admit(contact, now)

    def _after_failure(self, contact: Contact, now: float) -> None:
        """A blocked or abandoned contact may try again later (a redial)."""
        redial = contact.kind.redial
        if redial is None or contact.attempt >= redial.max_attempts:
            return
        t = contact.kind
        if t.redial_u(contact.key) < redial.probability:
            self.observer.journey("redial", contact, now)
            self._follow_up(contact, redial.to or t.name, t.redial_delay(contact.key), "redial",
                            contact.attempt + 1)

    # --- callbacks (virtual hold) -------------------------------------------------------------
    def _offer_callback(self, contact: Contact, now: float) -> bool:
        """Offer a call-back when the expected wait is long; True if the caller accepts."""
        t = contact.kind
        staffed = sum(self.groups[g].staffed * self.groups[g].capacity for g in t.groups)
        expected = t.length * t.mean_handle / staffed if staffed else float("inf")
        if expected <= t.callback.offer_after:
            return False
        self.observer.journey("callback offered", contact, now)
        if t.callback_u(contact.key) >= t.callback.accept:
            return False
        contact.callback, contact.accepted_at, contact.tries = CALLBACK, now, 0
        self._release_line(contact)
        self.observer.journey("callback accepted", contact, now)
        return True

    def _reach(self, contact: Contact, now: float) -> bool:
        """An agent calls the customer back: reached, or tried again later, or given up."""
        t = contact.kind
        contact.tries += 1
        if t.reach_u(contact.key) < t.callback.reach:
            self.observer.journey("callback reached", contact, now)
            return True
        contact.state = NOT_REACHED
        self.observer.journey("callback not reached", contact, now)
        if contact.tries <= t.callback.retries:
            self._follow_up(contact, t.name, t.retry_delay(contact.key), "callback retry",
                            contact.attempt)
        else:
            self.observer.journey("callback failed", contact, now)
        return False

    # --- after handling ----------------------------------------------------------------------
    def _after_handling(self, contact: Contact, agent, now: float) -> None:
        """A transfer to another type, or resolution: an unresolved contact comes back."""
        t = contact.kind
        if t.transfer and t.transfer_u(contact.key) < t.transfer.probability:
            self.observer.journey("transferred", contact, now)
            self._follow_up(contact, t.transfer.to, 0.0, "transfer", contact.attempt)
            return
        resolution = t.resolution
        if resolution is None:
            return
        fcr = t.fcr_by_group.get(agent.group_index, resolution.fcr)
        if t.resolve_u(contact.key) < fcr:
            self.observer.journey("resolved", contact, now)
            return
        self.observer.journey("unresolved", contact, now)
        if contact.repeats < resolution.max_repeats and \
                t.repeat_u(contact.key) < resolution.repeat_probability:
            self._follow_up(contact, resolution.repeat_to or t.name, t.repeat_delay(contact.key),
                            "repeat",
                            contact.attempt + 1)
