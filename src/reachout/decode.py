"""One total decoder for every answer a remote service sends.

A source's answer is input like any other: any shape, depth or size must become a note for that source,
never an exception that loses the run. Every JSON (XML, line-based text) body from Wikidata, Wikipedia,
the job boards, the feeds and the evidence sources is read here: decoded with a size and depth limit,
then checked against a declared shape that keeps only the fields the code needs. A value of the wrong
type inside a list or an optional field is left out (and counted in a note); a wrong top level raises
`BadAnswer`, which callers turn into that source's note.

    SEARCH = Obj({"search": List(Obj({"id": Str(pattern=r"Q\\d+"), "label": Str()}, required=("id",)))})
    doc = decode_json(body, SEARCH, source="Wikidata search", notes=notes)
    for hit in doc.get("search", []): ...   # every hit is a dict with a string id

The declared shapes are also what `tests/shapes.py` draws hostile answers from (Hypothesis).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reachout.errors import BadAnswer

MAX_DEPTH = 64  # deeper than any API reachout reads; Python's own parser gives up near 1,000
MAX_BYTES = 8 * 1024 * 1024  # the HTTP layer caps bodies lower; this guards callers that read files
_KEPT_PATHS = 3  # how many left-out places a note names


class _Mismatch(Exception):
    """A value is not of its declared shape (internal: becomes a left-out value or a BadAnswer)."""

    def __init__(self, path: str, expected: str, value: Any) -> None:
        super().__init__(f"{path or 'the answer'}: expected {expected}, got {_kind(value)}")
        self.path = path


@dataclass
class _Report:
    """Values left out while checking one answer: counted, and the first few places named."""

    count: int = 0
    places: list[str] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)  # lists longer than their max_items

    def left_out(self, problem: _Mismatch) -> None:
        self.count += 1
        if len(self.places) < _KEPT_PATHS:
            self.places.append(str(problem))

    def cut(self, path: str, kept: int, total: int) -> None:
        if len(self.cuts) < _KEPT_PATHS:
            self.cuts.append(f"kept the first {kept:,} of {total:,} items of {path or 'the answer'}")

    def take(self, other: _Report) -> None:
        self.count += other.count
        self.places.extend(other.places[: _KEPT_PATHS - len(self.places)])
        self.cuts.extend(other.cuts[: _KEPT_PATHS - len(self.cuts)])


class Shape:
    """A declared shape: `check` returns the value with only the declared parts, or raises _Mismatch."""

    expected = "a value"

    def check(self, value: Any, path: str, report: _Report) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Shape):
    """A string; `pattern` (full match, linear-time patterns only) and `max_len` narrow it."""

    pattern: str | None = None
    max_len: int | None = None
    expected = "a string"

    def check(self, value: Any, path: str, report: _Report) -> str:
        if not isinstance(value, str):
            raise _Mismatch(path, self.expected, value)
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise _Mismatch(path, f"a string like {self.pattern}", value)
        return value[: self.max_len] if self.max_len is not None else value


@dataclass(frozen=True)
class Int(Shape):
    """A whole number (not a boolean) within [lo, hi] when given."""

    lo: int | None = None
    hi: int | None = None
    expected = "a whole number"

    def check(self, value: Any, path: str, report: _Report) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Mismatch(path, self.expected, value)
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise _Mismatch(path, f"a number from {self.lo} to {self.hi}", value)
        return value


@dataclass(frozen=True)
class Num(Shape):
    """Any finite number (not a boolean; 1e999 reads as infinity, which is left out)."""

    expected = "a finite number"

    def check(self, value: Any, path: str, report: _Report) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _Mismatch(path, self.expected, value)
        return value


@dataclass(frozen=True)
class Bool(Shape):
    """true or false."""

    expected = "true or false"

    def check(self, value: Any, path: str, report: _Report) -> bool:
        if not isinstance(value, bool):
            raise _Mismatch(path, self.expected, value)
        return value


@dataclass(frozen=True)
class Scalar(Shape):
    """A string, number or boolean, as a string: for fields that services send either way (ids, counts)."""

    expected = "a string or number"

    def check(self, value: Any, path: str, report: _Report) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int) or (isinstance(value, float) and math.isfinite(value)):
            return str(value)
        raise _Mismatch(path, self.expected, value)


@dataclass(frozen=True)
class Anything(Shape):
    """Any JSON value, kept as it is (already bounded by the decoder's depth limit)."""

    expected = "any value"

    def check(self, value: Any, path: str, report: _Report) -> Any:
        return value


@dataclass(frozen=True)
class List(Shape):
    """A list whose items are ITEM; an item of another shape is left out. `max_items` keeps the first
    (and says so in the note)."""

    item: Shape
    max_items: int | None = None
    expected = "a list"

    def check(self, value: Any, path: str, report: _Report) -> list[Any]:
        if not isinstance(value, list):
            raise _Mismatch(path, self.expected, value)
        kept = []
        if self.max_items is not None and len(value) > self.max_items:
            report.cut(path, self.max_items, len(value))
        for index, raw in enumerate(value[: self.max_items] if self.max_items is not None else value):
            try:
                kept.append(self.item.check(raw, f"{path}[{index}]", report))
            except _Mismatch as problem:
                report.left_out(problem)
        return kept


@dataclass(frozen=True)
class Map(Shape):
    """An object used as a dictionary (any keys, or keys matching `key_pattern`) of VALUE."""

    value: Shape
    key_pattern: str | None = None
    expected = "an object"

    def check(self, value: Any, path: str, report: _Report) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Mismatch(path, self.expected, value)
        kept = {}
        for key, raw in value.items():
            place = f"{path}.{key}" if path else str(key)
            if self.key_pattern is not None and not re.fullmatch(self.key_pattern, key):
                report.left_out(_Mismatch(place, f"a key like {self.key_pattern}", key))
                continue
            try:
                kept[key] = self.value.check(raw, place, report)
            except _Mismatch as problem:
                report.left_out(problem)
        return kept


@dataclass(frozen=True)
class Obj(Shape):
    """An object with these fields; others are dropped. A missing or null optional field is absent from
    the result; an optional field of the wrong shape is left out; a required one makes the object wrong."""

    fields: Mapping[str, Shape]
    required: tuple[str, ...] = ()
    expected = "an object"

    def check(self, value: Any, path: str, report: _Report) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Mismatch(path, self.expected, value)
        kept = {}
        for name, shape in self.fields.items():
            place = f"{path}.{name}" if path else name
            raw = value.get(name)
            if raw is None:
                if name in self.required:
                    raise _Mismatch(place, shape.expected, raw)
                continue
            try:
                kept[name] = shape.check(raw, place, report)
            except _Mismatch as problem:
                if name in self.required:
                    raise
                report.left_out(problem)
        return kept


@dataclass(frozen=True)
class OneOf(Shape):
    """The first of SHAPES that fits (e.g. a string, or an object holding it)."""

    shapes: tuple[Shape, ...]
    expected = "one of several shapes"

    def __init__(self, *shapes: Shape) -> None:
        object.__setattr__(self, "shapes", shapes)

    def check(self, value: Any, path: str, report: _Report) -> Any:
        for shape in self.shapes:
            trial = _Report()
            try:
                result = shape.check(value, path, trial)
            except _Mismatch:
                continue
            report.take(trial)
            return result
        raise _Mismatch(path, " or ".join(s.expected for s in self.shapes), value)


def decode_json(
    body: str | bytes,
    shape: Shape,
    *,
    source: str,
    notes: list[str] | None = None,
    max_depth: int = MAX_DEPTH,
    max_bytes: int = MAX_BYTES,
) -> Any:
    """BODY read as JSON of SHAPE. Raises BadAnswer("SOURCE: …") when it is not JSON, too large or too
    deep, or its top level is not SHAPE; values left out below the top level are summed up in NOTES."""
    if len(body) > max_bytes:
        raise BadAnswer(f"{source}: the answer is larger than {max_bytes:,} bytes; not read")
    try:
        value = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise BadAnswer(f"{source}: the answer nests deeper than {max_depth} levels; not read") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an over-long integer
        raise BadAnswer(f"{source}: the answer is not valid JSON (cut short?): {_short(exc)}") from None
    if _depth(value) > max_depth:
        raise BadAnswer(f"{source}: the answer nests deeper than {max_depth} levels; not read")
    return check(value, shape, source=source, notes=notes)


def check(
    value: Any, shape: Shape, *, source: str, notes: list[str] | None = None,
    max_depth: int | None = None,
) -> Any:
    """VALUE (already decoded, e.g. a JSON-LD block) checked against SHAPE, as decode_json does;
    with MAX_DEPTH, a value nesting deeper is a BadAnswer too."""
    if max_depth is not None and _depth(value) > max_depth:
        raise BadAnswer(f"{source}: the answer nests deeper than {max_depth} levels; not read")
    report = _Report()
    try:
        result = shape.check(value, "", report)
    except _Mismatch as problem:
        raise BadAnswer(f"{source}: the answer is not in the documented shape ({problem})") from None
    if report.count and notes is not None:
        more = f" and {report.count - len(report.places)} more" if report.count > len(report.places) else ""
        notes.append(f"{source}: left out {report.count} value(s) not in the documented shape "
                     f"({'; '.join(report.places)}{more})")
    if report.cuts and notes is not None:
        notes.append(f"{source}: {'; '.join(report.cuts)} (a cap on what one answer may hold)")
    return result


def decode_text(
    body: str | bytes, *, source: str, max_bytes: int = MAX_BYTES, max_lines: int = 100_000,
) -> list[str]:
    """BODY's lines, for a line-based text answer (an HKP key index). Raises BadAnswer when it is
    too large, not UTF-8, or binary (a NUL byte); only the first MAX_LINES lines are kept."""
    if len(body) > max_bytes:
        raise BadAnswer(f"{source}: the answer is larger than {max_bytes:,} bytes; not read")
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise BadAnswer(f"{source}: the answer is not UTF-8 text: {_short(exc)}") from None
    if "\x00" in text:
        raise BadAnswer(f"{source}: the answer is binary, not text; not read")
    lines = text.splitlines()
    return lines[:max_lines]


def decode_xml(body: str | bytes, *, roots: set[str], source: str) -> Any:
    """BODY's root element (lxml), parsed without entities, network or huge-tree allowances (libxml2
    then stops at 256 levels). Raises BadAnswer when it is not XML or its root is not one of ROOTS."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise BadAnswer(f"{source}: the answer is not valid XML: {_short(exc)}") from None
    if root is None or etree.QName(root).localname not in roots:
        found = etree.QName(root).localname if root is not None else "nothing"
        raise BadAnswer(f"{source}: expected an XML <{'> or <'.join(sorted(roots))}>, got <{found}>")
    return root


def _depth(value: Any) -> int:
    """How deep VALUE nests, walked without recursion (linear in its size)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")  # RFC 8259 §6: no NaN or Infinity


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
