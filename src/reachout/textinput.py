"""Text that arrived as bytes: name the bytes that are not UTF-8, and never write them back out.

Python keeps undecodable bytes of argv and of stdin read with `surrogateescape` as lone surrogates
U+DC80..U+DCFF (PEP 383). No UTF-8 output can hold one, so they are found here, reported by byte
and position, and shown as U+FFFD REPLACEMENT CHARACTER wherever the text is echoed back.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# U+FFFD stands where a decoder met bytes it could not read: the text it is in was lost on the way.
_UNREADABLE = re.compile("[\ud800-\udfff\ufffd]")


def undecodable(text: str) -> str | None:
    """Which byte at which position of TEXT is not UTF-8 (or was replaced by U+FFFD when it was
    decoded), as a phrase; None when it all is."""
    found = _UNREADABLE.search(text)
    if found is None:
        return None
    char = found.group()
    position = len(text[: found.start()].encode("utf-8", "surrogateescape"))
    if char == "\ufffd":
        return (f"the replacement character U+FFFD at position {position} stands for bytes that "
                "were not valid text")
    if "\udc80" <= char <= "\udcff":
        return f"byte 0x{ord(char) - 0xDC00:02X} at position {position} is not UTF-8"
    return f"the lone surrogate U+{ord(char):04X} at position {position} is not valid text"


def has_undecodable(text: str) -> bool:
    """True when TEXT holds an undecodable byte (a lone surrogate) that no UTF-8 output can hold."""
    return _SURROGATE.search(text) is not None


def without_format_characters(text: str) -> str:
    """TEXT without format characters (Unicode category Cf: soft hyphen, zero-width space and
    joiner, word joiner, bidi marks). Invisible in a name copied from a web page ("Jo\u00adhan\u00adna"),
    they would otherwise split its words."""
    import unicodedata

    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def displayable(text: str) -> str:
    """TEXT with every undecodable byte (lone surrogate) replaced by U+FFFD: safe to print."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def clean_value(value: object) -> object:
    """VALUE (a JSON-like tree) with displayable() applied to every string in it."""
    if isinstance(value, str):
        return displayable(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def read_user_file(path: str) -> str:
    """A user's text file (or "-" for stdin) as UTF-8, with or without a byte-order mark; BadInput
    naming the first byte that is not UTF-8, or why the file cannot be read."""
    import sys

    from reachout.errors import BadInput

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path} is not UTF-8 (byte {exc.start}); save it as UTF-8 and try again.") from None
