"""Learn a domain's address format, and how it writes names, from addresses known to be people's there.

The model, in plain words. A domain has a latent *format* (the shares of {first}.{last}, {f}{last}…
among its people) and latent *conventions* (which surname of two it uses, whether it joins particles,
spells ä as ae, writes the family name first…). The format shares follow a Dirichlet distribution whose
mean is the published share of each format and whose weight (``concentration`` in formats.toml) is
worth a fraction of one address. Each convention's shares start at the name's own reading weights
(guessing/names.py) with the weight of one address. A known address is explained by every pair of a
format and a reading of the person's name that renders it; expectation-maximisation shares each address
among its explanations in proportion to how likely each is under the current estimate, and updates
both latents from those shares. One example moves the ranking a lot, alternatives keep some weight,
and a domain where two formats are seen keeps both in proportion.

An address that no listed format explains is explained, in this order, by: a listed format with a middle
initial the name did not show (dwsmith@ for David Smith), trailing digits (a namesake: flast2@,
first.last.4@), two letters of the given name for its initial (dasmith@, another namesake's way), one
typo (it counts weakly and never becomes a format), and last a format nobody lists: a constant prefix or
suffix that is not made of the person's own name (first.last.mp@), or a cut name (jsmit@ for Smithson).
Any address may also be an alias no format explains: the domain's `unlisted` share is learned with the
formats' shares.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from reachout.errors import BadInput
from reachout.guessing.formats import (
    Format,
    FormatTable,
    Grid,
    compile_template,
    format_region,
    load_formats,
)
from reachout.guessing.known import KnownAddress, normalize_address
from reachout.guessing.namedata import name_data
from reachout.guessing.names import NameParts, NameReading, parse_name
from reachout.guessing.spelling import spell

# A format nobody lists starts from this share of the listed format it was derived from.
_NOVEL_PRIOR_FACTOR = 0.05
# How likely an address is to carry a letter the name does not show, against an address that spells the
# name exactly (the reachout authors' estimates): a middle name not shown (about half of people have
# one; its initial is one letter of about 20), or a namesake's variant (about one person in ten shares
# an initial and surname with a colleague; a second initial is again one letter of 20, two letters of
# the given name one of the two usual ways).
_MIDDLE_NOT_SHOWN = 0.5 / 20
_SECOND_INITIAL = 0.1 / 20
_TWO_GIVEN_LETTERS = 0.1 / 2
# How much an address explained only up to one typo counts, against one explained exactly.
_TYPO_WEIGHT = 0.3
# A domain's constant is short (.mp, .ext, x-): a longer piece is a word of the person's, such as a
# second surname the directory left out (see _with_unknown_second_surname).
_MAX_AFFIX = 4
_AFFIX = re.compile(r"^[._-]?[a-z]{1,3}$|^[a-z]{1,3}[._-]?$")
_EM_ROUNDS = 12
# The category of addresses no format explains (aliases, legacy handles, one-offs): its prior share is
# formats.toml's `unlisted`, and known addresses update it as they update the formats' shares.
UNLISTED = "(unlisted)"
_SEARCHED_READINGS = 48

Conventions = dict[str, dict[str, float]]  # dimension → option → how many known addresses follow it
# How one known address was seen: its likelihood under each format (UNLISTED: being an alias), and its
# share of each.
_Seen = tuple[dict[str, float], dict[str, float]]


@dataclass(frozen=True)
class Explanation:
    """One way to produce a known address: a format applied to one reading of the person's name."""

    template: str
    reading: int  # index into the name's complete readings
    note: str = ""
    rendered: str = ""  # for an explanation up to a typo: the local part the format gives
    likelihood: float = 1.0  # how likely the format is to give this address for this reading


@dataclass
class FormatScore:
    """A format's probability of being used by the next person at the domain."""

    pattern: str
    probability: float
    prior: float
    support: list[str] = field(default_factory=list)
    listed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "probability": round(self.probability, 4),
            "prior": round(self.prior, 4),
            "support": list(self.support),
            "listed": self.listed,
        }


