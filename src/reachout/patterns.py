"""Address formats ({first}.{last}, {f}{last}…): loading them from patterns/, and rendering them."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from reachout.data import load_toml
from reachout.errors import DataError
from reachout.names import NameReading

Size = Literal["small", "medium", "large"]
SIZES: tuple[str, ...] = ("small", "medium", "large")

_FIELD = re.compile(r"\{(first|middle|last|f|m|l)(?::(\d+))?\}")
_REQUIRED = frozenset({"first", "last", "f", "l"})
_SEPARATORS = "._-"
# A dot-atom local part as corporate mail systems issue them (RFC 5322 §3.2.3, restricted to the
# characters real directories use): letters, digits, and single . _ - inside.
_LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*(?<![._-])$|^[a-z0-9]$")

Piece = tuple[str, str, int]  # ("lit", text, 0) or ("field", name, cut)


@dataclass(frozen=True, slots=True)
class Format:
    """One address format, its prior share and how to render it."""

    template: str
    prior: float
    pieces: tuple[Piece, ...]
    render: Callable[[NameReading], str | None] = field(repr=False, compare=False)
    """The local part for a reading, or None when the person lacks a part the format needs."""
    listed: bool = True


def _checked(local: str) -> str | None:
    # Parts are [a-z0-9-] and never start or end with "-"; what is left to check is cheap.
    if not local or len(local) > 64 or local[0] in _SEPARATORS or local[-1] in _SEPARATORS:
        return None
    return local


def _without_middle(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The pieces for a person with no middle name: {m} and {middle} dropped with one separator."""
    out: list[Piece] = []
    skip_separator = False
    for piece in pieces:
        kind, value, _ = piece
        if kind == "field" and value in {"m", "middle"}:
            if out and out[-1][0] == "lit" and out[-1][1] in _SEPARATORS:
                out.pop()
            else:
                skip_separator = True
            continue
        if skip_separator and kind == "lit" and value in _SEPARATORS:
            skip_separator = False
            continue
        skip_separator = False
        out.append(piece)
    return tuple(out)


def _fstring(pieces: tuple[Piece, ...]) -> str:
    return "".join(
        value.replace("{", "{{").replace("}", "}}") if kind == "lit"
        else "{" + (f"{value}_{cut}" if cut else value) + "}"
        for kind, value, cut in pieces
    )


def _fast_renderer(pieces: tuple[Piece, ...]) -> Callable[[NameReading], str | None]:
    """Compile a format into one function of two f-strings (with and without a middle name):
    rendering runs for every format, reading and name, so it is the guesser's hot path."""
    fields = [(value, cut) for kind, value, cut in pieces if kind == "field"]
    names = {value for value, _ in fields}
    lines = ["def render(r):"]
    lines += [f"    {v} = r.{v}" for v in sorted(names | {"middle"})]
    required = sorted(names & _REQUIRED)
    for value, cut in fields:
        if cut:
            lines.append(f"    {value}_{cut} = {value}[:{cut}].rstrip('-')")
            if value in _REQUIRED:
                required.append(f"{value}_{cut}")
    if required:
        lines.append(f"    if not ({' and '.join(required)}): return None")
    with_middle, without = _fstring(pieces), _fstring(_without_middle(pieces))
    if with_middle == without:
        lines.append(f"    return checked(f{with_middle!r})")
    else:
        lines.append(f"    return checked(f{with_middle!r} if middle else f{without!r})")
    namespace: dict[str, Any] = {"checked": _checked}
    exec("\n".join(lines), namespace)  # source built from our own parsed template
    render: Callable[[NameReading], str | None] = namespace["render"]
    return render


@functools.lru_cache(maxsize=1024)
def compile_template(template: str, prior: float = 0.0, *, listed: bool = True) -> Format:
    """Parse TEMPLATE ({first}.{last}, {f}{last:7}, {first}.{last}.mp) into a renderable Format."""
    pieces: list[Piece] = []
    position = 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            pieces.append(("lit", template[position : match.start()], 0))
        pieces.append(("field", match.group(1), int(match.group(2) or 0)))
        position = match.end()
    if position < len(template):
        pieces.append(("lit", template[position:], 0))
    literal = "".join(value for kind, value, _ in pieces if kind == "lit")
    if "{" in literal or "}" in literal or not any(kind == "field" for kind, _, _ in pieces):
        raise DataError(f"Address format {template!r} is not valid; use fields such as {{first}}.")
    frozen = tuple(pieces)
    return Format(template, prior, frozen, _fast_renderer(frozen), listed)


