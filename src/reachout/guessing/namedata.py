"""patterns/names.toml, loaded: transliteration, name lists, titles and suffixes, naming customs'
log-odds and the nicknames."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reachout.data import load_toml
from reachout.errors import DataError


@dataclass(frozen=True)
class NameData:
    """patterns/names.toml, ready to use."""

    expand: dict[str, str]
    expanded_weight: dict[str, float]
    own_alphabet_letters: frozenset[str]  # Turkish, Hungarian, Estonian letters: ö ü are no umlauts there
    own_alphabet_odds: float  # what they multiply the odds of an expanded spelling by
    reliability: dict[str, float]  # by script: how often anyascii's spelling is the one used
    spanish_surnames: frozenset[str]
    spanish_suffixes: tuple[str, ...]
    compound_given: frozenset[str]
    compound_given_starts: frozenset[str]  # never a name alone: Abdul (Rahman), Abdel (Aziz)
    spanish_surname_share: dict[str, float]  # among the listed surnames, by Zipf's law on their order
    second_given_share: dict[str, float]  # among the listed second given names (compound_given), alike
    given_after_particle_share: dict[str, float]  # María del Carmen's carmen, among given_after_particle
    devotional_given: frozenset[str]  # María, José, Juan: the given names they follow
    middle_word: dict[str, float]  # the odds that a middle word is a first surname (customs.py)
    spanish_given: frozenset[str]
    # Indian and Arabic given names that are on no other list: family names just as often (Yasmin Ahmed)
    patronymic_given: frozenset[str]
    given_names: frozenset[str]  # common given names of every list, nicknames included
    full_forms: dict[str, tuple[str, ...]]  # bob → (robert,)
    short_forms: dict[str, tuple[str, ...]]  # robert → (bob, rob…), the commonest first
    # jorge → ((jordi, catalan), (gorka, basque), (xurxo, galician)); jordi → ((jorge, castilian),)
    other_forms: dict[str, tuple[tuple[str, str], ...]]
    language_of: dict[str, str]  # a name of [given_name_forms] → its language: jorge → castilian
    headline_words: frozenset[str]
    abbreviations: dict[str, str]  # "mª" → "María", "fco" → "Francisco": lower case, no dots
    titles: frozenset[str]
    titles_before_given: frozenset[str]  # Sir John, Don Pedro: a lone name after them is a given name
    name_ends: frozenset[str]  # lower-case words the rest after which is no name: of, née, geb.
    bracket_asides: frozenset[str]  # no nickname in brackets: Labour, Retired
    title_pairs: dict[str, frozenset[str]]  # Tan Sri, Toh Puan: a title's word that is one only with it
    title_qualifiers: frozenset[str]  # words that belong to the title before them (Dr. med., Prof. em.)
    suffixes: frozenset[str]
    suffixes_in_capitals: frozenset[str]
    dotted_suffixes: frozenset[str]  # S.E., M.M., S.Pd: degrees only when written with their dots
    particles: frozenset[str]
    capitalised_particles: frozenset[str]  # particles that are particles written with a capital too
    compound_surnames: frozenset[tuple[str, str]]  # Au Yeung, Sze To: one Chinese family name of two words
    surname_starters: frozenset[str]  # capitalised particles of Western surnames only (San Martín)
    o_surnames: frozenset[str]  # Irish surnames a capital O alone may start (O Brien for O'Brien)
    particles_joined: dict[str, float]  # by a surname's first particle ("default" too): share kept joined
    vietnamese_surnames: frozenset[str]
    patronymic_endings: tuple[str, ...]  # Ivanovich, Sergeevna: an East Slavic father's name
    hungarian_surnames: frozenset[str]  # Nagy, Kovács: before Hungarian given names, family name first
    hungarian_given: frozenset[str]
    vietnamese_surname_rank: dict[str, int]  # the list's order: 0 for Nguyen, the commonest
    vietnamese_middle_names: frozenset[str]
    vietnamese_middle_only: frozenset[str]  # Văn, Thị: never the name a person goes by
    # Where a Vietnamese name is written with the family name last (An Van Nguyen) or marked (capitals, a
    # comma), the share whose given name is still the last of the other words (Thi Hoa DO).
    vietnamese_order_kept: dict[str, float]
    conjunctions: frozenset[str]
    portuguese_particles: frozenset[str]
    east_asian_surnames: frozenset[str]
    tlds: dict[str, frozenset[str]]  # custom → country-code TLDs
    odds: dict[str, float]  # base log-odds and signal weights, by "<question>_base"/"<question>.<signal>"
    usual_form_of_nickname: float
    nickname_of_full_form: float
    other_language_form: dict[str, dict[str, float]]  # by language, then TLD ("default" for the others)
    second_given_name: dict[str, float]  # by the first given name: share of the second used alone
    initial_and_second: float  # José María → jmaria
    english_name_first: float  # Peter Chan Tai Man → peter.chan rather than taiman.chan
    given_after_initials: dict[str, float]  # K. S. Ravi Kumar → ravi, by custom ("default" elsewhere)
    each_part_initials: float  # Jean-Luc, Dong-wei → {f} = jl, dw
    syllable_initials: float  # Dongwei (one word, two syllables) → {f} = dw
    pinyin_syllables: frozenset[str]
    korean_syllables: frozenset[str]
    southern_syllables: frozenset[str]  # Cantonese, Hokkien, Wade-Giles given-name syllables (Tai Man)
    japanese_surnames: frozenset[str]
    japanese_given: frozenset[str]  # Hiroshi, Yuko: after a Japanese family name, family name first
    given_name_surnames: frozenset[str]  # Wei, Li, Yang: Chinese family names that are given names too
    syllable_surnames: frozenset[str]  # Chinese and Korean family names: a one-word given name may split
    syllable_tlds: frozenset[str]  # so may one at these countries' domains


@functools.lru_cache(maxsize=8)
def name_data(patterns: str | None = None) -> NameData:
    """Load patterns/names.toml (or the one in PATTERNS)."""
    raw = load_toml("names", patterns)
    translit = raw.get("transliteration", {})
    spanish = raw.get("spanish", {})
    conventions = raw.get("conventions", {})
    full_forms = _both_ways(raw.get("nicknames", {}))
    short_forms = {k: tuple(dict.fromkeys(v)) for k, v in raw.get("nicknames", {}).items()}
    other_forms, language_of = _language_forms(raw.get("given_name_forms", {}))
    odds: dict[str, float] = {}
    for question in ("two_surnames", "compound_given", "family_first"):
        odds[f"{question}_base"] = float(conventions.get(f"{question}_base", -5.0))
        for signal, value in conventions.get(f"{question}_signals", {}).items():
            odds[f"{question}.{signal}"] = float(value)
    titles = raw.get("titles", {})
    return NameData(
        expand=dict(translit.get("expand", {})),
        expanded_weight={k: float(v) for k, v in translit.get("expanded_weight", {}).items()},
        own_alphabet_letters=frozenset(translit.get("own_alphabet", {}).get("letters", "")),
        own_alphabet_odds=float(translit.get("own_alphabet", {}).get("odds", 1.0)),
        reliability={k: float(v) for k, v in translit.get("reliability", {}).items()},
        spanish_surnames=frozenset(spanish.get("surnames", [])),
        spanish_suffixes=tuple(spanish.get("surname_suffixes", [])),
        compound_given=frozenset(spanish.get("compound_given", [])),
        compound_given_starts=frozenset(conventions.get("compound_given_starts", [])),
        spanish_surname_share=_listed_shares(spanish.get("surnames", [])),
        second_given_share=_listed_shares(spanish.get("compound_given", [])),
        given_after_particle_share=_listed_shares(spanish.get("given_after_particle", [])),
        devotional_given=frozenset(spanish.get("devotional_given", [])),
        middle_word=_middle_word(conventions.get("middle_word", {})),
        spanish_given=frozenset(raw.get("given_names", {}).get("spanish", [])),
        given_names=frozenset(
            [*raw.get("given_names", {}).get("spanish", []), *raw.get("given_names", {}).get("common", []),
             *raw.get("given_names", {}).get("european", []),
             *raw.get("given_names", {}).get("patronymic", []), *full_forms, *short_forms, *other_forms]
        ),
        patronymic_given=frozenset(raw.get("given_names", {}).get("patronymic", [])).difference(
            *(raw.get("given_names", {}).get(k, []) for k in ("spanish", "common", "european"))),
        full_forms=full_forms,
        short_forms=short_forms,
        other_forms=other_forms,
        language_of=language_of,
        headline_words=frozenset(raw.get("headline", {}).get("words", [])),
        abbreviations={str(k): str(v) for k, v in raw.get("abbreviations", {}).items()},
        titles=frozenset(titles.get("words", [])),
        titles_before_given=frozenset(titles.get("before_given_name", [])),
        title_pairs={first: frozenset(seconds) for first, seconds in titles.get("pairs", {}).items()},
        title_qualifiers=frozenset(titles.get("qualifiers", [])),
        name_ends=frozenset(titles.get("name_ends", [])),
        bracket_asides=frozenset(titles.get("bracket_asides", [])),
        suffixes=frozenset(titles.get("suffixes", [])),
        suffixes_in_capitals=frozenset(titles.get("suffixes_in_capitals", [])),
        dotted_suffixes=frozenset(titles.get("dotted_suffixes", [])),
        particles=frozenset(titles.get("particles", [])),
        capitalised_particles=frozenset(titles.get("capitalised_particles", [])),
        compound_surnames=frozenset(
            (pair[0], pair[1]) for pair in (n.split() for n in conventions.get("compound_surnames", []))
            if len(pair) == 2),
        surname_starters=frozenset(titles.get("surname_starters", [])),
        o_surnames=frozenset(titles.get("o_surnames", [])),
        particles_joined={k: float(v) for k, v in titles.get("particles_joined", {}).items()},
        vietnamese_surnames=frozenset(conventions.get("vietnamese_surnames", [])),
        patronymic_endings=tuple(conventions.get("patronymic_endings", [])),
        hungarian_surnames=frozenset(conventions.get("hungarian_surnames", [])),
        hungarian_given=frozenset(conventions.get("hungarian_given", [])),
        vietnamese_surname_rank={name: rank for rank, name in enumerate(
            dict.fromkeys(conventions.get("vietnamese_surnames", [])))},
        vietnamese_middle_names=frozenset(conventions.get("vietnamese_middle_names", [])),
        vietnamese_middle_only=frozenset(conventions.get("vietnamese_middle_only", [])),
        vietnamese_order_kept={
            k: float(v) for k, v in conventions.get("vietnamese_order_kept", {}).items()},
        conjunctions=frozenset(conventions.get("surname_conjunctions", [])),
        portuguese_particles=frozenset(conventions.get("portuguese_particles", [])),
        east_asian_surnames=frozenset(
            [*conventions.get("east_asian_surnames", []), *conventions.get("japanese_surnames", [])]),
        japanese_surnames=frozenset(conventions.get("japanese_surnames", [])),
        japanese_given=frozenset(conventions.get("japanese_given", [])),
        given_name_surnames=frozenset(conventions.get("given_name_surnames", [])),
        syllable_surnames=frozenset(conventions.get("east_asian_surnames", []))
        - frozenset(conventions.get("vietnamese_surnames", [])),
        syllable_tlds=frozenset(raw.get("syllables", {}).get("tlds", [])),
        tlds={
            custom: frozenset(conventions.get(f"{custom}_tlds", []))
            # "vietnamese" before "east_asian": format_region gives .vn its own formats' column.
            for custom in ("spanish", "portuguese", "english", "vietnamese", "east_asian", "hungarian",
                           "south_asian")
        },
        odds=odds,
        usual_form_of_nickname=float(conventions.get("usual_form_of_nickname", 0.3)),
        nickname_of_full_form=float(conventions.get("nickname_of_full_form", 0.05)),
        other_language_form={
            language: {k: float(v) for k, v in by_tld.items()}
            for language, by_tld in conventions.get("other_language_form", {}).items()
        },
        second_given_name={k: float(v) for k, v in conventions.get("second_given_name", {}).items()},
        initial_and_second=float(conventions.get("initial_and_second", 0.0)),
        english_name_first=float(conventions.get("english_name_first", 0.0)),
        given_after_initials={k: float(v) for k, v in conventions.get("given_after_initials", {}).items()},
        each_part_initials=float(conventions.get("each_part_initials", 0.3)),
        syllable_initials=float(conventions.get("syllable_initials", 0.0)),
        pinyin_syllables=frozenset(raw.get("syllables", {}).get("pinyin", [])),
        korean_syllables=frozenset(raw.get("syllables", {}).get("korean", [])),
        southern_syllables=frozenset(raw.get("syllables", {}).get("southern", [])),
    )


def is_given_syllable(word: str, data: NameData) -> bool:
    """Whether WORD (spelt) is a syllable of a Chinese or Korean given name, in any romanisation."""
    return word in data.pinyin_syllables or word in data.korean_syllables or word in data.southern_syllables


def zipf_shares(count: int) -> list[float]:
    """Shares of COUNT names listed most frequent first, by Zipf's law (1, 1/2, 1/3…), summing to 1."""
    weights = [1 / rank for rank in range(1, count + 1)]
    total = sum(weights)
    return [w / total for w in weights]


