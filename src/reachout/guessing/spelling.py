"""From names as written to the ASCII parts of an address: transliteration, umlauts both ways,
particles joined or dropped, hyphenated names in every form, usual forms of given names; and the
readings of a name, one per combination, their weights multiplied."""

from __future__ import annotations

import functools
import math
import re
from itertools import product
from typing import TYPE_CHECKING, Any, NamedTuple

from anyascii import anyascii

from reachout.guessing.namedata import NameData, tld_of, zipf_shares
from reachout.guessing.readings import NameReading

if TYPE_CHECKING:
    from reachout.guessing.customs import Structure, Unit

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


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
    units: tuple[Unit, ...], nicknames: list[str], expand: tuple[tuple[str, str], ...], data: NameData,
    tld: str, east_asian: bool,
) -> list[tuple[str, str, float, tuple[tuple[str, str], ...], tuple[str, ...]]]:
    """(first, its initial(s) {f}, weight, conventions, notes) for each spelling of the given name."""
    parts = [spelt for u in units for p in _with_particles(u).split("-") if (spelt := spell(p, expand))]
    if not parts:
        return [("", "", 1.0, (), ())]
    if len(parts) > 1:  # Jean-Luc's, Dong-wei's {f}: j or jl, d or dw
        # María del Carmen goes by Carmen or M. Carmen: the particle belongs to the joined name only.
        cores = [spelt for u in units for p in u.core.split("-") if (spelt := spell(p, expand))]
        cores = cores if len(cores) == len(parts) else parts
        forms = _compound_forms(parts, cores, len(units), data)
        whole, each, share = {"".join(parts), "-".join(parts)}, _initials(cores), data.each_part_initials
    else:  # SangEon, or Dongwei where the name looks Chinese: s or se, d or dw
        forms = [(parts[0], 1.0, (), ())]
        whole, each, share = {parts[0]}, *_syllable_initials(units[0].core, east_asian, data)
    out = []
    for form, weight, conventions, notes in forms:
        compound = tuple(parts) if len(parts) > 1 and form in whole else ()
        for first, share_of_form, f_conventions, f_notes in _usual_forms(form, nicknames, expand, data, tld,
                                                                         compound):
            initials: list[tuple[str, float, tuple[tuple[str, str], ...], tuple[str, ...]]] = [
                (first[:1], 1.0, (), ())]
            if each and first in whole:
                initials = [(first[:1], 1 - share, (("given initial", "first letter"),), ()),
                            (each, share, (("given initial", "each part"),), (f"initials {each!r}",))]
            for initial, i_share, i_conventions, i_notes in initials:
                out.append((first, initial, weight * share_of_form * i_share,
                            conventions + f_conventions + i_conventions, notes + f_notes + i_notes))
    return out


def _with_particles(unit: Unit) -> str:
    """A name standing where particles are never dropped (a given or middle name: San Martín written
    first) with its particles: "SanMartín"."""
    return "".join([*unit.particles, unit.core])


def _compound_forms(parts: list[str], cores: list[str], words: int, data: NameData) -> list[_Option]:
    """A given name of two or more PARTS (Jean-Luc, or José María read as one name: WORDS words):
    joined, hyphenated, its first part alone (Jean-Luc), or its second (José María → maria: how
    Spain often shortens a compound name whose first word is José, María or Francisco) or the first's
    initial and the second (jmaria). The second alone is its CORE, without particles (María del
    Carmen → carmen, mcarmen)."""
    forms: list[_Option] = [
        ("".join(parts), 0.70, (("given", "joined"),), ("given names joined",)),
        ("-".join(parts), 0.15, (("given", "hyphenated"),), ("given names hyphenated",)),
    ]
    if words == 1:
        forms.append((parts[0], 0.15, (("given", "first word"),), ("first part of the given name",)))
    elif len(parts) == 2 and min(len(p) for p in cores) > 1:  # Jane A.: no name to go by in "a"
        second = data.second_given_name.get(parts[0], data.second_given_name.get("default", 0.0))
        forms += [
            (cores[1], second, (("given", "second word"),), ("second given name",)),
            (parts[0][:1] + cores[1], data.initial_and_second, (("given", "initial and second"),),
             ("first given name as its initial",)),
        ]
    total = sum(weight for _, weight, _, _ in forms)  # the ways share the compound reading's weight
    return [(form, weight / total, c, n) for form, weight, c, n in forms]