@dataclass(frozen=True)
class FormatTable:
    """Every listed format with its prior for one company size, plus the model's two constants."""

    formats: tuple[Format, ...]
    unlisted: float
    concentration: float
    source: str

    @functools.cached_property
    def priors(self) -> dict[str, float]:
        return {fmt.template: fmt.prior for fmt in self.formats}

    @functools.cached_property
    def prior_reasons(self) -> dict[str, str]:
        return {
            fmt.template: f"format {fmt.template}: prior share {fmt.prior:.1%} ({self.source})"
            for fmt in self.formats
        }

    @functools.cached_property
    def weighted(self) -> list[tuple[Format, float, tuple[str, ...]]]:
        """(format, share of all people, no support) most common first: the no-evidence ranking."""
        share = 1 - self.unlisted
        ranked = sorted(self.formats, key=lambda fmt: (-fmt.prior, fmt.template))
        return [(fmt, share * fmt.prior, ()) for fmt in ranked]

    @functools.cached_property
    def groups(self) -> tuple[list[FormatGroup], list[FormatGroup]]:
        """The no-evidence ranking as groups: (for people with a middle name, for those without)."""
        return group_formats(self.weighted, middle=True), group_formats(self.weighted, middle=False)


@dataclass(frozen=True, slots=True)
class FormatGroup:
    """Formats that spell a person alike ({first}.{m}.{last} is {first}.{last} without a middle
    name): rendered once, their shares added. MEMBERS keeps each (template, share, support)."""

    fmt: Format
    mass: float
    members: tuple[tuple[str, float, tuple[str, ...]], ...]
    support: tuple[str, ...] = ()  # every member's supporting known addresses


@functools.lru_cache(maxsize=4096)
def _spelling_without_middle(fmt: Format) -> str:
    return _fstring(_without_middle(fmt.pieces))


def group_formats(
    weighted: list[tuple[Format, float, tuple[str, ...]]], *, middle: bool
) -> list[FormatGroup]:
    """Group WEIGHTED (format, share, support) entries that render alike, most common first."""
    groups: dict[str, list[tuple[Format, float, tuple[str, ...]]]] = {}
    for fmt, mass, support in weighted:
        key = _fstring(fmt.pieces) if middle else _spelling_without_middle(fmt)
        groups.setdefault(key, []).append((fmt, mass, support))
    out = [
        FormatGroup(
            fmt=max(entries, key=lambda e: e[1])[0],
            mass=sum(e[1] for e in entries),
            members=tuple((f.template, m, s) for f, m, s in entries),
            support=tuple(dict.fromkeys(a for _, _, s in entries for a in s)),
        )
        for entries in groups.values()
    ]
    out.sort(key=lambda g: (-g.mass, g.fmt.template))
    return out


@functools.lru_cache(maxsize=16)
def load_formats(size: str | None = None, patterns: str | None = None) -> FormatTable:
    """Formats from patterns/formats.toml with priors for SIZE (medium/None: the overall figures)."""
    if size is not None and size not in SIZES:
        raise DataError(f"Unknown company size {size!r}; use one of {', '.join(SIZES)}.")
    raw = load_toml("formats", patterns)
    entries = raw.get("format", [])
    if not entries:
        raise DataError("patterns/formats.toml lists no [[format]] entries.")
    column = size if size in {"small", "large"} else "prior"
    weights = {}
    for entry in entries:
        try:
            weights[entry["template"]] = float(entry.get(column, entry["prior"]))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"A [[format]] entry in formats.toml is malformed: {entry!r}.") from None
    total = sum(weights.values())
    formats = tuple(compile_template(t, w / total) for t, w in weights.items())
    return FormatTable(
        formats=formats,
        unlisted=float(raw.get("unlisted", 0.1)),
        concentration=float(raw.get("concentration", 0.3)),
        source="patterns/formats.toml",
    )


def is_valid_local_part(local: str) -> bool:
    """True for a local part reachout would generate (a strict subset of RFC 5322 dot-atoms)."""
    return len(local) <= 64 and bool(_LOCAL_PART.match(local))