@dataclass
class DomainFormat:
    """What a domain's known addresses say about its format and how it writes names."""

    domain: str
    formats: list[FormatScore]
    known: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    conventions: Conventions = field(default_factory=dict)
    baseline: Conventions = field(default_factory=dict)  # what the known names alone said (reading_weights)
    unlisted: float = 0.1  # the share of the domain's people whose address follows no format
    # Naming custom → format shares (UNLISTED included) where the known people of that custom have
    # formats of their own; a custom not in here follows the domain's shares.
    by_custom: dict[str, dict[str, float]] = field(default_factory=dict)
    numbered: list[str] = field(default_factory=list)  # known addresses that carry a namesake's number

    @property
    def evidence(self) -> int:
        return sum(1 for k in self.known if k["patterns"])

    def shares(self, custom: str = "") -> tuple[dict[str, float], float]:
        """The format shares among people who follow a format, and the unlisted share, for a person of
        naming CUSTOM (see naming_custom)."""
        mixed = self.by_custom.get(custom)
        if mixed is None:
            return {f.pattern: f.probability for f in self.formats}, self.unlisted
        unlisted = mixed.get(UNLISTED, 0.0)
        return {t: p / (1 - unlisted) for t, p in mixed.items() if t != UNLISTED}, unlisted

    def convention_shares(self) -> list[tuple[str, str, float]]:
        """The conventions the evidence favours: (dimension, option, the share of the people who had
        that choice and made it), e.g. ('surnames', 'first of two', 0.8)."""
        favoured = []
        for dimension, options in sorted(self.conventions.items()):
            option, count = max(options.items(), key=lambda kv: kv[1])
            share = count / sum(options.values()) if count > 0 else 0.0
            if count >= 0.5 and share >= 0.6 and not _is_default(dimension, option):
                favoured.append((dimension, option, share))
        return favoured

    def convention_summary(self) -> str:
        """The conventions the evidence favours, in words: 'surnames: first of two'."""
        return "; ".join(f"{dimension}: {option}" for dimension, option, _ in self.convention_shares())

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "evidence": self.evidence,
            # The long tail of formats nobody at the domain uses is noise in a report.
            "formats": [f.to_dict() for f in self.formats if f.probability >= 0.001 or f.support],
            "known": self.known,
            "conventions": {
                dimension: {option: round(count, 3) for option, count in options.items()}
                for dimension, options in self.conventions.items()
            },
            "notices": list(self.notices),
            "unlisted": round(self.unlisted, 4),
            "by_custom": {
                custom: {t: round(p, 4) for t, p in sorted(shares.items(), key=lambda kv: -kv[1])[:5]}
                for custom, shares in self.by_custom.items()
            },
            "numbered": list(self.numbered),
        }


def _is_default(dimension: str, option: str) -> bool:
    return (dimension, option) == ("order", "given first") or option == "as written"


# --- explaining one address -------------------------------------------------------------------------


def explain(local: str, name: NameParts, table: FormatTable) -> tuple[list[Explanation], str]:
    """Every (format, reading) that renders NAME as LOCAL, and how: "" (exactly), or a note such as
    "trailing digits", "typo" or "novel"."""
    if not local.isascii():  # josé.garcía@ (RFC 6531): compared as the ASCII reachout would write
        local = _ascii_local(local)
    readings = name.readings
    found = _exact(local, readings, table.formats)
    if found:
        return found, ""
    # The slower searches below look at the likelier readings only: a long name has hundreds.
    likely = readings[:_SEARCHED_READINGS]
    # dasmith@ for David Smith: a middle initial the name did not show, or a namesake's two letters.
    found = _with_unknown_middle_initial(local, likely, table.formats)
    found += _without_middle_initial(found, table) + _two_given_letters(local, likely, table.formats)
    if found:
        return found, "unknown middle initial"
    found = _with_unknown_second_surname(local, likely, table.formats)
    if found:
        return found, "unknown second surname"
    stripped = local.rstrip("0123456789").rstrip("._-")  # flast2, first.last.4
    if stripped != local and stripped:
        found = _exact(stripped, readings, table.formats, "trailing digits: likely a namesake")
        if found:
            return found, "trailing digits"
    found = _one_typo_away(local, likely, table.formats)
    if found:
        return found, "typo"
    found = _novel(local, likely, table)
    return found, "novel" if found else ""


