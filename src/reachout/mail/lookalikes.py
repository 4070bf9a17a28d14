"""Look-alike text (Unicode TR 39, Security Mechanisms): mixed scripts and compatibility forms.

`jаne` with a Cyrillic а, `ｊａｎｅ` in full-width letters and `pаypal.com` read like plain Latin text
but are other strings: a mail server, a person or a phishing filter will not treat them as the
addresses they resemble. Script data comes from confusable_homoglyphs (Unicode's Scripts.txt and
confusables.txt, as shipped by that package).
"""

from __future__ import annotations

import functools
import unicodedata

# TR 39 §5.2 "Highly Restrictive": Latin may mix with these sets, as Japanese, Chinese and Korean do.
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_NEUTRAL = {"COMMON", "INHERITED"}  # digits, punctuation, combining marks: of no script


def problem(text: str, what: str) -> str | None:
    """Why TEXT (a local part or one domain label, named WHAT) may be a look-alike; None if not."""
    if text.isascii():
        return None
    # TR 39 §3.1: characters that NFKC changes (full-width, ligatures, styled letters) are not
    # allowed in identifiers; ｊａｎｅ is read as jane but is another address.
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        return (
            f"the {what} {text!r} uses compatibility characters (full-width or styled letters) "
            f"that read as {folded!r} but are different characters (Unicode TR 39)"
        )
    scripts = _scripts(text) - _NEUTRAL
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_MIXES):
        named = " and ".join(s.capitalize() for s in sorted(scripts))
        hint = _lookalike(text)
        return (
            f"the {what} {text!r} mixes {named} letters{hint}: a look-alike of another address "
            "(Unicode TR 39 mixed-script)"
        )
    return None


def address_problems(local: str, domain: str) -> list[str]:
    """Look-alike problems of an address's LOCAL part and each label of its (Unicode) DOMAIN."""
    found = [problem(local, "part before the @")]
    return [p for p in found if p] + domain_problems(domain)


def domain_problems(domain: str) -> list[str]:
    """Look-alike problems of each label of DOMAIN (A-labels read as Unicode: xn--pple-43d is аpple)."""
    from reachout.domains import to_unicode

    return [p for p in (problem(label, "domain label") for label in to_unicode(domain).split(".")) if p]


@functools.lru_cache(maxsize=4096)
def _scripts(text: str) -> frozenset[str]:
    from confusable_homoglyphs import categories

    return frozenset(categories.unique_aliases(text))


def _lookalike(text: str) -> str:
    """' (а is CYRILLIC SMALL LETTER A, like Latin a)' for the first character posing as Latin."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(text, greedy=False, preferred_aliases=["latin"])
    if not found:
        return ""
    entry = found[0]
    like = entry["homoglyphs"][0]["c"] if entry.get("homoglyphs") else ""
    name = unicodedata.name(entry["character"], "an unnamed character")
    return f" ({entry['character']} is {name}, like Latin {like})" if like else ""