def _initials(parts: list[str]) -> str:
    return "".join(p[:1] for p in parts)


_CAMEL = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]+)")


def _syllable_initials(word: str, east_asian: bool, data: NameData) -> tuple[str, float]:
    """Both syllables' initials of a two-syllable given name written as one WORD, and their share:
    SangEon anywhere, Dongwei or Sangeon where the name looks Chinese or Korean (EAST_ASIAN) and the
    word splits into two syllables of names.toml's lists one way only; else ("", 0)."""
    camel = _CAMEL.fullmatch(word)
    if camel:
        head, tail = (p.lower() for p in camel.groups())
        return (head[0] + tail[0], data.each_part_initials) if _two_syllables(head, tail, data) else ("", 0.0)
    spelt = spell(word)
    if not east_asian or spelt in data.given_names or _one_syllable(spelt, data):
        return "", 0.0  # Anna Kim is no An-na, Xian no Xi'an
    pairs = {spelt[0] + spelt[i] for i in range(1, len(spelt)) if _two_syllables(spelt[:i], spelt[i:], data)}
    return (pairs.pop(), data.syllable_initials) if len(pairs) == 1 else ("", 0.0)


def two_syllable_name(word: str, data: NameData) -> bool:
    """WORD, as written, is a given name of two Chinese or Korean syllables (Dong-wei, SangEon, Dongwei):
    what stands after the family name in a name written family name first (Li Dongwei)."""
    head, dash, tail = word.partition("-")
    if dash:
        return "-" not in tail and _two_syllables(spell(head), spell(tail), data)
    return bool(_syllable_initials(word, True, data)[0])


def _one_syllable(word: str, data: NameData) -> bool:
    return word in data.pinyin_syllables or word in data.korean_syllables


def _two_syllables(head: str, tail: str, data: NameData) -> bool:
    # Pinyin writes an apostrophe before a syllable that starts with a vowel (Xi'an), so none follows.
    pinyin = data.pinyin_syllables
    return (head in pinyin and tail in pinyin and tail[0] not in "aeo") or (
        head in data.korean_syllables and tail in data.korean_syllables)


def _usual_forms(first: str, nicknames: list[str], expand: tuple[tuple[str, str], ...],
                 data: NameData, tld: str, parts: tuple[str, ...] = ()) -> list[_Option]:
    """FIRST as written, a stated nickname, the usual full or short forms (Bob ↔ Robert, Nacho ↔
    Ignacio), and the same name in another language of a bilingual country (Jorge ↔ Jordi; a compound
    given name of PARTS part by part: José María → josepmaria).

    Each change has a direction, named by the convention's dimension (what the name is as written)
    and option (the form an address writes): "given form (full name)": nickname, "given form
    (nickname)": full form, "given form (castilian)": catalan… A domain's known addresses teach each
    direction apart, so one that writes Catalan forms of Castilian names keeps a Jordi a Jordi, and
    one that writes nicknames in full keeps an Edward an Edward. A reading carries a dimension only
    where the name has that choice, so names without one do not dilute what a domain's choices say.
    """
    out: list[_Option] = [(first, 1.0, (), ())]
    words = parts or (first,)
    if not (nicknames or first in data.full_forms or first in data.short_forms
            or any(w in data.other_forms for w in words)):
        return out  # most names: nothing to vary
    stated = [s for n in nicknames if (s := spell(n, expand)) and s != first]
    full = [v for v in data.full_forms.get(first, ()) if v not in stated]
    short = [v for v in data.short_forms.get(first, ()) if v not in stated] if not full else []
    # Robert "Bob" Smith: the stated nickname; Robert → bob, rob…: the commonest short forms first.
    nicknamed = [_Variant(s, 0.4 / len(stated), "nickname", f"nickname {s!r}") for s in stated]
    nicknamed += [_Variant(v, (0.6 if stated else 1.0) * data.nickname_of_full_form * z, "nickname",
                           f"{v!r} is a usual form of {first!r}")
                  for v, z in zip(short, zipf_shares(len(short)), strict=True)]
    out = _with_variants(out, nicknamed, "full name")
    # Bob → robert: a nickname's full forms are alike.
    out = _with_variants(out, [_Variant(v, data.usual_form_of_nickname / len(full), "full form",
                                        f"{v!r} is a usual form of {first!r}") for v in full], "nickname")
    seen = {form for form, *_ in out}
    other = [
        _Variant(form, share * z, language, f"{form!r} is {first!r} in {language.title()}")
        for language, forms in _in_other_languages(words, "-" if "-" in first else "", data).items()
        if (share := _language_share(language, tld, data))
        for form, z in zip(forms, zipf_shares(len(forms)), strict=True)
        if form not in seen
    ]
    written = next((data.language_of[w] for w in words if w in data.language_of), "another language")
    return _with_variants(out, other, written)


