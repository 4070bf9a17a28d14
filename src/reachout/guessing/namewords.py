"""A typed name as words: cleaned (headlines, emoji, symbols gone), with titles, suffixes and nicknames
set aside, and the family name marked where the text itself marks it (a comma, capitals, CJK script)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from reachout.errors import BadInput
from reachout.guessing.namedata import NameData, is_given_syllable
from reachout.guessing.vietnamese import vietnamese_with_family
from reachout.textinput import without_format_characters

HINT = "pass a person's name such as 'Jane Doe'"
_MAX_LEN = 200
# Quoted or bracketed nicknames: Robert "Bob" Smith, Robert (Bob) Smith, Robert 'Bob' Smith.
_NICKNAME = re.compile(r"""(?:^|(?<=\s))(?:"([^"]+)"|“([^”]+)”|'([^']+)'|\(([^)]+)\))(?=\s|$|,)""")
_PRONOUNS = frozenset({"she", "her", "he", "him", "they", "them"})
_HEADLINE_SEPARATOR = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
_WORD = re.compile(r"[^\W\d_]+")
# Scripts whose names are written family name first, often without a space (王伟, 田中太郎).
_FAMILY_FIRST_SCRIPTS = ("CJK UNIFIED", "HANGUL", "HIRAGANA", "KATAKANA")


def check_text(text: str) -> None:
    """Refuse what cannot be a name at all, before any data file is read."""
    if not isinstance(text, str):
        raise BadInput(f"A name must be text; {HINT}.")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        # Bytes that were not UTF-8 (argv under a C locale, a mis-decoded file) arrive as lone
        # surrogates (PEP 383); dropping them would guess for a different name.
        raise BadInput(
            f"{text[:60]!r} holds bytes that are not UTF-8; type the name again, or set the "
            f"terminal's encoding to UTF-8 (LANG=C.UTF-8); {HINT}."
        )
    stripped = " ".join(text.split())
    if not stripped:
        raise BadInput(f"The name is empty; {HINT}.")
    if len(stripped) > _MAX_LEN:
        raise BadInput(f"The name is {len(stripped)} characters long; {HINT}.")
    if "@" in stripped:
        raise BadInput(f"{stripped!r} looks like an e-mail address, not a name; {HINT}.")


def clean_name(text: str, data: NameData) -> str:
    """TEXT, which check_text accepted, as one line of name words: headline, emoji, symbols and extra
    spaces gone; or BadInput."""
    text = without_format_characters(text)
    text = _strip_headline(" ".join(unicodedata.normalize("NFC", text).split()), data)
    text = " ".join(_unabbreviated(word, data) for word in text.split())
    if " " not in text and re.fullmatch(r"[^\W\d_]{2,}(?:[._][^\W\d_]{2,})+", text):
        text = re.sub(r"[._]", " ", text)  # "jane.doe", "jane_doe": a user name standing for a name
    # Emoji, ™, control characters and numbers that are no digits (①) decorate profile names.
    text = " ".join("".join(" " if _is_decoration(ch) else ch for ch in text).split())
    if not text:
        raise BadInput(f"The name is empty; {HINT}.")
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise BadInput(f"{text!r} has no letters, so it cannot be a name; {HINT}.")
    return text


def _unabbreviated(word: str, data: NameData) -> str:
    """WORD, or the name it abbreviates (Mª → María, Fco. → Francisco, Glez. → González), keeping a
    trailing comma."""
    if word.strip(".,").isupper() and _is_suffix(word, data):
        return word  # "Jane Doe FCA": a Fellow of Chartered Accountants, not Fca. (Francisca)
    comma = "," if word.endswith(",") else ""
    written = word.rstrip(",").lower()
    # A key with its dot ("ma.") counts only written so: Ma. Cristina is María Cristina, Jack Ma is Ma.
    full = data.abbreviations.get(written if written.endswith(".") else "") or data.abbreviations.get(
        written.replace(".", ""))
    return full + comma if full else word


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
    # "comma", "capitals", "script" or "title" (Dr Smith, a peer) when FAMILY was marked
    family_hint: str = ""
    # The two capitals of FAMILY, after one name, may be a citation's initials too (Smith JA, Ravi KS)
    cited: bool = False
    title: str = ""
    suffix: str = ""
    nicknames: list[str] = field(default_factory=list)