def _ascii_local(local: str) -> str:
    """LOCAL with each non-ASCII letter transliterated (josé.garcía → jose.garcia), separators kept."""
    from anyascii import anyascii

    return "".join(ch if ch.isascii() else "".join(c for c in anyascii(ch).lower() if c.isalnum())
                   for ch in local)


def _exact(local: str, readings: Sequence[NameReading], formats: Iterable[Format], note: str = "") -> list[
        Explanation]:
    return [
        Explanation(fmt.template, index, note)
        for fmt in formats
        for index, reading in enumerate(readings)
        if fmt.render(reading) == local
    ]


def _with_unknown_middle_initial(
    local: str, readings: Sequence[NameReading], formats: Iterable[Format]
) -> list[Explanation]:
    """dwsmith@ for "David Smith": a format with {m} and a middle name the name did not show."""
    return _with_unknown_initial(local, readings, formats, initial="m", part="middle",
                                 note="middle initial {!r} not in the name", likelihood=_MIDDLE_NOT_SHOWN)


def _with_unknown_initial(
    local: str, readings: Sequence[NameReading], formats: Iterable[Format], *, initial: str,
    part: Literal["middle", "last2"], note: str, likelihood: float = 1.0,
) -> list[Explanation]:
    """Formats with the field INITIAL ({m}, {l2}) that give LOCAL for a reading whose PART is empty, once
    that part is given the right first letter; NOTE names the letter ({!r})."""
    found = []
    for fmt in formats:
        if initial not in fmt.fields:
            continue
        for index, reading in enumerate(readings):
            if getattr(reading, part) or not reading.last:
                continue
            for letter in string.ascii_lowercase:
                if part == "middle":
                    with_letter = replace(reading, middle=letter)
                else:
                    with_letter = replace(reading, last2=letter)
                if fmt.render(with_letter) == local:
                    found.append(Explanation(fmt.template, index, note.format(letter), likelihood=likelihood))
    return found


def _without_middle_initial(found: list[Explanation], table: FormatTable) -> list[Explanation]:
    """For each format with a middle initial in FOUND ({f}{m}{last}), the listed one without it
    ({f}{last}): a second initial is also how namesakes are told apart at a domain that uses none."""
    out = []
    for e in found:
        base = re.sub(r"([._-]?)\{m\}([._-]?)", lambda m: m.group(1) or m.group(2), e.template)
        if base != e.template and base in table.priors:
            out.append(Explanation(base, e.reading, "a second initial: a namesake's",
                                   likelihood=_SECOND_INITIAL))
    return out


def _two_given_letters(
    local: str, readings: Sequence[NameReading], formats: Iterable[Format]
) -> list[Explanation]:
    """jasmith@ for Jane Smith at an {f}{last} domain: how a namesake's clash is often resolved, two
    letters of the given name for its initial. It is evidence for the format, not a format of its own."""
    found = []
    for fmt in formats:
        if "f" not in fmt.fields:
            continue
        for index, reading in enumerate(readings):
            if len(reading.first) >= 2 and fmt.render(replace(reading, f=reading.first[:2])) == local:
                found.append(Explanation(fmt.template, index, "two letters of the given name: a namesake's",
                                         likelihood=_TWO_GIVEN_LETTERS))
    return found


def _one_typo_away(
    local: str, readings: Sequence[NameReading], formats: Iterable[Format]
) -> list[Explanation]:
    """Formats whose rendering is one edit from LOCAL (natalia.kubishine@ for Kubishina)."""
    if len(local) < 5:
        return []
    return [
        Explanation(fmt.template, index, f"one letter off {rendered}@", rendered)
        for fmt in formats
        for index, reading in enumerate(readings)
        if (rendered := fmt.render(reading)) and len(rendered) >= 5 and _one_edit(local, rendered)
    ]


