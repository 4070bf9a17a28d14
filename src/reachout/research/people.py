"""Addresses seen on a site: role inboxes and personal ones, paired with the people named."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from reachout.guessing.readings import NameReading
from reachout.research.brief import Address, Person
from reachout.research.site import settings


def role_locals() -> frozenset[str]:
    """Role and team inbox local parts: research.toml's list plus the guesser's hiring inboxes."""
    from reachout.guessing import load_role_inboxes

    own = {str(x).lower() for x in settings()["inboxes"]["role"]}
    return frozenset(own | {inbox.local.lower() for inbox in load_role_inboxes()})


def name_matches(name: str, local: str) -> int:
    """How well LOCAL (an address's local part) spells NAME (its titles and degrees aside): 0 none,
    1 weak, 2 strong; in any likely reading of NAME, asked of the guesser's name reader ("KOWALSKI Jan"
    is jkowalski@, Chan Tai Man is tmchan@ too, Peter Chan Tai Man is peter.chan@, Dr Smith has no
    given name whose initial an address could start with)."""
    from reachout.guessing.namedata import name_data
    from reachout.guessing.namewords import without_titles

    data = name_data()
    words = [w for word in without_titles(name, data).split() for w in _folds(word, data.expand) if w]
    local = re.sub(r"[^a-z]", "", local.lower())
    # Most names on a page are not in the address at all: only those are read (a page names many).
    if len(words) < 2 or not any(len(word) > 1 and word in local for word in words):
        return 0
    # A reading less likely than _LIKELY (Bob for Robert, Smith Jane) pairs weakly at most: it wins an
    # address only when no other person spells it as well.
    return max((min(_spells(reading, local), 2 if reading.weight >= _LIKELY else 1)
                for reading in _readings(name)), default=0)


def _folds(word: str, expand: dict[str, str]) -> tuple[str, ...]:
    """WORD in ASCII letters, with umlauts dropped (Müller → muller) and expanded (mueller)."""
    from anyascii import anyascii

    expanded = "".join(expand.get(ch, ch) for ch in word.lower())
    return tuple(dict.fromkeys(re.sub(r"[^a-z]", "", anyascii(w).lower()) for w in (word, expanded)))


_LIKELY = 0.1  # readings less likely than this (Smith Jane, Jack for John) pair an address weakly


@functools.lru_cache(maxsize=1024)
def _readings(name: str) -> tuple[NameReading, ...]:
    from reachout.errors import BadInput
    from reachout.guessing import parse_name

    try:
        return parse_name(name).readings
    except BadInput:
        return ()


def _spells(reading: NameReading, local: str) -> int:
    """How well LOCAL spells READING's given name and surname: 0 none, 1 weak, 2 strong."""
    first, last = reading.first, reading.last
    if not first or not last:  # Dr Smith, Sir John: the one name known, alone
        return int(local in (first, last))
    if first in local and last in local:
        return 2
    if last in local and any(local.startswith(f) or local.endswith(f) for f in {reading.f, first[0]}):
        return 2
    if local in (first, last) or (first in local and local.endswith(last[0])):
        return 1
    return 0


def classify(addresses: Sequence[tuple[str, str]], people: Sequence[Person]) -> list[Address]:
    """Addresses (address, source) → role inboxes and personal addresses paired with a person."""
    roles = role_locals()
    out: list[Address] = []
    by_address = {p.address: p for p in people if p.address}
    for address, source in dict.fromkeys(addresses):
        local = address.split("@", 1)[0]
        base = re.split(r"[+]", local, maxsplit=1)[0]
        if base in roles or base.replace(".", "") in roles or base.replace("-", "") in roles:
            out.append(Address(address, "role", source))
            continue
        person = by_address.get(address)
        if person is None:
            scored = sorted(
                ((name_matches(p.name, base), p) for p in people), key=lambda pair: -pair[0]
            )
            best = [p for score, p in scored if score and score == scored[0][0]]
            if len(best) == 1:
                person = best[0]
                if not person.address:
                    person.address = address
        out.append(Address(address, "personal", source, person.name if person else None))
    # Keep one entry per address.
    unique: dict[str, Address] = {}
    for item in out:
        unique.setdefault(item.address, item)
    return list(unique.values())


def known_pairs(addresses: Sequence[Address]) -> list[tuple[str, str]]:
    """(name, address) pairs for the guesser's pattern learning: personal ones with a person."""
    return [(a.person, a.address) for a in addresses if a.kind == "personal" and a.person]


def likely_format(domain: str, pairs: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    """The domain's likely address format, learnt by the guesser from (name, address) PAIRS and the
    domain's saved public evidence (`reachout evidence`; each of its addresses counts less).

    The addresses were read off the company's own pages and syntax-checked there, so they go in as
    KnownAddress records as they are (the guesser's own check refuses reserved test domains).
    """
    from reachout.guessing import KnownAddress, infer_domain_format
    from reachout.guessing.site import saved_public_evidence

    known = [KnownAddress(name, address) for name, address in pairs]
    gathered, _, _ = saved_public_evidence(domain, exclude={k.address for k in known})
    if not known and not gathered:
        return None
    result = infer_domain_format(domain, known + gathered)
    data: dict[str, Any] = result.to_dict()
    return data
