"""A bounded safe YAML loader: PyYAML's SafeLoader with ceilings and located failures.

* nodes are counted as composed, aliases counted at the size they expand to, so an alias
  bomb ("billion laughs") stops at ``LIMITS.yaml_nodes`` after a few kilobytes of work;
* an alias to the collection that contains it (``&a [*a]``) is refused, so nothing downstream
  walks a cycle;
* nesting deeper than ``LIMITS.yaml_depth`` is refused while composing, long before Python's
  recursion limit;
* numbers longer than ``LIMITS.number_digits`` digits are refused;
* a constructor failing on an explicit tag (``!!int four``, ``!!bool maybe``, a date
  2026-02-30) becomes a ``ConstructorError`` at that node, so it has a line and column.

It stays a safe loader: only the standard YAML tags construct anything (``!!python/...`` is an
unknown tag).
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from ..limits import LIMITS

__all__ = ["BoundedLoader"]

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_READABLE = {"tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number",
             "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:null": "null",
             "tag:yaml.org,2002:timestamp": "a date or time"}


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader with limits (see the module docstring), and without YAML 1.1 base-60
    numbers: ``start: 8:30`` stays the text "8:30" instead of silently becoming 510, and
    ``horizon: 10:00`` is an error, not 600 seconds."""

    def __init__(self, stream):
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0
        self._sizes: dict[str, int] = {}   # anchor → nodes it expands to
        self._open: set[str] = set()       # anchors of collections being composed

    def resolve(self, kind, value, implicit):
        tag = super().resolve(kind, value, implicit)
        if (kind is yaml.ScalarNode and implicit[0] and ":" in value
                and tag in _NUMBER_TAGS):
            return "tag:yaml.org,2002:str"
        return tag

    def _count(self, nodes: int, mark):
        self._nodes += nodes
        if self._nodes > LIMITS.yaml_nodes:
            raise ComposerError(None, None, f"the document expands to more than "
                                f"{LIMITS.yaml_nodes:,} values (the limit; aliases count at "
                                f"the size they expand to)", mark)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise ComposerError(None, None, f"the alias *{event.anchor} refers to the "
                                    f"collection that contains it (a recursive alias)",
                                    event.start_mark)
            self._count(self._sizes.get(event.anchor, 1), event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > LIMITS.yaml_depth:
            raise ComposerError(None, None, f"collections nested more than "
                                f"{LIMITS.yaml_depth} levels deep (the limit)", event.start_mark)
        before = self._nodes
        self._count(1, event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            self._open.add(anchor)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._nodes - before
        self._depth -= 1
        return node

    def construct_object(self, node, deep=False):
        if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS:
            digits = sum(c.isdigit() for c in node.value)
            if digits > LIMITS.number_digits:
                raise ConstructorError(None, None, f"a number with {digits} digits: at most "
                                       f"{LIMITS.number_digits} are allowed (the limit)",
                                       node.start_mark)
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, IndexError, TypeError, OverflowError,
                AttributeError) as exc:
            value = node.value if isinstance(node, yaml.ScalarNode) else node.id
            text = repr(value) if len(repr(value)) <= 60 else repr(value)[:55] + "...'"
            expected = _READABLE.get(node.tag, f"a value of the tag {node.tag}")
            detail = f" ({exc})" if isinstance(exc, ValueError) and len(str(exc)) < 80 else ""
            raise ConstructorError(None, None, f"{text} is not {expected}{detail}",
                                   node.start_mark) from None
