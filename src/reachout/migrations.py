"""SQLite schema migrations for every file reachout keeps: named, applied once each, recorded in one table.

`apply_migrations(db, MIGRATIONS)` is the one runner (llm's `migrations.py` habit). It takes SQLite's
write lock first (`BEGIN IMMEDIATE`) and only then reads what is applied, so processes that open a
fresh file at the same moment queue on the lock (the connection's busy timeout) and the later ones
find the work done: no "table already exists", no lost writer. A migration and its record commit
together; a crash half-way leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

TABLE = "migrations"
# Older files kept their record under another name (the tracker's `_migrations`): adopted on open.
LEGACY_TABLES = ("_migrations",)
BUSY_TIMEOUT = 30.0  # seconds a connection waits for another process's write lock


def is_busy(exc: sqlite3.Error) -> bool:
    """True when EXC means another connection holds the lock (try again), not a damaged file."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


# SQLite's primary result codes (https://sqlite.org/rescode.html): the file or its folder refuses
# writes. CANTOPEN comes from a write in a read-only folder, where the rollback journal cannot go.
_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14


def is_read_only(exc: sqlite3.Error) -> bool:
    """True when EXC means the file (or its folder) cannot be written: reads still work."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in {_SQLITE_READONLY, _SQLITE_CANTOPEN}
    return "readonly database" in str(exc).lower()


def use_wal(db: sqlite3.Connection, *, wait: float = BUSY_TIMEOUT) -> None:
    """Put DB in WAL mode. Switching needs a moment alone with the file, and SQLite answers "locked"
    at once (no busy handler) while another process is doing the same on a new file: retry a while."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def statements(script: str) -> list[str]:
    """SCRIPT split into complete SQL statements (semicolons inside strings stay put)."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        out.append(pending.strip())
    return [s for s in out if s.rstrip(";").strip()]


def applied(db: sqlite3.Connection) -> list[str]:
    """The names of the migrations recorded in DB, in the order they were applied."""
    try:
        return [row[0] for row in db.execute(f"SELECT name FROM {TABLE} ORDER BY rowid")]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def apply_migrations(db: sqlite3.Connection, migrations: Sequence[tuple[str, str]]) -> list[str]:
    """Apply the MIGRATIONS (name, SQL script) that DB has not seen, in order; return their names.

    Idempotent and safe under concurrent first use. Raises sqlite3.Error (see `is_busy`) when the
    lock cannot be had within the busy timeout or the file is not a database.
    """
    # Fast path without a write lock: a file in use has every migration already.
    if set(applied(db)) >= {name for name, _ in migrations} and not _legacy_present(db):
        return []
    if db.in_transaction:
        db.commit()
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        _adopt_legacy(db)
        done = set(applied(db))
        new: list[str] = []
        for name, script in migrations:
            if name in done:
                continue
            for statement in statements(script):
                db.execute(statement)
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            db.execute(f"INSERT INTO {TABLE} (name, applied_at) VALUES (?, ?)", (name, now))
            new.append(name)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return new


def _legacy_present(db: sqlite3.Connection) -> bool:
    marks = ",".join("?" for _ in LEGACY_TABLES)
    row = db.execute(
        f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ({marks})", LEGACY_TABLES
    ).fetchone()
    return row is not None


def _adopt_legacy(db: sqlite3.Connection) -> None:
    """Move records kept under an older table name into TABLE, so old files stay readable."""
    for legacy in LEGACY_TABLES:
        if db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (legacy,)
        ).fetchone():
            db.execute(
                f"INSERT OR IGNORE INTO {TABLE} (name, applied_at) "
                f"SELECT name, applied_at FROM {legacy} ORDER BY rowid"
            )
            db.execute(f"DROP TABLE {legacy}")
