"""What happens around and after a contact: trunks, the IVR, redials, callbacks, repeat
contacts and transfers — their frozen specs and their YAML.

    trunks: 120                      # phone lines: IVR + queue + talk
    ivr:
      ports: 40
      arrivals: {per_interval: [...]}
      caller_id: {share: 0.6, skip: [identify], priority: 2}
      start: welcome
      menu:
        welcome: {time: {dist: deterministic, value: 15s}, branches: {identify: 1.0}}
        identify: {time: {dist: exponential, mean: 20s},
                   branches: {accounts: 0.5, cards: 0.2, self_service: 0.25, hangup: 0.05}}

and, per contact type::

    redial: {probability: 0.6, delay: {dist: exponential, mean: 10min}, max_attempts: 3, to: chat}
    callback: {offer_after: 2min, accept: 0.4, reach: 0.85, retries: 2,
               retry_delay: {dist: deterministic, value: 15min},
               service_level: {threshold: 1h, target: 0.8}}
    resolution: {fcr: 0.8, repeat_probability: 0.9, repeat_delay: {...}, repeat_to: email}
    transfer: {probability: 0.05, to: complaints}
"""

from __future__ import annotations

import difflib
import math

import attrs
import networkx as nx

from ..distributions import Distribution
from .source import At

__all__ = ["IvrNode", "Ivr", "Redial", "Callback", "Resolution", "Transfer", "TERMINALS",
           "parse_ivr", "parse_redial", "parse_callback", "parse_resolution", "parse_transfer",
           "check_journeys", "JOURNEY_KEYS"]

TERMINALS = ("self_service", "hangup")  # IVR ends that reach no agent
JOURNEY_KEYS = ("redial", "callback", "resolution", "transfer")


@attrs.frozen
class IvrNode:
    name: str
    time: Distribution | None
    branches: tuple  # ((target, probability), ...)


@attrs.frozen
class Ivr:
    """The self-service front end of the phone channel."""

    arrival_rates: tuple
    nodes: tuple
    start: str
    ports: float = math.inf
    caller_id_share: float = 0.0
    caller_id_skip: tuple = ()
    caller_id_priority: int = 0

    def node(self, name: str) -> IvrNode:
        return next(n for n in self.nodes if n.name == name)

    def routed_shares(self) -> dict[str, float]:
        """Probability that a call entering the IVR is routed to each contact type (the menu
        is a tree without loops; caller-ID skips are ignored)."""
        shares: dict[str, float] = {}

        def walk(name: str, probability: float) -> None:
            for target, p in self.node(name).branches:
                if any(n.name == target for n in self.nodes):
                    walk(target, probability * p)
                elif target not in TERMINALS:
                    shares[target] = shares.get(target, 0.0) + probability * p

        walk(self.start, 1.0)
        return shares


@attrs.frozen
class Redial:
    probability: float
    delay: Distribution
    max_attempts: int = 3
    to: str | None = None  # another contact type (e.g. chat after a busy phone line)


@attrs.frozen
class Callback:
    offer_after: float  # offered when the expected wait exceeds this
    accept: float
    reach: float = 1.0
    retries: int = 0
    retry_delay: Distribution | None = None
    objective: object = None  # ServiceLevelObjective of the callback (from acceptance)


@attrs.frozen
class Resolution:
    fcr: float
    repeat_probability: float = 1.0
    repeat_delay: Distribution | None = None
    repeat_to: str | None = None
    max_repeats: int = 3


@attrs.frozen
class Transfer:
    probability: float
    to: str


def _probability(at: At) -> float:
    return at.number(low=0, high=1)


def parse_ivr(at: At, arrivals, distribution) -> Ivr:
    at.mapping(("ports", "arrivals", "caller_id", "start", "menu"), required=("arrivals", "menu"))
    menu = at.child("menu").mapping()
    if not menu.value:
        raise menu.error("the menu needs at least one node")
    nodes = []
    for name, node in menu.items():
        node.mapping(("time", "branches"), required=("branches",))
        branches_at = node.child("branches").mapping()
        branches = tuple((target, _probability(branch)) for target, branch in branches_at.items())
        total = sum(p for _, p in branches)
        if abs(total - 1.0) > 1e-9:
            raise branches_at.error(f"branch probabilities must add up to 1 (got {total:g})")
        nodes.append(IvrNode(name, distribution(node.child("time")) if node.has("time") else None,
                             branches))
    start = at.child("start").string(tuple(menu.value)) if at.has("start") else nodes[0].name
    share, skip, bonus = 0.0, (), 0
    if at.has("caller_id"):
        cid = at.child("caller_id").mapping(("share", "skip", "priority"), required=("share",))
        share = _probability(cid.child("share"))
        if cid.has("skip"):
            skip = tuple(item.string(tuple(menu.value)) for item in cid.child("skip").sequence())
        bonus = cid.child("priority").number(integer=True) if cid.has("priority") else 0
    return Ivr(arrival_rates=arrivals(at.child("arrivals")), nodes=tuple(nodes), start=start,
               ports=at.child("ports").number(low=1, integer=True) if at.has("ports") else math.inf,
               caller_id_share=share, caller_id_skip=skip, caller_id_priority=bonus)


