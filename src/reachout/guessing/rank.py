"""Guess a person's work address: candidates from formats × readings, ranked by their share of people."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from reachout.data import load_toml
from reachout.domains import mail_domain
from reachout.errors import BadInput, DataError
from reachout.guessing.formats import (
    Format,
    FormatTable,
    compile_template,
    format_region,
    is_valid_local_part,
    load_formats,
)
from reachout.guessing.known import KnownAddress, read_known
from reachout.guessing.learn import (
    DomainFormat,
    apply_conventions,
    infer_domain_format,
    naming_custom,
    prior_shares,
)
from reachout.guessing.namedata import name_data
from reachout.guessing.names import NameParts, NameReading, likeliest, parse_name
from reachout.guessing.spelling import spell, spelling_reliability

Kind = Literal["personal", "role"]
# A candidate whose confidence rounds to nothing is noise, not a suggestion.
_MIN_CONFIDENCE = 0.0005
# A (format, reading) pair whose share of all people is below this is not rendered at all.
_MIN_PAIR_MASS = 0.0004
# The share of a known address given by the user that is the very person asked about: the rest allows
# for old aliases. A gathered one's share is scaled by its weight.
_EXACT_KNOWN_SHARE = 0.95


@dataclass
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
    # How many known addresses came from where: "given" (the user's), "site" (a saved brief) and each
    # public-evidence source ("github", "mailarchive"…).
    sources: dict[str, int] = field(default_factory=dict)

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
            "sources": dict(self.sources),
        }


@dataclass(frozen=True)
class RoleInbox:
    local: str
    share: float
    use: str

    @functools.cached_property  # every guess lists every inbox: format its reasons once
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
    site_addresses: bool = False,
    public_evidence: bool = False,
) -> Guess:
    """Rank candidate addresses for NAME at COMPANY (a domain, URL or address).

    KNOWN are addresses of other people there ('Alice Smith <asmith@acme.com>', (name, address) or
    KnownAddress); one that cannot be read becomes a notice. SITE_ADDRESSES also learns from the named
    addresses the last saved `reachout brief` of the domain found, PUBLIC_EVIDENCE from the domain's
    saved `reachout evidence` (each counting less than one KNOWN address). ALLOW_PRIVATE accepts special-use
    names such as .test (for test setups only: they take no mail).
    """
    if top is not None and top < 1:
        raise BadInput(f"top must be at least 1 (got {top}); None keeps every candidate.")
    chosen = mail_domain(company, allow_private=allow_private)
    domain = chosen.domain
    # Every reading, however unlikely, until the domain's conventions have weighed them: a reading of
    # 0.1 % may be the way this domain writes names.
    parts = parse_name(name, domain=domain, patterns=patterns, complete=True)
    pairs, notices = read_known(known, allow_private=allow_private)
    notices += [f"{name!r}: {gap}." for gap in parts.gaps]
    sources = {"given": len(pairs)}
    if chosen.reason:
        notices.insert(0, f"Guessing at {domain}: {chosen.reason}.")
    if chosen.warning:
        notices.insert(0, f"{chosen.warning} The addresses below are guessed at {domain} as typed.")
    if site_addresses:
        from reachout.guessing.site import saved_site_addresses

        from_site, site_notice = saved_site_addresses(domain, exclude={p.address for p in pairs})
        pairs += from_site
        notices += [site_notice] if site_notice else []
        sources["site"] = len(from_site)
    if public_evidence:
        from reachout.guessing.site import saved_public_evidence

        gathered, evidence_notice, counts = saved_public_evidence(
            domain, exclude={p.address for p in pairs})
        pairs += gathered
        notices += [evidence_notice] if evidence_notice else []
        for source, count in counts.items():
            sources[source] = sources.get(source, 0) + count
    table = load_formats(size, patterns, format_region(domain, patterns))
    learned = learn_domain(domain, tuple(pairs), size, patterns) if pairs else None
    if learned:
        parts = apply_conventions(parts, learned.shifts, learned.listed_order)
        notices += learned.notices
    parts = likeliest(parts)
    script, reliability = spelling_reliability(parts.original, name_data(patterns))
    if reliability < 1:
        written = script.upper() if len(script) <= 3 else script.title()  # CJK, Arabic
        notices.append(
            f"{parts.original!r} is written in {written} script, which is spelt in Latin letters several "
            f"ways: the confidences allow for that ({reliability:.0%} of a Latin-script name's)."
        )
    candidates = rank_personal(parts, domain, table, learned, reliability,
                               custom=naming_custom(parts, patterns) if learned else "", top=top)
    if pairs:
        candidates = _promote_exact_known(candidates, parts, domain, pairs, patterns)
    candidates = candidates[:top]
    if roles:
        candidates += role_candidates(domain, patterns)[: top or None]
    return Guess(parts, domain, candidates, learned, notices, {k: v for k, v in sources.items() if v})


@functools.lru_cache(maxsize=256)
def learn_domain(
    domain: str, pairs: tuple[KnownAddress, ...], size: str | None, patterns: str | None
) -> DomainFormat:
    """What PAIRS say about DOMAIN, kept for the next name: a batch asks it once per row of a domain.

    The result is shared between guesses: read it, never change it.
    """
    table = load_formats(size, patterns, format_region(domain, patterns))
    return infer_domain_format(domain, pairs, table=table, patterns=patterns)


def rank_personal(
    parts: NameParts, domain: str, table: FormatTable, learned: DomainFormat | None, reliability: float = 1.0,
    *, custom: str = "", top: int | None = None,
) -> list[Candidate]:
    """Every local part the formats make of the name's readings (the TOP likeliest, or all), with its
    share of all people: the sum over (format, reading) pairs of format share × reading weight, less
    the unlisted share. CUSTOM is the name's naming custom, for a domain that learned a format per
    custom."""
    if learned:
        ordered, unlisted = _by_share(*learned.shares(custom), table)
    else:
        ordered, unlisted = _prior_by_share(table)
    scale = (1 - unlisted) * reliability
    totals: dict[str, float] = {}
    sources: dict[str, list[tuple[float, Format, NameReading]]] = {}
    for fmt, share in ordered:
        for reading in parts.readings:
            mass = scale * share * reading.weight
            if mass < _MIN_PAIR_MASS:
                break  # readings are heaviest first: the rest are lighter still
            local = fmt.render_unchecked(reading)
            if local is None:
                continue
            # Checked once per name: four in ten renders give a local part another format or reading gave.
            if local not in totals and (len(local) < 2 or not is_valid_local_part(local)):
                continue  # a lone initial ("J. Smith" in {first}) is no mailbox
            totals[local] = totals.get(local, 0.0) + mass
            sources.setdefault(local, []).append((mass, fmt, reading))
    ranked = sorted(totals, key=lambda local: (-totals[local], local))[:top]
    return [
        _candidate(local, domain, totals[local], sources[local], table, learned)
        for local in ranked
        if totals[local] >= _MIN_CONFIDENCE
    ]


def _by_share(shares: dict[str, float], unlisted: float, table: FormatTable
              ) -> tuple[tuple[tuple[Format, float], ...], float]:
    """SHARES as (format, share) pairs, the largest share first, and UNLISTED."""
    ordered = sorted(shares.items(), key=lambda kv: -kv[1])
    # A template the table lacks is a novel format learned from known addresses.
    return tuple((table.by_template.get(t) or compile_template(t, listed=False), share)
                 for t, share in ordered), unlisted


@functools.lru_cache(maxsize=16)
def _prior_by_share(table: FormatTable) -> tuple[tuple[tuple[Format, float], ...], float]:
    """The prior shares in order: the same for every name guessed at a domain with nothing known."""
    return _by_share(*prior_shares(table), table)


def _candidate(
    local: str,
    domain: str,
    confidence: float,
    sources: list[tuple[float, Format, NameReading]],
    table: FormatTable,
    learned: DomainFormat | None,
) -> Candidate:
    """A local part as a candidate: named after the format that gives it most (as it applies to the
    person: {first}.{m}.{last} is {first}.{last} without a middle name), with its reasons."""
    by_format: dict[str, float] = {}
    formats: dict[str, Format] = {}
    for mass, fmt, _ in sources:
        by_format[fmt.template] = by_format.get(fmt.template, 0.0) + mass
        formats[fmt.template] = fmt
    pattern = max(by_format, key=lambda t: (by_format[t], t))
    reading = max(sources, key=lambda s: s[0])[2]
    reasons = [table.prior_reason(pattern)]
    if learned:
        support = next((s.support for s in learned.formats if s.pattern == pattern), [])
        if support:
            reasons.append("matches known " + ", ".join(sorted(set(support))))
        else:
            reasons.append("no known address at this domain uses this format")
        if learned.numbered:  # a namesake's number is unguessable, but the domain adds them
            reasons.append(f"a number may follow: {len(learned.numbered)} of {learned.evidence} known "
                           f"addresses carry one ({', '.join(learned.numbered[:2])})")
    # Formats that only add a sliver (a two-surname format falling back for a one-surname name) are noise.
    others = sorted((t for t in by_format if t != pattern and by_format[t] >= 0.1 * by_format[pattern]),
                    key=lambda t: -by_format[t])
    if others:
        reasons.append("also produced by " + ", ".join(others[:3]))
    reasons += [f"name read with {note}" for note in reading.notes[:2]]
    label = formats[pattern].label(reading)
    return Candidate(f"{local}@{domain}", label, confidence, "personal", tuple(reasons))


def _promote_exact_known(
    personal: list[Candidate], parts: NameParts, domain: str, pairs: list[KnownAddress], patterns: str | None
) -> list[Candidate]:
    """If the person asked about is among the known addresses, that address is the answer.

    The same person means the same name words, in any order (John A. Smith is not John B. Smith; María
    García López is not María García Ruiz), whatever the domain's conventions did to the readings.
    """
    wanted = _name_words(parts)
    for pair in pairs:
        if pair.domain != domain:
            continue
        try:
            theirs = parse_name(pair.name, domain=domain, patterns=patterns)
        except BadInput:  # an unparsable known name was already reported
            continue
        if _name_words(theirs) == wanted:
            # Gathered evidence counts less (an old mailing-list address, a keyserver entry): so does
            # its claim to be the person's address now.
            share = _EXACT_KNOWN_SHARE * min(1.0, pair.weight)
            rest = [c for c in personal if c.address != pair.address]
            for c in rest:
                c.confidence *= 1 - share
            exact = Candidate(pair.address, "known", share, reasons=(_known_reason(pair),))
            return sorted([exact, *rest], key=lambda c: -c.confidence)
    return personal


def _known_reason(pair: KnownAddress) -> str:
    """Where the person's own address came from: the user, the saved brief or public evidence."""
    if pair.source == "given":
        return "given as a known address"
    if pair.source == "site":
        return "their address on the company's site (saved brief)"
    return f"their public address ({pair.source}, saved evidence)"


def _name_words(parts: NameParts) -> frozenset[str]:
    """The words of a name as reachout spells them, titles and suffixes aside."""
    text = " ".join([parts.given, parts.middle, parts.family])
    return frozenset(spelt for word in text.replace("-", " ").split() if (spelt := spell(word)))


def role_candidates(domain: str, patterns: str | None = None) -> list[Candidate]:
    """DOMAIN's generic hiring inboxes (careers@, jobs@…) as role candidates, most common first."""
    return [
        Candidate(f"{inbox.local}@{domain}", inbox.local, inbox.share, "role", inbox.reasons)
        for inbox in load_role_inboxes(patterns)
    ]
