"""Guess a person's work address: candidates from formats, ranked with calibrated confidences."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import starmap
from typing import Any, Literal

from reachout.data import load_toml
from reachout.domains import company_domain
from reachout.errors import BadInput, DataError
from reachout.learn import (
    DomainFormat,
    KnownAddress,
    apply_conventions,
    infer_domain_format,
    parse_known,
)
from reachout.names import NameParts, NameReading, parse_name
from reachout.paths import ENV_HOME
from reachout.patterns import (
    MAX_GROUPS,
    FormatTable,
    GroupSet,
    compile_template,
    format_reasons,
    group_formats,
    load_formats,
)

Kind = Literal["personal", "role"]
# A candidate whose confidence rounds to nothing is noise, not a suggestion.
_MIN_CONFIDENCE = 0.0005


@dataclass(slots=True)
class Candidate:
    """One address to try, with the format behind it, a confidence and the reasons for it."""

    address: str
    pattern: str
    confidence: float
    kind: Kind = "personal"
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "pattern": self.pattern,
            "confidence": round(self.confidence, 4),
            "kind": self.kind,
            "reasons": list(self.reasons),
        }


@dataclass
class Guess:
    """The answer to 'what is NAME's address at DOMAIN?': personal candidates best first, then roles."""

    name: NameParts
    domain: str
    candidates: list[Candidate]
    learned: DomainFormat | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def personal(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "personal"]

    @property
    def roles(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "role"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.to_dict(),
            "domain": self.domain,
            "candidates": [c.to_dict() for c in self.candidates],
            "learned": self.learned.to_dict() if self.learned else None,
            "notices": list(self.notices),
        }


@dataclass(frozen=True)
class RoleInbox:
    local: str
    share: float
    use: str

    @functools.cached_property
    def reasons(self) -> tuple[str, ...]:
        return (
            f"generic inbox: {self.use}",
            f"about {self.share:.0%} of companies run it (rough estimate, not measured)",
        )


@functools.lru_cache(maxsize=8)
def load_role_inboxes(patterns: str | None = None) -> tuple[RoleInbox, ...]:
    """The generic hiring inboxes of patterns/role_inboxes.toml, most common first."""
    raw = load_toml("role_inboxes", patterns)
    try:
        inboxes = [RoleInbox(e["local"], float(e["share"]), e.get("use", "")) for e in raw["inbox"]]
    except (KeyError, TypeError, ValueError):
        raise DataError(
            "patterns/role_inboxes.toml is malformed: each [[inbox]] needs local and share."
        ) from None
    return tuple(sorted(inboxes, key=lambda r: (-r.share, r.local)))


def guess(
    name: str,
    company: str,
    *,
    known: Iterable[KnownAddress | str | tuple[str, str]] = (),
    size: str | None = None,
    top: int | None = None,
    roles: bool = True,
    patterns: str | None = None,
    allow_private: bool = False,
    site_addresses: bool = True,
) -> Guess:
    """Rank candidate addresses for NAME at COMPANY (a domain, URL or address).

    ALLOW_PRIVATE accepts special-use names such as .test (for test setups only: they take no mail).
    """
    if top is not None and top < 1:
        raise BadInput(f"top must be at least 1 (got {top}); None keeps every candidate.")
    domain = company_domain(company, allow_private=allow_private)
    parts = parse_name(name, domain=domain, patterns=patterns)
    pairs = [_as_known(item, allow_private) for item in known] if known else []
    notices: list[str] = []
    from_site, when = site_known(domain) if site_addresses else ([], None)
    if from_site:
        given = {pair.address for pair in pairs}
        extra = [pair for pair in from_site if pair.address not in given]
        if extra:
            pairs += extra
            notices.append(
                f"Also learned from {len(extra)} address(es) that `reachout brief` found on {domain}'s "
                f"site ({when or 'date unknown'}); --no-site-addresses ignores them."
            )
    table = load_formats(size, patterns)
    learned = infer_domain_format(domain, pairs, table=table, patterns=patterns) if pairs else None
    scores = learned.formats if learned else None
    if learned and learned.conventions:
        parts = apply_conventions(parts, learned.conventions)
    candidates = _rank_personal(parts, domain, scores, table, top)
    if pairs:
        candidates = _promote_exact_known(candidates, parts, domain, pairs)[:top]
    if roles:
        candidates += starmap(Candidate, _role_rows(domain, patterns)[: top or None])
    if learned:
        notices += learned.notices
    return Guess(parts, domain, candidates, learned, notices)