def parse_redial(at: At, distribution) -> Redial:
    at.mapping(("probability", "delay", "max_attempts", "to"), required=("probability", "delay"))
    return Redial(_probability(at.child("probability")), distribution(at.child("delay")),
                  at.child("max_attempts").number(low=1, integer=True)
                  if at.has("max_attempts") else 3,
                  at.child("to").string() if at.has("to") else None)


def parse_callback(at: At, distribution, objective) -> Callback:
    at.mapping(("offer_after", "accept", "reach", "retries", "retry_delay", "service_level"),
               required=("offer_after", "accept"))
    retries = at.child("retries").number(low=0, integer=True) if at.has("retries") else 0
    if retries and not at.has("retry_delay"):
        raise at.error("missing required key 'retry_delay' (the wait between call-back tries)",
                       key=True)
    return Callback(at.child("offer_after").duration(), _probability(at.child("accept")),
                    _probability(at.child("reach")) if at.has("reach") else 1.0, retries,
                    distribution(at.child("retry_delay")) if at.has("retry_delay") else None,
                    objective(at.child("service_level")) if at.has("service_level") else None)


def parse_resolution(at: At, distribution) -> Resolution:
    at.mapping(("fcr", "repeat_probability", "repeat_delay", "repeat_to", "max_repeats"),
               required=("fcr",))
    resolution = Resolution(
        _probability(at.child("fcr")),
        _probability(at.child("repeat_probability")) if at.has("repeat_probability") else 1.0,
        distribution(at.child("repeat_delay")) if at.has("repeat_delay") else None,
        at.child("repeat_to").string() if at.has("repeat_to") else None,
        at.child("max_repeats").number(low=1, integer=True) if at.has("max_repeats") else 3)
    if resolution.fcr < 1 and resolution.repeat_probability > 0 and not at.has("repeat_delay"):
        raise at.error("missing required key 'repeat_delay' (when unresolved contacts come back)",
                       key=True)
    return resolution


def parse_transfer(at: At) -> Transfer:
    at.mapping(("probability", "to"), required=("probability", "to"))
    return Transfer(_probability(at.child("probability")), at.child("to").string())


def check_journeys(scenario, fail) -> None:
    """Cross-references: targets exist and make sense; the IVR menu is a tree that ends."""
    types = {t.name: t for t in scenario.contact_types}
    for t in scenario.contact_types:
        for key, field, target in (("redial", "to", t.redial and t.redial.to),
                                   ("resolution", "repeat_to",
                                    t.resolution and t.resolution.repeat_to),
                                   ("transfer", "to", t.transfer and t.transfer.to)):
            if target is not None and target not in types:
                hint = difflib.get_close_matches(target, list(types), n=1)
                tip = f"; did you mean {hint[0]!r}?" if hint else ""
                fail(("contact_types", t.name, key, field),
                     f"unknown contact type {target!r} (contact types: {', '.join(types)}){tip}")
        if t.redial and t.channel not in ("phone", "chat"):
            fail(("contact_types", t.name, "redial"),
                 f"only phone and chat contacts redial (got {t.channel})", key=True)
        if t.callback and t.channel != "phone":
            fail(("contact_types", t.name, "callback"),
                 f"callbacks are offered on the phone only (got {t.channel})", key=True)
        if not any(t.arrival_rates) and not _fed(scenario, t.name):
            fail(("contact_types", t.name), "no arrivals: give arrivals, or route to it from "
                                            "the IVR", key=True)
    ivr = scenario.ivr
    if ivr is None:
        return
    graph = nx.DiGraph()
    names = {n.name for n in ivr.nodes}
    for node in ivr.nodes:
        for target, _ in node.branches:
            if target not in names and target not in types and target not in TERMINALS:
                known = [*names, *types, *TERMINALS]
                hint = difflib.get_close_matches(target, known, n=1)
                tip = f"; did you mean {hint[0]!r}?" if hint else ""
                fail(("ivr", "menu", node.name, "branches", target),
                     f"unknown branch {target!r}: a menu node, a contact type, or "
                     f"{' / '.join(TERMINALS)}{tip}", key=True)
            if target in types and types[target].channel != "phone":
                fail(("ivr", "menu", node.name, "branches", target),
                     f"the IVR answers phone calls; {target!r} is a {types[target].channel} "
                     f"contact type", key=True)
            graph.add_edge(node.name, target)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = " → ".join(a for a, _ in nx.find_cycle(graph))
        fail(("ivr", "menu"), f"the menu loops ({cycle}): every call must leave the IVR")
    reachable = nx.descendants(graph, ivr.start) | {ivr.start} if ivr.start in graph else {ivr.start}
    for node in ivr.nodes:
        if node.name not in reachable:
            fail(("ivr", "menu", node.name), "this menu node is never reached", key=True)


def _fed(scenario, name: str) -> bool:
    """Does anything else send contacts to type ``name``?"""
    if scenario.ivr and any(target == name for n in scenario.ivr.nodes for target, _ in n.branches):
        return True
    return any((t.redial and t.redial.to == name) or (t.transfer and t.transfer.to == name)
               or (t.resolution and t.resolution.repeat_to == name)
               for t in scenario.contact_types)
