"""Learn a domain's address format, and how it writes names, from addresses known to be people's there.

The model, in plain words. A domain has a latent *format* (a main format that most of its people follow,
how many do, and the minority formats the others follow: see _DomainModel) and latent *conventions*
(which surname of two it uses, whether it joins particles, spells ä as ae, writes the family name
first…): per option, a shift of the log-odds each person's name alone gives it (guessing/names.py),
learned from how far the known addresses depart from what their names predicted, not from how many
follow it. A known address is explained by every pair of a format and a reading of the person's name
that renders it; expectation-maximisation shares each address among its explanations in proportion to
how likely each is under the current estimate, and updates both latents from those shares. Which format
is the domain's main one is weighed on every address's likelihood under each candidate main format, not
on the shared-out counts, so a format that explains all the addresses wins over one that explains one
of them under a likelier reading (gengb@ beside miaoxl@ is {last}{f}).
One address in a common format moves the ranking a lot, one in a rare format less (it may be one
person's exception), and a domain where two formats are seen keeps both in proportion.

An address that no listed format explains is explained, in this order, by: a listed format with a middle
initial the name did not show (dwsmith@ for David Smith), trailing digits (a namesake: flast2@,
first.last.4@), two letters of the given name for its initial (dasmith@, another namesake's way), one
typo (it counts weakly and never becomes a format), and last a format nobody lists: a constant prefix or
suffix that is not made of the person's own name (first.last.mp@), or a cut name (jsmit@ for Smithson).
Any address may also be an alias no format explains: the domain's `unlisted` share is learned with the
formats' shares.
"""

from __future__ import annotations

import functools
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
    compile_template,
    format_region,
    load_formats,
)
from reachout.guessing.known import KnownAddress, normalize_address
from reachout.guessing.namedata import name_data
from reachout.guessing.names import NameParts, NameReading, parse_name
from reachout.guessing.spelling import spell
from reachout.guessing.vietnamese import has_vietnamese_letters

# A format nobody lists starts from this share of the listed format it was derived from: one person's
# constant (first.last.mp@, ext-flast@) is then likelier theirs alone (an alias, a contractor's mark)
# than the domain's, and ranks behind the format it varies; two people establish it. At 0.01 one such
# address was a coin toss against the format it varies, at 0.05 the first guess.
_NOVEL_PRIOR_FACTOR = 0.005
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
# EM stops early once no address's share of any format moves by more than this in a round.
_SETTLED = 1e-4
# The category of addresses no format explains (aliases, legacy handles, one-offs): its prior share is
# formats.toml's `unlisted`, and known addresses update it as they update the formats' shares.
UNLISTED = "(unlisted)"
_SEARCHED_READINGS = 48
# The log-odds shift of an option is solved to this precision, in at most this many Newton steps.
_SHIFT_PRECISION = 1e-6
_SHIFT_STEPS = 50
# A reading's probability is kept this far from 0 and 1 to take its log-odds.
_CERTAIN = 1e-12
# Directories that write everyone family name first, unmarked (Rossi Mario, as Italian, Polish or
# Brazilian official lists do): the share of domains whose directory does, and how far it moves the
# log-odds of each name's family-name-first reading (7.5: a name that says nothing of its order, 1 %,
# to 95 %; Jane Doe, whose given name comes first by name, to about a coin toss). The reachout authors'
# estimates.
_LISTED_PRIOR = 0.03
_LISTED_SHIFT = 7.5

Conventions = dict[str, dict[str, float]]  # dimension → option → how many known addresses follow it
# Dimension → option → the log-odds shift a domain gives the option against what a name alone says.
Shifts = dict[str, dict[str, float]]
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
    shifts: Shifts = field(default_factory=dict)  # what the conventions do to a name (reading_weights)
    # The chance that the domain's directory writes everyone family name first (_listed_order).
    listed_order: float = 0.0
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
    by_name: Conventions  # what the name alone says of each convention (conventions_by_name)
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
        evidence.append(_Evidence(pair, name.readings, explanations, weight,
                                  conventions_by_name(name.readings), naming_custom(name, patterns)))
    priors = _priors_with_novel(table, evidence)
    shares, conventions, (shifts, listed_order), counts = _expectation_maximisation(priors, evidence, table)
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
                        conventions=conventions, shifts=shifts, listed_order=listed_order, unlisted=unlisted,
                        by_custom=by_custom,
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


