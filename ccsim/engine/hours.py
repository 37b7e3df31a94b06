"""Hours of operation and the backlog at the start: the part of the center that opens and
closes channels. Mixed into ``Center``; uses its state and observer."""

from __future__ import annotations

from ..calendar import open_periods
from .entities import WAITING, Contact


class HoursMixin:
    # --- hours of operation and backlog ----------------------------------------------------
    def _schedule_hours(self) -> None:
        scenario = self.scenario
        for channel, calendar in scenario.hours.items():
            types = [t for t, spec in zip(self.types, scenario.contact_types)
                     if spec.channel == channel]
            periods = open_periods(calendar, scenario.start, scenario.start_day,
                                   scenario.start_date, scenario.horizon)
            if not periods or periods[0][0] > 0:
                for t in types:
                    t.open = False
            for opens, closes in periods:
                if opens > 0:
                    self._after(opens, self._on_open, types)
                if closes < scenario.horizon:  # the horizon cuts a period; it does not close it
                    self._after(closes, self._on_close, types)

    def _on_open(self, event) -> None:
        """The channel opens: parked contacts join the routable queue, agents are offered them."""
        for t in event._value:
            t.open = True
            t.queue.extend(c for c in t.parked if c.state == WAITING)
            t.parked.clear()
        self._offer_waiting(self.env._now)

    def _on_close(self, event) -> None:
        """The channel closes: nothing more of it is answered until it opens again (contacts in
        service are finished); waiting contacts are parked, and may still abandon."""
        for t in event._value:
            t.open = False
            t.parked.extend(c for c in t.queue if c.state == WAITING)
            t.queue.clear()

    def _bring_backlog(self, t) -> None:
        """Contacts already waiting at the start, oldest first, counted in the first interval."""
        if not t.backlog:
            return
        ages = sorted((t.backlog_age() for _ in range(t.backlog)), reverse=True)
        for age in ages:
            self._next_id += 1
            t.customers += 1
            contact = Contact(self._next_id, t, 0, -age, (t.index, t.customers, 1, 0, 0))
            self.observer.arrival(contact, 0.0)
            (t.queue if t.open else t.parked).append(contact)
        t.length += t.backlog
        self.observer.queue_changed(t.index, t.length, 0.0)