def _one_edit(a: str, b: str) -> bool:
    """True when A and B differ by exactly one substitution, insertion, deletion or transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = ([*diffs, 0, 0])[:2]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _with_unknown_second_surname(
    local: str, readings: Sequence[NameReading], formats: Iterable[Format]
) -> list[Explanation]:
    """cruizg@ or ana.gomez.ruiz@ for a name written with one surname: a format with {l2} or {last2}
    and a second surname the directory left out (a person's own, never a domain's constant)."""
    note = "a second surname not in the name"
    formats = list(formats)
    whole = [fmt for fmt in formats if "last2" in fmt.fields]
    found = _with_unknown_initial(local, readings, [fmt for fmt in formats if fmt not in whole],
                                  initial="l2", part="last2", note=note)
    for fmt in whole:
        for index, reading in enumerate(readings):
            if reading.last2 or not reading.last:
                continue
            pattern = fmt.render(replace(reading, last2=_SECOND_SURNAME_MARK))
            any_surname = re.escape(pattern or "").replace(_SECOND_SURNAME_MARK, "[a-z]{3,}")
            if pattern and re.fullmatch(any_surname, local):
                found.append(Explanation(fmt.template, index, note))
    return found


_SECOND_SURNAME_MARK = "qxqxqxq"


def _novel(local: str, readings: Sequence[NameReading], table: FormatTable) -> list[Explanation]:
    """Formats nobody lists: a listed one with a constant prefix/suffix, or with a cut name part."""
    own = _own_parts(readings)
    found: dict[str, Explanation] = {}
    # Formats that spell this person alike ({first}.{last} and {first}.{m}.{last} without a middle
    # name) would give one novel format under several names: the most common one's is kept.
    seen: set[tuple[int, str]] = set()
    for fmt in sorted(table.formats, key=lambda f: (-f.prior, f.template)):
        for index, reading in enumerate(readings):
            rendered = fmt.render(reading)
            if not rendered or len(rendered) < 2 or (index, rendered) in seen:
                continue
            seen.add((index, rendered))
            novel = [*_affixed(local, rendered, fmt.template, own), *_truncated(local, fmt, reading)]
            for template, note in novel:
                found.setdefault(f"{template}/{index}", Explanation(template, index, note))
    return list(found.values())


def _own_parts(readings: Sequence[NameReading]) -> set[str]:
    """Every spelling of the person's own name parts and initials: never a constant of the domain."""
    parts: set[str] = set()
    for r in readings:
        for value in (r.first, r.middle, r.last, r.last2):
            parts.update(p for p in re.split(r"[-]", value) if p)
            parts.add(value)
        parts.update({r.f, r.m, r.l, r.l2, r.f + r.m, r.f + r.l, r.f + r.m + r.l})
    parts.discard("")
    return parts


def _affixed(local: str, rendered: str, template: str, own: set[str]) -> list[tuple[str, str]]:
    out = []
    for rest, is_suffix in ((local[len(rendered):], True), (local[: len(local) - len(rendered)], False)):
        if is_suffix and not (local.startswith(rendered) and local != rendered):
            continue
        if not is_suffix and not (local.endswith(rendered) and local != rendered):
            continue
        letters = rest.strip("._-")
        if len(rest) > _MAX_AFFIX or not _AFFIX.match(rest) or any(ch.isdigit() for ch in letters):
            continue  # digits are a person's (a namesake's), never a domain's constant
        if letters in own or any(
            (len(letters) >= 2 and part.startswith(letters)) or (len(part) >= 3 and part in letters)
            for part in own
        ):
            continue  # made of the person's own name: a reading or a typo, never a domain's constant
        kind = "suffix" if is_suffix else "prefix"
        out.append((template + rest if is_suffix else rest + template, f"constant {kind} {rest!r}"))
    return out


def _truncated(local: str, fmt: Format, reading: NameReading) -> list[tuple[str, str]]:
    """{f}{last} seen as jsmit for Smithson: the surname (or given name) cut to a fixed length."""
    out = []
    for field_name in ("last", "first"):
        value = getattr(reading, field_name)
        marker = "{" + field_name + "}"
        if marker not in fmt.template or len(value) < 3:
            continue
        for cut in range(len(value) - 1, 1, -1):
            template = fmt.template.replace(marker, f"{{{field_name}:{cut}}}", 1)
            if compile_template(template).render(reading) == local:
                out.append((template, f"{field_name} name cut to {cut} letters"))
                break
    return out