def _expectation_maximisation(
    priors: dict[str, float], evidence: list[_Evidence], table: FormatTable
) -> tuple[dict[str, float], Conventions, tuple[Shifts, float], list[_Seen]]:
    """The posterior-predictive shares (UNLISTED included), the convention counts, the shifts and the
    chance of a family-name-first directory, and how each known address was seen (its likelihood under
    each format and its share of each), by EM over the evidence.

    Each known address counts once (less for a typo). Whether it is an alias (UNLISTED) is weighed on
    what the prior and the *other* addresses say: an address does not vouch for itself, so one address
    in a format nobody lists or few use is partly taken for an alias rather than made certain by its
    own count. The rest is shared among its explanations in proportion to format share × reading
    weight, as EM does.
    """
    model = _DomainModel.of(_with_unlisted(priors, table.unlisted), table)
    seen_as: list[_Seen] = [({}, {}) for _ in evidence]
    followed: list[Conventions] = [{} for _ in evidence]  # per address, how much follows each option
    shifts: Shifts = {}
    listed = 0.0
    for _ in range(_EM_ROUNDS if evidence else 0):
        updated: list[_Seen] = []
        totals = _sum_counts(c for _, c in seen_as)
        shares = model.shares(totals, seen_as)
        for index, item in enumerate(evidence):
            weights = reading_weights(item.readings, shifts, listed)
            mine_followed: Conventions = {}
            followed[index] = mine_followed
            # alias_likelihood is against a format that renders the address exactly; one the formats
            # render only with a letter the name does not show (dwsmith@ for David Smith) is as unlikely
            # an alias's, or three such addresses would be taken for aliases, not a middle-initial domain.
            letters = max((e.likelihood for e in item.explanations), default=1.0)
            likelihood = {UNLISTED: table.alias_likelihood * letters}
            for e in item.explanations:
                likelihood[e.template] = likelihood.get(e.template, 0.0) + weights[e.reading] * e.likelihood
            # Alias or format? Asked of what the others say. Which format? Of everything, as EM does.
            mine = seen_as[index][1]
            others = model.shares({t: c - mine.get(t, 0.0) for t, c in totals.items()})
            formats = sum(others(t) * like for t, like in likelihood.items() if t != UNLISTED)
            alias = others(UNLISTED) * likelihood[UNLISTED]
            alias = alias / (alias + formats)
            norm = sum(shares(t) * like for t, like in likelihood.items() if t != UNLISTED) or 1.0
            counts = {UNLISTED: item.weight * alias}
            for e in item.explanations:
                part = item.weight * (1 - alias) * shares(e.template) * weights[e.reading] * e.likelihood
                part /= norm
                counts[e.template] = counts.get(e.template, 0.0) + part
                for dimension, option in item.readings[e.reading].conventions:
                    if dimension in item.by_name:
                        options = mine_followed.setdefault(dimension, {})
                        options[option] = options.get(option, 0.0) + part
            updated.append((likelihood, counts))
        settled = _settled(seen_as, updated)
        seen_as = updated
        shifts = _convention_shifts(evidence, followed, table.convention_spread)
        listed = _listed_order(evidence, followed)
        if settled:
            break
    dimensions = dict.fromkeys(dimension for mine in followed for dimension in mine)
    conventions = {d: _sum_counts(mine.get(d, {}) for mine in followed) for d in dimensions}
    share = model.shares(_sum_counts(c for _, c in seen_as), seen_as)
    shares_now = {t: share(t) for t in model.main} | {UNLISTED: share(UNLISTED)}
    return shares_now, conventions, (shifts, listed), seen_as


def _convention_shifts(evidence: list[_Evidence], followed: list[Conventions], spread: float) -> Shifts:
    """Per dimension and option, the log-odds shift the known addresses give it (_log_odds_shift):
    each person who had the choice (EVIDENCE's by_name) is one trial whose outcome is how much of their
    address follows each option (FOLLOWED) and whose odds are what their name alone said."""
    trials: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for item, mine in zip(evidence, followed, strict=True):
        for dimension, options in mine.items():
            count = sum(options.values())
            for option, p in item.by_name[dimension].items():
                trials.setdefault((dimension, option), []).append((options.get(option, 0.0), count, p))
    shifts: Shifts = {}
    for (dimension, option), seen in trials.items():
        shifts.setdefault(dimension, {})[option] = _log_odds_shift(seen, spread)
    return shifts