def _as_known(item: KnownAddress | str | tuple[str, str], allow_private: bool) -> KnownAddress:
    if isinstance(item, KnownAddress):
        return item
    if isinstance(item, str):
        return parse_known(item, allow_private=allow_private)
    return parse_known(f"{item[0]} <{item[1]}>", allow_private=allow_private)


def _rank_personal(
    parts: NameParts,
    domain: str,
    scores: Sequence[Any] | None,
    table: FormatTable,
    top: int | None,
) -> list[Candidate]:
    if scores is None:
        with_middle, without_middle = table.group_sets
    else:
        share = 1 - table.unlisted
        weighted = [(compile_template(s.pattern), share * s.probability, tuple(s.support)) for s in scores]
        priors = table.prior_reasons
        with_middle = GroupSet.of(group_formats(weighted, middle=True), priors, learned=True)
        without_middle = GroupSet.of(group_formats(weighted, middle=False), priors, learned=True)
    totals: dict[str, float] = {}  # local part → its share of all people
    seen: dict[str, int] = {}  # local part → where it first came from (see _GROUP_BITS)
    again: list[tuple[str, int]] = []  # (local part, where) for each later source of a local part
    used: list[tuple[NameReading, GroupSet]] = []
    for reading in parts.readings:
        groups = with_middle if reading.middle else without_middle
        weight = reading.weight
        add = groups.adders.get(weight) or groups.adder_for(weight)
        add(reading, weight, totals, seen, again, len(used) << _GROUP_BITS)
        used.append((reading, groups))
    learned = scores is not None
    return _candidates(_best(totals, top), totals, seen, again, used, domain, table, learned=learned)


# The adder notes where a local part came from as one int: reading index << 16 | group index.
_GROUP_BITS = MAX_GROUPS.bit_length() - 1
_GROUP_MASK = MAX_GROUPS - 1


def _candidates(
    kept: list[str],
    totals: dict[str, float],
    seen: dict[str, int],
    again: list[tuple[str, int]],
    used: list[tuple[NameReading, GroupSet]],
    domain: str,
    table: FormatTable,
    *,
    learned: bool,
) -> list[Candidate]:
    """The KEPT local parts (best first) as candidates, each with its share in TOTALS and the format and
    reasons of where it came from.

    Reasons are built only for the candidates returned: most of a long tail is cut by --top. A group's
    members spell this person alike: the group speaks for them under its main format.
    """
    more: dict[str, tuple[int, ...]] = {}  # local part → every place it came from, when several
    for local, where in again:  # a few entries; KEPT is a short list
        if local in more:
            more[local] += (where,)
        elif local in kept:
            more[local] = (seen[local], where)
    out = []
    readings_key = None
    for local in kept:
        confidence = totals[local]
        if local not in more:  # the usual case: one format, one reading
            where = seen[local]
            reading, groups = used[where >> _GROUP_BITS]
            i = where & _GROUP_MASK
            reasons = groups.reasons[i] + _note_reasons(reading.notes) if reading.notes else groups.reasons[i]
            out.append(Candidate(f"{local}@{domain}", groups.templates[i], confidence, "personal", reasons))
            continue
        # Several formats or readings make this local part: it is named after the one with most mass.
        wheres = more[local]
        if learned:  # group sets made for one domain's evidence: nothing to share with other names
            pattern, reasons = _combine(_sources(wheres, used), table, learned)
        else:
            # The same few combinations recur across names ({f}{last} and {f}{last:7} for every short
            # surname): their pattern and reasons are kept, keyed by all they are computed from, the
            # places and each reading's weight, notes and group set. A group set stands for its table
            # (so the company size); the key keeps it alive, so its identity is never reused.
            if readings_key is None:
                readings_key = tuple([(groups, reading.weight, reading.notes) for reading, groups in used])
            key = (wheres, readings_key)
            known = _COMBINED.get(key)
            if known is None:
                known = _combine(_sources(wheres, used), table, learned)
                if len(_COMBINED) > 4096:
                    _COMBINED.clear()
                _COMBINED[key] = known
            pattern, reasons = known
        out.append(Candidate(f"{local}@{domain}", pattern, confidence, "personal", reasons))
    return out