# --- the posterior ----------------------------------------------------------------------------------


@dataclass
class _Evidence:
    pair: KnownAddress
    readings: tuple[NameReading, ...]
    explanations: list[Explanation]
    weight: float  # 1, or less for an address explained only up to a typo
    choices: frozenset[str]  # the convention dimensions in which this name had a real choice
    custom: str  # the naming custom of the name (naming_custom)


def infer_domain_format(
    domain: str,
    known: Sequence[KnownAddress | tuple[str, str]],
    *,
    table: FormatTable | None = None,
    size: str | None = None,
    patterns: str | None = None,
) -> DomainFormat:
    """Posterior probabilities of DOMAIN's formats and conventions given KNOWN (name, address) pairs."""
    table = table or load_formats(size, patterns, format_region(domain, patterns))
    domain = domain.lower()
    notices: list[str] = []
    evidence: list[_Evidence] = []
    numbered: list[str] = []
    known_rows: list[dict[str, Any]] = []
    for item in known:
        pair = item if isinstance(item, KnownAddress) else KnownAddress(item[0], normalize_address(item[1]))
        relation = domain_relation(pair.domain, domain)
        if relation is None:
            notices.append(f"Ignored {pair.address}: it is not at {domain}.")
            continue
        if relation:
            notices.append(f"Used {pair.address} although it is at {pair.domain}, {relation} {domain}.")
        try:
            name = parse_name(pair.name, domain=domain, patterns=patterns, complete=True)
        except BadInput as exc:
            notices.append(f"Ignored {pair.address}: {exc}")
            continue
        explanations, how = explain(pair.local, name, table)
        known_rows.append({
            "name": pair.name,
            "address": pair.address,
            "patterns": sorted({e.template for e in explanations}),
            "notes": sorted({e.note for e in explanations if e.note}),
        })
        if not explanations:
            notices.append(f"No format explains {pair.address} for {pair.name!r}; it counts as an alias.")
        if how == "trailing digits":
            numbered.append(pair.address)
        if how == "typo":
            closest = explanations[0].rendered
            notices.append(
                f"{pair.address} looks like a typo for {closest}@ ({pair.name!r}); it counts only weakly."
            )
        weight = (_TYPO_WEIGHT if how == "typo" else 1.0) * pair.weight  # gathered evidence counts less
        evidence.append(_Evidence(pair, name.readings, explanations, weight, _choices(name.readings),
                                  naming_custom(name, patterns)))
    priors = _priors_with_novel(table, evidence)
    baseline = _convention_baseline(evidence)
    shares, conventions, counts = _expectation_maximisation(priors, evidence, table, baseline)
    by_custom = _custom_shares(evidence, counts, shares, _with_unlisted(priors, table.unlisted), table)
    unlisted = shares.pop(UNLISTED)
    shares = {t: p / (1 - unlisted) for t, p in shares.items()}
    support: dict[str, list[str]] = {}
    for used in evidence:
        for template in dict.fromkeys(e.template for e in used.explanations):
            support.setdefault(template, []).append(used.pair.address)
    scores = [
        FormatScore(pattern=t, probability=p, prior=priors[t], support=support.get(t, []),
                    listed=t in table.priors)
        for t, p in shares.items()
    ]
    scores.sort(key=lambda s: (-s.probability, s.pattern))
    return DomainFormat(domain=domain, formats=scores, known=known_rows, notices=notices,
                        conventions=conventions, baseline=baseline, unlisted=unlisted, by_custom=by_custom,
                        numbered=numbered)