def _listed_order(evidence: list[_Evidence], followed: list[Conventions]) -> float:
    """The chance that the domain's directory writes everyone family name first, as official lists do
    (Rossi Mario): a property of the directory, where a Chinese name's order is the person's. Each
    known person who had the choice weighs it by how likely their address's order is in such a
    directory (their name's odds moved by _LISTED_SHIFT) against what their name alone said;
    0 when nobody had the choice, so that the names' own chances stand."""
    log_odds, asked = _logit(_LISTED_PRIOR), False
    for item, mine in zip(evidence, followed, strict=True):
        options, p = mine.get("order", {}), item.by_name.get("order", {}).get("family first")
        if p is None or not options:
            continue
        asked = True
        kept = _in_listed_directory(p)
        first = options.get("family first", 0.0)
        other = sum(options.values()) - first
        log_odds += first * (math.log(kept) - math.log(max(p, _CERTAIN)))
        log_odds += other * (math.log(1 - kept) - math.log(max(1 - p, _CERTAIN)))
    return _sigmoid(log_odds) if asked else 0.0


def _in_listed_directory(p: float) -> float:
    """The chance of family name first for a name whose own chance is P, in a directory that writes
    everyone so: its log-odds moved by _LISTED_SHIFT."""
    return _sigmoid(_logit(p) + _LISTED_SHIFT)


def _log_odds_shift(trials: Sequence[tuple[float, float, float]], spread: float) -> float:
    """The most probable shift δ of an option's log-odds at a domain, from TRIALS (how much of one
    known address follows the option, how much of it had the choice, the option's probability by the
    person's name alone: p), each person following it with probability sigmoid(logit p + δ), and δ
    a priori normal with standard deviation SPREAD.

    The evidence is how far the addresses moved the option above or below what their names predicted
    (Σ count − had × p, at δ = 0) and its information Σ had × p(1 − p): one Alberto written albert@
    (Catalan at 3 % by name) lifts the Catalan option strongly, while confirmations of an option that
    was near-certain anyway hardly move its rival. The log-posterior is concave: Newton's method, with
    a bisection of the bracket known to hold the root wherever a step would leave it or shrink too
    slowly (Numerical Recipes' rtsafe), always converges.
    """
    precision = 1 / spread**2
    logits = [(count, had, _logit(p)) for count, had, p in trials]
    # The gradient Σ (count − had × q) − precision × δ falls as δ grows; these bound its root.
    low = sum(count - had for count, had, _ in logits) / precision
    high = sum(count for count, _, _ in logits) / precision
    shift, last = 0.0, high - low
    for _ in range(_SHIFT_STEPS):
        gradient, curvature = -precision * shift, precision
        for count, had, logit in logits:
            q = _sigmoid(logit + shift)
            gradient += count - had * q
            curvature += had * q * (1 - q)
        if gradient > 0:
            low = shift
        else:
            high = shift
        step = gradient / curvature
        if not low <= shift + step <= high or abs(step) > last / 2:
            step = (low + high) / 2 - shift
        shift, last = shift + step, abs(step)
        if last < _SHIFT_PRECISION:
            break
    return shift


def _logit(p: float) -> float:
    p = min(max(p, _CERTAIN), 1 - _CERTAIN)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _settled(before: list[_Seen], after: list[_Seen]) -> bool:
    """True when a round of EM moved no address's share of any format by _SETTLED or more (never after
    the first round, which starts from nothing)."""
    if not any(counts for _, counts in before):
        return False
    return all(abs(new.get(t, 0.0) - c) < _SETTLED
               for (_, old), (_, new) in zip(before, after, strict=True) for t, c in old.items())


@functools.lru_cache(maxsize=16)
def prior_shares(table: FormatTable) -> tuple[dict[str, float], float]:
    """Each format's share of a domain's people before any address there is seen (its chance of being
    the main format times the main share, plus its share among the minority), and the unlisted share.
    The dict is shared between guesses: read it, never change it."""
    model = _DomainModel.of(_with_unlisted(table.priors, table.unlisted), table)
    share = model.shares({})
    return {t: share(t) / (1 - table.unlisted) for t in model.main}, table.unlisted


