"""Reading a YAML scenario while remembering where every value came from.

Every value is addressed by its YAML path (a tuple of keys and list indexes) and mapped to its
line and column, so an error can say ``bank.yaml:14:9: contact_types.sales.talk.mean: must be
> 0 (got -5)``. ``At`` walks the data with that address and turns every mistake into a
``ScenarioError`` with a position, the path, what was expected and what was found.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path

import yaml

from ..limits import LIMITS
from ..units import UnitError, parse_duration, parse_rate
from .files import TextFileError, read_text, shown
from .yamlload import BoundedLoader

__all__ = ["ScenarioError", "Source", "At", "load_source", "source_from_text"]


class ScenarioError(Exception):
    """A scenario that cannot be run: where, which YAML path, and what is wrong."""

    def __init__(self, file: str, line: int | None, column: int | None, path: str, message: str):
        self.file, self.line, self.column, self.path, self.message = file, line, column, path, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def format_path(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Source:
    """The parsed YAML of one file, with the position of every key and value."""

    def __init__(self, name: str, data, values: dict, keys: dict, base_dir: Path):
        self.name, self.data, self.base_dir = name, data, base_dir
        self._values, self._keys = values, keys

    def position(self, path: tuple, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of ``path``, or of its nearest ancestor that has one."""
        table = self._keys if key else self._values
        while True:
            if path in table:
                return table[path]
            if key and path in self._values:
                return self._values[path]
            if not path:
                return None, None
            path = path[:-1]

    def error(self, path: tuple, message: str, key: bool = False) -> ScenarioError:
        line, column = self.position(path, key)
        return ScenarioError(self.name, line, column, format_path(path), message)


def _walk(node, path, values, keys, duplicates):
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = path + (key,)
            if key in seen:
                duplicates.append((child, key_node))
            seen.add(key)
            keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, child, values, keys, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), values, keys, duplicates)


_OPENERS = {"while parsing a flow sequence": "'['", "while parsing a flow mapping": "'{'",
            "while scanning a quoted scalar": "quote"}


def _yaml_error(exc: yaml.MarkedYAMLError, name: str) -> ScenarioError:
    """A PyYAML error as a ScenarioError at the place the mistake most likely is."""
    mark, problem = exc.problem_mark or exc.context_mark, exc.problem or "invalid YAML"
    opened, found = exc.context_mark, exc.problem_mark
    if (exc.context in _OPENERS and opened is not None and found is not None
            and found.line > opened.line):
        # an unclosed bracket or quote is only noticed lines later: point at where it was
        # opened, and say where the parser gave up
        opener = _OPENERS[exc.context]
        if "<stream end>" in problem or "end of stream" in problem:
            problem = f"the {opener} opened here is never closed ({problem})"
            mark = opened
        elif opener != "quote":
            problem = (f"the {opener} opened here is not closed before line {found.line + 1}, "
                       f"column {found.column + 1} ({problem})")
            mark = opened
    elif "'\\t'" in problem:
        problem += " (indent with spaces, not tabs)"
    elif problem == "mapping values are not allowed here":
        problem += " (check the indentation of this line, or quote a value that contains ': ')"
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return ScenarioError(name, line, column, "", f"invalid YAML: {problem}")


def source_from_text(text: str, name: str, base_dir: Path) -> Source:
    """Parse YAML text; syntax errors, duplicate keys and empty files become ScenarioErrors."""
    try:
        loader = BoundedLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, name) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        raise ScenarioError(name, line, column, "", f"invalid YAML: the special character "
                            f"U+{code:04X} is not allowed") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(name, None, None, "", f"invalid YAML: {exc}") from None
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, RecursionError) as exc:
        # a PyYAML corner the bounded loader does not locate: still a message, not a traceback
        raise ScenarioError(name, None, None, "", f"invalid YAML: {type(exc).__name__}: "
                            f"{str(exc)[:80]}") from None
    if node is None or data is None:
        raise ScenarioError(name, 1, 1, "", "the file is empty: expected a scenario mapping "
                            "with contact_types and agent_groups")
    values, keys, duplicates = {}, {}, []
    _walk(node, (), values, keys, duplicates)
    source = Source(name, data, values, keys, base_dir)
    if duplicates:
        path, key_node = duplicates[0]
        raise source.error(path, f"duplicate key {key_node.value!r}: each key may appear once",
                           key=True)
    return source


def load_source(path: str | Path) -> Source:
    """Read a scenario file; a missing or unreadable file is a ScenarioError too."""
    path = Path(path)
    try:
        text = read_text(path, LIMITS.yaml_bytes, "YAML")
    except FileNotFoundError:
        raise ScenarioError(str(path), None, None, "", "no such file") from None
    except TextFileError as exc:
        raise ScenarioError(str(path), exc.line, exc.column or (1 if exc.line else None), "",
                            exc.message) from None
    return source_from_text(text, str(path), path.parent)