def domain_relation(theirs: str, domain: str) -> str | None:
    """'' when THEIRS is DOMAIN; how they relate when one is a subdomain of the other or both share a
    registrable domain (cs.uni.edu and uni.edu); None when they are different companies."""
    if theirs == domain:
        return ""
    if theirs.endswith("." + domain):
        return "a subdomain of"
    if domain.endswith("." + theirs):
        return "the parent domain of"
    from reachout.domains import registrable_domain

    try:
        same = registrable_domain(theirs, allow_private=True) == registrable_domain(
            domain, allow_private=True)
    except BadInput:
        return None
    return "a sister domain of" if same else None


def _choices(readings: Sequence[NameReading]) -> frozenset[str]:
    options: dict[str, set[str]] = {}
    for reading in readings:
        for dimension, option in reading.conventions:
            options.setdefault(dimension, set()).add(option)
    return frozenset(d for d, o in options.items() if len(o) > 1)


def _priors_with_novel(table: FormatTable, evidence: list[_Evidence]) -> dict[str, float]:
    priors = dict(table.priors)
    for item in evidence:
        for e in item.explanations:
            if e.template not in priors:
                base = max((f.prior for f in table.formats if e.template.startswith(f.template)
                            or e.template.endswith(f.template)), default=min(priors.values()))
                priors[e.template] = base * _NOVEL_PRIOR_FACTOR
    total = sum(priors.values())
    return {t: p / total for t, p in priors.items()}


def _convention_baseline(evidence: list[_Evidence]) -> Conventions:
    """Per dimension, how likely each option was before the addresses were seen, on average over the
    known people who had that choice: what their names alone said. A domain's convention is how far
    its addresses depart from that (see reading_weights)."""
    totals: Conventions = {}
    people: dict[str, int] = {}
    for item in evidence:
        for dimension in item.choices:
            shares: dict[str, float] = {}
            for reading in item.readings:
                option = dict(reading.conventions).get(dimension)
                if option is not None:
                    shares[option] = shares.get(option, 0.0) + reading.weight
            within = sum(shares.values())
            options = totals.setdefault(dimension, {})
            for option, weight in shares.items():
                options[option] = options.get(option, 0.0) + weight / within
            people[dimension] = people.get(dimension, 0) + 1
    return {d: {o: w / people[d] for o, w in options.items()} for d, options in totals.items()}


def _expectation_maximisation(
    priors: dict[str, float], evidence: list[_Evidence], table: FormatTable, baseline: Conventions
) -> tuple[dict[str, float], Conventions, list[_Seen]]:
    """The posterior-predictive shares (UNLISTED included), the convention counts, and how each known
    address was seen (its likelihood under each format and its share of each), by EM over the evidence.

    Each known address counts once (less for a typo). Whether it is an alias (UNLISTED) is weighed on
    what the prior and the *other* addresses say: an address does not vouch for itself, so one address
    in a format nobody lists or few use is partly taken for an alias rather than made certain by its
    own count. The rest is shared among its explanations in proportion to format share × reading
    weight, as EM does.
    """
    base = _with_unlisted(priors, table.unlisted)
    seen_as: list[_Seen] = [({}, {}) for _ in evidence]
    conventions: Conventions = {}
    for _ in range(_EM_ROUNDS if evidence else 0):
        seen: Conventions = {}
        updated: list[_Seen] = []
        # The concentration is a domain's: weighed once a round on all addresses.
        concentrations = _concentrations(base, seen_as, table.concentration)
        totals = _sum_counts(c for _, c in seen_as)
        shares = _shares(base, totals, concentrations)
        for index, item in enumerate(evidence):
            weights = reading_weights(item.readings, conventions, baseline)
            likelihood = {UNLISTED: table.alias_likelihood}
            for e in item.explanations:
                likelihood[e.template] = likelihood.get(e.template, 0.0) + weights[e.reading] * e.likelihood
            # Alias or format? Asked of what the others say. Which format? Of everything, as EM does.
            mine = seen_as[index][1]
            others = _shares(base, {t: c - mine.get(t, 0.0) for t, c in totals.items()}, concentrations)
            formats = sum(others(t) * like for t, like in likelihood.items() if t != UNLISTED)
            alias = others(UNLISTED) * table.alias_likelihood
            alias = alias / (alias + formats)
            norm = sum(shares(t) * like for t, like in likelihood.items() if t != UNLISTED) or 1.0
            counts = {UNLISTED: item.weight * alias}
            for e in item.explanations:
                part = item.weight * (1 - alias) * shares(e.template) * weights[e.reading] * e.likelihood
                part /= norm
                counts[e.template] = counts.get(e.template, 0.0) + part
                for dimension, option in item.readings[e.reading].conventions:
                    if dimension in item.choices:
                        options = seen.setdefault(dimension, {})
                        options[option] = options.get(option, 0.0) + part
            updated.append((likelihood, counts))
        seen_as = updated
        conventions = seen
    share = _predictive(base, seen_as, table.concentration)
    return {t: share(t) for t in base}, conventions, seen_as