def _with_unlisted(priors: dict[str, float], unlisted: float) -> dict[str, float]:
    """PRIORS scaled to leave UNLISTED its share."""
    return {**{t: (1 - unlisted) * p for t, p in priors.items()}, UNLISTED: unlisted}


def _sum_counts(counts: Iterable[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for item in counts:
        for template, count in item.items():
            total[template] = total.get(template, 0.0) + count
    return total


@dataclass(frozen=True)
class _DomainModel:
    """How a domain's people choose their addresses: most follow the domain's *main* format (one of the
    listed formats, with its prior as the chance of being the main one), a share follow *minority*
    formats (acquisitions, older eras, people's own choices), and some have an alias.

    The main format's share is not known in advance: it takes each value of formats.toml's `main_share`
    with its prior weight (high: a consistent domain; about half: a mixed one). The minority's formats
    follow a Dirichlet around the priors made flatter (`minority_temper`: an odd format is far likelier
    to be one person's exception than a domain's rule) worth `minority_weight` addresses, so a second
    format seen at a mixed domain is learned too. Known addresses weigh every (main format, share) pair
    by how well it explains them: three addresses in one format make it the main one of a consistent
    domain; three in three formats make the domain mixed, each seen format weighed by how likely it is
    to be the main one; and one address in a rare format ({last}@) is about as likely an exception as
    the rule, which leaves the common formats their weight.

    The minority may pick the main format too, but the closed forms below take every address in the
    main format as the main format's own: exact sums over which were the minority's have no closed form
    for soft counts, and the minority's small weight on the main format keeps the shares within about
    a point of the exact model's (tests/test_domain_model.py checks them against a brute force).
    """

    main: dict[str, float]  # P(main format = t)
    minority: dict[str, float]  # the minority's formats before any address is seen
    unlisted: float  # the prior share of aliases
    table: FormatTable

    @classmethod
    def of(cls, base: dict[str, float], table: FormatTable) -> _DomainModel:
        formats = {t: p for t, p in base.items() if t != UNLISTED and p > 0}
        total = sum(formats.values())
        tempered = {t: (p / total) ** table.minority_temper for t, p in formats.items()}
        norm = sum(tempered.values())
        return cls({t: p / total for t, p in formats.items()}, {t: p / norm for t, p in tempered.items()},
                   base[UNLISTED], table)

    def _posterior(self, counts: dict[str, float]) -> dict[str, tuple[float, float]]:
        """Per main format: (P(it is the main one) × its share, P(it is) × the minority's share), given
        (soft) COUNTS of known addresses per format."""
        beta = self.table.minority_weight
        counted = {t: c for t, c in counts.items() if c > 0 and t in self.main}
        n = sum(counted.values())
        # The minority's Dirichlet-multinomial likelihood of all counts, then without the main format's.
        every = sum(math.lgamma(beta * self.minority[t] + c) - math.lgamma(beta * self.minority[t])
                    for t, c in counted.items())
        # What does not depend on the main format's share, once per main format (a domain may have a
        # hundred formats nobody lists, and EM asks this twice per known address per round).
        per_main = []
        for template, prior in self.main.items():
            own = counted.get(template, 0.0)
            minority = every - (math.lgamma(beta * self.minority[template] + own)
                                - math.lgamma(beta * self.minority[template])) if own else every
            per_main.append((template, own, n - own,
                             math.log(prior) + math.lgamma(beta) - math.lgamma(beta + n - own) + minority))
        logs = []
        for share, weight in self.table.main_share:
            log_share, log_rest = math.log(share), math.log(1 - share)
            for template, own, rest, log in per_main:
                logs.append((template, share, log + math.log(weight) + own * log_share + rest * log_rest))
        return _per_main(logs)

    def shares(self, counts: dict[str, float], seen: list[_Seen] | None = None) -> Callable[[str], float]:
        """The share of the next person for each format (and UNLISTED) given (soft) COUNTS; with SEEN
        (the same addresses with their likelihoods), which format is the main one is weighed on each
        address's likelihood under every (main format, share) pair, as log_marginal does, rather than
        on the soft counts: an address that one format explains under a likely reading and another
        under a less likely one then counts for the one that explains the other addresses too."""
        beta = self.table.minority_weight
        unlisted = self._unlisted(counts)
        posterior = self._posterior(counts) if seen is None else self._posterior_of(seen)
        counted = {t: c for t, c in counts.items() if c > 0 and t in self.main}
        n = sum(counted.values())
        # The minority's predictive given main format F is (β·minority(t) + count(t)) / (β + n - count(F)),
        # with F's own count 0 (its addresses are the main format's): summed over F once, then corrected
        # for t's own term.
        each = {t: spread / (beta + n - counted.get(t, 0.0)) for t, (_, spread) in posterior.items()}
        every = sum(each.values())

        def share_of(template: str) -> float:
            if template == UNLISTED:
                return unlisted
            main = posterior.get(template, (0.0, 0.0))[0]
            count = counted.get(template, 0.0)
            minority = (beta * self.minority.get(template, 0.0) + count) * every
            minority -= count * each.get(template, 0.0)
            return (1 - unlisted) * (main + minority)

        return share_of

    def _unlisted(self, counts: dict[str, float]) -> float:
        """The share of aliases given (soft) COUNTS: the prior share, worth `unlisted_weight` addresses,
        updated by the addresses counted as aliases (a Beta-binomial's predictive)."""
        weight = self.table.unlisted_weight
        return (weight * self.unlisted + counts.get(UNLISTED, 0.0)) / (weight + sum(counts.values()))

    def log_marginal(self, seen: list[_Seen]) -> float:
        """log P(the addresses SEEN, each under its likelihoods, one after the other)."""
        logs = [log for *_, log in self._pair_logs(seen)]
        top = max(logs)
        return top + math.log(sum(math.exp(log - top) for log in logs))

    def _posterior_of(self, seen: list[_Seen]) -> dict[str, tuple[float, float]]:
        """As _posterior, weighed on the addresses SEEN with their likelihoods (see _pair_logs)."""
        logs = self._pair_logs(seen)
        return _per_main(logs)

    def _pair_logs(self, seen: list[_Seen]) -> list[tuple[str, float, float]]:
        """(main format, main share, log P(it) + log P(the addresses SEEN | it)) for every pair: each
        address's chance under shares()'s predictive for the pair, given the addresses before it, which
        counts the main format's addresses as its own (see the class docstring)."""
        beta = self.table.minority_weight
        pairs = [(template, share, math.log(weight * prior))
                 for share, weight in self.table.main_share for template, prior in self.main.items()]
        logs = [log for *_, log in pairs]
        before: dict[str, float] = {}
        for likelihood, counts in seen:
            if likelihood:
                unlisted = self._unlisted(before)
                alias = likelihood.get(UNLISTED, 0.0) * unlisted
                counted = sum(c for t, c in before.items() if t in self.main)
                # Σ over the address's formats of likelihood × (β·minority + count): the minority's
                # numerator for every main format at once, less the main format's own count below.
                spread = sum(like * (beta * self.minority.get(t, 0.0) + before.get(t, 0.0))
                             for t, like in likelihood.items() if t != UNLISTED)
                for i, (main, share, _) in enumerate(pairs):
                    own, like = before.get(main, 0.0), likelihood.get(main, 0.0)
                    minority = (spread - like * own) / (beta + counted - own)
                    logs[i] += math.log(alias + (1 - unlisted) * (share * like + (1 - share) * minority))
            for t, c in counts.items():
                before[t] = before.get(t, 0.0) + c
        return [(template, share, log) for (template, share, _), log in zip(pairs, logs, strict=True)]


def _per_main(logs: list[tuple[str, float, float]]) -> dict[str, tuple[float, float]]:
    """Per main format, from (main format, main share, log weight) pairs: (P(it is the main one) × its
    share, P(it is) × the minority's share), normalised."""
    top = max(log for *_, log in logs)
    out: dict[str, tuple[float, float]] = {}
    for template, share, log in logs:
        p = math.exp(log - top)
        main, spread = out.get(template, (0.0, 0.0))
        out[template] = (main + p * share, spread + p * (1 - share))
    norm = sum(a + b for a, b in out.values())
    return {t: (a / norm, b / norm) for t, (a, b) in out.items()}


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
    model = _DomainModel.of(base, table)
    pooled = model.log_marginal(seen_as)
    split = sum(model.log_marginal(group) for group in groups.values())
    odds = math.log(table.custom_formats / (1 - table.custom_formats)) + split - pooled
    p_split = 1 / (1 + math.exp(-max(-50.0, min(50.0, odds))))
    out = {}
    for custom, group in groups.items():
        own = model.shares(_sum_counts(c for _, c in group), group)
        out[custom] = {t: p_split * own(t) + (1 - p_split) * shares[t] for t in shares}
    return out


def naming_custom(name: NameParts, patterns: str | None = None) -> str:
    """The naming custom a name follows, as far as a domain may give it a format of its own:
    "vietnamese" (a Vietnamese family name with a middle name or Vietnamese letters: such staff may
    write annv@ where the others write first.last@), "east asian" (a family name of patterns/names.toml's
    East Asian list: such staff may write lastfirst@), "two surnames" (most of the name's weight on
    readings with a second surname) or "one surname"."""
    data = name_data(patterns)
    if spell(name.family) in data.vietnamese_surnames and (
            name.middle or has_vietnamese_letters(name.original)):
        return "vietnamese"
    words = f"{name.given} {name.family}".replace("-", " ").split()
    if len(words) <= 3 and any(spell(word) in data.east_asian_surnames for word in words):
        return "east asian"
    if sum(r.weight for r in name.readings if r.last2) >= 0.5:
        return "two surnames"
    return "one surname"


def conventions_by_name(readings: Sequence[NameReading]) -> Conventions:
    """What a name alone says of each convention in which it has a choice: per dimension that two or more
    of its READINGS differ in, each option's share of the weight of the readings that have the dimension."""
    options: Conventions = {}
    for reading in readings:
        for dimension, option in reading.conventions:
            shares = options.setdefault(dimension, {})
            shares[option] = shares.get(option, 0.0) + reading.weight
    return {
        dimension: {option: weight / sum(shares.values()) for option, weight in shares.items()}
        for dimension, shares in options.items() if len(shares) > 1 and sum(shares.values()) > 0
    }


def reading_weights(readings: Sequence[NameReading], shifts: Shifts, listed: float = 0.0) -> list[float]:
    """READINGS' weights once a domain's conventions (SHIFTS, see _log_odds_shift) are taken into
    account, summing to 1.

    Per dimension, each option's probability by the name alone (p) becomes sigmoid(logit p + the
    domain's shift of that option), normalised over the options, and each reading's weight is tilted
    by that over p: the name's own evidence stays (Sarah Jane Cooper keeps her one surname at a
    Spanish university where everyone uses the first of two, Li Dongwei stays family name first at a
    domain of given-name-first Zhangs). Readings without the dimension keep their weight. LISTED, the
    chance that the directory writes everyone family name first (_listed_order), mixes that order in.
    """
    weights = [r.weight for r in readings]
    for dimension, by_name in conventions_by_name(readings).items():
        shift = shifts.get(dimension, {})
        directory = listed if dimension == "order" and "family first" in by_name else 0.0
        if not shift and not directory:
            continue
        moved = {option: _sigmoid(_logit(p) + shift.get(option, 0.0)) for option, p in by_name.items()}
        total = sum(moved.values())
        share = {option: value / total for option, value in moved.items()}
        if directory:  # such a directory moves what each name says of its order by _LISTED_SHIFT
            alone = by_name["family first"]
            first = _in_listed_directory(alone)
            rest = max(1 - alone, _CERTAIN)  # the other options' share by name (never quite 0)
            listed_share = {o: first if o == "family first" else (1 - first) * p / rest
                            for o, p in by_name.items()}
            share = {o: directory * listed_share[o] + (1 - directory) * v for o, v in share.items()}
        # (An option of no weight by name stays at none: its readings weigh nothing to tilt.)
        tilt = {option: share[option] / p if p > 0 else 0.0 for option, p in by_name.items()}
        for i, reading in enumerate(readings):
            option = dict(reading.conventions).get(dimension)
            if option is not None:
                weights[i] *= tilt[option]
    total = sum(weights)
    return [w / total for w in weights] if total else weights


def apply_conventions(name: NameParts, shifts: Shifts, listed: float = 0.0) -> NameParts:
    """NAME with its readings reweighted by a domain's conventions (SHIFTS, and LISTED: the chance its
    directory writes everyone family name first), heaviest first."""
    if not shifts and not listed:
        return name
    weights = reading_weights(name.readings, shifts, listed)
    readings = sorted(
        (replace(r, weight=w) for r, w in zip(name.readings, weights, strict=True)),
        key=lambda r: (-r.weight, r.first, r.middle, r.last, r.last2, r.f),
    )
    return replace(name, readings=tuple(readings))
