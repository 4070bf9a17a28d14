"""Saved company briefs: the one owner of their file names, atomic saves, loads and schema check.

`reachout brief` saves each brief as `user_dir()/briefs/<domain>.json`, the domain in its IDNA
A-label form (`bücher.de` → `xn--bcher-kva.de.json`): one spelling on every file system, whatever
form the user typed. Everything that reads a brief (follow-up drafts, the guesser, batch) asks
here, with either form of the domain.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from reachout.atomicfile import write_atomic
from reachout.errors import BadInput, StoreError

SCHEMA = "reachout.brief/1"
_FAMILY = "reachout.brief/"
_READABLE_MAJOR = "1"  # briefs of another major version change meaning: not read as this one


def file_stem(domain: str) -> str:
    """DOMAIN's file name without `.json`: its lower-case A-label form. Raises BadInput."""
    from reachout.domains import to_ascii

    text = (domain or "").strip().rstrip(".").lower()
    if not text or "/" in text or "\\" in text or text.startswith("."):
        raise BadInput(f"{domain!r} is not a domain a brief can be saved for.")
    return to_ascii(text)


def briefs_dir() -> Path:
    """The folder of saved briefs in the user directory."""
    from reachout.paths import user_dir

    return user_dir() / "briefs"


def brief_path(domain: str, directory: str | os.PathLike[str] | None = None) -> Path:
    """Where DOMAIN's brief is saved (DIRECTORY, else the user directory's briefs/)."""
    folder = Path(directory) if directory is not None else briefs_dir()
    return folder / f"{file_stem(domain)}.json"


def save_brief(
    data: dict[str, Any], domain: str, directory: str | os.PathLike[str] | None = None
) -> Path:
    """Save a brief's JSON (its to_dict()) for DOMAIN atomically; return the path. Raises StoreError."""
    from reachout.paths import private_dir

    path = brief_path(domain, directory)
    try:
        # What you researched about whom is yours alone: briefs/ is 0700 (a folder of the user's
        # own choosing is made 0700 when missing, else left as it is); the file is 0600 (mkstemp).
        private_dir(path.parent, tighten=directory is None)
        write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise StoreError(
            f"Cannot save the brief to {path} ({exc.strerror or exc}); set REACHOUT_HOME to a "
            "writable directory."
        ) from None
    return path


# reachout 0.1 marked its saved briefs `"schema": 1`: the same fields as "reachout.brief/1" (later
# versions only added keys), so they are read as that.
_LEGACY_SCHEMAS = {1: SCHEMA}


def migrate(data: Any) -> Any:
    """DATA with an older schema marker replaced by the one it is read as (0.1's `1`)."""
    if isinstance(data, dict):
        schema = data.get("schema")
        if isinstance(schema, int) and not isinstance(schema, bool) and schema in _LEGACY_SCHEMAS:
            return {**data, "schema": _LEGACY_SCHEMAS[schema]}
    return data


def readable(data: Any) -> bool:
    """True when DATA is a brief of a schema version this reachout reads."""
    if not isinstance(data, dict):
        return False
    schema = migrate(data).get("schema")
    if not isinstance(schema, str) or not schema.startswith(_FAMILY):
        return False
    return schema[len(_FAMILY):].split(".", 1)[0] == _READABLE_MAJOR


def load_brief(
    domain: str | None, directory: str | os.PathLike[str] | None = None
) -> dict[str, Any] | None:
    """The saved brief of DOMAIN (U-label or A-label) as a dict; None when absent, unreadable or of
    a schema this version does not read."""
    if not domain:
        return None
    try:
        path = brief_path(domain, directory)
    except BadInput:
        return None
    try:
        data = migrate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    return data if readable(data) else None


def unread_reason(domain: str | None, directory: str | os.PathLike[str] | None = None) -> str:
    """Why DOMAIN's saved brief, which exists, is not read ("" when it is read, or absent)."""
    try:
        path = brief_path(domain or "", directory)
        raw = path.read_bytes()
    except (BadInput, OSError):
        return ""
    how = f"run `reachout brief {domain}` again to replace it"
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # (UnicodeDecodeError too)
        return f"the saved brief {path} is not valid JSON, so it is not used; {how}."
    if readable(data):
        return ""
    schema = data.get("schema") if isinstance(data, dict) else None
    return (f"the saved brief {path} has schema {schema!r}, which this version of reachout does "
            f"not read (it reads {SCHEMA!r}), so it is not used; {how}.")


def saved_brief_addresses(domain: str) -> tuple[list[tuple[str, str]], str | None]:
    """(person, address) pairs of the named personal addresses DOMAIN's saved brief found, and the
    day it was made (YYYY-MM-DD); ([], None) when there is no readable brief."""
    data = load_brief(domain)
    if data is None:
        return [], None
    pairs = [
        (str(item["person"]), str(item.get("address", "")))
        for item in data.get("addresses") or []
        if isinstance(item, dict) and item.get("kind") == "personal" and item.get("person")
    ]
    generated = data.get("generated_at")
    return pairs, str(generated)[:10] if generated else None
