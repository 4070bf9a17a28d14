"""Naming customs: which words of a name are given names and which surnames, and how likely each way
is in context (the domain's country, the name's accents, name lists as signals; never a gate)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from reachout.guessing.namedata import NameData, is_given_syllable, tld_of
from reachout.guessing.namewords import ParsedName, is_irish_o
from reachout.guessing.spelling import spell, two_syllable_name
from reachout.guessing.vietnamese import (
    given_positions,
    has_vietnamese_letters,
    looks_vietnamese,
    vietnamese_with_family,
)

_SPANISH_ACCENTS = frozenset("ñáéíóúàèòïü")
_PORTUGUESE_ACCENTS = frozenset("ãõç")
# Letters no Spanish or Portuguese name has (Öztürk, Müller, Łukasz, Dvořák, Ødegaard): a name with one
# is from a custom of one surname.
_OTHER_LETTERS = frozenset("öäőűıışğøåæłśźżęąčřžšťďňěů")


@dataclass(frozen=True)
class Unit:
    """One name as written: a word, or a surname with its particles (van der Berg, al-Rashid)."""

    particles: tuple[str, ...]
    core: str
    joined_by_conjunction: bool = False  # "i"/"y"/"e" stood before it (García i Puig)

    @property
    def is_initial(self) -> bool:
        """A lone letter of a cased script ("R" or "R."): CJK family names are one character too."""
        letter = self.core.rstrip(".")
        return not self.particles and len(letter) == 1 and letter.lower() != letter.upper()


@dataclass(frozen=True)
class Structure:
    """Given names, middle names and one or two surnames, with the weight and conventions of that
    reading of the words."""

    given: tuple[Unit, ...]
    middle: tuple[Unit, ...]
    surnames: tuple[Unit, ...]
    weight: float
    conventions: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


def units_of(words: list[str], data: NameData, *, family: bool = False, vietnamese: bool = False
             ) -> list[Unit]:
    """Group WORDS into names: particles join the word after them, a conjunction marks a surname.
    FAMILY: the words are all surnames, so a particle may stand first (De La Fontaine). VIETNAMESE: a
    Vietnamese name has no particles, each word is a name (Nguyen Van An's Van is a middle name)."""
    if vietnamese:
        return [Unit((), word) for word in words]
    if family or len(words) > 2:  # Ou Yang alone is a family name and a given name, as written
        words = _compound_surnames_joined(words, data)
    units: list[Unit] = []
    particles: list[str] = []
    conjunction = False
    capitalised = data.capitalised_particles
    if not words or spell(words[0]) not in data.syllable_surnames:
        # San Martín, also where the text marks the family name (SAN MARTÍN, San Martín, Pedro);
        # unless Zhang San Feng.
        capitalised = capitalised | data.surname_starters
    for index, word in enumerate(words):
        low = word.lower()
        inner = (family or index > 0) and index < len(words) - 1
        if inner and units and low in data.conjunctions and word.islower():
            conjunction = True
            continue
        particle = low.strip(".'’")
        # "De Luca" and "de Luca", not "John Ben Smith"; "Seán O Brien" (O'Brien)
        listed = particle in data.particles and (word.islower() or particle in capitalised)
        if inner and (units or family) and (listed or is_irish_o(word, words[index + 1], data)):
            particles.append(word)
            continue
        prefix, dash, rest = word.partition("-")
        if dash and rest and prefix.lower() in data.particles and units:  # al-Rashid, el-Amin
            particles.append(prefix)
            word = rest
        units.append(Unit(tuple(particles), word, conjunction))
        particles, conjunction = [], False
    if particles:  # trailing particles ("Jane Doe de"): keep them as words
        units += [Unit((), p) for p in particles]
    return units


def _compound_surnames_joined(words: list[str], data: NameData) -> list[str]:
    """WORDS with a Chinese family name of two words made one (Au Yeung Ka Wai → "Au Yeung" Ka Wai),
    spelt as one word (auyeung) and written, as in the name, with its space."""
    out: list[str] = []
    for word in words:
        if out and (spell(out[-1]), spell(word)) in data.compound_surnames:
            out[-1] += f" {word}"
        else:
            out.append(word)
    return out


def structures_of(parsed: ParsedName, domain: str | None, data: NameData) -> list[Structure]:
    """Every plausible split of the name into given, middle and surnames, with its weight."""
    structures = _structures(parsed, domain, data)
    found = _english_and_chinese_names(parsed, data)
    if found is None:
        return structures
    english, family, chinese = found
    share = data.english_name_first
    return [
        Structure((english,), chinese, (family,), share, (), ("an English name beside a Chinese one",)),
        *(replace(s, weight=s.weight * (1 - share)) for s in structures),
    ]


def _english_and_chinese_names(
    parsed: ParsedName, data: NameData
) -> tuple[Unit, Unit, tuple[Unit, ...]] | None:
    """(English given name, family name, Chinese given name's syllables) of a name that has both, as Hong
    Kong, Singapore and Taiwan print them (Peter Chan Tai Man; Chan Tai Man, Peter; CHAN Tai Man Peter):
    the English name is the one an address is made of (peter.chan). None for other names."""
    words = units_of(parsed.words, data)
    if parsed.family is None:  # Peter Chan Tai Man
        english, family, chinese = words[:1], words[1:2], words[2:]
    elif len(words) == 1:  # Chan Tai Man, Peter
        english, family_units = words, units_of(parsed.family, data, family=True)
        family, chinese = family_units[:1], family_units[1:]
    else:  # CHAN Tai Man Peter
        family = units_of(parsed.family, data, family=True)
        english, chinese = words[-1:], words[:-1]
    if len(english) != 1 or len(family) != 1 or not 1 <= len(chinese) <= 2:
        return None
    name, surname = spell(english[0].core), spell(family[0].core)
    if english[0].particles or name not in data.given_names or name in data.east_asian_surnames:
        return None
    if surname not in data.east_asian_surnames or family[0].particles:
        return None
    if not all(not u.particles and is_given_syllable(spell(u.core), data) for u in chinese):
        return None
    return english[0], family[0], tuple(chinese)


def _structures(parsed: ParsedName, domain: str | None, data: NameData) -> list[Structure]:
    """The splits of the name by its order: marked in the text, around a patronymic, or weighed."""
    tld = tld_of(domain)
    text = " ".join(parsed.words + (parsed.family or []))
    if parsed.family is not None:
        if vietnamese_with_family(parsed.words, parsed.family, data):  # NGUYEN Van An, Thi Hoa DO
            return _vietnamese_explicit(parsed.words, parsed.family, data)
        given_units = units_of(parsed.words, data)
        family_units = units_of(parsed.family, data, family=True)
        if parsed.cited and parsed.family_hint == "capitals":  # Smith JA, Anna EK, Ravi KS
            return _cited_or_capitals(given_units[0], parsed.family[0], tld, text, data)
        return _explicit(given_units, family_units, tld, text, data)
    vietnamese = looks_vietnamese(parsed.words, data)
    units = units_of(parsed.words, data, vietnamese=vietnamese)
    if len(units) == 1:
        return [Structure(tuple(units), (), (), 1.0)]
    patronymics = [i for i, u in enumerate(units) if _is_patronymic(u, data)]
    if len(units) == 3 and patronymics in ([1], [2], [1, 2]):  # [1, 2]: Roman Arkadyevich Abramovich
        return _around_patronymic(units, patronymics[0])
    p_family_first = _probability("family_first", _family_first_signals(units, tld, data), data)
    if units[-1].is_initial:  # "Priya R", or a citation's "Quarle J. A."
        p_family_first = _cited_share(units, tld, data)
    elif len(units) == 2 and units[0].is_initial:
        # "R. Venkatesh": in South India the initial (a father's or village name) comes first and the
        # one name is the given name; elsewhere it is a given name's initial.
        p_family_first = max(p_family_first, _LEADING_INITIAL_IS_FAMILY)
    written = _vietnamese_given_first(units, data) if vietnamese else _given_first(units, tld, text, data)
    given_first = [_scaled(s, 1 - p_family_first, ("order", "given first")) for s in written]
    given_first = _with_name_after_initials(units, given_first, tld, data)
    return [s for s in [*given_first, *_family_first(units, p_family_first, data)] if s.weight > 0]


# How often one name and then two initials or more are a citation's (Quarle J. A.: the family name, then
# the given names' initials), as publication lists write them, rather than given names and a surname's
# initial. The reachout authors' estimate. One initial stays the surname's (Priya R., as South Indian
# and privacy-minded directories write names): "Quarle J." is as likely the other way round.
_CITED_INITIALS = 0.95
# At South Asian domains one name then initials is mostly South Indian: the given name, then the initials
# of a father's name and a village (Oona K. S., Oona KS), as the leading initials of R. Venkatesh; and
# two capitals after a listed given name are rather its family name in capitals (Anna EK). The reachout
# authors' estimate.
_CITED_UNLIKELY = 0.05


def _cited_share(units: list[Unit], tld: str, data: NameData) -> float:
    """The chance that UNITS, which end in an initial, are written family name first (Quarle J. A.);
    even odds when the name is a listed given name (Jane A. B.)."""
    initials = len(units) - next((i for i in range(len(units), 0, -1) if not units[i - 1].is_initial), 0)
    if initials < 2 or len(units) - initials != 1:
        return 0.0
    return _citation_chance(units[0], tld, data, listed=0.5)


def _citation_chance(name: Unit, tld: str, data: NameData, *, listed: float) -> float:
    """The chance that NAME, then initials, is a citation's family name: _CITED_UNLIKELY at a South
    Asian domain, LISTED when NAME is a listed given name, else _CITED_INITIALS."""
    if tld in data.tlds["south_asian"]:
        return _CITED_UNLIKELY
    return listed if spell(name.core) in data.given_names else _CITED_INITIALS


def _cited_or_capitals(name: Unit, capitals: str, tld: str, text: str, data: NameData) -> list[Structure]:
    """One NAME and two CAPITALS: a citation's family name and initials (Smith JA → J. A. Smith) or a
    given name and a family name in capitals (Mehmet ÖZ, Anna EK; Ravi KS at a South Asian domain)."""
    share = _citation_chance(name, tld, data, listed=_CITED_UNLIKELY)
    first, second = (Unit((), f"{letter}.") for letter in capitals.upper())
    cited = Structure((first,), (second,), (name,), share, (("order", "family first"),),
                      ("family name written first, then initials",))
    written = _explicit([name], [Unit((), capitals)], tld, text, data)
    return [cited, *(_scaled(s, 1 - share, ("order", "given first")) for s in written)]


def _with_name_after_initials(units: list[Unit], given_first: list[Structure], tld: str,
                              data: NameData) -> list[Structure]:
    """GIVEN_FIRST, and for a name that leads with initials and goes on in full (K. S. Ravi Kumar,
    J. Robert Quarle) the reading that goes by the name after the initials, at its share."""
    lead = next((i for i, u in enumerate(units) if not u.is_initial), len(units))
    if not 0 < lead < len(units) - 1:
        return given_first
    custom = "south_asian" if tld in data.tlds["south_asian"] else "default"
    share = data.given_after_initials.get(custom, data.given_after_initials.get("default", 0.0))
    weight = sum(s.weight for s in given_first)
    conventions = (("order", "given first"), ("given", "after initials"))
    after = Structure((units[lead],), (*units[:lead], *units[lead + 1:-1]), (units[-1],), weight * share,
                      conventions, ("the name after the initials",))
    return [*(replace(s, weight=s.weight * (1 - share)) for s in given_first), after]


def _is_patronymic(unit: Unit, data: NameData) -> bool:
    """Whether UNIT ends like an East Slavic patronymic (Ivanovich, Sergeevna), long enough to be one."""
    core = spell(unit.core)
    return not unit.particles and len(core) > 6 and core.endswith(data.patronymic_endings)


def _around_patronymic(units: list[Unit], index: int) -> list[Structure]:
    """A Russian, Ukrainian or Belarusian name of three words with a patronymic at INDEX: given name,
    patronymic, family name (Ivan Ivanovich Petrov), or, as directories there list people, family name,
    given name, patronymic (Petrov Ivan Ivanovich). The patronymic is a middle name, never a surname;
    a last word that only looks like one is a family name now and then (Roman Abramovich)."""
    first, second, third = ((u,) for u in units)
    given_first = (("order", "given first"),)
    if index == 1:
        return [Structure(first, second, third, 1.0, given_first)]
    family_first = (("order", "family first"),)
    return [
        Structure(second, third, first, 1 - _PATRONYMIC_IS_SURNAME, family_first,
                  ("family name written first, then the patronymic",)),
        Structure(first, second, third, _PATRONYMIC_IS_SURNAME, given_first),
    ]


_PATRONYMIC_IS_SURNAME = 0.05  # Abramovich, Rabinovich: the reachout authors' estimate


def _family_first(units: list[Unit], weight: float, data: NameData) -> list[Structure]:
    """The family name written first. After it, Vietnamese names put the given name last (Tran Thi
    Mai → mai); Chinese and Korean ones write a two-syllable given name as two words (Park Ji Sung →
    jisung): both are offered when the family name could be either."""
    conventions, notes = (("order", "family first"),), ("family name written first",)
    rest = tuple(units[1:])
    if len(rest) < 2 or all(u.is_initial for u in rest):  # Quarle J. A.: the given name's initial first
        return [Structure(rest[:1], rest[1:], (units[0],), weight, conventions, notes)]
    if _hungarian(units, data):  # Kovács Anna Mária: the given name, then a second one
        return [Structure(rest[:1], rest[1:], (units[0],), weight, conventions, notes)]
    # Lam, Ho, Mai are Cantonese family names too: before Chinese given syllables that are no Vietnamese
    # middle name (Lam Siu Ming), the name is Chinese.
    chinese = spell(rest[0].core) not in data.vietnamese_middle_names and all(
        is_given_syllable(spell(u.core), data) for u in rest)
    vietnamese = spell(units[0].core) in data.vietnamese_surnames and not chinese
    share = 0.8 if vietnamese else 0.2
    # A Vietnamese name's two given names are its last two words, unless the first of them is Văn or
    # Thị, which are middle names only (Nguyen Thi Minh Khai → minhkhai; Nguyen Van An has one, An).
    lead = 0
    if vietnamese:
        lead = len(rest) - (1 if spell(rest[-2].core) in data.vietnamese_middle_only else 2)
    return [
        Structure(rest[-1:], rest[:-1], (units[0],), weight * share, conventions, notes),
        Structure(rest[lead:], rest[:lead], (units[0],), weight * (1 - share), conventions,
                  (*notes, "two given names")),
    ]


def _vietnamese_given_first(units: list[Unit], data: NameData) -> list[Structure]:
    """A Vietnamese name with its family name last (An Van Nguyen, Thi Hoa Nguyen, Minh Khai Nguyen):
    one surname, and the given name where vietnamese.given_positions says."""
    return [
        Structure((units[i],), tuple(u for j, u in enumerate(units[:-1]) if j != i), (units[-1],), weight)
        for i, weight in given_positions([u.core for u in units[:-1]],
                                         data.vietnamese_order_kept.get("family_last", 0.4), data)
    ]


def _vietnamese_explicit(words: list[str], family: list[str], data: NameData) -> list[Structure]:
    """A Vietnamese name whose family name the text marks (NGUYEN Van An, Thi Hoa DO, Nguyen, Van An)."""
    units, surname = units_of(words, data, vietnamese=True), units_of(family, data, vietnamese=True)
    return [
        Structure((units[i],), tuple(u for j, u in enumerate(units) if j != i), tuple(surname), weight)
        for i, weight in given_positions(words, data.vietnamese_order_kept.get("marked", 0.7), data)
    ]


_LEADING_INITIAL_IS_FAMILY = 0.35  # the reachout authors' estimate; known addresses decide per domain


def _given_first(units: list[Unit], tld: str, text: str, data: NameData) -> list[Structure]:
    """Given name(s) first: one surname (given + middle + surname), or two (Iberian)."""
    if len(units) == 2:
        return [Structure((units[0],), (), (units[1],), 1.0)]
    p_two = _probability("two_surnames", _two_surname_signals(units, tld, text, data), data)
    if not units[-1].joined_by_conjunction:  # García i Puig: the conjunction says both are surnames
        p_two *= _middle_word_is_a_surname(units[-2], data, after=units[0])
    p_compound = _p_compound(units, tld, data, family=units[-1])
    # Which of two surnames a domain uses is learned only from people who may have two: a known
    # "Juan Carlos Pérez <jperez@>" has one surname, and says nothing about "Ramos Zamora".
    one = "one surname" if spell(units[-2].core) in data.given_names else "last word"
    # One surname: the first given name with the rest as middle names, or the first two as one given
    # name (whose joined and hyphenated forms are _given_options').
    out = [
        Structure(g, m, (units[-1],), (1 - p_two) * w, (("surnames", one), *c))
        for g, m, w, c in _given_splits(units[:-1], p_compound)
    ]
    given = tuple(units[:-2])
    two = (("surnames", "first of two"),)
    notes = ("two surnames, the first used",)
    if len(given) == 1:
        out.append(Structure(given, (), tuple(units[-2:]), p_two, two, notes))
    else:  # María José García López: the given names joined, or the first with the rest as middle
        out += [
            Structure(given[:1], given[1:], tuple(units[-2:]), p_two * (1 - p_compound),
                      (*two, ("given", "first word")), notes),
            Structure(given, (), tuple(units[-2:]), p_two * p_compound, two, notes),
        ]
    return out


def _explicit(given: list[Unit], family: list[Unit], tld: str, text: str, data: NameData) -> list[Structure]:
    """The text said which words are the family name (Doe, Jane; KOWALSKI Jan; 王伟)."""
    p_compound = _p_compound(given, tld, data, family=family[0] if family else None)
    splits = _given_splits(given, p_compound)
    if len(family) < 2:
        return [Structure(g, m, tuple(family), w, c) for g, m, w, c in splits]
    signals = _two_surname_signals([*given, *family], tld, text, data)
    p_two = _probability("two_surnames", signals, data)
    if not {"portuguese_tld", "portuguese_particle"} & set(signals):
        # Two family names marked as such are two surnames, the first the one used (García López, José);
        # Portuguese names use the last (Viana Nogueira, Arthur → nogueira).
        p_two = max(0.5, p_two)
    out = []
    for g, m, w, c in splits:
        out += [
            Structure(g, m, tuple(family[:2]), w * p_two, (("surnames", "first of two"), *c),
                      ("two surnames, the first used",)),
            Structure(g, (*m, *family[:-1]), tuple(family[-1:]), w * (1 - p_two),
                      (("surnames", "last word"), *c)),
        ]
    return out


def _given_splits(
    given: list[Unit], p_compound: float
) -> list[tuple[tuple[Unit, ...], tuple[Unit, ...], float, tuple[tuple[str, str], ...]]]:
    """(given, middle, weight, conventions) for the words before a single surname: the first word with
    the rest as middle names, or, at P_COMPOUND, the first two as one given name (María José, Juan
    Carlos)."""
    if len(given) < 2:
        return [(tuple(given), (), 1.0, ())]
    return [
        (tuple(given[:1]), tuple(given[1:]), 1 - p_compound, (("given", "first word"),)),
        (tuple(given[:2]), tuple(given[2:]), p_compound, ()),
    ]


def _scaled(structure: Structure, factor: float, convention: tuple[str, str]) -> Structure:
    return Structure(structure.given, structure.middle, structure.surnames, structure.weight * factor,
                     (convention, *structure.conventions), structure.notes)


def _probability(question: str, signals: list[str], data: NameData) -> float:
    """The logistic of the base log-odds of QUESTION plus its SIGNALS' weights (names.toml)."""
    odds = data.odds.get(f"{question}_base", -5.0)
    odds += sum(data.odds.get(f"{question}.{signal}", 0.0) for signal in signals)
    return _logistic(odds)


def _two_surname_signals(units: list[Unit], tld: str, text: str, data: NameData) -> list[str]:
    signals = []
    for custom in ("spanish", "portuguese", "english"):
        if tld in data.tlds[custom]:
            signals.append(f"{custom}_tld")
    if units[-1].joined_by_conjunction:
        signals.append("conjunction")
    if _looks_spanish(units[-2], data):
        signals.append("spanish_surname")
    first = spell(units[0].core)
    if first in data.spanish_given:
        signals.append("spanish_given")
    elif first in data.given_names:
        signals.append("given_name_of_elsewhere")
    if _looks_spanish(units[-1], data):
        signals.append("second_spanish_surname")
    letters = set(text.lower())
    if not _OTHER_LETTERS.isdisjoint(letters):
        signals.append("other_letters")
    elif not _SPANISH_ACCENTS.isdisjoint(letters):
        signals.append("spanish_accents")
    if not _PORTUGUESE_ACCENTS.isdisjoint(letters) or any(
        p.lower() in data.portuguese_particles for u in units for p in u.particles
    ):
        signals.append("portuguese_particle")
    return signals


def _middle_word_is_a_surname(unit: Unit, data: NameData, *, after: Unit) -> float:
    """Where a name follows the two-surname custom, the chance that the middle word of Given Middle
    Last is a first surname rather than a second given name (Jorge Luis Pascual, Ana Vicente Pascual):
    the prior odds times how much likelier the word is among first surnames than among second given
    names, estimated from the name lists' order by Zipf's law (names.toml [conventions] middle_word).
    AFTER is the given name before it: María del Mar's "del Mar" is a second given name."""
    odds = data.middle_word
    if not odds:  # a names.toml of one's own without the table: the custom alone decides
        return 1.0
    word = spell(unit.core)
    if unit.is_initial:
        return _logistic(odds["base"] + odds["initial"])
    if word in data.spanish_surname_share:
        as_surname = odds["listed_surnames"] * data.spanish_surname_share[word]
    elif _looks_spanish(unit, data):
        as_surname = odds["spanish_looking_surname"]
    elif word in data.given_names:
        as_surname = odds["given_name_as_surname"]
    else:
        as_surname = odds["unknown_surname"]
    if _devotional(unit, after, data):  # María del Mar
        as_given = odds["listed_second_given"] * data.given_after_particle_share[word]
    elif word in data.second_given_share:
        as_given = odds["listed_second_given"] * data.second_given_share[word]
    elif word in data.given_names:
        as_given = odds["other_given_name"]
    else:
        as_given = odds["unknown_given_name"]
    return _logistic(odds["base"] + math.log(as_surname / as_given))


def _devotional(unit: Unit, after: Unit, data: NameData) -> bool:
    """UNIT is the second half of a devotional given name such as María del Carmen or Juan de Dios."""
    return bool(unit.particles) and spell(unit.core) in data.given_after_particle_share and (
        spell(after.core) in data.devotional_given)


def _logistic(odds: float) -> float:
    return 1 / (1 + math.exp(-odds))


def _looks_spanish(unit: Unit, data: NameData) -> bool:
    plain = spell(unit.core)
    return plain in data.spanish_surnames or (
        len(plain) >= 5 and plain.endswith(data.spanish_suffixes) and unit.core[:1].isupper()
    )


def _p_compound(units: list[Unit], tld: str, data: NameData, *, family: Unit | None) -> float:
    """The chance that the first two of UNITS are one given name (María José; Wei Ming before the
    FAMILY name Zhang); an initial is a middle name's (Jane A. Doe), never half of a given name."""
    if len(units) < 2 or units[1].is_initial:
        return 0.0
    return _probability("compound_given", _compound_given_signals(units, tld, data, family), data)


def _compound_given_signals(units: list[Unit], tld: str, data: NameData, family: Unit | None) -> list[str]:
    signals = []
    if family is not None and spell(family.core) in data.east_asian_surnames and all(
            not u.particles and is_given_syllable(spell(u.core), data) for u in units[:2]):
        signals.append("syllable_given_name")  # Wei Ming Zhang, Boon Huat TAN: one given name
    if spell(units[1].core) in data.compound_given or _devotional(units[1], units[0], data):
        signals.append("compound_given_word")  # José Luis; María del Carmen
    if tld in data.tlds["south_asian"]:
        signals.append("south_asian_tld")
    if spell(units[0].core) in data.compound_given_starts:
        signals.append("compound_given_start")  # Abdul Rahman
    return signals


def _hungarian(units: list[Unit], data: NameData) -> bool:
    """Whether UNITS are a listed Hungarian family name, then listed Hungarian given names."""
    return spell(units[0].core) in data.hungarian_surnames and all(
        spell(u.core) in data.hungarian_given for u in units[1:])


def _may_lead_given_names(first: str, rest: list[Unit], data: NameData) -> bool:
    """Whether FIRST, no listed given name nor a given name's first half (Abdel Karim), comes before words
    that are all listed given names, none of the Indian or Arabic ones that are family names as often
    (Yasmin Ahmed): a family name written first, as official lists write names (Kowalski Jan)."""
    if first in data.given_names or first in data.east_asian_surnames or first in data.compound_given_starts:
        return False
    words = [spell(u.core) for u in rest if not u.particles]
    return len(words) == len(rest) and all(
        w in data.given_names and w not in data.patronymic_given for w in words)


def _family_first_signals(units: list[Unit], tld: str, data: NameData) -> list[str]:
    signals = []
    first, last = spell(units[0].core), spell(units[-1].core)
    vietnamese = first in data.vietnamese_surnames and looks_vietnamese([u.core for u in units], data)
    # Nam, Son, Tan are Korean or Chinese family names and Vietnamese given names: before a Vietnamese
    # family name (Nam Le, Tan Ho) either order reads.
    vietnamese_last = len(units) == 2 and last in data.vietnamese_surnames
    if first in data.east_asian_surnames or vietnamese:  # Vietnamese: Mai Nhiên, Dinh Van Lap
        signals.append("east_asian_surname")
        if len(units) == 3 and all(is_given_syllable(spell(u.core), data) for u in units[1:]):
            # Zhang Wei Ming, Chan Tai Man, Lim Boon Huat: a given name of two syllables, one word each.
            # When the first is a given syllable and the last a family name too, either order reads
            # (Wei Ming Zhang, Chang Chia Hao): the doubt weighs against the syllables, not instead.
            signals.append("two_syllable_given_name")
            if last in data.east_asian_surnames and is_given_syllable(first, data):
                signals.append("both_east_asian_surnames")
        elif last in data.east_asian_surnames and (
                vietnamese or vietnamese_last or _may_be_given(first, data)):
            signals.append("both_east_asian_surnames")  # Li Wang, Lee Kim, Mai Thi Nguyen: either order
        elif len(units) == 2 and two_syllable_name(units[-1].core, data):  # Li Dongwei, Kim Seo-yeon
            signals.append("two_syllable_given_name")
        if not vietnamese and not _may_be_given(first, data) and not vietnamese_last and all(
                is_given_syllable(spell(u.core), data) or two_syllable_name(u.core, data) for u in units[1:]):
            signals.append("never_a_given_name")  # Zhang Wei, Chan Tai Man, Park Minjun
    elif _unlisted_family_syllable(units, data):  # Yi Xiulan, Dai Guiying: a rarer family name
        signals += ["family_syllable", "two_syllable_given_name"]
    if len(units) == 2 and first in data.japanese_surnames and last in data.japanese_given:
        signals.append("japanese_names")  # Tanaka Hiroshi
    elif first in data.given_names and last not in data.given_names and len(units) > 1 and (
            "east_asian_surname" not in signals):  # Lee Minho: the family name's own signals weigh it
        signals.append("given_name_first")  # Jane Doe: a given name, then a word that is none
    elif _may_lead_given_names(first, units[1:], data):
        signals.append("given_names_last")  # Kowalski Jan, Rossi Mario: as official lists write names
    if _hungarian(units, data):
        signals.append("hungarian_names")  # Nagy János
    for custom in ("east_asian", "hungarian"):
        if tld in data.tlds[custom]:
            signals.append(f"{custom}_tld")
    if vietnamese:
        signals += _vietnamese_order_signals(units, data)
    return signals


def _may_be_given(word: str, data: NameData) -> bool:
    """Whether WORD (spelt), a listed East Asian family name, is a given name too (Wei, Li, Lee, Kim)."""
    return word in data.given_name_surnames or word in data.given_names


def _unlisted_family_syllable(units: list[Unit], data: NameData) -> bool:
    """Whether UNITS are one syllable, no listed given name, before a given name of two syllables in one
    word, no listed family name of any custom (Bo Hansen, Rui Duran): a family name too rare for the
    list (or left off it as also an English word: Long, Mo)."""
    if len(units) != 2 or any(u.particles for u in units):
        return False
    first, last = spell(units[0].core), spell(units[1].core)
    listed = (data.east_asian_surnames, data.spanish_surnames, data.hungarian_surnames)
    return (first in data.pinyin_syllables and first not in data.given_names
            and not any(last in names for names in listed) and two_syllable_name(units[1].core, data))


def _vietnamese_order_signals(units: list[Unit], data: NameData) -> list[str]:
    """Signals of the Vietnamese order for a name that starts with a Vietnamese family name."""
    signals = []
    if len(units) > 2 and spell(units[1].core) in data.vietnamese_middle_names:  # Nguyen Van An
        signals.append("vietnamese_middle_name")
    rank = data.vietnamese_surname_rank
    first, last = spell(units[0].core), spell(units[-1].core)
    if last in rank and rank[last] < rank.get(first, len(rank)):  # Mai Thi Nguyen: Mai is a given name
        signals.append("commoner_vietnamese_surname_last")
    if has_vietnamese_letters("".join(u.core for u in units)):  # Nguyễn Bảo: written as in Vietnam
        signals.append("vietnamese_letters")
    return signals
