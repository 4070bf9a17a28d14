"""Turn a free-form personal name into the parts an address is built from, with weighted readings."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from anyascii import anyascii

from reachout.data import load_toml
from reachout.errors import BadInput

_HINT = "pass a person's name such as 'Jane Doe'"
_MAX_LEN = 200
# Quoted or bracketed nicknames: Robert "Bob" Smith, Robert (Bob) Smith, Robert 'Bob' Smith.
_NICKNAME = re.compile(r"""(?:^|(?<=\s))(?:"([^"]+)"|“([^”]+)”|'([^']+)'|\(([^)]+)\))(?=\s|$|,)""")
_SPACES = re.compile(r"\s+")  # " ".join(text.split()) does _SPACES.sub(" ", text).strip(), 4x faster
_SURROGATE = re.compile("[\ud800-\udfff]")


class _SymbolsToSpaces(dict[int, str]):
    """str.translate table: symbols (S), control characters (C), separators (Z) and non-ASCII numbers
    that are no digits (No: ❶ ① ² ½) become spaces.

    Filled in as characters are met, so each costs one Unicode lookup per process, not per name.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        out = " " if category[0] in "SCZ" or (category == "No" and code > 127) else char
        if len(self) < 65536:
            self[code] = out
        return out


_SYMBOLS_TO_SPACES = _SymbolsToSpaces()
# The ASCII characters _SYMBOLS_TO_SPACES changes ($ + < = > ^ ` | ~ and control characters): a search
# for them costs less than the translation, and ASCII names rarely have one.
_ASCII_SYMBOLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(128) if _SYMBOLS_TO_SPACES[c] != chr(c)) + "]"
)
_HEADLINE_MARKS = "-–—|·•"  # a spaced one of these (or any bar) starts a headline
_HEADLINE_CHARS = frozenset(_HEADLINE_MARKS)  # text without any of them has no headline separator
_HEADLINE_SEPARATOR = re.compile(rf"\s+[{re.escape(_HEADLINE_MARKS)}]\s+|\s*\|\s*")
_WORD = re.compile(r"[^\W\d_]+")
_PRONOUNS = frozenset({"she", "her", "he", "him", "they", "them", "she/her", "he/him", "they/them"})
# A word nameparser would take as it is: letters, inner hyphens and apostrophes (Jean-Luc, O'Brien).
_INITIAL = re.compile(r"^[^\W\d_]\.$")  # "A." as a first or middle initial
# Titles and credentials that are never names (unlike Dean, Major or Ba): stripped without nameparser.
_COMMON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"})
_COMMON_SUFFIXES = frozenset({
    "jr", "sr", "ii", "iii", "iv", "phd", "mba", "md", "cpa", "cfa", "esq", "msc", "bsc", "pmp",
    "jd", "cissp", "mph", "llm", "dphil", "acca", "fca", "sphr", "phr", "ceng",
})
_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Scripts whose names are written family name first, without spaces between the parts.
_FAMILY_FIRST_SCRIPTS = ("CJK UNIFIED", "HANGUL", "HIRAGANA", "KATAKANA")
_MIN_WEIGHT = 0.004
_MAX_READINGS = 24
_GIVEN_CACHE_SIZE = 8192  # given names in a cache: the common ones, with room for a long tail


@dataclass(frozen=True, slots=True)
class NameReading:
    """One way to spell the parts of a name in an address, with how likely it is (weights sum to 1)."""

    first: str
    middle: str
    last: str
    f: str
    weight: float
    notes: tuple[str, ...] = ()
    # Initials, set from MIDDLE and LAST: rendering reads them millions of times.
    m: str = field(default="", init=False)
    l: str = field(default="", init=False)  # noqa: E741 - the template field is called {l}

    def __post_init__(self) -> None:
        object.__setattr__(self, "m", self.middle[:1])
        object.__setattr__(self, "l", self.last[:1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "middle": self.middle,
            "last": self.last,
            "weight": round(self.weight, 4),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
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


class _NewReading:
    """Builds a NameReading at less than half the cost of its constructor: parse_name makes ~3 a name.

    A frozen dataclass's __init__ sets each field through object.__setattr__. This class has the same
    slots and no __setattr__ of its own, so its __init__ stores them at full speed, then makes the
    instance the NameReading it was built to be (CPython lets __class__ change between classes of the
    same layout). The result is a NameReading in every way: tests/test_names.py's
    test_readings_parse_name_builds_are_what_the_constructor_builds compares it field by field with one the
    constructor makes.
    """

    __slots__ = NameReading.__slots__
    first: str
    middle: str
    last: str
    f: str
    weight: float
    notes: tuple[str, ...]
    m: str
    l: str  # noqa: E741

    def __init__(
        self, first: str, middle: str, last: str, f: str, weight: float, notes: tuple[str, ...]
    ) -> None:
        self.first = first
        self.middle = middle
        self.last = last
        self.f = f
        self.weight = weight
        self.notes = notes
        self.m = middle[:1]
        self.l = last[:1]
        _SET_CLASS(self, "__class__", NameReading)


# _NewReading(...) returns a NameReading: typed as such for the code that builds readings with it.
_new_reading = cast(Callable[[str, str, str, str, float, tuple[str, ...]], NameReading], _NewReading)


class _NewParts:
    """Builds a NameParts as _NewReading builds a NameReading, for parse_name (every field positional)."""

    __slots__ = NameParts.__slots__
    original: str
    given: str
    middle: str
    family: str
    title: str
    suffix: str
    nicknames: tuple[str, ...]
    readings: tuple[NameReading, ...]
    notes: tuple[str, ...]

    def __init__(
        self,
        original: str,
        given: str,
        middle: str,
        family: str,
        title: str,
        suffix: str,
        nicknames: tuple[str, ...],
        readings: tuple[NameReading, ...],
        notes: tuple[str, ...],
    ) -> None:
        self.original = original
        self.given = given
        self.middle = middle
        self.family = family
        self.title = title
        self.suffix = suffix
        self.nicknames = nicknames
        self.readings = readings
        self.notes = notes
        _SET_CLASS(self, "__class__", NameParts)


_Strings = tuple[str, ...]
_new_parts = cast(
    Callable[[str, str, str, str, str, str, _Strings, tuple[NameReading, ...], _Strings], NameParts],
    _NewParts,
)
_SET_CLASS = object.__setattr__

# Spelling choices a company makes once for everyone: known addresses at a domain teach them.
CONVENTIONS: dict[str, tuple[str, str]] = {
    "ä ö ü spelt ae oe ue": ("umlauts", "expanded"),
    "accents dropped": ("umlauts", "plain"),
    "particles joined": ("particles", "joined"),
    "particles dropped": ("particles", "dropped"),
    "compound surname joined": ("compound surname", "joined"),
    "first surname": ("compound surname", "first only"),
    "compound surname hyphenated": ("compound surname", "hyphenated"),
    "second surname": ("compound surname", "second only"),
    "compound given name joined": ("compound given name", "joined"),
    "first part of the given name": ("compound given name", "first part"),
    "compound given name hyphenated": ("compound given name", "hyphenated"),
}


def conventions_of(reading: NameReading) -> dict[str, str]:
    """The spelling conventions a reading follows, as {dimension: option}."""
    out = {}
    for note in reading.notes:
        for part in note.split("; "):
            if part in CONVENTIONS:
                dimension, option = CONVENTIONS[part]
                out[dimension] = option
    return out


# --- data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NameData:
    expand: tuple[tuple[str, str], ...]
    expand_chars: frozenset[str]
    expand_ascii: bool  # whether any of expand_chars is ASCII (none in the shipped data)
    expanded_weight: dict[str, float]
    spanish_surnames: frozenset[str]
    spanish_suffixes: tuple[str, ...]
    compound_given: frozenset[str]
    nicknames: dict[str, tuple[str, ...]]
    # _given_side's cache, per data set: {(given words, nicknames, expand is None): options}
    given_cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # _given_readings' cache: {(given words, nicknames): readings}
    given_readings_cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)


@functools.lru_cache(maxsize=8)
def _name_data(patterns: str | None = None) -> _NameData:
    raw = load_toml("names", patterns)
    translit = raw.get("transliteration", {})
    spanish = raw.get("spanish", {})
    nicknames: dict[str, set[str]] = {}
    for canonical, shorts in raw.get("nicknames", {}).items():
        for short in shorts:
            nicknames.setdefault(canonical, set()).add(short)
            nicknames.setdefault(short, set()).add(canonical)
    data = _NameData(
        expand=tuple(sorted(translit.get("expand", {}).items())),
        expand_chars=frozenset(translit.get("expand", {})),
        expand_ascii=any(ch.isascii() for ch in translit.get("expand", {})),
        expanded_weight={k: float(v) for k, v in translit.get("expanded_weight", {}).items()},
        spanish_surnames=frozenset(spanish.get("surnames", [])),
        spanish_suffixes=tuple(spanish.get("surname_suffixes", [])),
        compound_given=frozenset(spanish.get("compound_given", [])),
        nicknames={k: tuple(sorted(v)) for k, v in nicknames.items()},
    )
    _LOADED_NAME_DATA[:] = [*_LOADED_NAME_DATA[-7:], data]  # as many as _name_data keeps
    return data


_LOADED_NAME_DATA: list[_NameData] = []  # the data sets loaded, whose caches clear_caches() empties


@functools.lru_cache(maxsize=1)
def _constants() -> Any:
    from nameparser.config import Constants

    return Constants()


@functools.lru_cache(maxsize=1)
def _reserved_words() -> frozenset[str]:
    """Words that make a name need the full parser: titles, suffixes, particles, conjunctions."""
    c = _constants()
    return frozenset(
        w.lower()
        for group in (c.titles, c.suffix_acronyms, c.suffix_not_acronyms, c.prefixes, c.conjunctions)
        for w in group
    )


# --- parsing ----------------------------------------------------------------------------------------


@dataclass(slots=True, init=False)
class _Parsed:
    title: str
    given: list[str]
    middle: list[str]
    family: list[str]
    suffix: str
    nicknames: list[str]
    family_explicit: bool  # "Last, First": the family part is exactly what was given

    def __init__(  # the dataclass's own __init__ checks for default factories: twice as slow
        self,
        title: str = "",
        given: list[str] | None = None,
        middle: list[str] | None = None,
        family: list[str] | None = None,
        suffix: str = "",
        nicknames: list[str] | None = None,
        family_explicit: bool = False,
    ) -> None:
        self.title = title
        self.given = [] if given is None else given
        self.middle = [] if middle is None else middle
        self.family = [] if family is None else family
        self.suffix = suffix
        self.nicknames = [] if nicknames is None else nicknames
        self.family_explicit = family_explicit


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise BadInput(f"A name must be text; {_HINT}.")
    is_ascii = text.isascii()
    # A lone surrogate is not printable, so printable text (most names) needs no search for one.
    if not is_ascii and not text.isprintable() and _SURROGATE.search(text):
        # Bytes that were not UTF-8 (argv under a C locale, a mis-decoded file) arrive as lone
        # surrogates (PEP 383); dropping them would guess for a different name.
        raise BadInput(
            f"{text[:60]!r} holds bytes that are not UTF-8; type the name again, or set the "
            f"terminal's encoding to UTF-8 (LANG=C.UTF-8); {_HINT}."
        )
    if not is_ascii:
        text = unicodedata.normalize("NFC", text)
    text = _strip_headline(" ".join(text.split()))
    # Emoji, ™ and control characters decorate profile names; they are never part of an address.
    if not is_ascii or _ASCII_SYMBOLS.search(text):
        spaced = text.translate(_SYMBOLS_TO_SPACES)
        if spaced != text:
            text = " ".join(spaced.split())
    if not text:
        raise BadInput(f"The name is empty; {_HINT}.")
    if len(text) > _MAX_LEN:
        raise BadInput(f"The name is {len(text)} characters long; {_HINT}.")
    if "@" in text:
        raise BadInput(f"{text!r} looks like an e-mail address, not a name; {_HINT}.")
    if not (text[0].isascii() and text[0].isalpha()) and not any(
        ch.isalpha() if ch.isascii() else unicodedata.category(ch).startswith("L") for ch in text
    ):
        raise BadInput(f"{text!r} has no letters, so it cannot be a name; {_HINT}.")
    return text


def _strip_headline(text: str) -> str:
    """'Jane Doe - Talent Acquisition' or 'Jane Doe, Recruiter at Acme' → 'Jane Doe'.

    Names pasted from profiles and signatures carry a headline; a spaced dash or bar starts one, and
    a comma does when what follows has a job-title word (not 'Doe, Jane').
    """
    if not _HEADLINE_CHARS.isdisjoint(text):
        text = _HEADLINE_SEPARATOR.split(text, maxsplit=1)[0].strip()
    if "," in text:
        head, tail = text.split(",", 1)
        if any(word in _headline_words() for word in _WORD.findall(tail.lower())):
            return head.strip()
    return text


@functools.lru_cache(maxsize=1)
def _headline_words() -> frozenset[str]:
    return frozenset(load_toml("names").get("headline", {}).get("words", []))


def _split_nicknames(text: str) -> tuple[str, list[str]]:
    """TEXT (cleaned: single spaces, none around it) without its nicknames, and the nicknames."""
    if '"' not in text and "'" not in text and "(" not in text and "“" not in text:
        return text, []  # the usual case: no quote or bracket that could start a nickname
    nicknames = [next(g for g in m.groups() if g).strip() for m in _NICKNAME.finditer(text)]
    # "(she/her)" and "(he/him)" are pronouns, not nicknames: dropped with the brackets.
    nicknames = [n for n in nicknames if n and "/" not in n and n.lower() not in _PRONOUNS]
    return _SPACES.sub(" ", _NICKNAME.sub(" ", text)).strip(), nicknames


def _parse_capitalised_family(tokens: list[str], nicknames: list[str]) -> _Parsed | None:
    """'DUPONT Jean' and 'Jean DUPONT': directories often write the family name in capitals."""
    if not any(map(str.isupper, tokens)):  # the usual case, in one pass without Python calls
        return None
    caps = [i for i, t in enumerate(tokens) if len(t) > 1 and t.isupper() and _PLAIN_WORD.match(t)]
    if not caps or len(caps) == len(tokens) or caps != list(range(caps[0], caps[-1] + 1)):
        return None
    rest = [t for i, t in enumerate(tokens) if i not in caps]
    if not all(_PLAIN_WORD.match(t) or _INITIAL.match(t) for t in rest) or any(t.islower() for t in rest):
        return None
    family = [t.capitalize() for t in tokens[caps[0] : caps[-1] + 1]]
    return _Parsed(given=rest[:1], middle=rest[1:], family=family, nicknames=nicknames)


@functools.lru_cache(maxsize=1)
def _fast_particles() -> frozenset[str]:
    """Lower-case particles (van, der, de, la) that nameparser joins to the family name, and nothing else.

    Not 'st' (a title to nameparser) nor 'do' (a suffix): names with those still go to nameparser.
    """
    c = _constants()
    others = {w.lower() for group in (c.titles, c.suffix_acronyms, c.suffix_not_acronyms, c.conjunctions)
              for w in group}
    return frozenset(p for p in c.prefixes if p == p.lower() and _PLAIN_WORD.match(p) and p not in others)


_PLAIN_FORENAME_TOKEN: dict[str, bool] = {}  # given or middle name token → whether the fast path takes it


def _simple_family_start(tokens: list[str]) -> int | None:
    """Where the family name starts when the name needs no nameparser, else None.

    Simple: given name, up to two middle names or initials, then the family name, optionally led by
    up to three lower-case particles (Mary J. van der Berg); no title, suffix or punctuation.
    """
    reserved = _reserved_words()
    last = len(tokens) - 1
    start = last
    particles = _fast_particles()
    while start > 1 and tokens[start - 1] in particles:
        start -= 1
    if not 1 <= start <= 3 or last - start > 3 or len(tokens[-1]) < 2:
        return None
    for t in tokens[:start]:  # given and middle names, or initials: they recur, so cached
        plain = _PLAIN_FORENAME_TOKEN.get(t)
        if plain is None:
            # str.isalpha() implies _PLAIN_WORD's match, at a tenth of the cost
            word = (t.isalpha() or _PLAIN_WORD.match(t)) and t.lower() not in reserved
            plain = bool(word or _INITIAL.match(t))
            if len(_PLAIN_FORENAME_TOKEN) < 65536:
                _PLAIN_FORENAME_TOKEN[t] = plain
        if not plain:
            return None
    t = tokens[-1]  # str.isalpha() implies _PLAIN_WORD's match, at a tenth of the cost
    return start if (t.isalpha() or _PLAIN_WORD.match(t)) and t.lower() not in reserved else None


def _is_family_first_script(text: str) -> bool:
    if text.isascii() or max(text) <= "\u2e7f":  # the usual case, without a Unicode lookup per char
        return False
    return any(
        unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in text if ord(ch) > 0x2E7F
    )


def _strip_common_affixes(body: str) -> tuple[list[str], list[str], list[str]] | None:
    """'Dr. Jane Doe, PhD' → (['Jane', 'Doe'], ['Dr.'], ['PhD']) for unambiguous titles and credentials.

    None when a comma does more than introduce credentials (Doe, Jane): nameparser decides those.
    """
    head, suffixes = body, []
    if "," in body:
        head, *tails = body.split(",")
        suffixes = [t.strip() for tail in tails for t in tail.split()]
        if not all(t.strip(".,").lower() in _COMMON_SUFFIXES for t in suffixes):
            return None
    tokens = head.split()
    if len(tokens) < 3:  # the usual case: nothing to strip but after a comma
        return tokens or [""], [], suffixes
    titles = []
    while len(tokens) > 2 and tokens[0].strip(".,").lower() in _COMMON_TITLES:
        titles.append(tokens.pop(0))
    trailing: list[str] = []
    while len(tokens) > 2 and tokens[-1].strip(".,").lower() in _COMMON_SUFFIXES:
        trailing.insert(0, tokens.pop())
    return tokens, titles, trailing + suffixes


def _two_plain_words(text: str) -> _Parsed | None:
    """'Jane Doe', the most common shape of all: what _clean and _parse make of it, found at once.

    Two ASCII words of letters, each capitalised (McDonald too), one space between: nothing to clean,
    no headline, nickname, title, suffix or particle, no word in capitals. Unless a word is one the
    full parser reads specially (a title such as Dean), the parts are the two words.
    """
    if not (isinstance(text, str) and len(text) <= _MAX_LEN and _TWO_PLAIN_WORDS.fullmatch(text)):
        return None
    given, family = text.split(" ")
    reserved = _reserved_words()
    if given.lower() in reserved or family.lower() in reserved:
        return None
    return _Parsed("", [given], [], [family], "", [])


_PLAIN_CAPITALISED = "[A-Z][a-z]+(?:[A-Z][a-z]+)*"
_TWO_PLAIN_WORDS = re.compile(f"{_PLAIN_CAPITALISED} {_PLAIN_CAPITALISED}")


def _parse(text: str) -> _Parsed:
    """Parts of a cleaned name (_clean's output)."""
    body, nicknames = _split_nicknames(text)
    if not body.isascii() and _is_family_first_script(body):
        return _parse_family_first(body.split(" "), nicknames)
    stripped = _strip_common_affixes(body)
    if stripped is not None:
        tokens, titles, suffixes = stripped
        if any(map(str.isupper, tokens)):  # the usual case, 'Jane Doe', has no word in capitals
            capitalised = _parse_capitalised_family(tokens, nicknames)
            if capitalised is not None:
                capitalised.title, capitalised.suffix = " ".join(titles), ", ".join(suffixes)
                return capitalised
        start = _simple_family_start(tokens)
        # nameparser reads a blank part between commas ('Jan van Berg, , PhD') as 'Last, First', and
        # joins two or more suffixes after a particle name with spaces ('MBA III', not 'MBA, III').
        # Turkish İ and ı: nameparser lower-cases İİ to 'ii', a suffix, so those names go to it.
        if start is not None and (body.isascii() or ("İ" not in body and "ı" not in body)) and (
            start == len(tokens) - 1 or (len(suffixes) < 2 and all(map(str.strip, body.split(",")[1:])))
        ):
            # Fast path, same result as nameparser for these names (tests compare the two).
            # Positional (title, given, middle, family, suffix, nicknames): twice as fast to call.
            return _Parsed(
                " ".join(titles), [tokens[0]], tokens[1:start], tokens[start:], ", ".join(suffixes), nicknames
            )
    from nameparser import HumanName

    human = HumanName(body, constants=_constants())
    nicknames += [n for n in human.nickname_list if n not in nicknames]
    parsed = _Parsed(
        title=human.title,
        given=human.first.split(),
        middle=human.middle.split(),
        family=human.last.split(),
        suffix=human.suffix,
        nicknames=nicknames,
        family_explicit="," in body and bool(human.last) and not _comma_is_suffix(body),
    )
    if not parsed.given and not parsed.family and parsed.middle:
        parsed.given, parsed.middle = parsed.middle[:1], parsed.middle[1:]
    return parsed


def _comma_is_suffix(body: str) -> bool:
    """'John Smith, PhD' has a comma that only introduces suffixes; 'Smith, John' does not."""
    tail = body.split(",", 1)[1]
    words = [w.strip(". ").lower() for w in re.split(r"[ ,]+", tail) if w.strip(". ")]
    reserved = _constants()
    suffixes = {w.lower() for w in reserved.suffix_acronyms} | {
        w.lower() for w in reserved.suffix_not_acronyms
    }
    return bool(words) and all(w.replace(".", "") in suffixes for w in words)


def _parse_family_first(tokens: list[str], nicknames: list[str]) -> _Parsed:
    """Chinese, Japanese and Korean names: family name first, often with no space (王伟)."""
    if len(tokens) >= 2:
        return _Parsed(given=tokens[1:2], middle=tokens[2:], family=tokens[:1], nicknames=nicknames)
    word = tokens[0]
    return _Parsed(given=[word[1:]] if len(word) > 1 else [], family=[word[:1]], nicknames=nicknames)


# --- spelling ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _ascii(word: str, expand: tuple[tuple[str, str], ...] | None) -> str:
    """Lower-case ASCII letters and digits only (O'Brien → obrien); EXPAND spells ö as oe first.

    Cached: given names and common surnames recur across a batch, and anyascii is the costly part.
    """
    word = word.lower()
    if expand:
        mapping = dict(expand)
        word = "".join(mapping.get(ch, ch) for ch in word)
    elif word.isascii():  # anyascii leaves ASCII as it is, and letters and digits as they are
        return word if word.isalnum() else _NOT_ALNUM.sub("", word)
    return _NOT_ALNUM.sub("", anyascii(word).lower())


Expand = tuple[tuple[str, str], ...] | None
Option = tuple[str, float, str]  # (spelling, weight, note)


def _given_options(parsed: _Parsed, expand: Expand, data: _NameData) -> list[Option]:
    """Spellings of the given name: compound forms, stated nicknames, then common short forms."""
    given = parsed.given
    if not given:
        return [("", 1.0, "")]
    options: list[Option] = []
    if len(given) == 1 and "-" not in given[0]:
        options.append((_ascii(given[0], expand), 1.0, ""))
    else:
        parts = [p for word in given for p in word.split("-") if _ascii(p, expand)] or [""]
        joined = "".join(_ascii(p, expand) for p in parts)
        options += [
            (joined, 0.5, "compound given name joined"),
            (_ascii(parts[0], expand), 0.3, "first part of the given name"),
            ("-".join(_ascii(p, expand) for p in parts), 0.12, "compound given name hyphenated"),
        ]
    stated = [_ascii(n, expand) for n in parsed.nicknames]
    stated = [n for n in stated if n]
    if stated:
        options = [(s, w * 0.6, note) for s, w, note in options]
        options += [(n, 0.4 / len(stated), f"nickname {n!r} as given") for n in stated]
    # Common short or long forms (Robert/Bob): low weight unless known addresses show them.
    base = options[0][0]
    variants = [v for v in data.nicknames.get(base, ()) if v not in {o[0] for o in options}]
    if variants:
        share = 0.06
        options = [(s, w * (1 - share), note) for s, w, note in options]
        options += [(v, share / len(variants), f"{v!r} is a usual form of {base!r}") for v in variants]
    return options


@functools.lru_cache(maxsize=1)
def _prefixes() -> frozenset[str]:
    """nameparser's particles, lower-case without dots, as its own lookups compare them."""
    return frozenset(p.lower().strip(".") for p in _constants().prefixes)


def _split_particles(family: list[str]) -> tuple[list[str], list[str]]:
    if len(family) < 2:
        return [], family
    reserved = _prefixes()
    particles: list[str] = []
    for i, word in enumerate(family[:-1]):
        low = word.lower()
        if low.strip(".") in reserved or (low.rstrip("'’") + "'").strip(".") in reserved:
            particles.append(word)
        else:
            return particles, family[i:]
    return particles, family[len(particles) :]


def _family_options(parsed: _Parsed, expand: Expand) -> list[Option]:
    """Spellings of the family name: particles joined or dropped, compound surnames in every form."""
    family = parsed.family
    if len(family) == 1 and "-" not in family[0]:  # the usual case: one word, no particle
        return [(_ascii(family[0], expand), 1.0, "")]
    if not family:
        return [("", 1.0, "")]
    particles, core = _split_particles(family)
    # Each part spelt once (parts that spell to nothing are left out, as in every form below).
    words = [spelt for word in core for p in word.split("-") if (spelt := _ascii(p, expand))]
    if not words:
        return [("", 1.0, "")]
    if len(words) == 1:
        core_forms: list[Option] = [(words[0], 1.0, "")]
    elif any("-" in word for word in core):  # hyphenated: every form is about as likely
        core_forms = [
            ("".join(words), 0.45, "compound surname joined"),
            (words[0], 0.35, "first surname"),
            ("-".join(words), 0.15, "compound surname hyphenated"),
            (words[-1], 0.05, "second surname"),
        ]
    else:
        core_forms = [
            ("".join(words), 0.2, "compound surname joined"),
            (words[0], 0.7, "first surname"),
            ("-".join(words), 0.08, "compound surname hyphenated"),
            (words[-1], 0.02, "second surname"),
        ]
    if not particles:
        return core_forms
    prefix = "".join([_ascii(p, expand) for p in particles])
    return [(prefix + s, w * 0.55, _WITH_PARTICLES[n]) for s, w, n in core_forms] + [
        (s, w * 0.45, _WITHOUT_PARTICLES[n]) for s, w, n in core_forms
    ]


_CORE_NOTES = (
    "", "compound surname joined", "first surname", "compound surname hyphenated", "second surname"
)
# The note of a family option with its particles joined or dropped, by the note of its core form.
_WITH_PARTICLES = {n: f"particles joined; {n}" if n else "particles joined" for n in _CORE_NOTES}
_WITHOUT_PARTICLES = {n: f"particles dropped; {n}" if n else "particles dropped" for n in _CORE_NOTES}


def _looks_spanish(word: str, data: _NameData) -> bool:
    plain = _ascii(word, None)
    return plain in data.spanish_surnames or (
        len(plain) >= 5 and plain.endswith(data.spanish_suffixes) and word[:1].isupper()
    )


def _structures(parsed: _Parsed, data: _NameData) -> list[tuple[_Parsed, float, str]]:
    """Western reading, and the Spanish one (given names + two surnames) when the name suggests it."""
    # One family word (so no particle before it) and at least two words before it.
    if parsed.family_explicit or len(parsed.family) != 1 or len(parsed.given) + len(parsed.middle) < 2:
        return [(parsed, 1.0, "")]
    tokens = parsed.given + parsed.middle + parsed.family
    if not _looks_spanish(tokens[-2], data):
        return [(parsed, 1.0, "")]
    given = tokens[:-2]
    spanish = _Parsed(
        title=parsed.title,
        given=given,
        middle=[],
        family=tokens[-2:],
        suffix=parsed.suffix,
        nicknames=parsed.nicknames,
    )
    if len(given) > 2 or (len(given) == 2 and _ascii(given[1], None) not in data.compound_given):
        # Three given words, or a second word that is no usual compound: keep a middle name.
        spanish.given, spanish.middle = given[:1], given[1:]
    return [(spanish, 0.85, "Spanish naming: two surnames"), (parsed, 0.15, "")]


def _expanded_weight(text: str, domain: str | None, data: _NameData) -> float:
    """The weight of the spelling that expands ä ö ü… (0 when TEXT has none of them)."""
    # ASCII text (most names) lower-cases to ASCII, so only ASCII characters to expand could be in it.
    if (text.isascii() and not data.expand_ascii) or data.expand_chars.isdisjoint(text.lower()):
        return 0.0
    tld = (domain or "").rsplit(".", 1)[-1].lower()
    return data.expanded_weight.get(tld, data.expanded_weight.get("default", 0.5))


_GivenOption = tuple[str, float, tuple[str, ...], tuple[tuple[str, float], ...]]


def _given_side(parsed: _Parsed, expand: Expand, data: _NameData) -> tuple[_GivenOption, ...]:
    """(spelling, weight, notes, initials with weights) of each given-name option, cached.

    Given names recur in every list of people, and their options do not depend on the family name.
    EXPAND is data.expand or None, so whether it is None identifies it in the cache key.
    """
    key = (tuple(parsed.given), tuple(parsed.nicknames), expand is None)
    cache = data.given_cache
    side = cache.get(key)
    if side is None:
        compound = _compound_initials(parsed, expand)
        side = tuple(
            (first, weight, (note,) if note else (), tuple(_initials(first, note, compound)))
            for first, weight, note in _given_options(parsed, expand, data)
        )
        if len(cache) >= _GIVEN_CACHE_SIZE:
            cache.clear()
        cache[key] = side
    return side


def _readings(
    structures: list[tuple[_Parsed, float, str]], text: str, domain: str | None, data: _NameData
) -> list[NameReading]:
    expanded = _expanded_weight(text, domain, data)
    plain_options: list[Option] | None = None  # the one structure's plain family options, once spelt
    if len(structures) == 1 and not expanded:
        # The usual case: one structure, one spelling and, below, one family option, so every
        # reading has the same middle and family names and the given name alone decides the rest.
        structure, s_weight, s_note = structures[0]
        family = structure.family
        if len(family) == 1 and "-" not in family[0]:  # _family_options' usual case, inline
            # _ascii(family[0], None), without its cache for plain words: surnames seldom repeat
            last = family[0].lower()
            if not (last.isascii() and last.isalnum()):
                last = _ascii(family[0], None)
            f_weight, f_note, others = 1.0, "", False
        else:
            plain_options = _family_options(structure, None)
            (last, f_weight, f_note), *rest = plain_options
            others = bool(rest)
        if not others and s_weight == f_weight == 1.0 and not s_note and not f_note:
            middle = "".join([_ascii(w, None) for w in structure.middle]) if structure.middle else ""
            given = data.given_readings_cache.get((tuple(structure.given), tuple(structure.nicknames)))
            return [
                _new_reading(first, middle, last, initial, weight, notes)
                for first, initial, weight, notes in (given or _given_readings(structure, data))
            ]
    spellings: list[tuple[Expand, float, str]] = (
        [(data.expand, expanded, "ä ö ü spelt ae oe ue")] if expanded else []
    )
    spellings.append((None, 1.0 - expanded, "accents dropped" if expanded else ""))
    # (-weight, key, notes) of every combination; the products are taken in the same order always.
    entries: list[tuple[float, _ReadingKey, tuple[str, ...]]] = []
    add = entries.append
    for structure, s_weight, s_note in structures:
        for expand, t_weight, t_note in spellings:
            st_weight = s_weight * t_weight
            st_notes = tuple(filter(None, (s_note, t_note)))
            middle = "".join([_ascii(w, expand) for w in structure.middle]) if structure.middle else ""
            f_options = [
                (last, f_weight, (f_note,) if f_note else ())
                for last, f_weight, f_note in (plain_options or _family_options(structure, expand))
            ]
            for first, g_weight, g_notes, initials in _given_side(structure, expand, data):
                stg_weight = st_weight * g_weight
                stg_notes = st_notes + g_notes
                for last, f_weight, f_notes in f_options:
                    weight = stg_weight * f_weight
                    notes = stg_notes + f_notes
                    for initial, i_weight in initials:
                        add((-(weight * i_weight), (first, middle, last, initial), notes))
    if len({entry[1] for entry in entries}) < len(entries):
        # Two combinations spell the same reading (rare): their weights add up, the first's notes stay.
        weights: dict[_ReadingKey, float] = {}
        first_notes: dict[_ReadingKey, tuple[str, ...]] = {}
        for minus_weight, key, notes in entries:
            if key in weights:
                weights[key] += -minus_weight
            else:
                weights[key] = -minus_weight
                first_notes[key] = notes
        return [_new_reading(k[0], k[1], k[2], k[3], w, first_notes[k]) for k, w in _rank(weights)]
    if len(entries) == 1:
        ((minus_weight, k, notes),) = entries
        return [_new_reading(k[0], k[1], k[2], k[3], 1.0, notes)]  # one reading: all the weight
    # As _rank does, with distinct keys: notes never decide the order.
    entries.sort()
    kept = [entry for entry in entries[:_MAX_READINGS] if -entry[0] >= _MIN_WEIGHT] or entries[:1]
    total = sum([-entry[0] for entry in kept])
    return [
        _new_reading(k[0], k[1], k[2], k[3], -minus_weight / total, notes) for minus_weight, k, notes in kept
    ]


_ReadingKey = tuple[str, str, str, str]  # (first, middle, last, f)


def _given_readings(parsed: _Parsed, data: _NameData) -> tuple[tuple[str, str, float, tuple[str, ...]], ...]:
    """(first, f, weight, notes) of each reading when the given name alone varies, cached.

    This is _readings' ranking for one structure, spelling and family option, all of weight 1 and
    without notes: the products of weights are then g_weight * i_weight exactly (x * 1.0 == x), and
    readings with the same middle and family names rank by (first, f) as they would by the full key.
    """
    key = (tuple(parsed.given), tuple(parsed.nicknames))
    cache = data.given_readings_cache
    out = cache.get(key)
    if out is None and len(parsed.given) == 1 and not parsed.nicknames and "-" not in parsed.given[0]:
        # A one-word given name with no usual short or long form (most rare names): one reading.
        first = _ascii(parsed.given[0], None)
        if first not in data.nicknames:
            out = ((first, first[:1], 1.0, ()),)
            if len(cache) >= _GIVEN_CACHE_SIZE:
                cache.clear()
            cache[key] = out
    if out is None:
        weights: dict[tuple[str, str], float] = {}
        notes: dict[tuple[str, str], tuple[str, ...]] = {}
        for first, g_weight, g_notes, initials in _given_side(parsed, None, data):
            for initial, i_weight in initials:
                weight = g_weight * i_weight
                if (first, initial) in weights:
                    weights[first, initial] += weight
                else:
                    weights[first, initial] = weight
                    notes[first, initial] = g_notes
        out = tuple((k[0], k[1], w, notes[k]) for k, w in _rank(weights))
        if len(cache) >= _GIVEN_CACHE_SIZE:
            cache.clear()
        cache[key] = out
    return out


_Key = TypeVar("_Key", bound=tuple[str, ...])


def _rank(weights: dict[_Key, float]) -> list[tuple[_Key, float]]:
    """The readings kept, heaviest first, then by spelling, with weights scaled to sum to 1."""
    if len(weights) == 1:  # the usual case: one reading, whatever its weight
        ((key, weight),) = weights.items()
        return [(key, weight / weight)]
    ranked = sorted([(-w, k) for k, w in weights.items()])
    kept = [(k, -w) for w, k in ranked[:_MAX_READINGS] if -w >= _MIN_WEIGHT]
    if not kept:
        kept = [(ranked[0][1], -ranked[0][0])]
    total = sum([w for _, w in kept])
    return [(k, w / total) for k, w in kept]


def _compound_initials(parsed: _Parsed, expand: Expand) -> str:
    parts = [p for word in parsed.given for p in word.split("-") if p]
    return "".join(_ascii(p, expand)[:1] for p in parts) if len(parts) > 1 else ""


def _initials(first: str, note: str, compound: str) -> list[tuple[str, float]]:
    """{f} is the first letter; for Jean-Luc it may also be 'jl'."""
    if compound and note.startswith("compound given name"):
        return [(first[:1], 0.75), (compound, 0.25)]
    return [(first[:1], 1.0)]


# parse_name's results by (text, domain, patterns): a plain dict, emptied when full, costs a third of an
# lru_cache's lookup with keyword arguments, and a batch that outgrows it loses nothing it would reuse.
_PARSED: dict[tuple[str, str | None, str | None], NameParts] = {}
# What repeats is known addresses' names (a domain's few, every row): 1,024 holds many domains'. Kept
# longer, entries outlive the young garbage-collector generations, and the oldest one's collections
# scan the whole heap: at 4,096, 10,000 new names a round ran 3-4 % slower (bench/guess.py medians).
_PARSED_SIZE = 1024


def parse_name(text: str, *, domain: str | None = None, patterns: str | None = None) -> NameParts:
    """Parse TEXT into name parts and weighted ASCII readings; DOMAIN's TLD guides transliteration.

    Cached (clear_caches() empties the caches): batches and known addresses repeat names.
    """
    key = (text, domain, patterns)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    plain = _two_plain_words(text)
    if plain is not None:
        cleaned, parsed = text, plain
    else:
        cleaned = _clean(text)  # a bad name is the error to report, before any about the data files
        parsed = _parse(cleaned)
    data = _name_data(patterns)
    structures = _structures(parsed, data)
    parsed = structures[0][0]
    readings = _readings(structures, cleaned, domain, data)
    if not (readings[0].first or readings[0].last or any(r.first or r.last for r in readings)):
        raise BadInput(
            f"{cleaned!r} has no letters that can be written in an address after transliteration; {_HINT}."
        )
    notes = []
    if parsed.title:
        notes.append(f"title {parsed.title!r} dropped")
    if parsed.suffix:
        notes.append(f"suffix {parsed.suffix!r} dropped")
    if not parsed.family:
        notes.append("no family name: only formats that use the given name apply")
    parts = _new_parts(  # original, given, middle, family, title, suffix, nicknames, readings, notes
        text,
        " ".join(parsed.given),
        " ".join(parsed.middle),
        " ".join(parsed.family),
        parsed.title,
        parsed.suffix,
        tuple(parsed.nicknames),
        tuple(readings),
        tuple(notes),
    )
    if len(_PARSED) >= _PARSED_SIZE:
        _PARSED.clear()
    _PARSED[key] = parts
    return parts


def clear_caches() -> None:
    """Forget every parsed name, spelt word and given-name reading (the data files stay loaded)."""
    _PARSED.clear()
    _PLAIN_FORENAME_TOKEN.clear()
    _ascii.cache_clear()
    for data in _LOADED_NAME_DATA:
        data.given_cache.clear()
        data.given_readings_cache.clear()


parse_name.cache_clear = _PARSED.clear  # type: ignore[attr-defined]  # as functools' caches have