def _with_unlisted(priors: dict[str, float], unlisted: float) -> dict[str, float]:
    """PRIORS scaled to leave UNLISTED its share."""
    return {**{t: (1 - unlisted) * p for t, p in priors.items()}, UNLISTED: unlisted}


def _sum_counts(counts: Iterable[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for item in counts:
        for template, count in item.items():
            total[template] = total.get(template, 0.0) + count
    return total


def _predictive(base: dict[str, float], seen: list[_Seen], grid: Grid) -> Callable[[str], float]:
    """The share of the next person for each format given the addresses SEEN (see _shares)."""
    return _shares(base, _sum_counts(c for _, c in seen), _concentrations(base, seen, grid))


def _concentrations(base: dict[str, float], seen: list[_Seen], grid: Grid) -> list[tuple[float, float]]:
    """The concentrations of GRID with their posterior probabilities: each weighed by its prior and by
    how well it predicts the addresses SEEN one after the other. Three addresses in one format favour a
    small concentration (a consistent domain: the format is nearly certain); three in three formats a
    large one (a mixed domain: every seen format and the priors keep weight). One address cannot tell
    them apart."""
    logs = _log_joint(base, seen, grid)
    top = max(log for _, log in logs)
    posterior = [(alpha, math.exp(log - top)) for alpha, log in logs]
    norm = sum(p for _, p in posterior)
    return [(alpha, p / norm) for alpha, p in posterior]


def _log_joint(base: dict[str, float], seen: list[_Seen], grid: Grid) -> list[tuple[float, float]]:
    """For each concentration of GRID: log P(it) + log P(the addresses SEEN | it)."""
    return [(alpha, math.log(weight) + _log_evidence(alpha, base, seen)) for alpha, weight in grid]


def _shares(
    base: dict[str, float], counts: dict[str, float], concentrations: list[tuple[float, float]]
) -> Callable[[str], float]:
    """The Dirichlet-multinomial posterior mean with mean BASE given COUNTS, averaged over
    CONCENTRATIONS (value, probability)."""
    n = sum(counts.values())

    def share(template: str) -> float:
        prior, count = base.get(template, 0.0), counts.get(template, 0.0)
        return sum(p * (alpha * prior + count) / (alpha + n) for alpha, p in concentrations)

    return share


def _log_evidence(alpha: float, base: dict[str, float], seen: list[_Seen]) -> float:
    """log P(the addresses SEEN | a Dirichlet with mean BASE and concentration ALPHA): each address's
    likelihood under the shares the addresses before it predict (their counts fractional)."""
    total = 0.0
    before: dict[str, float] = {}
    n = 0.0
    for likelihood, counts in seen:
        if likelihood:
            total += math.log(sum(like * (alpha * base.get(t, 0.0) + before.get(t, 0.0)) / (alpha + n)
                                  for t, like in likelihood.items()))
        for t, c in counts.items():
            before[t] = before.get(t, 0.0) + c
        n += sum(counts.values())
    return total


def _log_marginal(base: dict[str, float], seen: list[_Seen], grid: Grid) -> float:
    """log P(the addresses SEEN) under the Dirichlet with mean BASE, its concentration averaged over GRID."""
    logs = [log for _, log in _log_joint(base, seen, grid)]
    top = max(logs)
    return top + math.log(sum(math.exp(log - top) for log in logs))


def _custom_shares(
    evidence: list[_Evidence], seen_as: list[_Seen], shares: dict[str, float],
    base: dict[str, float], table: FormatTable,
) -> dict[str, dict[str, float]]:
    """Per naming custom among the known people, when there are several, its format shares: a mixture
    of the domain's shares (one format mix for everyone) and the custom's own (each custom its own
    mix, as when Chinese-named staff write lastfirst@ and the others first.last@), weighed by the prior
    `custom_formats` and by how well each model explains the addresses. Two people of one custom
    agreeing on a format the others do not use are evidence for it; people who all agree, against."""
    groups: dict[str, list[_Seen]] = {}
    for item, mine in zip(evidence, seen_as, strict=True):
        groups.setdefault(item.custom, []).append(mine)
    if len(groups) < 2:
        return {}
    pooled = _log_marginal(base, seen_as, table.concentration)
    split = sum(_log_marginal(base, group, table.concentration) for group in groups.values())
    odds = math.log(table.custom_formats / (1 - table.custom_formats)) + split - pooled
    p_split = 1 / (1 + math.exp(-max(-50.0, min(50.0, odds))))
    out = {}
    for custom, group in groups.items():
        own = _predictive(base, group, table.concentration)
        out[custom] = {t: p_split * own(t) + (1 - p_split) * shares[t] for t in shares}
    return out


def naming_custom(name: NameParts, patterns: str | None = None) -> str:
    """The naming custom a name follows, as far as a domain may give it a format of its own: "east
    asian" (a family name of patterns/names.toml's East Asian list: such staff may write lastfirst@),
    "two surnames" (most of the name's weight on readings with a second surname) or "one surname"."""
    words = f"{name.given} {name.family}".replace("-", " ").split()
    if len(words) <= 3 and any(spell(word) in name_data(patterns).east_asian_surnames for word in words):
        return "east asian"
    if sum(r.weight for r in name.readings if r.last2) >= 0.5:
        return "two surnames"
    return "one surname"


def reading_weights(
    readings: Sequence[NameReading], conventions: Conventions, baseline: Conventions | None = None
) -> list[float]:
    """READINGS' weights once a domain's CONVENTIONS are taken into account, summing to 1.

    Per dimension, the domain's share of an option is estimated as (its BASELINE share, what the known
    people's names alone said + how many known addresses follow it) / (1 + how many known addresses
    had the choice): the baseline counts as one address, so one example shifts it strongly without
    making it certain. Each reading's weight is then tilted by that share over the baseline: the
    name's own evidence stays (Sarah Jane Cooper keeps her one surname at a Spanish university where
    everyone uses the first of two). Readings without the dimension keep their weight.
    """
    weights = [r.weight for r in readings]
    for dimension, counts in conventions.items():
        prior: dict[str, float] = {}
        for reading in readings:
            option = dict(reading.conventions).get(dimension)
            if option is not None:
                prior[option] = prior.get(option, 0.0) + reading.weight
        if len(prior) < 2:
            continue
        within = sum(prior.values())
        prior = {option: weight / within for option, weight in prior.items()}
        base = (baseline or {}).get(dimension, {})
        seen = sum(counts.values())
        for i, reading in enumerate(readings):
            option = dict(reading.conventions).get(dimension)
            share = base.get(option) or prior.get(option, 0.0) if option is not None else 0.0
            if option is not None and share > 0:
                weights[i] *= (share + counts.get(option, 0.0)) / (1 + seen) / share
    total = sum(weights)
    return [w / total for w in weights] if total else weights


def apply_conventions(
    name: NameParts, conventions: Conventions, baseline: Conventions | None = None
) -> NameParts:
    """NAME with its readings reweighted by a domain's CONVENTIONS, heaviest first."""
    if not conventions:
        return name
    weights = reading_weights(name.readings, conventions, baseline)
    readings = sorted(
        (replace(r, weight=w) for r, w in zip(name.readings, weights, strict=True)),
        key=lambda r: (-r.weight, r.first, r.middle, r.last, r.last2, r.f),
    )
    return replace(name, readings=tuple(readings))
