"""Address formats ({first}.{last}, {f}{last}…): loading them from patterns/formats.toml, and rendering
a name reading with one."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, fields
from typing import Literal

from reachout.data import load_toml
from reachout.errors import DataError
from reachout.guessing.namedata import name_data, tld_of
from reachout.guessing.names import NameReading

Size = Literal["small", "medium", "large"]
SIZES: tuple[str, ...] = ("small", "medium", "large")

_FIELD = re.compile(r"\{(first|middle|mi|last2|last|f|m|l2|l)(?::(\d+))?\}")
# Fields a person may lack: a format that uses them drops them with one separator ({first}.{m}.{last}
# is {first}.{last} for someone with no middle name; {f}{last}{l2} is {f}{last} with one surname).
_OPTIONAL = frozenset({"middle", "m", "mi", "last2", "l2"})
_SEPARATORS = "._-"
# A dot-atom local part as corporate mail systems issue them (RFC 5322 §3.2.3, restricted to the
# characters real directories use): letters and digits at both ends, . _ - inside, never two dots
# together (is_valid_local_part checks that apart: a lookahead at every character took twice as long).
_LOCAL_PART = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")

Piece = tuple[str, str, int]  # ("lit", text, 0) or ("field", name, cut)


@dataclass(frozen=True)
class Format:
    """One address format and its prior: the share of domains whose main format it is."""

    template: str
    prior: float
    pieces: tuple[Piece, ...]
    listed: bool = True

    def render(self, reading: NameReading) -> str | None:
        """READING's local part in this format, or None when the person lacks a part it needs."""
        local = self.render_unchecked(reading)
        return local if local is not None and is_valid_local_part(local) else None

    def render_unchecked(self, reading: NameReading) -> str | None:
        """render's text before its check that mail systems take it: for a caller that checks it
        once for the many renders that give the same local part."""
        return self._assemble(reading, label=False)

    def label(self, reading: NameReading) -> str:
        """The template as it applies to READING: a part the person lacks is left out with its separator
        ({first}.{m}.{last} reads {first}.{last} for someone with no middle name)."""
        return self._assemble(reading, label=True) or self.template

    def _assemble(self, reading: NameReading, *, label: bool) -> str | None:
        """READING's parts (or, for LABEL, the fields that give them) joined by the format's literals;
        None when the person lacks a part the format needs."""
        out: list[str] = []
        drop_next_separator = False
        for kind, value, cut in self.pieces:
            if kind == "lit":
                if drop_next_separator and value in _SEPARATORS:
                    drop_next_separator = False
                    continue
                out.append(value)
                continue
            drop_next_separator = False
            text = getattr(reading, value)
            if cut:
                text = text[:cut].rstrip("-")
            if text:
                out.append("{" + value + (f":{cut}" if cut else "") + "}" if label else text)
            elif value not in _OPTIONAL:
                return None
            elif out and out[-1] in _SEPARATORS:
                out.pop()  # {first}.{m} → {first}
            else:
                drop_next_separator = True  # {m}.{last} → {last}
        return "".join(out)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(value for kind, value, _ in self.pieces if kind == "field")


@functools.lru_cache(maxsize=1024)
def compile_template(template: str, prior: float = 0.0, *, listed: bool = True) -> Format:
    """Parse TEMPLATE ({first}.{last}, {f}{last:7}, {first}.{last}.mp) into a Format."""
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
    return Format(template, prior, tuple(pieces), listed)


# A hyperparameter that may take several values, each with its prior probability: ((value, weight), …).
Grid = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class FormatTable:
    """Every listed format with its prior for one company size, plus the model's constants."""

    formats: tuple[Format, ...]
    unlisted: float
    main_share: Grid  # the share of a domain's people who follow its main format: the values it may take
    source: str
    custom_formats: float = 0.2  # the prior probability that a domain's format depends on the naming custom
    alias_likelihood: float = 0.02  # how likely an alias is to be this very address, against a format
    minority_temper: float = 0.5  # the minority's formats: the priors raised to this power, flatter
    minority_weight: float = 2.0  # how many addresses the minority's flattened priors are worth
    unlisted_weight: float = 3.0  # the weight of the prior unlisted share against known addresses
    # The prior standard deviation of the log-odds by which a domain moves an option of a naming
    # convention away from what its people's names alone say (guessing/learn.py's _log_odds_shift).
    convention_spread: float = 2.5

    @functools.cached_property
    def priors(self) -> dict[str, float]:
        return {fmt.template: fmt.prior for fmt in self.formats}

    @functools.cached_property
    def by_template(self) -> dict[str, Format]:
        return {fmt.template: fmt for fmt in self.formats}

    def __hash__(self) -> int:
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        # The table keys caches that every guess asks (learn.prior_shares): hashing its ~45 formats each
        # time cost 8 µs a guess. The fields' hash, as the generated __hash__ gives, once.
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    def prior_reason(self, template: str) -> str:
        return self._prior_reasons.get(template) or (
            f"format {template}: learned from known addresses, listed nowhere")

    @functools.cached_property
    def _prior_reasons(self) -> dict[str, str]:
        # Each guess gives ten candidates a reason: the listed formats' are written once.
        return {template: f"format {template}: main format at {prior:.1%} of domains ({self.source})"
                for template, prior in self.priors.items()}


