"""Address formats ({first}.{last}, {f}{last}…): loading them from patterns/, and rendering them."""

from __future__ import annotations

import bisect
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
# A (format, reading) pair whose share of all people is below this is noise: not rendered at all.
MIN_PAIR_MASS = 0.0004
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


def _local_expression(pieces: tuple[Piece, ...]) -> str:
    """PIECES' local part as a Python expression of the parts: one f-string, or two chosen by whether
    the person has a middle name ({m} and {middle} dropped with their separator when not)."""
    with_middle, without = _fstring(pieces), _fstring(_without_middle(pieces))
    if with_middle == without:
        return f"f{with_middle!r}"
    return f"(f{with_middle!r} if middle else f{without!r})"


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
    lines.append(f"    return checked({_local_expression(pieces)})")
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

    @functools.cached_property
    def group_sets(self) -> tuple[GroupSet, GroupSet]:
        """GROUPS ready to render: (for people with a middle name, for those without)."""
        with_middle, without_middle = self.groups
        priors = self.prior_reasons
        return (
            GroupSet.of(with_middle, priors, learned=False),
            GroupSet.of(without_middle, priors, learned=False),
        )


@dataclass(frozen=True, slots=True)
class FormatGroup:
    """Formats that spell a person alike ({first}.{m}.{last} is {first}.{last} without a middle
    name): rendered once, their shares added. MEMBERS keeps each (template, share, support)."""

    fmt: Format
    mass: float
    members: tuple[tuple[str, float, tuple[str, ...]], ...]
    support: tuple[str, ...] = ()  # every member's supporting known addresses


# add(reading, weight, totals, seen, again, offset), the guesser's inner loop for one reading: for each
# format group in mass order, it renders the reading's local part (None: the format does not apply)
# and adds group mass × WEIGHT to TOTALS[local], in group order. It notes where each local part came
# from as OFFSET + the group's index (the guesser makes OFFSET the reading's index << 16): in SEEN
# the first time, then as (local, where) appended to AGAIN for every later source.
Adder = Callable[[NameReading, float, dict[str, float], dict[str, int], list[tuple[str, int]], int], None]
MAX_GROUPS = 1 << 16  # the group index must fit below the reading index in `where`


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity: cheap cache keys
class GroupSet:
    """Format groups most common first, their masses, the reasons for each, and the compiled code
    that renders the first K of them for a reading and adds up their shares."""

    groups: tuple[FormatGroup, ...]
    masses: tuple[float, ...]
    reasons: tuple[tuple[str, ...], ...]
    templates: tuple[str, ...]
    learned: bool = False  # made for one domain's evidence, per guess: not worth compiling
    compiled: dict[int, Adder] = field(default_factory=dict, repr=False, compare=False)
    adders: dict[float, Adder] = field(default_factory=dict, repr=False, compare=False)  # by weight

    def count_for(self, weight: float) -> int:
        """How many groups a reading of WEIGHT pairs with: those whose share of it is not noise."""
        # Masses are sorted, largest first.
        return bisect.bisect_left(self.masses, True, key=lambda mass: mass * weight < MIN_PAIR_MASS)

    def adder_for(self, weight: float) -> Adder:
        """The adder for a reading of WEIGHT, cached by weight: readings' weights recur across names,
        so the guesser's loop finds it with one lookup in self.adders first."""
        code = self.adders.get(weight)
        if code is None:
            count = self.count_for(weight)
            code = self.adder(count)
            if len(self.adders) > 4096:
                self.adders.clear()
            self.adders[weight] = code
        return code

    def adder(self, count: int) -> Adder:
        """The adder of the first COUNT groups: compiled once per count for a table's sets, which
        every name uses; a plain loop for learned sets, which compiling would cost more than it saves."""
        code = self.compiled.get(count)
        if code is None:
            if self.learned:
                renders = tuple(g.fmt.render for g in self.groups[:count])
                code = functools.partial(_add_exactly, renders=renders, masses=self.masses[:count])
            else:
                code = compile_adder(self.templates[:count], self.masses[:count])
            self.compiled[count] = code
        return code

    @classmethod
    def of(cls, groups: list[FormatGroup], prior_reasons: dict[str, str], *, learned: bool) -> GroupSet:
        if len(groups) >= MAX_GROUPS:
            raise DataError(f"{len(groups)} address formats at once; reachout ranks up to {MAX_GROUPS - 1}.")
        return cls(
            tuple(groups),
            tuple(g.mass for g in groups),
            tuple(format_reasons(g.fmt.template, g.support, prior_reasons, learned=learned) for g in groups),
            tuple(g.fmt.template for g in groups),
            learned,
        )


def format_reasons(
    template: str, backers: tuple[str, ...], prior_reasons: dict[str, str], *, learned: bool
) -> tuple[str, ...]:
    """Why a format: its prior (or that known addresses taught it), and which known addresses back it."""
    first = prior_reasons.get(template) or f"format {template}: learned from known addresses, listed nowhere"
    if backers:
        return first, "matches known " + ", ".join(sorted(set(backers)))
    if learned:
        return first, "no known address at this domain uses this format"
    return (first,)


