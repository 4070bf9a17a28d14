"""Vietnamese names: how to tell one, and which of its words is the given name.

A Vietnamese name is written family name, middle name(s), given name (Nguyễn Văn An), and the given
name, the last word, is the one a person goes by and an address writes (an.nguyen@, annv@). Directories
abroad reorder it given name first (An Van Nguyen) or keep middle and given names together with the
family name after them or in capitals (Thi Hoa DO, NGUYEN Van An). Its middle names collide with
other customs' words (Van with the Dutch particle, Do with the Doctor of Osteopathy), so a name that
looks Vietnamese is read by its own custom.
"""

from __future__ import annotations

from reachout.guessing.namedata import NameData
from reachout.guessing.spelling import spell

# Letters only Vietnamese writes among Latin scripts: đ, ơ, ư and the vowels with tone marks of Unicode's
# Latin Extended Additional block (ễ, ị, ạ…). Not ă or â: Romanian writes them too.
_LETTERS = frozenset("đĐơƠưƯ")
_TONED = ("\u1ea0", "\u1ef9")
# Letters Vietnamese shares with French and Romanian: beside a Vietnamese family name they are its own
# (Mai Nhiên, Lâm Văn Tâm).
_SHARED = frozenset("ăĂâÂêÊôÔ")


def has_vietnamese_letters(text: str) -> bool:
    return any(ch in _LETTERS or _TONED[0] <= ch <= _TONED[1] for ch in text)


def looks_vietnamese(words: list[str], data: NameData) -> bool:
    """Whether WORDS, a name as written with nothing marking its family name, follow the Vietnamese
    custom: Vietnamese letters (or ă, â, ê, ô beside a Vietnamese family name), or three words or more
    with a Vietnamese family name first and a Vietnamese middle name after it (Nguyen Van An), or last
    and one before it (An Van Nguyen)."""
    if len(words) < 2:
        return False
    if has_vietnamese_letters("".join(words)):
        return True
    spelt = [spell(word) for word in words]
    surnames, middles = data.vietnamese_surnames, data.vietnamese_middle_names
    if (spelt[0] in surnames or spelt[-1] in surnames) and not _SHARED.isdisjoint("".join(words)):
        return True
    return len(spelt) >= 3 and (
        (spelt[0] in surnames and spelt[1] in middles)
        or (spelt[-1] in surnames and any(word in middles for word in spelt[:-1]))
    )


def vietnamese_with_family(words: list[str], family: list[str], data: NameData, *, strict: bool = False
                           ) -> bool:
    """Whether WORDS, with FAMILY marked as the family name (NGUYEN Van An, Thi Hoa DO), are a Vietnamese
    name: a Vietnamese family name, and Vietnamese letters or a Vietnamese middle name among WORDS (STRICT:
    Văn or Thị, which no other custom's name shares: what keeps "Kim Smith DO" a Doctor of Osteopathy)."""
    if len(family) != 1 or spell(family[0]) not in data.vietnamese_surnames or not words:
        return False
    middles = data.vietnamese_middle_only if strict else data.vietnamese_middle_names
    return has_vietnamese_letters("".join(words + family)) or any(spell(word) in middles for word in words)


def given_positions(words: list[str], given_last: float, data: NameData) -> list[tuple[int, float]]:
    """Which of WORDS (a Vietnamese name's given and middle names, in written order) is the given name,
    each with its share. Văn and Thị never are. A name word written before them was moved first (Hoa
    Thi Nguyen, Trang Thi Thu LE); after them the Vietnamese order holds (Thi Hoa DO); without them the
    last word is the given name at GIVEN_LAST, the first the rest, unless the first is another custom's
    given name (Jennifer Anh Nguyen: Anh is her middle name)."""
    spelt = [spell(word) for word in words]
    markers = [i for i, word in enumerate(spelt) if word in data.vietnamese_middle_only]
    names = [i for i in range(len(words)) if i not in markers] or [len(words) - 1]
    first = spelt[names[0]]
    if (markers and names[0] < markers[0]) or (
            first in data.given_names and first not in data.vietnamese_middle_names):
        return [(names[0], 1.0)]
    if markers or len(names) == 1:
        return [(names[-1], 1.0)]
    return [(names[-1], given_last), (names[0], 1 - given_last)]
