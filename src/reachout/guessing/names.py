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
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any

from anyascii import anyascii

from reachout.data import load_toml
from reachout.errors import BadInput

_HINT = "pass a person's name such as 'Jane Doe'"
_MAX_LEN = 200
# Readings kept for ranking (the rest share less than MIN_WEIGHT) and for explaining a known address.
_MAX_READINGS = 48
_MIN_WEIGHT = 0.002
_MAX_EXPLAINING_READINGS = 512

# Quoted or bracketed nicknames: Robert "Bob" Smith, Robert (Bob) Smith, Robert 'Bob' Smith.
_NICKNAME = re.compile(r"""(?:^|(?<=\s))(?:"([^"]+)"|“([^”]+)”|'([^']+)'|\(([^)]+)\))(?=\s|$|,)""")
_PRONOUNS = frozenset({"she", "her", "he", "him", "they", "them"})
_HEADLINE_SEPARATOR = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
_WORD = re.compile(r"[^\W\d_]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Scripts whose names are written family name first, often without a space (王伟, 田中太郎).
_FAMILY_FIRST_SCRIPTS = ("CJK UNIFIED", "HANGUL", "HIRAGANA", "KATAKANA")
_SPANISH_ACCENTS = frozenset("ñáéíóúàèòïü")
_PORTUGUESE_ACCENTS = frozenset("ãõç")


@dataclass(frozen=True)
class NameReading:
    """One way the parts of a name may be spelt in an address, and how likely it is."""

    first: str
    middle: str
    last: str
    f: str
    weight: float
    notes: tuple[str, ...] = ()
    last2: str = ""  # the second of two surnames (García López → lopez), else ""
    last_initial: str = ""  # the surname's initial when only that is known ("Priya R.")
    conventions: tuple[tuple[str, str], ...] = ()  # (dimension, option) pairs this reading follows

    @property
    def m(self) -> str:
        return self.middle[:1]

    @property
    def l(self) -> str:  # noqa: E743 - the template field is called {l}
        return self.last[:1] or self.last_initial

    @property
    def l2(self) -> str:
        return self.last2[:1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "middle": self.middle,
            "last": self.last,
            "last2": self.last2,
            "weight": round(self.weight, 4),
            "notes": list(self.notes),
            "conventions": dict(self.conventions),
        }


@dataclass(frozen=True)
class NameParts:
    """What reachout understood of a name, and the readings its addresses are built from."""

    original: str
    given: str
    middle: str
    family: str
    title: str = ""
    suffix: str = ""
    nicknames: tuple[str, ...] = ()
    readings: tuple[NameReading, ...] = field(default=(), repr=False)
    notes: tuple[str, ...] = ()

    @property
    def best(self) -> NameReading:
        return self.readings[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "given": self.given,
            "middle": self.middle,
            "family": self.family,
            "title": self.title,
            "suffix": self.suffix,
            "nicknames": list(self.nicknames),
            "first": self.best.first,
            "last": self.best.last,
            "notes": list(self.notes),
            "readings": [reading.to_dict() for reading in self.readings],
        }


def conventions_of(reading: NameReading) -> dict[str, str]:
    """The conventions a reading follows, as {dimension: option}."""
    return dict(reading.conventions)


# --- data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameData:
    """patterns/names.toml, ready to use."""

    expand: dict[str, str]
    expanded_weight: dict[str, float]
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


# --- cleaning ---------------------------------------------------------------------------------------


def check_text(text: str) -> None:
    """Refuse what cannot be a name at all, before any data file is read."""
    if not isinstance(text, str):
        raise BadInput(f"A name must be text; {_HINT}.")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        # Bytes that were not UTF-8 (argv under a C locale, a mis-decoded file) arrive as lone
        # surrogates (PEP 383); dropping them would guess for a different name.
        raise BadInput(
            f"{text[:60]!r} holds bytes that are not UTF-8; type the name again, or set the "
            f"terminal's encoding to UTF-8 (LANG=C.UTF-8); {_HINT}."
        )
    stripped = " ".join(text.split())
    if not stripped:
        raise BadInput(f"The name is empty; {_HINT}.")
    if len(stripped) > _MAX_LEN:
        raise BadInput(f"The name is {len(stripped)} characters long; {_HINT}.")
    if "@" in stripped:
        raise BadInput(f"{stripped!r} looks like an e-mail address, not a name; {_HINT}.")


def clean_name(text: str, data: NameData) -> str:
    """TEXT as one line of name words: headline, emoji, symbols and extra spaces gone; or BadInput."""
    check_text(text)
    text = _strip_headline(" ".join(unicodedata.normalize("NFC", text).split()), data)
    if " " not in text and re.fullmatch(r"[^\W\d_]{2,}(?:[._][^\W\d_]{2,})+", text):
        text = re.sub(r"[._]", " ", text)  # "jane.doe", "jane_doe": a user name standing for a name
    # Emoji, ™, control characters and numbers that are no digits (①) decorate profile names.
    text = " ".join("".join(" " if _is_decoration(ch) else ch for ch in text).split())
    if not text:
        raise BadInput(f"The name is empty; {_HINT}.")
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise BadInput(f"{text!r} has no letters, so it cannot be a name; {_HINT}.")
    return text


def _is_decoration(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "SCZ" or (category == "No" and not char.isascii())


def _strip_headline(text: str, data: NameData) -> str:
    """'Jane Doe - Talent Acquisition' or 'Jane Doe, Recruiter at Acme' → 'Jane Doe'.

    Names pasted from profiles and signatures carry a headline; a spaced dash or bar starts one, and
    a comma does when what follows has a job-title word (not 'Doe, Jane').
    """
    text = _HEADLINE_SEPARATOR.split(text, maxsplit=1)[0].strip()
    if "," in text:
        head, tail = text.split(",", 1)
        if any(word in data.headline_words for word in _WORD.findall(tail.lower())):
            return head.strip()
    return text


# --- parsing ----------------------------------------------------------------------------------------


@dataclass
class ParsedName:
    """A cleaned name's words, with what was set aside (title, suffix, nicknames).

    WORDS are in written order. When the text itself says which words are the family name (a comma,
    capitals, a family-first script), FAMILY holds them and WORDS the given and middle names.
    """

    words: list[str]
    family: list[str] | None = None
    family_hint: str = ""  # "comma", "capitals" or "script" when FAMILY was marked
    title: str = ""
    suffix: str = ""
    nicknames: list[str] = field(default_factory=list)


def parse_words(text: str, data: NameData) -> ParsedName:
    """Split a cleaned name into given/middle/family words as written, titles and suffixes aside."""
    body, nicknames = _split_nicknames(text)
    if not body.replace(",", "").strip():  # "(Bob)": the nickname is all there is
        body, nicknames = " ".join(nicknames), []
    if _in_family_first_script(body):
        tokens = body.split()
        if len(tokens) == 1 and len(tokens[0]) > 1:  # 王伟: a one-character family name, no space
            tokens = [tokens[0][:1], tokens[0][1:]]
        return ParsedName(tokens[1:], tokens[:1], "script", nicknames=nicknames)
    head, _, tail = body.partition(",")
    suffixes: list[str] = []
    comma_family: list[str] | None = None
    if tail:
        tail_words = tail.replace(",", " ").split()
        if all(_plain(w) in data.suffixes for w in tail_words):
            suffixes = tail_words
        elif len(head.split()) <= 4 and tail_words:  # "Doe, Jane": the family name comes first
            comma_family = head.split()
            head = " ".join(w for w in tail_words if _plain(w) not in data.suffixes)
            suffixes = [w for w in tail_words if _plain(w) in data.suffixes]
    words = head.split()
    titles = []
    while len(words) > 1 + (comma_family is None) and _plain(words[0]) in data.titles:
        titles.append(words.pop(0))
    while len(words) > 1 + (comma_family is None) and _is_suffix(words[-1], data):
        suffixes.insert(0, words.pop())
    if not words:  # ",JR" or "Dr.": what looked like a title or suffix is all the name there is
        words, titles, suffixes = [*titles, *suffixes], [], []
    parsed = ParsedName(words, title=" ".join(titles), suffix=", ".join(suffixes), nicknames=nicknames)
    if comma_family:
        parsed.family, parsed.family_hint = comma_family, "comma"
    else:
        _mark_capitalised_family(parsed)
    return parsed


def _is_suffix(word: str, data: NameData) -> bool:
    plain = _plain(word)
    return plain in data.suffixes or (plain in data.suffixes_in_capitals and word.strip(".,").isupper())


def _plain(word: str) -> str:
    return word.strip(".,").lower()


def _split_nicknames(text: str) -> tuple[str, list[str]]:
    nicknames = [next(g for g in m.groups() if g).strip() for m in _NICKNAME.finditer(text)]
    # "(she/her)" is a pronoun, not a nickname: dropped with its brackets.
    nicknames = [n for n in nicknames if n and "/" not in n and n.lower() not in _PRONOUNS]
    return " ".join(_NICKNAME.sub(" ", text).split()), nicknames


def _in_family_first_script(text: str) -> bool:
    return not text.isascii() and any(
        unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in text if ord(ch) > 0x2E7F
    )


def _mark_capitalised_family(parsed: ParsedName) -> None:
    """'KOWALSKI Jan' and 'Jan KOWALSKI': directories often write the family name in capitals."""
    words = parsed.words
    caps = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper() and w.isalpha()]
    if not caps or len(caps) == len(words) or caps != list(range(caps[0], caps[-1] + 1)):
        return
    if any(w.islower() for i, w in enumerate(words) if i not in caps):
        return
    parsed.family = [words[i].capitalize() for i in caps]
    parsed.words = [w for i, w in enumerate(words) if i not in caps]
    parsed.family_hint = "capitals"


# --- structures: which words are given names and which surnames ------------------------------------


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


def units_of(words: list[str], data: NameData, *, family: bool = False) -> list[Unit]:
    """Group WORDS into names: particles join the word after them, a conjunction marks a surname.
    FAMILY: the words are all surnames, so a particle may stand first (De La Fontaine)."""
    units: list[Unit] = []
    particles: list[str] = []
    conjunction = False
    for index, word in enumerate(words):
        low = word.lower()
        inner = (family or index > 0) and index < len(words) - 1
        if inner and units and low in data.conjunctions and word.islower():
            conjunction = True
            continue
        if inner and (units or family) and low.strip(".'’") in data.particles:
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


def structures_of(parsed: ParsedName, domain: str | None, data: NameData) -> list[Structure]:
    """Every plausible split of the name into given, middle and surnames, with its weight."""
    tld = _tld(domain)
    text = " ".join(parsed.words + (parsed.family or []))
    if parsed.family is not None:
        given_units = units_of(parsed.words, data)
        family_units = units_of(parsed.family, data, family=True)
        return _explicit(given_units, family_units, tld, text, data)
    units = units_of(parsed.words, data)
    if len(units) == 1:
        return [Structure(tuple(units), (), (), 1.0)]
    p_family_first = _probability("family_first", _family_first_signals(units, tld, data), data)
    if units[-1].is_initial:  # "Priya R": a trailing initial is the surname's, written last
        p_family_first = 0.0
    elif len(units) == 2 and units[0].is_initial:
        # "R. Venkatesh": in South India the initial (a father's or village name) comes first and the
        # one name is the given name; elsewhere it is a given name's initial.
        p_family_first = max(p_family_first, _LEADING_INITIAL_IS_FAMILY)
    given_first = [
        _scaled(s, 1 - p_family_first, ("order", "given first"))
        for s in _given_first(units, tld, text, data)
    ]
    family_first = Structure(
        (units[1],), tuple(units[2:]), (units[0],), p_family_first, (("order", "family first"),),
        ("family name written first",),
    )
    return [s for s in [*given_first, family_first] if s.weight > 0]


_LEADING_INITIAL_IS_FAMILY = 0.35  # the reachout authors' estimate; known addresses decide per domain


def _given_first(units: list[Unit], tld: str, text: str, data: NameData) -> list[Structure]:
    """Given name(s) first: one surname (given + middle + surname), or two (Iberian)."""
    if len(units) == 2:
        return [Structure((units[0],), (), (units[1],), 1.0)]
    p_two = _probability("two_surnames", _two_surname_signals(units, tld, text, data), data)
    p_compound = _probability("compound_given", _compound_given_signals(units, tld, data), data)
    last_word = (("surnames", "last word"),)
    out = [
        Structure((units[0],), tuple(units[1:-1]), (units[-1],), (1 - p_two) * (1 - p_compound),
                  (*last_word, ("given", "first word"))),
        # The given-name options of two units are the joined and hyphenated forms (_given_options).
        Structure(tuple(units[:2]), tuple(units[2:-1]), (units[-1],), (1 - p_two) * p_compound,
                  last_word),
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
    first, middle = tuple(given[:1]), tuple(given[1:])
    if len(family) < 2:
        return [Structure(first, middle, tuple(family), 1.0)]
    signals = _two_surname_signals([*given, *family], tld, text, data)
    p_two = max(0.5, _probability("two_surnames", signals, data))
    return [
        Structure(first, middle, tuple(family[:2]), p_two, (("surnames", "first of two"),),
                  ("two surnames, the first used",)),
        Structure(first, (*middle, *family[:-1]), tuple(family[-1:]), 1 - p_two,
                  (("surnames", "last word"),)),
    ]


def _scaled(structure: Structure, factor: float, convention: tuple[str, str]) -> Structure:
    return Structure(structure.given, structure.middle, structure.surnames, structure.weight * factor,
                     (convention, *structure.conventions), structure.notes)


def _tld(domain: str | None) -> str:
    return (domain or "").rstrip(".").rsplit(".", 1)[-1].lower()


def _probability(question: str, signals: list[str], data: NameData) -> float:
    """The logistic of the base log-odds of QUESTION plus its SIGNALS' weights (names.toml)."""
    odds = data.odds.get(f"{question}_base", -5.0)
    odds += sum(data.odds.get(f"{question}.{signal}", 0.0) for signal in signals)
    return 1 / (1 + math.exp(-odds))


def _two_surname_signals(units: list[Unit], tld: str, text: str, data: NameData) -> list[str]:
    signals = []
    for custom in ("spanish", "portuguese", "english"):
        if tld in data.tlds[custom]:
            signals.append(f"{custom}_tld")
    if units[-1].joined_by_conjunction:
        signals.append("conjunction")
    if _looks_spanish(units[-2], data):
        signals.append("spanish_surname")
    elif spell(units[-2].core) in data.given_names:
        signals.append("middle_word_is_a_given_name")
    elif not units[-2].is_initial:
        signals.append("middle_word_unknown")
    if spell(units[0].core) in data.spanish_given:
        signals.append("spanish_given")
    if _looks_spanish(units[-1], data):
        signals.append("second_spanish_surname")
    letters = set(text.lower())
    if not _SPANISH_ACCENTS.isdisjoint(letters):
        signals.append("spanish_accents")
    if not _PORTUGUESE_ACCENTS.isdisjoint(letters) or any(
        p.lower() in data.portuguese_particles for u in units for p in u.particles
    ):
        signals.append("portuguese_particle")
    return signals


def _looks_spanish(unit: Unit, data: NameData) -> bool:
    plain = spell(unit.core)
    return plain in data.spanish_surnames or (
        len(plain) >= 5 and plain.endswith(data.spanish_suffixes) and unit.core[:1].isupper()
    )


def _compound_given_signals(units: list[Unit], tld: str, data: NameData) -> list[str]:
    signals = []
    if spell(units[1].core) in data.compound_given:
        signals.append("compound_given_word")
    if tld in data.tlds["south_asian"]:
        signals.append("south_asian_tld")
    return signals


def _family_first_signals(units: list[Unit], tld: str, data: NameData) -> list[str]:
    signals = []
    first, last = spell(units[0].core), spell(units[-1].core)
    if first in data.east_asian_surnames:
        signals.append("east_asian_surname")
        if last in data.east_asian_surnames:  # Wang Wei, Li Wang: either word could be the family name
            signals.append("both_east_asian_surnames")
    for custom in ("east_asian", "hungarian"):
        if tld in data.tlds[custom]:
            signals.append(f"{custom}_tld")
    return signals


# --- spelling: from names as written to the ASCII parts of an address -------------------------------


@functools.lru_cache(maxsize=65536)
def spell(word: str, expand: tuple[tuple[str, str], ...] = ()) -> str:
    """Lower-case ASCII letters and digits only (O'Brien → obrien, Søren → soren); EXPAND first spells
    the characters it maps (ö → oe)."""
    word = word.lower()
    if expand:
        mapping = dict(expand)
        word = "".join(mapping.get(ch, ch) for ch in word)
    return _NOT_ALNUM.sub("", anyascii(word).lower())


# A spelling option of one part: (spelling, weight, conventions, notes).
_Option = tuple[str, float, tuple[tuple[str, str], ...], tuple[str, ...]]


def _given_options(
    units: tuple[Unit, ...], nicknames: list[str], expand: tuple[tuple[str, str], ...], data: NameData
) -> list[tuple[str, str, float, tuple[tuple[str, str], ...], tuple[str, ...]]]:
    """(first, its initial(s) {f}, weight, conventions, notes) for each spelling of the given name."""
    parts = [spelt for u in units for p in u.core.split("-") if (spelt := spell(p, expand))]
    if not parts:
        return [("", "", 1.0, (), ())]
    forms: list[_Option]
    if len(parts) == 1:
        forms = [(parts[0], 1.0, (), ())]
    else:  # Jean-Luc, or two given names read as one: joined, hyphenated, or (Jean-Luc) the first alone
        forms = [
            ("".join(parts), 0.70, (("given", "joined"),), ("given names joined",)),
            ("-".join(parts), 0.15, (("given", "hyphenated"),), ("given names hyphenated",)),
        ]
        if len(units) == 1:
            forms.append((parts[0], 0.15, (("given", "first word"),), ("first part of the given name",)))
    compound_initials = "".join(p[:1] for p in parts) if len(parts) > 1 else ""
    out = []
    for form, weight, conventions, notes in forms:
        for first, share, f_conventions, f_notes in _usual_forms(form, nicknames, expand, data):
            initials = [(first[:1], 1.0)]
            if compound_initials and first == form and form != parts[0]:  # Jean-Luc's {f}: j or jl
                initials = [(first[:1], 0.7), (compound_initials, 0.3)]
            for initial, i_share in initials:
                out.append((first, initial, weight * share * i_share, conventions + f_conventions,
                            notes + f_notes))
    return out


def _usual_forms(first: str, nicknames: list[str], expand: tuple[tuple[str, str], ...],
                 data: NameData) -> list[_Option]:
    """FIRST as written, a stated nickname, and the usual full or short forms (Bob ↔ Robert)."""
    stated = [s for n in nicknames if (s := spell(n, expand)) and s != first]
    out: list[_Option] = [(first, 1.0, (("given form", "as written"),), ())]
    if stated:
        out = [(first, 0.6, out[0][2], ())]
        out += [(s, 0.4 / len(stated), (("given form", "nickname"),), (f"nickname {s!r}",)) for s in stated]
    full = [v for v in data.full_forms.get(first, ()) if v not in stated]
    short = [v for v in data.short_forms.get(first, ()) if v not in stated]
    share = data.usual_form_of_nickname if full else data.nickname_of_full_form if short else 0.0
    variants = full or short
    if variants:
        out = [(s, w * (1 - share), c, n) for s, w, c, n in out]
        option = "full form" if full else "short form"
        out += [
            (v, share / len(variants), (("given form", option),), (f"{v!r} is a usual form of {first!r}",))
            for v in variants
        ]
    return out


def _surname_options(unit: Unit, expand: tuple[tuple[str, str], ...]) -> list[_Option]:
    """Spellings of one surname: particles joined or dropped, a hyphenated one in every form."""
    words = [spelt for p in unit.core.split("-") if (spelt := spell(p, expand))]
    if not words:
        return [("", 1.0, (), ())]
    if len(words) == 1:
        cores: list[_Option] = [(words[0], 1.0, (), ())]
    else:
        dimension = "hyphenated surname"
        cores = [
            ("".join(words), 0.45, ((dimension, "joined"),), ("hyphenated surname joined",)),
            (words[0], 0.30, ((dimension, "first part"),), ("first part of the surname",)),
            ("-".join(words), 0.15, ((dimension, "hyphenated"),), ("surname hyphenated",)),
            (words[-1], 0.10, ((dimension, "second part"),), ("second part of the surname",)),
        ]
    particles = "".join(spell(p, expand) for p in unit.particles)
    if not particles:
        return cores
    joined = [(particles + s, w * 0.55, (*c, ("particles", "joined")), (*n, "particles joined"))
              for s, w, c, n in cores]
    dropped = [(s, w * 0.45, (*c, ("particles", "dropped")), (*n, "particles dropped"))
               for s, w, c, n in cores]
    return joined + dropped


_Spelling = tuple[tuple[tuple[str, str], ...], float, tuple[tuple[str, str], ...], tuple[str, ...]]


def _spellings(text: str, domain: str | None, data: NameData) -> list[_Spelling]:
    """(expansion map, weight, conventions, notes) for plain and expanded umlauts (ä → ae)."""
    if not any(ch in data.expand for ch in text.lower()):
        return [((), 1.0, (), ())]
    tld = _tld(domain)
    share = data.expanded_weight.get(tld, data.expanded_weight.get("default", 0.5))
    expand = tuple(sorted(data.expand.items()))
    return [
        (expand, share, (("umlauts", "expanded"),), ("ä ö ü spelt ae oe ue",)),
        ((), 1 - share, (("umlauts", "plain"),), ("accents dropped",)),
    ]


def readings_of(structures: list[Structure], nicknames: list[str], text: str, domain: str | None,
                data: NameData) -> list[NameReading]:
    """Every reading of the name: each structure in each spelling, weights multiplied, alike merged."""
    weights: dict[tuple[str, str, str, str, str, str], float] = {}
    heaviest: dict[tuple[str, str, str, str, str, str], tuple[float, tuple[Any, ...], tuple[str, ...]]] = {}
    for structure, spelling in product(structures, _spellings(text, domain, data)):
        expand, s_weight, s_conventions, s_notes = spelling
        middle = "".join(spell(u.core, expand) for u in structure.middle)
        surnames = [_surname_options(u, expand) for u in structure.surnames if not u.is_initial]
        initial = next((spell(u.core) for u in structure.surnames if u.is_initial), "")
        given = _given_options(structure.given, nicknames, expand, data)
        for (first, f, g_weight, g_conventions, g_notes), family in product(given, product(*surnames)):
            weight = structure.weight * s_weight * g_weight * math.prod(option[1] for option in family)
            if weight <= 0:
                continue
            key = (first, middle, family[0][0] if family else "", family[1][0] if len(family) > 1 else "",
                   f, initial)
            conventions = (*structure.conventions, *s_conventions, *g_conventions,
                           *(c for option in family for c in option[2]))
            notes = (*structure.notes, *s_notes, *g_notes, *(n for option in family for n in option[3]))
            # Two ways to the same spelling add up; the likelier one's conventions and notes stay.
            weights[key] = weights.get(key, 0.0) + weight
            if key not in heaviest or weight > heaviest[key][0]:
                heaviest[key] = (weight, _unique(conventions), _unique(notes))
    readings = [
        NameReading(first, middle, last, f, weights[key], heaviest[key][2], last2, initial, heaviest[key][1])
        for key in weights
        for first, middle, last, last2, f, initial in [key]
    ]
    return sorted(readings, key=lambda r: (-r.weight, r.first, r.middle, r.last, r.last2, r.f))


def _unique(items: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def likeliest(name: NameParts) -> NameParts:
    """NAME with only the readings worth ranking: those that share 0.2 % or more (48 at most)."""
    kept = _normalised(list(name.readings), _MAX_READINGS, _MIN_WEIGHT)
    return name if kept == name.readings else replace(name, readings=kept)


def _normalised(readings: list[NameReading], most: int, least: float) -> tuple[NameReading, ...]:
    kept = [r for r in readings[:most] if r.weight >= least] or readings[:1]
    total = sum(r.weight for r in kept)
    return tuple(
        NameReading(r.first, r.middle, r.last, r.f, r.weight / total, r.notes, r.last2, r.last_initial,
                    r.conventions)
        for r in kept
    )


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
            f"{cleaned!r} has no letters that can be written in an address after transliteration; {_HINT}."
        )
    if complete:
        kept = _normalised(readings, _MAX_EXPLAINING_READINGS, 0.0)
    else:
        kept = _normalised(readings, _MAX_READINGS, _MIN_WEIGHT)
    main = structures[max(range(len(structures)), key=lambda i: structures[i].weight)]
    notes = []
    if parsed.title:
        notes.append(f"title {parsed.title!r} dropped")
    if parsed.suffix:
        notes.append(f"suffix {parsed.suffix!r} dropped")
    if not main.surnames:
        notes.append("no family name: only formats that use the given name apply")
    elif all(u.is_initial for u in main.surnames):
        notes.append("only the surname's initial is known: formats that need the whole surname don't apply")
    return NameParts(
        original=text,
        given=" ".join(_written(u) for u in main.given),
        middle=" ".join(_written(u) for u in main.middle),
        family=" ".join(_written(u) for u in main.surnames),
        title=parsed.title,
        suffix=parsed.suffix,
        nicknames=tuple(parsed.nicknames),
        readings=kept,
        notes=tuple(notes),
    )


def _written(unit: Unit) -> str:
    return " ".join([*unit.particles, unit.core])


def clear_caches() -> None:
    """Forget every parsed name and spelt word (the data files stay loaded)."""
    parse_name.cache_clear()
    spell.cache_clear()