def _type_name(value) -> str:
    if value is None:
        return "nothing (null)"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


class At:
    """A value of the scenario at a YAML path, with checked accessors that fail with a position."""

    def __init__(self, source: Source, path: tuple = (), value=None, root: bool = True):
        self.source, self.path = source, path
        self.value = source.data if root else value

    def child(self, key) -> "At":
        return At(self.source, self.path + (key,), self.value[key], root=False)

    def error(self, message: str, key: bool = False) -> ScenarioError:
        return self.source.error(self.path, message, key)

    def expected(self, what: str) -> ScenarioError:
        # shortened: a whole misplaced section would drown the message
        return self.error(f"expected {what} (got {_type_name(self.value)}: "
                          f"{shown(self.value)})")

    # --- structure -----------------------------------------------------------------------
    def mapping(self, allowed: tuple | None = None, required: tuple = ()) -> "At":
        """Check this is a mapping whose keys are known and complete (did-you-mean on typos)."""
        if not isinstance(self.value, dict):
            raise self.expected("a mapping")
        for key in self.value:
            if not isinstance(key, str):
                raise self.source.error(self.path + (key,), f"keys must be names (got {key!r})",
                                        key=True)
            if allowed is not None and key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                tip = f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(allowed)}"
                raise self.source.error(self.path + (key,), f"unknown key {key!r}{tip}", key=True)
        for key in required:
            if key not in self.value:
                raise self.error(f"missing required key {key!r}", key=True)
        return self

    def has(self, key) -> bool:
        return isinstance(self.value, dict) and key in self.value and self.value[key] is not None

    def items(self):
        for key in self.value:
            yield key, self.child(key)

    def sequence(self, min_length: int = 0) -> list["At"]:
        if not isinstance(self.value, list):
            raise self.expected("a list")
        if len(self.value) < min_length:
            raise self.error(f"expected at least {min_length} item(s) (got {len(self.value)})")
        return [self.child(i) for i in range(len(self.value))]

    # --- scalars -------------------------------------------------------------------------
    def string(self, choices: tuple | None = None, aliases: dict | None = None) -> str:
        """A text, one of ``choices`` if given; ``aliases`` (other words for a choice, e.g.
        "telefon" → "phone") suggest the choice when spelling alone would not."""
        if not isinstance(self.value, str):
            raise self.expected("a string" if not choices else f"one of {', '.join(choices)}")
        if choices is not None and self.value not in choices:
            alias = (aliases or {}).get(self.value.strip().lower())
            hint = [alias] if alias else difflib.get_close_matches(self.value, choices, n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            raise self.error(f"expected one of {', '.join(choices)} (got {self.value!r}){tip}")
        return self.value

    def number(self, low: float | None = None, high: float | None = None,
               strict_low: bool = False, integer: bool = False) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.expected("a whole number" if integer else "a number")
        try:
            finite = math.isfinite(value)
        except OverflowError:  # a whole number too large for a float
            finite = False
        if not finite:
            raise self.error(f"expected a finite number (got {shown(value)})")
        if integer and value != int(value):
            raise self.error(f"expected a whole number (got {value!r})")
        self._bounds(value, low, high, strict_low, str(value))
        return int(value) if integer else float(value)

    def duration(self, low: float | None = 0.0, strict_low: bool = False,
                 allow_inf: bool = False) -> float:
        try:
            seconds = parse_duration(self.value)
        except UnitError as exc:
            raise self.error(str(exc)) from None
        if math.isinf(seconds) and not allow_inf:
            raise self.error(f"must be a finite duration (got {self.value!r})")
        if math.isnan(seconds):
            raise self.error("expected a duration (got NaN)")
        self._bounds(seconds, low, None, strict_low, repr(self.value))
        return seconds

    def rate(self) -> float:
        try:
            value = parse_rate(self.value)
        except UnitError as exc:
            raise self.error(str(exc)) from None
        self._bounds(value, 0.0, None, False, repr(self.value))
        if math.isinf(value):
            raise self.error(f"must be a finite rate (got {self.value!r})")
        return value

    def _bounds(self, value, low, high, strict_low, shown):
        if math.isnan(value):
            raise self.error("expected a number (got NaN)")
        if low is not None and (value <= low if strict_low else value < low):
            raise self.error(f"must be {'>' if strict_low else '>='} {low:g} (got {shown})")
        if high is not None and value > high:
            raise self.error(f"must be <= {high:g} (got {shown})")