def parse_words(text: str, data: NameData) -> ParsedName:
    """Split a cleaned name into given/middle/family words as written, titles and suffixes aside."""
    body, nicknames, bracketed = _split_nicknames(text)
    # "(née Smith)", "(geb. Schmidt)": a maiden name in brackets is set aside, not a nickname; so is
    # what a directory adds in brackets that is no name ("(Labour)", "(SNP)", "(D-CA)", "(张伟)").
    maiden = [n for n in nicknames if _plain(n.split()[0]) in data.name_ends]
    maiden += [n for n in bracketed if n not in maiden and not _may_be_a_nickname(n, data)]
    nicknames = [n for n in nicknames if n not in maiden]
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
        if _credentials_only(tail_words, data, head):  # "Jane Doe, PhD", "Jane Doe, MP"
            suffixes = tail_words
        elif len(head.split()) <= 4 and tail_words:  # "Doe, Jane": the family name comes first
            given = [w for w in tail_words if _plain(w) not in data.suffixes]
            suffixes = [w for w in tail_words if _plain(w) in data.suffixes]
            # "Vries, Jan de", "Berg, Anna van den": a sorted name's particles belong to the surname.
            keep = len(given)
            while keep > 1 and given[keep - 1].islower() and _plain(given[keep - 1]) in data.particles:
                keep -= 1
            comma_family, head = given[keep:] + head.split(), " ".join(given[:keep])
    words, titles, trailing = _set_aside(head.split(), 1, data)
    if comma_family or not _title_and_one_name(titles, words, data):
        # Two words stay a name ("Don Smith", "D. Smith"); unless a title and one name ("Dr Smith").
        words, titles, trailing = _set_aside(head.split(), 1 + (comma_family is None), data)
    suffixes = trailing + suffixes + [f"({n})" for n in maiden]
    words = _initials_apart(words)
    if comma_family and len(words) == 1 and len(_plain(words[0])) > 1 and is_bare_title(words[0], data):
        words, titles = [], [*titles, *words]  # "Quarle, Mrs", "Smith, Prof. Dr.": no given name is known
    elif not words:  # ",JR" or "Dr.": what looked like a title or suffix is all the name there is
        words, titles, suffixes = [*titles, *suffixes], [], []
    if not words and not comma_family:  # "(she/her)": pronouns, set aside, were all there was
        raise BadInput(f"{text!r} holds no name, only pronouns; {HINT}.")
    parsed = ParsedName(words, title=" ".join(titles), suffix=", ".join(suffixes), nicknames=nicknames)
    if comma_family:
        parsed.family, parsed.family_hint = comma_family, "comma"
    elif _title_and_one_name(titles, words, data) and _plain(titles[-1]) not in data.titles_before_given:
        # "Dr Smith", "Mrs Quarle", "Prof. Dr. Weber PhD", a peer ("Lord Smith of Finsbury"): the name
        # after a title is a family name (after Sir or Doña a given name: Sir John).
        parsed.words, parsed.family, parsed.family_hint = [], words, "title"
    else:
        parsed.cited = _maybe_cited(words, data)
        _mark_capitalised_family(parsed, data)
    if parsed.family and not parsed.words and nicknames:
        # Dr. "Bob" Smith, "Quarle, Mrs (Peggy)": the name they go by is the one given name known.
        parsed.words, parsed.nicknames = nicknames[0].split(), nicknames[1:]
    return parsed


def without_titles(text: str, data: NameData) -> str:
    """TEXT without the titles, honours and degrees a directory prints around a name ('Prof. Dr. med.
    Anna Schmidt, PhD' → 'Anna Schmidt'), empty when it is nothing else ('Prof. Dr.'); a comma before
    anything but credentials is left as it is."""
    head, _, tail = text.partition(",")
    if tail and not _credentials_only(tail.replace(",", " ").split(), data, head):
        return text
    words = _set_aside(head.split(), 2, data)[0]
    return "" if all(_plain(word) in data.titles for word in words) else " ".join(words)


def _credentials_only(words: list[str], data: NameData, head: str) -> bool:
    """Whether the WORDS after a name's comma (HEAD before it) are all credentials or members' letters
    (PhD, MP); initials-shaped degrees (S.E., M.M.) only after a whole name: "Quarle, S.E." is a
    surname and initials."""
    initials = all(re.fullmatch(r"(?:[^\W\d_]\.)+", word) for word in words)
    return all(_is_suffix(word, data) for word in words) and not (initials and len(head.split()) < 2)


def _set_aside(words: list[str], keep: int, data: NameData) -> tuple[list[str], list[str], list[str]]:
    """WORDS without their leading titles and trailing suffixes (a territory or maiden name among them),
    keeping at least KEEP words; with the titles and the suffixes."""
    # Indices, not pop(0) and insert(0): a page's name of many thousand words stays linear.
    start = 0
    while len(words) - start > keep and (
            _is_title(words[start:start + 2], start > 0, data) or _title_pair(words, start, data)):
        start += 1
    titles = words[:start]
    words, tail = _without_tail(words[start:], data)
    end = len(words)
    while end > keep and _is_suffix(words[end - 1], data):
        # Only a name's last word can be its family name in capitals, after a few given names: asking
        # only then keeps a page's "name" of many thousand degrees linear.
        family_last = end - 1 <= _MOST_GIVEN_WORDS
        if family_last and _plain(words[end - 1]) in data.east_asian_surnames and _syllables_only(
                words[:end - 1], data):
            break  # 'Wei Ming MA' ends with his family name; 'Jane Doe MA' with a Master of Arts
        if family_last and vietnamese_with_family(words[:end - 1], words[end - 1:end], data, strict=True):
            break  # 'Thi Hoa DO' (Đỗ), as 'Jane Doe DO' is no Doctor of Osteopathy
        end -= 1
    return words[:end], titles, words[end:] + tail


