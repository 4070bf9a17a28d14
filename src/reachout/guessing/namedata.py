"""patterns/names.toml, loaded: transliteration, name lists, titles and suffixes, naming customs'
log-odds and the nicknames."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reachout.data import load_toml


@dataclass(frozen=True)
class NameData:
    """patterns/names.toml, ready to use."""

    expand: dict[str, str]
    expanded_weight: dict[str, float]
    reliability: dict[str, float]  # by script: how often anyascii's spelling is the one used
    spanish_surnames: frozenset[str]
    spanish_suffixes: tuple[str, ...]
    compound_given: frozenset[str]
    spanish_given: frozenset[str]
    given_names: frozenset[str]  # common given names of every list, nicknames included
    full_forms: dict[str, tuple[str, ...]]  # bob → (robert,)
    short_forms: dict[str, tuple[str, ...]]  # robert → (bob, rob…)
    headline_words: frozenset[str]
    titles: frozenset[str]
    suffixes: frozenset[str]
    suffixes_in_capitals: frozenset[str]
    particles: frozenset[str]
    capitalised_particles: frozenset[str]  # particles that are particles written with a capital too
    particles_joined: dict[str, float]  # by a surname's first particle ("default" too): share kept joined
    vietnamese_surnames: frozenset[str]
    conjunctions: frozenset[str]
    portuguese_particles: frozenset[str]
    east_asian_surnames: frozenset[str]
    tlds: dict[str, frozenset[str]]  # custom → country-code TLDs
    odds: dict[str, float]  # base log-odds and signal weights, by "<question>_base"/"<question>.<signal>"
    usual_form_of_nickname: float
    nickname_of_full_form: float


@functools.lru_cache(maxsize=8)
def name_data(patterns: str | None = None) -> NameData:
    """Load patterns/names.toml (or the one in PATTERNS)."""
    raw = load_toml("names", patterns)
    translit = raw.get("transliteration", {})
    spanish = raw.get("spanish", {})
    conventions = raw.get("conventions", {})
    full_forms: dict[str, set[str]] = {}
    short_forms: dict[str, set[str]] = {}
    for canonical, shorts in raw.get("nicknames", {}).items():
        for short in shorts:
            full_forms.setdefault(short, set()).add(canonical)
            short_forms.setdefault(canonical, set()).add(short)
    odds: dict[str, float] = {}
    for question in ("two_surnames", "compound_given", "family_first"):
        odds[f"{question}_base"] = float(conventions.get(f"{question}_base", -5.0))
        for signal, value in conventions.get(f"{question}_signals", {}).items():
            odds[f"{question}.{signal}"] = float(value)
    titles = raw.get("titles", {})
    return NameData(
        expand=dict(translit.get("expand", {})),
        expanded_weight={k: float(v) for k, v in translit.get("expanded_weight", {}).items()},
        reliability={k: float(v) for k, v in translit.get("reliability", {}).items()},
        spanish_surnames=frozenset(spanish.get("surnames", [])),
        spanish_suffixes=tuple(spanish.get("surname_suffixes", [])),
        compound_given=frozenset(spanish.get("compound_given", [])),
        spanish_given=frozenset(raw.get("given_names", {}).get("spanish", [])),
        given_names=frozenset(
            [*raw.get("given_names", {}).get("spanish", []), *raw.get("given_names", {}).get("common", []),
             *full_forms, *short_forms]
        ),
        full_forms={k: tuple(sorted(v)) for k, v in full_forms.items()},
        short_forms={k: tuple(sorted(v)) for k, v in short_forms.items()},
        headline_words=frozenset(raw.get("headline", {}).get("words", [])),
        titles=frozenset(titles.get("words", [])),
        suffixes=frozenset(titles.get("suffixes", [])),
        suffixes_in_capitals=frozenset(titles.get("suffixes_in_capitals", [])),
        particles=frozenset(titles.get("particles", [])),
        capitalised_particles=frozenset(titles.get("capitalised_particles", [])),
        particles_joined={k: float(v) for k, v in titles.get("particles_joined", {}).items()},
        vietnamese_surnames=frozenset(conventions.get("vietnamese_surnames", [])),
        conjunctions=frozenset(conventions.get("surname_conjunctions", [])),
        portuguese_particles=frozenset(conventions.get("portuguese_particles", [])),
        east_asian_surnames=frozenset(conventions.get("east_asian_surnames", [])),
        tlds={
            custom: frozenset(conventions.get(f"{custom}_tlds", []))
            for custom in ("spanish", "portuguese", "english", "east_asian", "hungarian", "south_asian")
        },
        odds=odds,
        usual_form_of_nickname=float(conventions.get("usual_form_of_nickname", 0.3)),
        nickname_of_full_form=float(conventions.get("nickname_of_full_form", 0.05)),
    )


def tld_of(domain: str | None) -> str:
    """The last label of DOMAIN ("es" for uni.example.es): the country whose customs weigh most."""
    return (domain or "").rstrip(".").rsplit(".", 1)[-1].lower()