def _in_other_languages(words: tuple[str, ...], sep: str, data: NameData) -> dict[str, list[str]]:
    """Language → the forms of the given name WORDS (one word, or a compound's parts joined by SEP) in
    that language, the usual one first; a compound is translated part by part, a part without a form
    in that language kept as it is (José María in Catalan: josepmaria)."""
    if len(words) == 1:
        languages: dict[str, list[str]] = {}
        for form, language in data.other_forms.get(words[0], ()):
            languages.setdefault(language, []).append(form)
        return languages
    # Each part → {language: its usual form there} (reversed, so the first listed wins).
    found = [{language: form for form, language in data.other_forms.get(w, ())[::-1]} for w in words]
    return {
        language: [sep.join(forms.get(language, w) for w, forms in zip(words, found, strict=True))]
        for language in dict.fromkeys(language for forms in found for language in forms)
    }


class _Variant(NamedTuple):
    form: str
    share: float
    option: str  # the form an address writes: "nickname", "full form", "catalan"…
    note: str


def _language_share(language: str, tld: str, data: NameData) -> float:
    by_tld = data.other_language_form.get(language, {})
    return by_tld.get(tld, by_tld.get("default", 0.0))


def _with_variants(out: list[_Option], variants: list[_Variant], written: str) -> list[_Option]:
    """OUT scaled to leave VARIANTS their shares, in the convention "given form (WRITTEN)": OUT's
    readings keep the name as written, each variant writes it its own way."""
    if not variants:
        return out
    dimension = f"given form ({written})"
    rest = 1 - sum(v.share for v in variants)
    kept = [(s, w * rest, (*c, (dimension, "as written")), n) for s, w, c, n in out]
    return kept + [(v.form, v.share, ((dimension, v.option),), (v.note,)) for v in variants]


def _surname_options(unit: Unit, expand: tuple[tuple[str, str], ...], data: NameData) -> list[_Option]:
    """Spellings of one surname: particles joined or dropped (as the first particle's custom has it:
    San Martín is one name, van der Berg often just berg), a hyphenated one in every form."""
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
    share = data.particles_joined.get(
        unit.particles[0].lower().strip(".'’"), data.particles_joined.get("default", 0.55))
    joined = [(particles + s, w * share, (*c, ("particles", "joined")), (*n, "particles joined"))
              for s, w, c, n in cores]
    # Dropping stops at a theophoric Abd, which is never a name alone: bin Abdul Rahman → abdulrahman.
    kept = next((i for i, p in enumerate(unit.particles) if spell(p) in data.compound_given_starts),
                len(unit.particles))
    rest = "".join(spell(p, expand) for p in unit.particles[kept:])
    dropped = [(rest + s, w * (1 - share), (*c, ("particles", "dropped")), (*n, "particles dropped"))
               for s, w, c, n in cores]
    return joined + dropped


def _own_alphabet(text: str, data: NameData) -> bool:
    """Whether TEXT is written in an alphabet whose ö and ü are letters of their own (Turkish,
    Hungarian, Estonian): one of its letters, or a listed Hungarian family name (Török)."""
    lowered = text.lower()
    return not data.own_alphabet_letters.isdisjoint(lowered) or any(
        spell(word) in data.hungarian_surnames for word in lowered.split())


_Spelling = tuple[tuple[tuple[str, str], ...], float, tuple[tuple[str, str], ...], tuple[str, ...]]


# In Spanish and Catalan ü is written only between g or q and e or i (Argüelles, Güell, Agüero), and is
# never spelt ue: a name whose only such letters stand there is no German one.
_DIAERESIS = re.compile(r"(?<=[gq])ü(?=[ei])|[^\x00-\x7fäöüßåæø]")
_DIAERESIS_EXPANDED = 0.02


