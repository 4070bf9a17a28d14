"""Readings of names that the guesser used to miss (issue 23, class 5), each with invented names: compound
surnames that start with a particle-like word, a given name standing where a first surname could be,
compound given names, other-language forms and nicknames of given names, and two-syllable given names
whose initials are both syllables'."""

from __future__ import annotations

import reachout
from reachout.guessing import parse_name


def top(name: str, domain: str, known: list[str] = (), n: int = 1) -> list[str]:  # type: ignore[assignment]
    return [c.address for c in reachout.guess(name, domain, known=known, roles=False).personal[:n]]


def weight_of(name: str, domain: str | None = None, **parts: str) -> float:
    """The total weight of NAME's readings whose parts are PARTS (first=…, last=…, f=…)."""
    readings = parse_name(name, domain=domain).readings
    return sum(r.weight for r in readings if all(getattr(r, k) == v for k, v in parts.items()))


# --- compound surnames: San Martín, Santa Cruz, Mac Donald, St John ---------------------------------


def test_a_particle_like_first_word_joins_the_surname_it_starts():
    assert weight_of("Pedro San Marcial Ruiz", "uni.example.es", last="sanmarcial", last2="ruiz") > 0.8
    assert weight_of("Pedro San Marcial Ruiz", "uni.example.es", last="marcial") > 0.02  # dropped: present
    assert weight_of("Pedro San Marcial Ruiz", "uni.example.es", last="san") == 0
    assert top("Pedro San Marcial", "uni.example.es", n=3)[0] == "pedro.sanmarcial@uni.example.es"


def test_each_particle_keeps_its_own_custom():
    # "San", "Santa", "Mac" and "St" start one indivisible surname; "de la" is often left out.
    for name, joined in [("Lidia Santa Olalla", "santaolalla"), ("Ewan Mac Fardle", "macfardle"),
                         ("Orla St. Quentin", "stquentin")]:
        assert weight_of(name, "example.com", last=joined) > 0.8, name
    spanish = weight_of("Ana de la Fuentecilla", "example.es", last="delafuentecilla")
    assert 0.4 < spanish < 0.7


def test_a_particle_like_word_that_starts_the_name_stays_a_given_name():
    assert parse_name("Santa Orbegozo", domain="example.com").best.first == "santa"


def test_a_domain_that_drops_particles_teaches_that():
    dutch = ["Joost van Dammer <joost.dammer@acme.es>", "Ana de la Presa <ana.presa@acme.es>"]
    # Dropping "van" and "de la" says little about "San", which starts an indivisible surname...
    assert top("Pedro San Marcial", "acme.es", dutch) == ["pedro.sanmarcial@acme.es"]
    # ...but colleagues whose "San" and "Santa" were dropped do.
    known = [*dutch[:1], "Marta San Olmedo <marta.olmedo@acme.es>",
             "Rosa Santa Leocadia <rosa.leocadia@acme.es>"]
    assert top("Pedro San Marcial", "acme.es", known) == ["pedro.marcial@acme.es"]
