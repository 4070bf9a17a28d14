"""Read a person's name into the parts an address is built from.

A name can be read several ways: "Adela Barrena Pascual" is given name + two surnames in Spain (the
first one is used alone) and given + middle + surname elsewhere; "Tanaka Hiroshi" may be written family
name first; "Bob" may sign up as Robert. Each way is a *reading* with a weight (the weights of a name's
readings sum to 1) and the *conventions* it follows ({"surnames": "first of two"}). Context sets the
weights (the domain's country, the name's accents, name lists); known addresses at a domain then teach
which conventions that domain follows (guessing/learn.py).
"""

from __future__ import annotations

import functools
from dataclasses import replace

from reachout.errors import BadInput
from reachout.guessing.customs import Unit, structures_of
from reachout.guessing.namedata import name_data
from reachout.guessing.namewords import HINT, check_text, clean_name, parse_words
from reachout.guessing.readings import NameParts, NameReading
from reachout.guessing.spelling import readings_of, spell

__all__ = ["NameParts", "NameReading", "clear_caches", "likeliest", "parse_name"]

# Readings kept for ranking (the rest share less than MIN_WEIGHT) and for explaining a known address.
_MAX_READINGS = 48
_MIN_WEIGHT = 0.002
_MAX_EXPLAINING_READINGS = 512


def likeliest(name: NameParts) -> NameParts:
    """NAME with only the readings worth ranking: those that share 0.2 % or more (48 at most)."""
    kept = _normalised(list(name.readings), _MAX_READINGS, _MIN_WEIGHT)
    return name if kept == name.readings else replace(name, readings=kept)


def _normalised(readings: list[NameReading], most: int, least: float) -> tuple[NameReading, ...]:
    kept = [r for r in readings[:most] if r.weight >= least] or readings[:1]
    total = sum(r.weight for r in kept)
    if total == 1:  # already normalised, as parse_name's readings mostly are for likeliest: w / 1 is w
        return tuple(kept)
    return tuple(r.reweighted(r.weight / total) for r in kept)


@functools.lru_cache(maxsize=4096)
def parse_name(text: str, *, domain: str | None = None, patterns: str | None = None,
               complete: bool = False) -> NameParts:
    """Parse TEXT into name parts and weighted ASCII readings; DOMAIN's country guides the weights.

    COMPLETE keeps every reading however unlikely (to explain a known address); otherwise the readings
    that share less than 0.2 % are dropped.
    """
    check_text(text)  # a bad name is the error to report, before any about the data files
    data = name_data(patterns)
    cleaned = clean_name(text, data)
    parsed = parse_words(cleaned, data)
    structures = structures_of(parsed, domain, data)
    readings = readings_of(structures, parsed.nicknames, cleaned, domain, data)
    if not any(r.first or r.last or r.last_initial for r in readings):
        raise BadInput(
            f"{cleaned!r} has no letters that can be written in an address after transliteration; {HINT}."
        )
    if complete:
        kept = _normalised(readings, _MAX_EXPLAINING_READINGS, 0.0)
    else:
        kept = _normalised(readings, _MAX_READINGS, _MIN_WEIGHT)
    main = structures[max(range(len(structures)), key=lambda i: structures[i].weight)]
    notes, gaps = [], []
    if parsed.title:
        notes.append(f"title {parsed.title!r} dropped")
    if parsed.suffix:
        notes.append(f"suffix {parsed.suffix!r} dropped")
    if not main.surnames:
        gaps.append("no family name: only formats that use the given name apply")
    elif not main.given:
        gaps.append("no given name: only formats that use the family name alone apply; add the given "
                    "name or its initial for the others")
    elif all(u.is_initial for u in main.surnames):
        gaps.append("only the surname's initial is known: formats that need the whole surname don't apply")
    return NameParts(
        original=text,
        given=" ".join(_written(u) for u in main.given),
        middle=" ".join(_written(u) for u in main.middle),
        family=" ".join(_written(u) for u in main.surnames),
        title=parsed.title,
        suffix=parsed.suffix,
        nicknames=tuple(parsed.nicknames),
        readings=kept,
        notes=tuple(notes + gaps),
        gaps=tuple(gaps),
    )


def _written(unit: Unit) -> str:
    return " ".join([*unit.particles, unit.core])


def clear_caches() -> None:
    """Forget every parsed name and spelt word (the data files stay loaded)."""
    parse_name.cache_clear()
    spell.cache_clear()
