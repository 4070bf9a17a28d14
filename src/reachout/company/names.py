"""Fold company names for comparison: case, accents, dots, legal forms (Inc, GmbH, 株式会社) and "The"."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from reachout.data import load_toml

# Scripts written without spaces between words: a legal form there is a plain prefix or suffix.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _fold_text(text: str) -> str:
    """Lower case, no accents, no dots ("S.A." → "sa"), punctuation as spaces, "&" as "and"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = unicodedata.normalize("NFC", text).replace("&", " and ").replace("'", "").replace("’", "")
    text = text.replace(".", "")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Forms:
    """The legal forms of one patterns folder, folded, grouped so a name is read once."""

    suffixes: dict[int, frozenset[tuple[str, ...]]]  # word count → forms, most words first
    prefixes: dict[int, frozenset[tuple[str, ...]]]
    unspaced: tuple[str, ...]  # forms in scripts without spaces (株式会社), longest first

    def strip_words(self, words: list[str]) -> list[str]:
        """WORDS without the legal forms at either end, the longest form first ("gmbh and co kg"
        before "kg"), repeatedly, keeping at least one word: one pass over the words."""
        start, end = 0, len(words)
        changed = True
        while changed and end - start > 1:
            changed = False
            for size, forms in self.suffixes.items():
                if end - start > size and tuple(words[end - size:end]) in forms:
                    end -= size
                    changed = True
                    break
            for size, forms in self.prefixes.items():
                if end - start > size and tuple(words[start:start + size]) in forms:
                    start += size
                    changed = True
                    break
        return words[start:end]


def _grouped(forms: set[tuple[str, ...]]) -> dict[int, frozenset[tuple[str, ...]]]:
    sizes = sorted({len(form) for form in forms}, reverse=True)
    return {size: frozenset(f for f in forms if len(f) == size) for size in sizes}


@functools.lru_cache(maxsize=8)
def _forms(patterns: str | None) -> _Forms:
    data = load_toml("legal_suffixes", patterns)

    def folded(items: Any) -> set[tuple[str, ...]]:
        return {f for f in (tuple(_fold_text(str(item)).split()) for item in items or ()) if f}

    suffixes, prefixes = folded(data.get("suffixes")), folded(data.get("prefixes"))
    joined = {"".join(form) for form in suffixes | prefixes}
    # Sorted, never in a set's order: which form is tried first must not depend on the hash seed
    # (股份有限公司 before 有限公司, or "台灣積體電路製造股份有限公司" keeps a 股份).
    unspaced = tuple(sorted((j for j in joined if _UNSPACED.search(j)), key=lambda j: (-len(j), j)))
    return _Forms(_grouped(suffixes), _grouped(prefixes), unspaced)


def fold(name: str, *, patterns: str | None = None) -> str:
    """NAME's core for comparison: folded, legal forms and a leading "The" removed.

    fold("ACME, Inc.") == fold("Acme") == "acme"; fold("Müller Maschinenbau GmbH") ==
    "muller maschinenbau"; fold("ООО «Ромашка»") == "ромашка"; fold("株式会社カワセ") == "カワセ".
    """
    forms = _forms(patterns)
    text = " ".join(forms.strip_words(_fold_text(name).split()))
    if _UNSPACED.search(text):
        for joined in forms.unspaced:
            if text != joined:
                if text.endswith(joined):
                    text = text[: -len(joined)].strip()
                elif text.startswith(joined):
                    text = text[len(joined):].strip()
    return text


def as_written(name: str, other: str, *, patterns: str | None = None) -> bool:
    """Whether OTHER is NAME as written, and NAME holds a legal form: folded for case, accents and
    punctuation only ("Volkswagen AG" is the group's alias, not the brand "Volkswagen")."""
    written = _fold_text(name)
    return written != fold(name, patterns=patterns) and written == _fold_text(other)


def search_texts(name: str, *, patterns: str | None = None) -> list[str]:
    """What to ask a name search for, best first: NAME's own words without its legal form
    ("Rohde & Schwarz" for "Rohde & Schwarz GmbH & Co. KG": the search reads "&", not "and"),
    then NAME as written (an alias may hold the legal form), then its folded core."""
    core = fold(name, patterns=patterns)
    words = name.split()
    # The fewest words, from either end, whose fold is still the core: the name as its owner spells it.
    end = next((i for i in range(1, len(words) + 1) if fold(" ".join(words[:i]), patterns=patterns) == core),
               len(words))
    start = next((i for i in range(end - 1, -1, -1)
                  if fold(" ".join(words[i:end]), patterns=patterns) == core), 0)
    own = _trim_punctuation(" ".join(words[start:end]))
    if _UNSPACED.search(own) and fold(own, patterns=patterns) != own:
        own = core  # 株式会社 is part of the word: the core is the name as its owner spells it
    texts: dict[str, str] = {}
    for text in (own, name.strip(), core):
        if text:
            texts.setdefault(text.casefold(), text)
    return list(texts.values())


def _trim_punctuation(text: str) -> str:
    """TEXT without the commas, quotes and brackets around it ("«Ромашка»", "HOLLIS FORGE,"); "&"
    and "!" stay (AT&T, Yahoo!)."""
    def loose(ch: str) -> bool:
        return unicodedata.category(ch).startswith("P") and ch not in "&!"

    start, end = 0, len(text)
    while start < end and (loose(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (loose(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


def squash(folded: str) -> str:
    """A folded name as one word, as it would appear in a domain label ("acme anvils" → "acmeanvils")."""
    return folded.replace(" ", "")


def compare(name: str, other: str, *, patterns: str | None = None) -> str:
    """How OTHER matches NAME: "exact", "partial" (one's words start the other's) or "none"."""
    a, b = fold(name, patterns=patterns), fold(other, patterns=patterns)
    if not a or not b:
        return "none"
    if a == b or squash(a) == squash(b):
        return "exact"
    wa, wb = a.split(), b.split()
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if longer[: len(shorter)] == shorter:
        return "partial"
    if _UNSPACED.search(a) and (a in b or b in a):
        return "partial"
    return "none"


def title_names(title: str) -> list[str]:
    """The names a page title may hold: the whole, and each part around | – — - : · separators."""
    parts = [p.strip() for p in re.split(r"(?<!\s)(?:\s+[|–—\-:·•]\s+|\s*[|·•]\s*)", title) if p.strip()]
    return list(dict.fromkeys([title.strip(), *parts]))


def search_language(name: str) -> str:
    """The Wikidata language to search NAME's labels in, from its script (en for Latin)."""
    for ch in name:
        code = ord(ch)
        if 0x3040 <= code <= 0x30FF:
            return "ja"
        if 0xAC00 <= code <= 0xD7AF:
            return "ko"
        if 0x4E00 <= code <= 0x9FFF:
            return "ja" if re.search(r"[\u3040-\u30ff]|株式会社|有限会社", name) else "zh"
        if 0x0400 <= code <= 0x04FF:
            return "uk" if re.search(r"[їєґі]", name.lower()) else "ru"
        if 0x0370 <= code <= 0x03FF:
            return "el"
        if 0x0590 <= code <= 0x05FF:
            return "he"
        if 0x0600 <= code <= 0x06FF:
            return "ar"
    return "en"