_MOST_GIVEN_WORDS = 4  # given and middle names before a family name written last in capitals


def _syllables_only(words: list[str], data: NameData) -> bool:
    """Whether every word is a Chinese or Korean syllable (or family name): East Asian given names."""
    return all(
        is_given_syllable(plain := _plain(word), data) or plain in data.east_asian_surnames for word in words)


def _title_and_one_name(titles: list[str], words: list[str], data: NameData) -> bool:
    """Whether TITLES stood before one name WORDS ("Dr Smith", "Sir John", "Mrs de la Cruz"), not a
    given name and a surname: the last title is no given name too (Don, Dean) nor one letter (D. Smith
    is an initial), and the name is no initial; a pinyin syllable before a Chinese family name is a
    given name (Sen Zhang)."""
    if not titles or not words or any(
            _plain(w) not in data.particles and not is_irish_o(w, words[-1], data) for w in words[:-1]):
        return False  # "Mrs de la Cruz" and "Dr O Brien" are one name
    title, name = titles[-1], words[-1]
    bare = is_bare_title(title, data) or (len(titles) > 1 and _title_pair(titles, len(titles) - 1, data))
    if len(_plain(title)) < 2 or not bare or len(_plain(name)) < 2:
        return False
    return not (_plain(title) in data.pinyin_syllables and _plain(name) in data.east_asian_surnames)


def is_irish_o(word: str, after: str, data: NameData) -> bool:
    """Whether WORD is the O of an Irish surname printed without its apostrophe (Seán O Brien), not a
    middle initial (John O Smith)."""
    return word == "O" and _plain(after) in data.o_surnames


def is_bare_title(word: str, data: NameData) -> bool:
    """Whether WORD (Dr, Mrs., Lord) is a title and no given name too (Don is both): in "Dr Smith",
    which keeps two words as a name, no given name is known."""
    plain = _plain(word)
    return plain in data.titles and plain not in data.given_names


def _is_title(words: list[str], after_title: bool, data: NameData) -> bool:
    """Whether WORDS[0] is a title: listed (Dr., Prof.; a one-letter one, Spanish D., only first: Dr. D.
    J. Smith keeps his initial), made of listed parts (Dr.-Ing., Univ.-Prof., Dr.techn., Dipl.-Psych.),
    or a lower-case qualifier of the title before it (Dr. med., Prof. em.); PD and apl. only before a
    title (PD Dr.), since alone they may be initials, and never capitalised like a given name."""
    word = words[0]
    plain = _plain(word)
    if plain in data.titles:
        return not (after_title and len(plain) == 1)
    parts = [p for p in re.split(r"[-.]", word.lower()) if p]
    if len(parts) > 1 and parts[0] in data.titles and (
            all(p in data.titles or p in data.title_qualifiers for p in parts)
            or ("-" in word and word.endswith("."))):
        return True
    if plain not in data.title_qualifiers:
        return False
    # Before a title only as written there (PD, apl.): a capitalised one is a given name (Phil D. Smith,
    # Nat Lord, Pol D. Ferrer: Phil, Nat and Pol are names and D. or Lord an initial or a surname).
    before_title = len(words) > 1 and _plain(words[1]) in data.titles and not word.istitle()
    return (after_title and word[:1].islower()) or before_title


def _title_pair(words: list[str], index: int, data: NameData) -> bool:
    """Whether WORDS[INDEX] is a title with the word next to it, though not alone: Malaysian honorifics
    of two words (Tan Sri, Toh Puan, Dato' Sri, Datuk Seri), where Tan alone is a family name and Sri a
    given name."""
    plain = _plain(words[index])
    if index + 1 < len(words) and _plain(words[index + 1]) in data.title_pairs.get(plain, ()):
        return True
    return index > 0 and plain in data.title_pairs.get(_plain(words[index - 1]), ())


def _without_tail(words: list[str], data: NameData) -> tuple[list[str], list[str]]:
    """What follows a lower-case word that ends a name set aside: a peer's territory ("Lord Smith of
    Finsbury" is Smith) or a maiden name ("Jane Doe née Smith", "Anna Weber geb. Schmidt")."""
    for index in range(1, len(words) - 1):
        if words[index].islower() and _plain(words[index]) in data.name_ends:
            return words[:index], [" ".join(words[index:])]
    return words, []