_Source = tuple[NameReading, GroupSet, int]  # a reading, its format groups, and one group's index
_COMBINED: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}


def _sources(wheres: tuple[int, ...], used: list[tuple[NameReading, GroupSet]]) -> list[_Source]:
    return [(*used[where >> _GROUP_BITS], where & _GROUP_MASK) for where in wheres]


def _best(totals: dict[str, float], top: int | None) -> list[str]:
    """The TOP local parts by share, equal shares in address order (deterministic output), without
    those whose share rounds to nothing."""
    ranked = sorted(totals, key=totals.__getitem__, reverse=True)
    if top is not None and top < len(ranked):
        # Only the head needs the tie order: take it, with whatever ties its last place.
        last = totals[ranked[top - 1]]
        end = top
        while end < len(ranked) and totals[ranked[end]] == last:
            end += 1
        ranked = ranked[:end]
    ranked.sort()
    ranked.sort(key=totals.__getitem__, reverse=True)  # stable: ties stay in address order
    if top is not None:
        del ranked[top:]
    while ranked and totals[ranked[-1]] < _MIN_CONFIDENCE:
        ranked.pop()
    return ranked


def _combine(found: list[_Source], table: FormatTable, learned: bool) -> tuple[str, tuple[str, ...]]:
    """The pattern and reasons of a local part with several sources: the format with most mass."""
    notes: list[str] = []
    for reading, _, _ in found:
        notes += [n for n in reading.notes if n not in notes]
    read_with = _note_reasons(tuple(notes))
    _, groups, i = found[0]
    if all(other_groups is groups and j == i for _, other_groups, j in found[1:]):
        # One format, several readings (Jürgen and Juergen are both j.smith): that format's reasons.
        return groups.templates[i], (*groups.reasons[i], *read_with)
    by_pattern: dict[str, float] = {}
    backers: set[str] = set()
    for reading, groups, i in found:
        group = groups.groups[i]
        by_pattern[group.fmt.template] = by_pattern.get(group.fmt.template, 0.0) + group.mass * reading.weight
        backers.update(group.support)
    pattern = max(by_pattern.items(), key=lambda kv: (kv[1], kv[0]))[0]
    reasons = [*format_reasons(pattern, tuple(backers), table.prior_reasons, learned=learned)]
    if len(by_pattern) > 1:
        others = sorted((p for p in by_pattern if p != pattern), key=lambda p: -by_pattern[p])
        reasons.append("also produced by " + ", ".join(others[:3]))
    return pattern, (*reasons, *read_with)


@functools.lru_cache(maxsize=1024)
def _note_reasons(notes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"name read with {note}" for note in notes[:2])


