"""Guess a person's work address: candidates from formats, ranked with calibrated confidences."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
from reachout.names import NameParts, parse_name
from reachout.patterns import FormatGroup, FormatTable, compile_template, group_formats, load_formats

Kind = Literal["personal", "role"]
# A candidate whose confidence rounds to nothing is noise, not a suggestion.
_MIN_CONFIDENCE = 0.0005
_MIN_PAIR_MASS = 0.0004


@dataclass(slots=True)
class Candidate:
    """One address to try, with the format behind it, a confidence and the reasons for it."""

    address: str
    pattern: str
    confidence: float
    kind: Kind = "personal"
    reasons: list[str] = field(default_factory=list)

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
    domain = company_domain(company, allow_private=allow_private)
    parts = parse_name(name, domain=domain, patterns=patterns)
    pairs = [_as_known(item, allow_private) for item in known]
    notices: list[str] = []
    if site_addresses:
        from_site, when = site_known(domain)
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
    personal = _rank_personal(parts, domain, scores, table, top)
    personal = _promote_exact_known(personal, parts, domain, pairs)[:top]
    candidates = personal
    if roles:
        inboxes = load_role_inboxes(patterns)
        candidates = personal + [_role_candidate(r, domain) for r in inboxes[: top or None]]
    notices += list(learned.notices) if learned else []
    return Guess(name=parts, domain=domain, candidates=candidates, learned=learned, notices=notices)


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
    share = 1 - table.unlisted
    if scores is None:
        with_middle, without_middle = table.groups
    else:
        weighted = [(compile_template(s.pattern), share * s.probability, tuple(s.support)) for s in scores]
        with_middle = group_formats(weighted, middle=True)
        without_middle = group_formats(weighted, middle=False)
    totals: dict[str, float] = {}
    contributions: list[tuple[str, FormatGroup, float, tuple[str, ...]]] = []
    for reading in parts.readings:
        weight = reading.weight
        for group in with_middle if reading.middle else without_middle:
            mass = group.mass * weight
            if mass < _MIN_PAIR_MASS:
                break  # groups are sorted by mass: the rest are smaller still
            local = group.fmt.render(reading)
            if local is not None:
                totals[local] = totals.get(local, 0.0) + mass
                contributions.append((local, group, weight, reading.notes))
    ranked = sorted([(-c, local) for local, c in totals.items()])[:top]
    kept = {local: -negative for negative, local in ranked if -negative >= _MIN_CONFIDENCE}
    # Reasons are built only for the candidates returned: most of a long tail is cut by --top.
    # A group's members spell this person alike: the group speaks for them under its main format.
    evidence: dict[str, list[tuple[str, float, tuple[str, ...], tuple[str, ...]]]] = {}
    for local, group, weight, notes in contributions:
        if local in kept:
            entry = (group.fmt.template, group.mass * weight, group.support, notes)
            evidence.setdefault(local, []).append(entry)
    return [
        _candidate(local, domain, confidence, evidence[local], table, learned=scores is not None)
        for local, confidence in kept.items()
    ]


def _candidate(
    local: str,
    domain: str,
    confidence: float,
    evidence: list[tuple[str, float, tuple[str, ...], tuple[str, ...]]],
    table: FormatTable,
    *,
    learned: bool,
) -> Candidate:
    if len(evidence) == 1:  # the usual case: one format, one reading
        template, _, support, reading_notes = evidence[0]
        reasons = _reasons(template, {template: confidence}, support, reading_notes, table,
                           learned=learned)
        return Candidate(f"{local}@{domain}", template, confidence, "personal", reasons)
    by_pattern: dict[str, float] = {}
    backers: set[str] = set()
    notes: list[str] = []
    for template, mass, support, reading_notes in evidence:
        by_pattern[template] = by_pattern.get(template, 0.0) + mass
        backers.update(support)
        notes += [n for n in reading_notes if n not in notes]
    pattern = max(by_pattern.items(), key=lambda kv: (kv[1], kv[0]))[0]
    reasons = _reasons(pattern, by_pattern, backers, notes, table, learned=learned)
    return Candidate(f"{local}@{domain}", pattern, confidence, "personal", reasons)


def _reasons(
    pattern: str,
    by_pattern: dict[str, float],
    backers: Iterable[str],
    notes: Sequence[str],
    table: FormatTable,
    *,
    learned: bool,
) -> list[str]:
    if pattern in table.prior_reasons:
        reasons = [table.prior_reasons[pattern]]
    else:
        reasons = [f"format {pattern}: learned from known addresses, listed nowhere"]
    backed = sorted(set(backers)) if backers else ()
    if backed:
        reasons.append("matches known " + ", ".join(backed))
    elif learned:
        reasons.append("no known address at this domain uses this format")
    if len(by_pattern) > 1:
        others = sorted((p for p in by_pattern if p != pattern), key=lambda p: -by_pattern[p])
        reasons.append("also produced by " + ", ".join(others[:3]))
    if notes:
        reasons += [f"name read with {note}" for note in notes[:2]]
    return reasons


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
            exact = Candidate(pair.address, "known", share, reasons=["given as a known address"])
            return [exact, *rest]
    return personal


def _role_candidate(inbox: RoleInbox, domain: str) -> Candidate:
    return Candidate(f"{inbox.local}@{domain}", inbox.local, inbox.share, "role", list(inbox.reasons))


def site_known(domain: str) -> tuple[list[KnownAddress], str | None]:
    """Named personal addresses the last saved brief of DOMAIN found on its site, and its date.

    A company's own pages are the best public evidence of its format; `reachout brief` keeps them.
    """
    import os

    from reachout.paths import ENV_HOME

    path = _brief_file(domain, os.environ.get(ENV_HOME))
    if not path:
        return [], None
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:  # no brief saved for this domain (the usual case)
        return [], None
    return _site_known_cached(path, stamp)


@functools.lru_cache(maxsize=1024)
def _brief_file(domain: str, home: str | None) -> str:
    """Where `reachout brief` saved DOMAIN's brief (see reachout.research.brief_path), or ""."""
    import os

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

