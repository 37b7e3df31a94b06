"""Agent groups from YAML: headcount or shifts, skills with rank and proficiency, chat
concurrency."""

from __future__ import annotations

import difflib

from ..limits import LIMITS
from .profiles import agents as _agents, csv_column as _csv_column, profile as _profile
from .source import At, Source
from .contact_types import check_name, read_distribution
from .workforce import WORKFORCE_KEYS, check_rosters, fraction, parse_adherence, parse_shifts
from .spec import AgentGroup, Skill

__all__ = ["agent_group", "GROUP_KEYS", "STRETCH_MODELS", "SKILL_KEYS"]

GROUP_KEYS = ("headcount", "skills", "concurrency", "stretch", "stretch_model", "description",
              *WORKFORCE_KEYS)
STRETCH_MODELS = ("fixed", "dynamic")
SKILL_KEYS = ("proficiency", "rank", "fcr")


def agent_group(name, at: At, source: Source, channels: dict[str, str]) -> AgentGroup:
    check_name(at, name)
    at.mapping(GROUP_KEYS, required=("skills",))
    if at.has("headcount") == at.has("shifts"):
        raise at.error("give either headcount (agents per interval) or shifts (see "
                       "docs/workforce.md)", key=not at.has("headcount"))
    skills = _skills(at.child("skills"), set(channels))
    concurrency = (at.child("concurrency").number(low=1, integer=True)
                   if at.has("concurrency") else 1)
    if concurrency > 1:
        others = sorted({channels[s.contact_type] for s in skills} - {"chat"})
        if others:
            raise at.child("concurrency").error(
                f"only chat is handled several at a time, and this group also serves "
                f"{', '.join(others)}: put chat in a group of its own", key=True)
    stretch = ()
    if at.has("stretch"):
        items = at.child("stretch").sequence(min_length=1)
        stretch = tuple(item.number(low=0, strict_low=True) for item in items)
        if len(stretch) != concurrency:
            raise at.child("stretch").error(
                f"give one factor per number of contacts held, 1 to {concurrency} "
                f"(got {len(stretch)})")
    stretch_model = "fixed"
    if at.has("stretch_model"):
        stretch_model = at.child("stretch_model").string(STRETCH_MODELS)
        if stretch_model == "dynamic" and not stretch:
            raise at.child("stretch_model").error(
                "the dynamic model paces chats by the group's stretch factors: give `stretch`",
                key=True)
    shifts = parse_shifts(at.child("shifts")) if at.has("shifts") else ()
    if shifts:
        check_rosters(at.child("shifts"), shifts)
    if at.has("finish_contact") and not isinstance(at.child("finish_contact").value, bool):
        raise at.child("finish_contact").expected("true or false")
    return AgentGroup(
        name=name, skills=skills, concurrency=concurrency, stretch=stretch,
        stretch_model=stretch_model, shifts=shifts,
        headcount=_headcount(at.child("headcount"), source) if not shifts else (),
        absence=fraction(at.child("absence")) if at.has("absence") else 0.0,
        adherence=(parse_adherence(at.child("adherence"), read_distribution)
                   if at.has("adherence") else None),
        finish_contact=at.child("finish_contact").value if at.has("finish_contact") else True)


def _headcount(at: At, source: Source) -> tuple[int, ...]:
    if isinstance(at.value, list):
        return tuple(_agents(item) for item in _profile(at))
    if isinstance(at.value, dict):
        at.mapping(("csv", "column"), required=("csv", "column"))
        values = _csv_column(at, source, low=0, high=LIMITS.agents_per_group, what="agents")
        if any(v != int(v) for v in values):
            raise at.child("csv").error("headcounts must be whole numbers")
        return tuple(int(v) for v in values)
    return (_agents(at),)


def _skills(at: At, type_names: set[str]) -> tuple[Skill, ...]:
    """``[sales, billing]`` (ranked by order) or ``{sales: {proficiency: 1.2, rank: 2}}``."""
    if isinstance(at.value, list):
        entries = [(item, item.string(), {}) for item in at.sequence(min_length=1)]
        skills = [Skill(name, rank=i + 1) for i, (_, name, _) in enumerate(entries)]
        places = [item for item, _, _ in entries]
    else:
        at.mapping()
        if not at.value:
            raise at.error("an agent group needs at least one skill (got none)")
        skills, places = [], []
        for name, child in at.items():
            check_name(child, name)
            if child.value is None:
                skills.append(Skill(name))
            else:
                child.mapping(SKILL_KEYS)
                skills.append(Skill(
                    name,
                    proficiency=(child.child("proficiency").number(low=0, strict_low=True)
                                 if child.has("proficiency") else 1.0),
                    rank=child.child("rank").number(low=1, integer=True) if child.has("rank")
                    else 1,
                    fcr=child.child("fcr").number(low=0, high=1) if child.has("fcr") else None,
                ))
            places.append(child)
    seen = set()
    for skill, place in zip(skills, places):
        if skill.contact_type not in type_names:
            hint = difflib.get_close_matches(skill.contact_type, sorted(type_names), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            raise place.error(f"unknown contact type {skill.contact_type!r} (contact types: "
                              f"{', '.join(sorted(type_names))}){tip}", key=True)
        if skill.contact_type in seen:
            raise place.error(f"skill {skill.contact_type!r} listed twice", key=True)
        seen.add(skill.contact_type)
    return tuple(skills)