def _listed_shares(names: list[str]) -> dict[str, float]:
    """Each of NAMES (listed most frequent first) → its share; a repeated name keeps its first place."""
    unique = list(dict.fromkeys(names))
    return dict(zip(unique, zipf_shares(len(unique)), strict=True))


_MIDDLE_WORD = ("base", "initial", "listed_surnames", "spanish_looking_surname", "given_name_as_surname",
                "unknown_surname", "listed_second_given", "other_given_name", "unknown_given_name")


def _middle_word(table: dict[str, float]) -> dict[str, float]:
    """[conventions] middle_word, complete; empty (no evidence from the middle word) when absent."""
    missing = [key for key in _MIDDLE_WORD if key not in table]
    if table and missing:
        raise DataError(f"names.toml's [conventions] middle_word lacks {', '.join(missing)}; add "
                        f"{'it' if len(missing) == 1 else 'them'} (see the bundled file) or drop --patterns.")
    return {key: float(table[key]) for key in _MIDDLE_WORD if key in table}


def _language_forms(
    tables: dict[str, dict[str, dict[str, str | list[str]]]],
) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, str]]:
    """[given_name_forms] (base language → name → {language: form or forms}) read both ways: each name
    → its forms with their languages (jorge → jordi catalan…; jordi → jorge castilian), and each name
    → its own language (the first that lists it)."""
    forms: dict[str, dict[tuple[str, str], None]] = {}
    language_of: dict[str, str] = {}
    try:
        for base, names in tables.items():
            for name, by_language in names.items():
                language_of.setdefault(name, base)
                for language, variants in by_language.items():
                    for variant in [variants] if isinstance(variants, str) else variants:
                        forms.setdefault(name, {})[(variant, language)] = None
                        forms.setdefault(variant, {})[(name, base)] = None
                        language_of.setdefault(variant, language)
    except (AttributeError, TypeError):
        raise DataError("names.toml's [given_name_forms] is malformed: each [given_name_forms.LANGUAGE] "
                        "table maps a name to { other_language = \"form\" }; see the bundled file.") from None
    return {name: tuple(pairs) for name, pairs in forms.items()}, language_of


def _both_ways(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """TABLE (name → its variants) read backwards: each variant → the names it is a variant of."""
    backwards: dict[str, set[str]] = {}
    for name, variants in table.items():
        for variant in variants:
            backwards.setdefault(variant, set()).add(name)
    return {k: tuple(sorted(v)) for k, v in backwards.items()}


def tld_of(domain: str | None) -> str:
    """The last label of DOMAIN ("es" for uni.example.es): the country whose customs weigh most."""
    return (domain or "").rstrip(".").rsplit(".", 1)[-1].lower()