@functools.lru_cache(maxsize=1024)
def compile_adder(templates: tuple[str, ...], masses: tuple[float, ...]) -> Adder:
    """Straight-line code for TEMPLATES with their MASSES: the guesser's inner loop, unrolled.

    For a reading it renders each format (as Format.render does) and adds mass × weight to the local
    part's total, in format order, so the sums are those of a plain loop, bit for bit. Its checks are
    hoisted: when the parts are letters and digits with hyphens inside only (as the name parser makes
    them), a local part that starts and ends with required fields can only fail by length, and one
    length test per reading covers every format; other readings take the exact path.
    """
    formats = [compile_template(t) for t in templates]
    budget = 64 - max((_length_bound(fmt) for fmt in formats), default=0)
    lines = [
        "def add(r, w, t, seen, again, o):",
        "    first = r.first; middle = r.middle; last = r.last; f = r.f; m = r.m; l = r.l",
        f"    if len(first) + len(middle) + len(last) + len(f) > {budget} or not ("
        "(first.isalnum() or hyphenated(first)) and (last.isalnum() or hyphenated(last))"
        " and (f.isalnum() or hyphenated(f))):",
        "        return add_exactly(r, w, t, seen, again, o, exact, masses)",
    ]
    cuts = sorted({(v, c) for fmt in formats for kind, v, c in fmt.pieces if kind == "field" and c})
    lines += [f"    {v}_{c} = {v}[:{c}].rstrip('-')" for v, c in cuts]
    for i, (fmt, mass) in enumerate(zip(formats, masses, strict=True)):
        condition, local = _fast_expression(fmt, i)
        indent = "    "
        if condition:
            lines.append(f"    if {condition}:")
            indent = "        "
        lines.append(f"{indent}x = {local}")
        if not condition:
            lines.append(f"{indent}if x is not None:")
            indent += "    "
        lines += [
            f"{indent}if x in t:",
            f"{indent}    t[x] += {mass!r} * w",
            f"{indent}    again.append((x, o + {i}))",
            f"{indent}else:",
            f"{indent}    t[x] = {mass!r} * w",
            f"{indent}    seen[x] = o + {i}",
        ]
    namespace: dict[str, Any] = {
        "hyphenated": _hyphenated,
        "exact": tuple(fmt.render for fmt in formats),
        "masses": masses,
        "add_exactly": _add_exactly,
        **{f"render_{i}": fmt.render for i, fmt in enumerate(formats)},
    }
    source = "\n".join(lines)
    exec(compile(source, f"<adder of {len(formats)} formats>", "exec"), namespace)  # our own templates
    adder: Adder = namespace["add"]
    adder.__doc__ = source  # help(adder) shows the code it runs
    return adder


def _hyphenated(part: str) -> bool:
    """True for "" and parts such as jean-luc: letters and digits, hyphens inside only. Local parts
    built from these cannot start or end with a separator, cut or not."""
    return not part or (part[0] != "-" and part[-1] != "-" and part.replace("-", "").isalnum())


def _add_exactly(
    reading: NameReading,
    weight: float,
    totals: dict[str, float],
    seen: dict[str, int],
    again: list[tuple[str, int]],
    offset: int,
    renders: tuple[Callable[[NameReading], str | None], ...],
    masses: tuple[float, ...],
) -> None:
    """The adder's path for readings its hoisted checks do not cover: every format checked alone."""
    for i, (render, mass) in enumerate(zip(renders, masses, strict=True)):
        local = render(reading)
        if local is None:
            continue
        if local in totals:
            totals[local] += mass * weight
            again.append((local, offset + i))
        else:
            totals[local] = mass * weight
            seen[local] = offset + i


def _fast_expression(fmt: Format, index: int) -> tuple[str, str]:
    """(condition, local part) as Python expressions of the reading's parts, for readings within the
    length budget; no condition when the format's exact renderer must decide (it may give None)."""
    fields = [(value, cut) for kind, value, cut in fmt.pieces if kind == "field"]
    required = sorted({f"{v}_{c}" if c else v for v, c in fields if v in _REQUIRED})
    without_middle = _without_middle(fmt.pieces)
    ends = [*_ends(fmt.pieces), *_ends(without_middle)]
    if not required or not all(kind == "field" and value in _REQUIRED for kind, value, _ in ends):
        return "", f"render_{index}(r)"  # a literal or optional part at an end: the exact checks apply
    return " and ".join(required), _local_expression(fmt.pieces)


def _ends(pieces: tuple[Piece, ...]) -> list[Piece]:
    return [pieces[0], pieces[-1]] if pieces else []


def _length_bound(fmt: Format) -> int:
    """How much longer than len(first+middle+last+f) a local part of FMT can be."""
    counts = {"first": 0, "middle": 0, "last": 0, "f": 0}
    extra = 0
    for kind, value, _ in fmt.pieces:
        if kind == "lit":
            extra += len(value)
        elif value in counts:
            counts[value] += 1
        else:
            extra += 1  # {m} and {l} are one letter
    # A part used twice counts twice: charge the longest part for every repeat.
    repeats = sum(max(0, c - 1) for c in counts.values())
    return extra + repeats * 64


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