def _promote_exact_known(
    personal: list[Candidate], parts: NameParts, domain: str, pairs: list[KnownAddress]
) -> list[Candidate]:
    """If the person asked about is among the known addresses, that address is the answer."""
    wanted = {(r.first, r.last) for r in parts.readings[:1]}
    for pair in pairs:
        if pair.domain != domain:
            continue
        try:
            theirs = parse_name(pair.name, domain=domain)
        except BadInput:  # an unparsable known name was already reported
            continue
        if (theirs.best.first, theirs.best.last) in wanted:
            share = 0.95
            rest = [c for c in personal if c.address != pair.address]
            for c in rest:
                c.confidence *= 1 - share
            exact = Candidate(pair.address, "known", share, reasons=("given as a known address",))
            return [exact, *rest]
    return personal


_RoleRow = tuple[str, str, float, Kind, tuple[str, ...]]  # a role Candidate's fields, in order


@functools.lru_cache(maxsize=256)
def _role_rows(domain: str, patterns: str | None) -> tuple[_RoleRow, ...]:
    """Candidate fields of DOMAIN's generic inboxes: the same for every name asked about.

    Each guess makes its own role candidates from them (a Candidate is mutable: none is shared).
    """
    return tuple(
        (f"{inbox.local}@{domain}", inbox.local, inbox.share, "role", inbox.reasons)
        for inbox in load_role_inboxes(patterns)
    )


def site_known(domain: str) -> tuple[list[KnownAddress], str | None]:
    """Named personal addresses the last saved brief of DOMAIN found on its site, and its date.

    A company's own pages are the best public evidence of its format; `reachout brief` keeps them.
    Where the brief would be (REACHOUT_HOME) and whether it is there are looked up at most once a
    second per domain: a batch asks for every row; the system call cost a fifth of a guess, and the
    lookup of an unset environment variable (a KeyError raised and caught) another 7 %. A brief saved
    in this process is seen at once (see save_brief), and forget_site_checks() makes a change of
    REACHOUT_HOME seen at once too.
    """
    now = time.monotonic()
    checked = _SITE_CHECKS.get(domain)
    if checked is None or now - checked[0] > _SITE_RECHECK:
        path = _brief_file(domain, os.environ.get(ENV_HOME))
        try:
            stamp: int | None = os.stat(path).st_mtime_ns if path else None
        except OSError:  # no brief saved for this domain (the usual case)
            stamp = None
        if len(_SITE_CHECKS) > 4096:
            _SITE_CHECKS.clear()
        _SITE_CHECKS[domain] = checked = (now, path, stamp)
    _, path, stamp = checked
    if stamp is None:
        return [], None
    return _site_known_cached(path, stamp)


_SITE_RECHECK = 1.0  # seconds
# domain → (when looked, its brief file, the file's mtime or None)
_SITE_CHECKS: dict[str, tuple[float, str, int | None]] = {}


def forget_site_checks() -> None:
    """Look for saved briefs afresh: called when this process saves one or changes REACHOUT_HOME."""
    _SITE_CHECKS.clear()


@functools.lru_cache(maxsize=1024)
def _brief_file(domain: str, home: str | None) -> str:
    """Where `reachout brief` saved DOMAIN's brief (see reachout.research.brief_path), or ""."""
    from reachout.domains import to_ascii

    if home is None:
        import platformdirs

        home = platformdirs.user_data_dir("reachout", appauthor=False)
    try:
        return os.path.join(os.path.expanduser(home), "briefs", f"{to_ascii(domain)}.json")
    except BadInput:
        return ""


@functools.lru_cache(maxsize=256)
def _site_known_cached(path: str, stamp: int) -> tuple[list[KnownAddress], str | None]:
    import json

    from reachout.learn import normalize_address

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return [], None
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("reachout.brief/"):
        return [], None
    pairs = []
    for item in data.get("addresses") or []:
        if not isinstance(item, dict) or item.get("kind") != "personal" or not item.get("person"):
            continue
        try:
            address = normalize_address(str(item.get("address", "")), allow_private=True)
        except BadInput:
            continue
        pairs.append(KnownAddress(str(item["person"]), address))
    generated = data.get("generated_at")
    return pairs, str(generated)[:10] if generated else None