def _spellings(text: str, domain: str | None, data: NameData) -> list[_Spelling]:
    """(expansion map, weight, conventions, notes) for plain and expanded umlauts (ä → ae)."""
    if not any(ch in data.expand for ch in text.lower()):
        return [((), 1.0, (), ())]
    tld = tld_of(domain)
    share = data.expanded_weight.get(tld, data.expanded_weight.get("default", 0.5))
    if _DIAERESIS.sub("", text.lower()).isascii():
        share = min(share, _DIAERESIS_EXPANDED)  # Argüelles, Güell: a Spanish or Catalan diaeresis
    elif share < 1 and _own_alphabet(text, data):  # Gökçe Öztürk, Szűcs: ö ü are letters, not umlauts
        odds = share / (1 - share) * data.own_alphabet_odds
        share = odds / (1 + odds)
    expand = tuple(sorted(data.expand.items()))
    return [
        (expand, share, (("umlauts", "expanded"),), ("ä ö ü spelt ae oe ue",)),
        ((), 1 - share, (("umlauts", "plain"),), ("accents dropped",)),
    ]


# A reading's spelt parts: first, middle, last, last2, f, the surname's initial, the middle initials.
_ReadingKey = tuple[str, str, str, str, str, str, str]


def readings_of(structures: list[Structure], nicknames: list[str], text: str, domain: str | None,
                data: NameData) -> list[NameReading]:
    """Every reading of the name: each structure in each spelling, weights multiplied, alike merged."""
    weights: dict[_ReadingKey, float] = {}
    heaviest: dict[_ReadingKey, tuple[float, tuple[Any, ...], tuple[str, ...]]] = {}
    tld = tld_of(domain)
    for structure, spelling in product(structures, _spellings(text, domain, data)):
        expand, s_weight, s_conventions, s_notes = spelling
        middles = [spelt for u in structure.middle if (spelt := spell(_with_particles(u), expand))]
        middle = "".join(middles)
        middle_initials = "".join(m[:1] for m in middles) if len(middles) > 1 else ""  # {mi}: Thi Thu → tt
        surnames = [_surname_options(u, expand, data) for u in structure.surnames if not u.is_initial]
        initial = next((spell(u.core) for u in structure.surnames if u.is_initial), "")
        east_asian = tld in data.syllable_tlds or any(
            spell(u.core) in data.syllable_surnames for u in structure.surnames)
        given = _given_options(structure.given, nicknames, expand, data, tld, east_asian)
        for (first, f, g_weight, g_conventions, g_notes), family in product(given, product(*surnames)):
            weight = structure.weight * s_weight * g_weight * math.prod(option[1] for option in family)
            if weight <= 0:
                continue
            key = (first, middle, family[0][0] if family else "", family[1][0] if len(family) > 1 else "",
                   f, initial, middle_initials)
            conventions = (*structure.conventions, *s_conventions, *g_conventions,
                           *(c for option in family for c in option[2]))
            notes = (*structure.notes, *s_notes, *g_notes, *(n for option in family for n in option[3]))
            # Two ways to the same spelling add up; the likelier one's conventions and notes stay.
            weights[key] = weights.get(key, 0.0) + weight
            if key not in heaviest or weight > heaviest[key][0]:
                heaviest[key] = (weight, _unique(conventions), _unique(notes))
    readings = [
        NameReading(first, middle, last, f, weights[key], heaviest[key][2], last2, initial, heaviest[key][1],
                    middle_initials)
        for key in weights
        for first, middle, last, last2, f, initial, middle_initials in [key]
    ]
    return sorted(readings, key=lambda r: (-r.weight, r.first, r.middle, r.last, r.last2, r.f))


def _unique(items: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def script_of(text: str) -> str:
    """The script of TEXT's letters, as Unicode names it ("latin", "cyrillic", "arabic", "cjk"…): the
    first non-Latin one met, else "latin"."""
    import unicodedata

    for char in text:
        # Letters that are Latin ones in another dress (ª, º, fullwidth and mathematical letters) are
        # Latin: their compatibility form is ASCII.
        if char.isalpha() and not unicodedata.normalize("NFKC", char).isascii():
            name = unicodedata.name(char, "").split(" ")[0].lower()
            if name and name != "latin":
                return name
    return "latin"


def spelling_reliability(text: str, data: NameData) -> tuple[str, float]:
    """(TEXT's script, the share of guesses whose spelling of it anyascii's matches)."""
    script = script_of(text)
    return script, data.reliability.get(script, data.reliability.get("default", 1.0))