def format_region(domain: str, patterns: str | None = None) -> str | None:
    """The naming custom of DOMAIN's country ("spanish" for .es, .com.mx), whose column of
    formats.toml (where a format has one) gives its priors there; None for other domains."""
    tld = tld_of(domain)
    return next((custom for custom, tlds in name_data(patterns).tlds.items() if tld in tlds), None)


@functools.lru_cache(maxsize=16)
def load_formats(size: str | None = None, patterns: str | None = None, region: str | None = None
                 ) -> FormatTable:
    """Formats from patterns/formats.toml with priors for SIZE (medium/None: the overall figures), or
    else for REGION (format_region) where formats.toml has a column for it."""
    if size is not None and size not in SIZES:
        raise DataError(f"Unknown company size {size!r}; use one of {', '.join(SIZES)}.")
    raw = load_toml("formats", patterns)
    entries = raw.get("format", [])
    if not entries:
        raise DataError("patterns/formats.toml lists no [[format]] entries.")
    column = size if size in {"small", "large"} else region or "prior"
    weights = {}
    for entry in entries:
        try:
            weights[entry["template"]] = float(entry.get(column, entry["prior"]))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"A [[format]] entry in formats.toml is malformed: {entry!r}.") from None
        if not 0 <= weights[entry["template"]] < math.inf:  # TOML reads nan, inf and negatives too
            raise DataError(f"The {column} of {entry['template']!r} in formats.toml must be a number of 0 "
                            "or more, such as 0.04.")
    total = sum(weights.values())
    if not total:
        raise DataError(f"Every {column} in formats.toml is 0; give the formats' shares, such as 0.4.")
    return FormatTable(
        formats=tuple(compile_template(t, w / total) for t, w in weights.items()),
        unlisted=_share(raw.get("unlisted", 0.1), "unlisted"),
        main_share=_grid(raw.get("main_share", 0.9), "main_share", below_one=True),
        source="patterns/formats.toml",
        custom_formats=_share(raw.get("custom_formats", 0.2), "custom_formats"),
        alias_likelihood=_share(raw.get("alias_likelihood", 0.02), "alias_likelihood"),
        minority_temper=_share(raw.get("minority_temper", 0.5), "minority_temper", one=True),
        minority_weight=_positive(raw.get("minority_weight", 2.0), "minority_weight"),
        unlisted_weight=_positive(raw.get("unlisted_weight", 3.0), "unlisted_weight"),
        convention_spread=_positive(raw.get("convention_spread", 2.5), "convention_spread"),
    )


# How far from 0, 1 and infinity a constant of the model may go before its logs and sums lose all
# precision (a weight of 1e308 overflows; an alias likelihood of 1e-320 divides by zero).
_TINY, _HUGE = 1e-6, 1e6


def _number(value: object) -> float:
    """VALUE as a float, or -1 (which no constant of the model accepts) when it is not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1.0


def _share(value: object, key: str, *, one: bool = False) -> float:
    """VALUE as a probability between 0 and 1, both excluded (ONE: 1 allowed), at least _TINY from each
    (the model takes logs and odds of it)."""
    share = _number(value)
    if not _TINY <= share <= (1.0 if one else 1 - _TINY):
        raise DataError(f"{key} in formats.toml must be a number between 0 and 1, such as 0.1.")
    return share


def _positive(value: object, key: str) -> float:
    """VALUE as a number from 1e-6 to 1e6."""
    number = _number(value)
    if not _TINY <= number <= _HUGE:
        raise DataError(f"{key} in formats.toml must be a positive number up to 1,000,000, such as 3.")
    return number


def _grid(value: object, key: str, *, below_one: bool = False) -> Grid:
    """A number, or a list of [value, prior weight] pairs, as a Grid whose weights sum to 1; BELOW_ONE:
    every value is a share, strictly between 0 and 1."""
    try:
        if isinstance(value, int | float):
            value = [[value, 1]]
        pairs = [(float(v), float(w)) for v, w in value]  # type: ignore[attr-defined]
        if any(v <= 0 or w < 0 or not math.isfinite(v * w) or (below_one and v >= 1) for v, w in pairs):
            raise ValueError
        pairs = [(v, w) for v, w in pairs if w > 0]  # a value with no prior weight is never chosen
        total = sum(w for _, w in pairs)
        if not pairs:
            raise ValueError
    except (TypeError, ValueError):
        raise DataError(
            f"{key} in formats.toml must be a {'share between 0 and 1' if below_one else 'positive number'} "
            "or a list of [value, weight] pairs."
        ) from None
    return tuple((v, w / total) for v, w in pairs)


def is_valid_local_part(local: str) -> bool:
    """True for a local part reachout would generate (a strict subset of RFC 5322 dot-atoms)."""
    return len(local) <= 64 and ".." not in local and _LOCAL_PART.fullmatch(local) is not None
