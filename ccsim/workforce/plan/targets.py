"""The targets of a staffing plan, as planners write them, and which contact types they bind.

    sl>=0.80@20s            every phone and chat type: 80 % answered within 20 s
    80/20, 80%/20s          the same, as planners write it
    billing:sl>=0.8@30s     one type only (overrides a general target of the same kind)
    asa<=30s                average speed of answer
    abandon<=5%             abandonment (short abandons left out)
    response<=24h           email and social: mean response time

A target without a type binds every type it fits (service level, ASA and abandonment the
phone and chat types, response time the email and social ones), each type on its own, in
every interval. The service-level part is read by ``staff.parse_target``: one grammar.
"""

from __future__ import annotations

import re

import attrs

from ..staff import format_share, parse_target

__all__ = ["PlanTarget", "parse_plan_target", "resolve_targets", "KINDS"]

KINDS = ("sl", "asa", "abandon", "response")
_PREFIX = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*:\s*(.*)$")
_BOUND = re.compile(r"^\s*(asa|abandon|response)\s*<=\s*(\S.*?)\s*$", re.I)


@attrs.frozen
class PlanTarget:
    """``kind`` ("sl", "asa", "abandon", "response") held to ``limit`` — a share for sl and
    abandon, seconds for asa and response — with ``threshold`` seconds for sl, for the contact
    type ``type`` (None: every type it fits)."""

    kind: str
    limit: float
    threshold: float | None = None
    type: str | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.kind == "sl"

    def label(self) -> str:
        """The target as written, e.g. "billing: SL ≥ 80% @ 20s"."""
        text = {"sl": lambda: f"SL ≥ {format_share(self.limit)} @ {self.threshold:g}s",
                "asa": lambda: f"ASA ≤ {self.limit:g}s",
                "abandon": lambda: f"abandonment ≤ {format_share(self.limit)}",
                "response": lambda: f"response ≤ {self.limit:g}s"}[self.kind]()
        return f"{self.type}: {text}" if self.type else text

    def fits(self, contact_type) -> bool:
        return (self.kind == "response") == contact_type.deferrable


def parse_plan_target(text: str) -> PlanTarget:
    """One target string → PlanTarget; ValueError saying what was expected."""
    from ...units import parse_duration

    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected a target such as '80/20', 'sl>=0.80@20s', 'billing:asa<=30s', "
                         "'abandon<=5%' or 'response<=24h' (got an empty text)")
    type_name, body = None, text
    prefix = _PREFIX.match(text)
    if prefix:
        type_name, body = prefix.group(1), prefix.group(2)
    elif ":" in text:
        raise ValueError(f"expected 'TYPE:target' with a contact type's name before ':' "
                         f"(got {text!r})")
    expected = ("expected a target such as '80/20', 'sl>=0.80@20s', 'billing:asa<=30s', "
                "'abandon<=5%' or 'response<=24h'")
    match = _BOUND.match(body)
    if body.strip().lower().startswith("sl") or not match:
        try:
            share, threshold = parse_target(body)
        except ValueError as exc:
            if not body.strip().lower().startswith("sl"):
                raise ValueError(f"{expected} (got {text!r})") from None
            raise ValueError(str(exc).replace(repr(body), repr(text))) from None
        return PlanTarget("sl", share, threshold, type_name)
    kind, value = match.group(1).lower(), match.group(2)
    if kind == "abandon":
        number = value.rstrip("%").strip()
        try:
            limit = float(number) / (100 if value.endswith("%") else 1)
        except ValueError:
            raise ValueError(f"expected a share such as 5% or 0.05 after 'abandon<=' "
                             f"(got {text!r})") from None
        if not 0 < limit < 1:
            raise ValueError(f"the abandonment target must be in (0, 1) (got {text!r})")
        return PlanTarget(kind, limit, None, type_name)
    try:
        limit = parse_duration(value)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    if not 0 < limit < float("inf"):
        raise ValueError(f"the {kind} target must be a positive duration (got {text!r})")
    return PlanTarget(kind, limit, None, type_name)


def resolve_targets(scenario, targets) -> dict[int, list[PlanTarget]]:
    """Contact type index → the targets it must meet. A typed target replaces the general
    target of the same kind for its type. ValueError for an unknown type or a target that fits
    no type (e.g. ``response<=`` on a center without email)."""
    names = [t.name for t in scenario.contact_types]
    bound: dict[int, dict[str, PlanTarget]] = {i: {} for i in range(len(names))}
    for target in targets:
        if target.type is not None and target.type not in names:
            raise ValueError(f"target {target.label()!r}: no contact type {target.type!r} "
                             f"(contact types: {', '.join(names)})")
    for typed in (False, True):  # general targets first, typed ones override them
        for target in targets:
            if (target.type is not None) != typed:
                continue
            chosen = [i for i, t in enumerate(scenario.contact_types)
                      if (target.type is None or t.name == target.type) and target.fits(t)]
            if not chosen:
                what = ("email or social" if target.kind == "response" else "phone or chat")
                raise ValueError(f"target {target.label()!r} fits no contact type: it is for "
                                 f"{what} types")
            for i in chosen:
                bound[i][target.kind] = target
    return {i: list(kinds.values()) for i, kinds in bound.items() if kinds}
