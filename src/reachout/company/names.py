"""Fold company names for comparison: case, accents, dots, legal forms (Inc, GmbH, 株式会社) and "The"."""

from __future__ import annotations

import functools
import re
import unicodedata
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


@functools.lru_cache(maxsize=8)
def _forms(patterns: str | None) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    data = load_toml("legal_suffixes", patterns)

    def folded(items: Any) -> tuple[tuple[str, ...], ...]:
        forms = {tuple(_fold_text(str(item)).split()) for item in items or ()}
        # Longest first: "gmbh and co kg" goes before "kg".
        return tuple(sorted((f for f in forms if f), key=len, reverse=True))

    return folded(data.get("suffixes")), folded(data.get("prefixes"))


def fold(name: str, *, patterns: str | None = None) -> str:
    """NAME's core for comparison: folded, legal forms and a leading "The" removed.

    fold("ACME, Inc.") == fold("Acme") == "acme"; fold("Müller Maschinenbau GmbH") ==
    "muller maschinenbau"; fold("ООО «Ромашка»") == "ромашка"; fold("株式会社カワセ") == "カワセ".
    """
    suffixes, prefixes = _forms(patterns)
    words = _fold_text(name).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in suffixes:
            if len(words) > len(form) and tuple(words[-len(form):]) == form:
                words = words[: -len(form)]
                changed = True
                break
        for form in prefixes:
            if len(words) > len(form) and tuple(words[: len(form)]) == form:
                words = words[len(form):]
                changed = True
                break
    text = " ".join(words)
    if _UNSPACED.search(text):
        for form in (*suffixes, *prefixes):
            joined = "".join(form)
            if _UNSPACED.search(joined) and text != joined:
                if text.endswith(joined):
                    text = text[: -len(joined)].strip()
                elif text.startswith(joined):
                    text = text[len(joined):].strip()
    return text


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
