"""Saved evidence: one JSON file per domain under the user directory's evidence/, readable by its owner
only, kept 30 days unless gathered again. `reachout cache clear` removes the folder.

The files hold people's names and work addresses as public sources showed them: nothing else is kept,
nothing leaves the machine, and expired files are deleted whenever saved evidence is read or written.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reachout.errors import BadInput, StoreError

SCHEMA = "reachout.evidence/1"
KEEP_DAYS = 30


def evidence_dir() -> Path:
    """The folder of saved evidence (created 0700 on first save)."""
    from reachout.paths import user_dir

    return user_dir() / "evidence"


def evidence_path(domain: str) -> Path:
    """Where DOMAIN's evidence is saved: its A-label form, as briefs are named."""
    from reachout.briefstore import file_stem

    return evidence_dir() / f"{file_stem(domain)}.json"


def expiry(gathered_at: str) -> str:
    """When evidence gathered at GATHERED_AT (ISO UTC) expires."""
    return _iso(_parse(gathered_at) + timedelta(days=KEEP_DAYS))


def save(data: dict[str, Any], domain: str) -> Path:
    """Save DATA (an Evidence's to_dict()) for DOMAIN atomically, 0600 in a 0700 folder."""
    from reachout.atomicfile import write_atomic
    from reachout.paths import private_dir

    path = evidence_path(domain)
    try:
        private_dir(path.parent)
        # mkstemp makes the file 0600: no process-wide umask change (batch saves from threads).
        write_atomic(path, json.dumps({"schema": SCHEMA, **data}, ensure_ascii=False, indent=1) + "\n")
        prune()
    except OSError as exc:
        raise StoreError(
            f"Cannot save evidence to {path} ({exc.strerror or exc}); set REACHOUT_HOME to a "
            "writable directory."
        ) from None
    return path


def load(domain: str, *, now: datetime | None = None) -> dict[str, Any] | None:
    """DOMAIN's saved evidence while it is fresh; None when absent, unreadable or expired (an expired
    file is deleted)."""
    _prune_once(now)
    try:
        path = evidence_path(domain)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (BadInput, OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return None
    try:
        expires = _parse(str(data.get("expires_at")))
    except ValueError:
        return None
    if expires <= (now or datetime.now(UTC)):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return data


# Folders already pruned by this process, with the folder's mtime then: a batch reads saved evidence for
# every row, and one scan per run (or per change of the folder) is enough to keep nothing past 30 days.
_pruned: set[tuple[str, int]] = set()


def _prune_once(now: datetime | None) -> None:
    """prune(), once per process and state of the evidence folder (a new file changes its mtime)."""
    folder = evidence_dir()
    try:
        key = (str(folder), folder.stat().st_mtime_ns)
    except OSError:
        return  # no folder: nothing saved, nothing to prune
    if key in _pruned:
        return
    prune(now)
    with contextlib.suppress(OSError):
        _pruned.add((str(folder), folder.stat().st_mtime_ns))  # after its own deletions


def prune(now: datetime | None = None) -> int:
    """Delete every saved evidence file older than 30 days (by when it was written: a save is a
    gathering), not only the ones looked up again; how many went. A cheap stat per file."""
    folder = evidence_dir()
    if not folder.is_dir():
        return 0
    oldest = (now or datetime.now(UTC)).timestamp() - KEEP_DAYS * 86_400
    count = 0
    for file in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            if file.stat().st_mtime < oldest:
                file.unlink()
                count += 1
    return count


def clear() -> int:
    """Delete every saved evidence file; how many there were."""
    folder = evidence_dir()
    if not folder.is_dir():
        return 0
    count = 0
    for file in folder.glob("*.json"):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
            count += 1
    for leftover in folder.glob(".*.tmp"):  # a save interrupted half-way
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    return count


def _parse(text: str) -> datetime:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
