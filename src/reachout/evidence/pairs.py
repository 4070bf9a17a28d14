"""From raw hits to evidence: only people's addresses at the domain, one per person, weighed and capped.

Kept: addresses at the domain, its subdomains and sister domains (the learner says which, as it does
for known addresses). Dropped: role inboxes (patterns/role_accounts.toml), automation (bots, CI,
no-reply: patterns/evidence.toml), free webmail, and names that are handles (`jdoe`, `john_doe`)
rather than a person's name. Many hits of one person (5,000 commits) are one pair, the most recent.
Each pair's weight says how much it counts against an address the user gives (always 1): less for an
older one and for a source where people often write from an alias. The learner sees at most
`[cap] pairs` of them, newest first, taken from the sources in turn.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reachout.data import load_toml
from reachout.errors import BadInput, DataError
from reachout.evidence.hits import Hit
from reachout.guessing.known import KnownAddress, normalize_address


@dataclass(frozen=True)
class Rules:
    """patterns/evidence.toml, read once."""

    budget: Mapping[str, int]
    at_once: Mapping[str, int]  # requests in flight to one host, per source, for the whole run
    source_weight: Mapping[str, float]
    half_life_years: float
    undated: float
    floor: float
    cap: int
    bot_words: frozenset[str]  # in a local part
    name_words: frozenset[str]  # in a name
    host_words: frozenset[str]  # a label of the address's host


@functools.lru_cache(maxsize=8)
def load_rules(patterns: str | None = None) -> Rules:
    """The evidence rules of patterns/evidence.toml (or DIR/evidence.toml). Raises DataError."""
    raw = load_toml("evidence", patterns)
    try:
        weight = raw["weight"]
        return Rules(
            budget={str(k): int(v) for k, v in raw["budget"].items()},
            at_once={str(k): max(1, int(v)) for k, v in raw.get("at_once", {}).items()},
            source_weight={str(k): float(v) for k, v in weight["source"].items()},
            half_life_years=float(weight["half_life_years"]),
            undated=float(weight["undated"]),
            floor=float(weight["floor"]),
            cap=int(raw["cap"]["pairs"]),
            bot_words=frozenset(str(w).lower() for w in raw["filter"]["bot_words"]),
            name_words=frozenset(str(w).lower() for w in raw["filter"].get(
                "name_words", raw["filter"]["bot_words"])),
            host_words=frozenset(str(w).lower() for w in raw["filter"].get("host_words", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):  # int(inf): Overflow
        raise DataError(
            "patterns/evidence.toml is malformed: it needs [budget] and [at_once] (whole numbers per "
            "source), [weight] (source, half_life_years, undated, floor), [cap] pairs and [filter] "
            "bot_words."
        ) from None


@dataclass
class EvidencePair:
    """One person's address at the domain, the source that showed it (URL, date) and its weight."""

    name: str
    address: str
    source: str
    url: str
    date: str | None
    weight: float
    also: list[str] = field(default_factory=list)  # other sources that showed the same address

    def known(self) -> KnownAddress:
        """The pair as the guesser's known address, with its weight."""
        return KnownAddress(self.name, self.address, weight=self.weight, source=self.source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address": self.address,
            "source": self.source,
            "url": self.url,
            "date": self.date,
            "weight": round(self.weight, 3),
            "also": list(self.also),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvidencePair:
        weight = data.get("weight")
        return cls(
            name=str(data["name"]), address=str(data["address"]), source=str(data["source"]),
            url=str(data.get("url") or ""), date=str(data["date"]) if data.get("date") else None,
            weight=float(weight) if isinstance(weight, int | float) else 0.5,
            also=[str(s) for s in data.get("also") or [] if isinstance(s, str)],
        )


def why_dropped(hit: Hit, domain: str, rules: Rules, patterns: str | None = None) -> str | None:
    """Why HIT is no evidence of DOMAIN's format ("role inbox", "bot", …), or None to keep it."""
    from reachout.mail.verify import is_role

    local, _, host = hit.address.rpartition("@")
    if not local or not _related(host, domain):
        return "not at the domain"
    if _webmail(host, patterns):
        return "webmail"
    if (is_role(local, patterns=patterns) or _is_bot(local, hit.name, rules)
            or set(host.lower().split(".")) & rules.host_words):
        return "role or automation"
    if not is_personal_name(hit.name, local):
        return "a handle, not a name"
    return None


@functools.lru_cache(maxsize=256)
def _webmail(host: str, patterns: str | None) -> bool:
    """is_webmail, asked once per host (the hits of one domain share a few hosts)."""
    from reachout.mail.verify import is_webmail

    return is_webmail(host, patterns=patterns)


@functools.lru_cache(maxsize=256)
def _related(theirs: str, domain: str) -> bool:
    """THEIRS is DOMAIN, a subdomain or parent of it, or a sister domain (the learner's own test,
    asked once per host)."""
    from reachout.guessing.learn import domain_relation

    return domain_relation(theirs.lower().rstrip("."), domain.lower().rstrip(".")) is not None


def _is_bot(local: str, name: str, rules: Rules) -> bool:
    """A machine's address or name: a local part holding a machine word that is nobody's name
    ("ci-bot") or made of machine words only ("jenkins"; "jane.jenkins" is a person), or a name
    holding such a word ("Jenkins CI") or "[bot]"."""
    parts = set(re.split(r"[.\-_+]", local.lower())) - {""}
    words = re.findall(r"[a-z]+", name.lower())
    if set(words) & rules.name_words or "[bot]" in name.lower():
        return True
    if local.lower() == "".join(w[0] for w in words):
        return False  # a person's initials ("cd@" of Carl Dupont), not "ci" or "cd" the pipeline
    return bool(parts & rules.name_words) or (bool(parts) and parts <= rules.bot_words)


_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")


def is_personal_name(name: str, local: str = "") -> bool:
    """True when NAME reads as a person's name (two words or more, no digits or underscores), not a
    handle such as 'jdoe', 'john_doe' or 'JohnDoe42'. A name in a script written without spaces
    (Chinese, Japanese, Korean) may be one word of two to four characters."""
    text = " ".join(name.split())
    if not text or len(text) > 80 or re.search(r"[\d_@/\\<>()\[\]{}]", text):
        return False
    if local and text.lower() == local.lower():
        return False  # the local part copied into the name field ("jdoe", "jane.doe")
    # Combining marks are part of a word (Devanagari and Thai vowel signs, a name git recorded
    # decomposed, as macOS often does): the word test reads the letters they sit on.
    text = "".join(ch for ch in unicodedata.normalize("NFC", text)
                   if not unicodedata.category(ch).startswith("M") and ch not in _JOINERS)
    words = _WORD.findall(text)
    if " ".join(words) != text.replace(",", "").replace("  ", " "):
        return False  # something that is not a word (an emoji, punctuation runs)
    if len(words) >= 2:
        return any(len(w.rstrip(".")) >= 2 for w in words)
    only = words[0] if words else ""
    return 2 <= len(only) <= 4 and all(_spaceless_script(ch) for ch in only)


_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners, part of Persian and Indic spellings


def _spaceless_script(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA", "HANGUL"))


def weigh(hit: Hit, rules: Rules, today: datetime | None = None) -> float:
    """How much HIT counts: its source's weight, halved every half-life since its date."""
    base = rules.source_weight.get(hit.source, min(rules.source_weight.values(), default=0.5))
    if hit.date is None:
        return max(rules.floor, base * rules.undated)
    now = today or datetime.now(UTC)
    try:
        seen = datetime.strptime(hit.date, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return max(rules.floor, base * rules.undated)
    years = max(0.0, (now - seen).days / 365.25)
    return max(rules.floor, base * 0.5 ** (years / rules.half_life_years))


def to_pairs(
    hits: Iterable[Hit], domain: str, rules: Rules, *, patterns: str | None = None,
    today: datetime | None = None,
) -> tuple[list[EvidencePair], dict[str, int]]:
    """One pair per person from HITS (the most recent hit of each), and how many hits were dropped
    for each reason. A person is one address, and one name: the same name at two addresses is
    one person (their newer address kept)."""
    dropped: dict[str, int] = {}
    by_address: dict[str, EvidencePair] = {}
    # One person's 5,000 commits: their name and address are checked once.
    checked: dict[tuple[str, str], tuple[str, str]] = {}
    for hit in hits:
        key = (hit.name, hit.address)
        if key not in checked:
            checked[key] = _check(hit, domain, rules, patterns)
        reason, address = checked[key]
        if reason:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        name = unicodedata.normalize("NFC", " ".join(hit.name.split()))
        pair = EvidencePair(name, address, hit.source, hit.url, hit.date, weigh(hit, rules, today))
        _merge(by_address, address, pair)
    by_name: dict[str, EvidencePair] = {}
    for pair in by_address.values():
        _merge(by_name, _name_key(pair.name), pair)
    return list(by_name.values()), dropped


def _check(hit: Hit, domain: str, rules: Rules, patterns: str | None) -> tuple[str, str]:
    """(why HIT is dropped or "", its normalised address)."""
    try:
        address = normalize_address(hit.address.strip(), allow_private=True)
    except BadInput:
        return "not an address", ""
    reason = why_dropped(Hit(" ".join(hit.name.split()), address, hit.source, hit.url, hit.date),
                         domain, rules, patterns)
    return reason or "", address


def _merge(into: dict[str, EvidencePair], key: str, pair: EvidencePair) -> None:
    """Keep the newer of two pairs under KEY; the kept one remembers the other's sources and weighs
    as much as the heavier of the two."""
    old = into.get(key)
    if old is None:
        into[key] = pair
        return
    newer, other = (pair, old) if (pair.date or "") > (old.date or "") else (old, pair)
    sources = [s for s in [other.source, *other.also, *newer.also] if s != newer.source]
    newer.also = list(dict.fromkeys(sources))
    newer.weight = max(newer.weight, other.weight)
    into[key] = newer


def _name_key(name: str) -> str:
    from anyascii import anyascii

    return " ".join(sorted(re.findall(r"[a-z]+", anyascii(name).lower())))


def cap(pairs: Sequence[EvidencePair], limit: int, rules: Rules) -> list[EvidencePair]:
    """At most LIMIT pairs: each source's newest first, the sources taken in turn (the most trusted
    first), so the learner sees recent people from every source rather than one source's backlog."""
    queues: dict[str, list[EvidencePair]] = {}
    for pair in sorted(pairs, key=lambda p: (p.date or "", p.address), reverse=True):
        queues.setdefault(pair.source, []).append(pair)
    order = sorted(queues, key=lambda s: (-rules.source_weight.get(s, 0.0), s))
    chosen: list[EvidencePair] = []
    index = 0
    while len(chosen) < limit and any(index < len(queues[s]) for s in order):
        for source in order:
            if index < len(queues[source]) and len(chosen) < limit:
                chosen.append(queues[source][index])
        index += 1
    return chosen