def _is_suffix(word: str, data: NameData) -> bool:
    plain = _plain(word)
    return plain in data.suffixes or (plain in data.suffixes_in_capitals and word.strip(".,").isupper()) or (
        plain in data.dotted_suffixes and "." in word.rstrip(",").rstrip(".")[1:] + word[-1:])


def _plain(word: str) -> str:
    """A title or suffix as listed: lower case, without dots or commas (Ph.D. → phd)."""
    return word.replace(".", "").replace(",", "").lower()


def _split_nicknames(text: str) -> tuple[str, list[str], list[str]]:
    """TEXT without what stands in quotes or brackets; that text; and of it, what stood in brackets."""
    found = [(next(g for g in m.groups() if g).strip(), bool(m.group(4))) for m in _NICKNAME.finditer(text)]
    # "(she/her)" is a pronoun, not a nickname: dropped with its brackets.
    found = [(n, b) for n, b in found if n and "/" not in n and n.lower() not in _PRONOUNS]
    return " ".join(_NICKNAME.sub(" ", text).split()), [n for n, _ in found], [n for n, b in found if b]


def _may_be_a_nickname(text: str, data: NameData) -> bool:
    """Whether TEXT, in brackets after a name, may be a nickname (Robert (Bob) Smith): one word of
    Latin letters, capitalised or lower case, not a party or status a directory adds (Labour, SNP,
    AfD, D-CA, Retired: `[titles] bracket_asides`)."""
    letters = text.replace("'", "").replace("’", "").replace(".", "")
    if " " in text or len(letters) < 2 or not letters.isalpha() or (not text.isascii() and not all(
            unicodedata.name(ch, "").startswith("LATIN") for ch in letters)):
        return False
    return (text.istitle() or text.islower()) and _plain(text) not in data.bracket_asides


def _in_family_first_script(text: str) -> bool:
    return not text.isascii() and any(
        unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in text if ord(ch) > 0x2E7F
    )


def _letters(word: str) -> str:
    """WORD without the apostrophes and hyphens inside names (O'BRIEN, MÜLLER-LÜDENSCHEIDT)."""
    return re.sub(r"(?<=\w)['’-](?=\w)", "", word)


# Initials written as one word with their dots: J.A. (Smith), J.R.R., or J.A without the last one.
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,4}|(?:[^\W\d_]\.){1,3}[^\W\d_]")


def _initials_apart(words: list[str]) -> list[str]:
    """WORDS with initials written together split one per word (J.A. Smith → J. A. Smith)."""
    out = []
    for word in words:
        letters = word.replace(".", "")
        together = bool(_DOTTED_INITIALS.fullmatch(word)) and letters.isupper()
        out += [f"{letter}." for letter in letters] if together else [word]
    return out


def _maybe_cited(words: list[str], data: NameData) -> bool:
    """Whether WORDS are one name not in capitals and two capitals that may be a citation's initials
    (Smith JA) as well as a family name in capitals (Mehmet ÖZ, Ravi KS): no listed family name, particle
    or suffix (Wei LI, Hoa TA, Jan DE, Alex JR). After two names they are a family name (Anil Kumar OM)."""
    if len(words) != 2 or words[0].isupper() or len(words[1]) != 2 or not words[1].isupper():
        return False
    plain = words[1].lower()
    return not _is_suffix(words[1], data) and plain.isalpha() and all(
        plain not in names for names in (data.east_asian_surnames, data.vietnamese_surnames, data.particles))


def _initials_in_capitals(word: str, data: NameData) -> bool:
    """Whether WORD, two capitals first in a name (JP Smith, AJ Doe), is two initials and no family
    name in capitals (LI Wei, NG Mei, YI Sun): neither a listed family name nor a syllable of one."""
    plain = word.lower()
    return len(plain) == 2 and plain not in data.east_asian_surnames and plain not in data.particles and (
        not is_given_syllable(plain, data))


def _mark_capitalised_family(parsed: ParsedName, data: NameData) -> None:
    """'KOWALSKI Jan' and 'Jan KOWALSKI': directories often write the family name in capitals."""
    words = parsed.words
    caps = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper() and _letters(w).isalpha()
            and not (i == 0 and _initials_in_capitals(w, data))]
    if not caps or len(caps) == len(words) or caps != list(range(caps[0], caps[-1] + 1)):
        return
    if any(w.islower() for i, w in enumerate(words) if i not in caps):
        return
    parsed.family = [words[i].capitalize() for i in caps]
    parsed.words = [w for i, w in enumerate(words) if i not in caps]
    parsed.family_hint = "capitals"
