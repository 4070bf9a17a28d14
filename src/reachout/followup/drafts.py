"""Drafts from the per-stage templates in patterns/followup/templates: holes filled or left out."""

from __future__ import annotations

import functools
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reachout.data import bundled_dir, patterns_dir
from reachout.errors import DataError
from reachout.followup.briefs import draft_text

_FLAG = re.compile(r"^\{\?([a-z_]+)\}\s*")
# What a template may ask for (patterns/followup/templates/README.md documents each).
FIELDS = frozenset(
    {
        "first_name",
        "name",
        "role",
        "company",
        "posting_url",
        "applied_when",
        "when",
        "topic",
        "topic_ask",
        "fit",
        "referrer",
        "until",
        "fact_title",
        "fact_url",
        "fact_when",
    }
)
FLAGS = frozenset({"ask_feedback"})
# What each field is, in words, and where its value comes from: for "left out for lack of …".
FIELD_WORDS = {
    "first_name": "the recipient's name (`reachout followup person`)",
    "name": "the recipient's name (`reachout followup person`)",
    "role": "the role",
    "company": "the company",
    "posting_url": "the job ad's address (--posting-url)",
    "applied_when": "the day you applied (`reachout followup log ID applied`)",
    "when": "the interview's day",
    "topic": "a point you discussed (--topic)",
    "topic_ask": "a point you discussed (--topic)",
    "fit": "why you fit the role (--fit)",
    "referrer": "who referred you (`log ID referral --with NAME`)",
    "until": "the date they said they would decide (`log ID timeline --until DATE`)",
    "fact_title": "a recent fact about the company (run `reachout brief` on its domain first)",
    "fact_url": "a recent fact about the company (run `reachout brief` on its domain first)",
    "fact_when": "a recent fact about the company (run `reachout brief` on its domain first)",
    "sender": "your name for the sign-off (--sign, or REACHOUT_SENDER)",
}


def describe_missing(missing: list[str]) -> str:
    """MISSING field names as one sentence in words, each thing named once."""
    words = list(dict.fromkeys(FIELD_WORDS.get(name, name.replace("_", " ")) for name in missing))
    return f"Lines that needed these were left out: {'; '.join(words)}."
_HEADERS = ("subject", "sign-off")
_MAX_VALUE = 200


@dataclass(frozen=True)
class Template:
    """A parsed template: subject alternatives, sign-off, then paragraphs of line alternatives."""

    name: str
    subject: tuple[str, ...]
    sign_off: str
    paragraphs: tuple[tuple[tuple[str, ...], ...], ...]


@dataclass
class Rendered:
    """A filled template: the subject, the body and what had to be left out for lack of facts."""

    subject: str
    body: str
    missing: list[str] = field(default_factory=list)


def template_path(name: str, patterns: str | os.PathLike[str] | None = None) -> Path:
    """The template file NAME.txt in the user's patterns folder, else the bundled one."""
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise DataError(
            f"Template name {name!r} in followup/rules.toml must be letters, digits, _ or -."
        )
    path = patterns_dir(patterns) / "followup" / "templates" / f"{name}.txt"
    if not path.exists():
        path = bundled_dir() / "followup" / "templates" / f"{name}.txt"
    return path.resolve()


def load_template(name: str, patterns: str | os.PathLike[str] | None = None) -> Template:
    """Parse the template NAME (see patterns/followup/templates/README.md for the format)."""
    return _parse(template_path(name, patterns), name)


@functools.lru_cache(maxsize=32)
def _parse(path: Path, name: str) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            f"Template {path} is missing; restore it or fix `template` in rules.toml."
        ) from None
    except OSError as exc:  # a directory, no permission
        raise DataError(f"Template {path} cannot be read ({exc.strerror or exc}).") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"Template {path} is not UTF-8 (byte {exc.start}); save it as UTF-8.") from None
    headers: dict[str, str] = {}
    paragraphs: list[tuple[tuple[str, ...], ...]] = []
    current: list[tuple[str, ...]] = []
    in_body = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not in_body and sep and key.strip().lower() in _HEADERS:
            headers[key.strip().lower()] = value.strip()
            continue
        in_body = in_body or bool(line)
        if not line:
            if current:
                paragraphs.append(tuple(current))
                current = []
            continue
        current.append(tuple(alt.strip() for alt in line.split("||")))
    if current:
        paragraphs.append(tuple(current))
    if "subject" not in headers or not paragraphs:
        raise DataError(f"Template {path} needs a `Subject:` line and a body.")
    for alternatives in [headers["subject"].split("||")] + [a for p in paragraphs for a in p]:
        for alt in alternatives:
            flag = _FLAG.match(alt.strip())
            if flag and flag.group(1) not in FLAGS:
                raise DataError(f"Template {path}: unknown flag {{?{flag.group(1)}}} in {alt!r}.")
            try:
                names = _fields(_FLAG.sub("", alt.strip()))
            except ValueError as exc:
                raise DataError(
                    f"Template {path}: {alt!r} has a broken placeholder ({exc})."
                ) from None
            unknown = [name for name in names if name not in FIELDS]
            if unknown:
                raise DataError(
                    f"Template {path}: unknown placeholder {{{unknown[0]}}}; use one of "
                    f"{', '.join(sorted(FIELDS))}."
                )
    subject = tuple(alt.strip() for alt in headers["subject"].split("||"))
    return Template(name, subject, headers.get("sign-off", "Best regards,"), tuple(paragraphs))


def _fields(alternative: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(alternative) if name is not None]


def usable(value: Any) -> str | None:
    """VALUE as clean one-line text, or None when it is missing, blank or the word 'None'."""
    if value is None or isinstance(value, bool):
        return None
    text = draft_text(str(value), _MAX_VALUE)
    if not text or text.lower() in {"none", "null", "nan", "n/a"}:
        return None
    return text


def fill(
    alternatives: tuple[str, ...],
    values: Mapping[str, Any],
    flags: Mapping[str, bool],
    missing: list[str],
) -> str | None:
    """The first alternative whose flag is set and whose placeholders are all known, filled in."""
    for alternative in alternatives:
        flag = _FLAG.match(alternative)
        if flag and not flags.get(flag.group(1)):
            continue
        body = _FLAG.sub("", alternative)
        names = _fields(body)
        known = {name: usable(values.get(name)) for name in names}
        lacking = [name for name, value in known.items() if value is None]
        if lacking:
            missing.extend(name for name in lacking if name not in missing)
            continue
        # Values are inserted once, never re-parsed: a "{role}" inside a value stays as typed.
        return "".join(
            literal + ((known[name] or "") if name is not None else "")
            for literal, name, _, _ in string.Formatter().parse(body)
        )
    return None


def render(
    template: Template,
    values: Mapping[str, Any],
    *,
    flags: Mapping[str, bool] | None = None,
    sender: str | None = None,
) -> Rendered:
    """Fill TEMPLATE from VALUES; lines that cannot be filled are dropped, never left with holes."""
    flags = flags or {}
    missing: list[str] = []
    subject = fill(template.subject, values, flags, missing) or "Following up"
    paragraphs = []
    for paragraph in template.paragraphs:
        lines = [
            text
            for alternatives in paragraph
            if (text := fill(alternatives, values, flags, missing))
        ]
        if lines:
            paragraphs.append(" ".join(lines))
    closing = template.sign_off
    name = usable(sender)
    if name:
        closing += "\n" + name
    else:
        missing.append("sender")
    body = "\n\n".join([*paragraphs, closing])
    return Rendered(subject=subject, body=body, missing=missing)
