"""The batch state database: every finished row committed at once, so a run survives kill -9.

SQLite in WAL mode with synchronous=NORMAL: a commit is durable against a crash of the process (what
Ctrl-C, a crash or kill -9 do); only a power cut can lose the last few. Schema changes are small named
migrations recorded in a `migrations` table (as llm does).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reachout.errors import BadInput
from reachout.migrations import BUSY_TIMEOUT, apply_migrations, is_busy, use_wal
from reachout.paths import private_file

try:  # POSIX only: one run per state file at a time
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


# rows.retriable: 0 done for good; RETRY_NOW a lookup failed (DNS, a public source): redo it on
# the next --retry-failed; RETRY_LATER a mail server deferred the check (greylisting, RFC 6647):
# it accepts a retry only after a few minutes, so --retry-failed waits for those.
RETRY_NOW, RETRY_LATER = 1, 2


def _retry_kind(result: dict[str, Any]) -> int:
    if not result.get("retriable"):
        return 0
    return RETRY_LATER if result.get("retry_after_wait") else RETRY_NOW


_M001_INITIAL = """
CREATE TABLE run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rows (
    idx INTEGER PRIMARY KEY,
    line INTEGER NOT NULL,
    status TEXT NOT NULL,
    retriable INTEGER NOT NULL DEFAULT 0,
    domain TEXT,
    mail_status TEXT,
    provider TEXT,
    error TEXT,
    result TEXT NOT NULL,
    finished_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rows_retriable ON rows (retriable) WHERE retriable = 1;
CREATE TABLE domains (
    domain TEXT PRIMARY KEY,
    report TEXT NOT NULL,
    retriable INTEGER NOT NULL DEFAULT 0,
    checked_at REAL NOT NULL
);
CREATE TABLE known (
    domain TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (domain, address)
);
CREATE TABLE briefs (domain TEXT PRIMARY KEY, summary TEXT NOT NULL);
"""

# Named migrations, applied in order, each once; never edit one that has shipped, add a new one.
MIGRATIONS: list[tuple[str, str]] = [
    ("m001_initial", _M001_INITIAL),
]


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen yet, in order (reachout.migrations)."""
    apply_migrations(db, MIGRATIONS)


_OWN_TABLES = {"migrations", "run", "rows", "domains", "known", "briefs"}


def _refuse_foreign(db: sqlite3.Connection, path: Path, handle: Any) -> None:
    """Refuse an SQLite file that holds another program's tables (the tracker, a cache)."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = sorted(t for t in tables - _OWN_TABLES if not t.startswith("sqlite_"))
    if foreign:
        db.close()
        handle.close()
        raise BadInput(
            f"{path} is an SQLite database of something else (tables {', '.join(foreign[:5])}), "
            "not a reachout batch state; pass --state with another file name."
        )


class StateStore:
    """One batch run's state: its identity, finished rows, domain reports and known addresses."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            private_file(self.path)  # rows of names and addresses: the owner's alone (0600, -wal/-shm too)
            # flock on the database file itself (BSD locks do not disturb SQLite's POSIX locks); the
            # handle stays open until SQLite has closed, so SQLite's own locks are never dropped early.
            self._lock_handle = open(self.path, "ab")  # noqa: SIM115
        except OSError as exc:
            raise BadInput(
                f"Cannot write the state file {self.path}: {exc.strerror}; pass --state FILE."
            ) from None
        if fcntl is not None:
            try:
                fcntl.flock(self._lock_handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock_handle.close()
                raise BadInput(
                    f"Another reachout batch is working on {self.path}; wait for it to finish, or pass "
                    "--state FILE to run a separate batch."
                ) from None
        try:
            # Autocommit: each finished row is its own transaction, committed the moment it is written.
            # check_same_thread off: inside a running event loop (a notebook) the run happens on a
            # helper thread between uses on the caller's; the uses never overlap.
            self.db = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False
            )
            use_wal(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            _refuse_foreign(self.db, self.path, self._lock_handle)
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            self._lock_handle.close()
            if is_busy(exc):
                raise BadInput(
                    f"The state file {self.path} is busy (another program holds its lock); try again "
                    "in a moment."
                ) from None
            raise BadInput(
                f"{self.path} is not a reachout state database ({exc}); pass --state with another file name."
            ) from None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        self._lock_handle.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the run ----------------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self.db.execute("SELECT key, value FROM run")}

    def set_meta(self, **values: Any) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO run VALUES (?, ?)",
            [(key, json.dumps(value, ensure_ascii=False)) for key, value in values.items()],
        )

    def reset(self) -> None:
        """Forget everything: a new run starts from the first row."""
        with self.transaction():
            for table in ("run", "rows", "domains", "known", "briefs"):
                self.db.execute(f"DELETE FROM {table}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- rows -------------------------------------------------------------------------------------

    def save_row(self, idx: int, line: int, result: dict[str, Any]) -> None:
        """Commit one finished row (replacing an earlier attempt at it)."""
        mail = result.get("mail") or {}
        attempts = self.db.execute("SELECT attempts FROM rows WHERE idx = ?", (idx,)).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                idx, line, result["status"], _retry_kind(result), result.get("domain"),
                mail.get("status"), mail.get("provider"), result.get("error"),
                json.dumps(result, ensure_ascii=False, separators=(",", ":")), time.time(),
                (attempts[0] + 1) if attempts else 1,
            ),
        )

    def done_indexes(self, chunk: int = 2000) -> Iterator[int]:
        """Indexes of finished rows in order, read in chunks (memory stays flat)."""
        last = -1
        while True:
            batch = [row[0] for row in self.db.execute(
                "SELECT idx FROM rows WHERE idx > ? ORDER BY idx LIMIT ?", (last, chunk))]
            if not batch:
                return
            yield from batch
            last = batch[-1]

    def results(self, chunk: int = 500) -> Iterator[dict[str, Any]]:
        """Every finished row's result, in input order, read in chunks."""
        last = -1
        while True:
            batch = self.db.execute(
                "SELECT idx, result FROM rows WHERE idx > ? ORDER BY idx LIMIT ?", (last, chunk)
            ).fetchall()
            if not batch:
                return
            for _, text in batch:
                yield json.loads(text)
            last = batch[-1][0]

    def count_rows(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM rows").fetchone()[0])

    def retriable(self) -> tuple[int, int, float | None]:
        """Rows that failed for reasons that may pass: (those worth redoing at once, those worth
        redoing only after a wait, when the latest of the waiting ones failed)."""
        now, later, latest = self.db.execute(
            f"SELECT count(*) FILTER (WHERE retriable = {RETRY_NOW}), "
            f"count(*) FILTER (WHERE retriable = {RETRY_LATER}), "
            f"max(finished_at) FILTER (WHERE retriable = {RETRY_LATER}) "
            "FROM rows WHERE retriable > 0").fetchone()
        return int(now), int(later), latest

    def forget_retriable(self) -> int:
        """Drop rows (and domain reports) that failed for transient reasons, so they are done again."""
        with self.transaction():
            cursor = self.db.execute("DELETE FROM rows WHERE retriable > 0")
            self.db.execute("DELETE FROM domains WHERE retriable > 0")
        return cursor.rowcount

    def tally(self, column: str) -> list[tuple[str, int]]:
        """Rows grouped by COLUMN (status, mail_status, provider, error), most frequent first."""
        if column not in {"status", "mail_status", "provider", "error"}:
            raise ValueError(column)
        return [(value, count) for value, count in self.db.execute(
            f"SELECT {column}, count(*) AS n FROM rows WHERE {column} IS NOT NULL "
            f"AND {column} != '' GROUP BY {column} ORDER BY n DESC, {column}"
        )]

    def count_domains(self) -> int:
        return int(self.db.execute(
            "SELECT count(DISTINCT domain) FROM rows WHERE domain IS NOT NULL").fetchone()[0])

    # -- domains, known addresses, briefs ----------------------------------------------------------

    def domain_report(self, domain: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT report FROM domains WHERE domain = ?", (domain,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_domain(self, domain: str, report: dict[str, Any], *, retriable: bool) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO domains VALUES (?, ?, ?, ?)",
            (domain, json.dumps(report, ensure_ascii=False, separators=(",", ":")), int(retriable),
             time.time()),
        )

    def add_known(self, rows: list[tuple[str, str, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO known VALUES (?, ?, ?)", rows)

    def known_for(self, domain: str, limit: int) -> list[tuple[str, str]]:
        return [(name, address) for name, address in self.db.execute(
            "SELECT name, address FROM known WHERE domain = ? ORDER BY rowid LIMIT ?", (domain, limit))]

    def brief(self, domain: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT summary FROM briefs WHERE domain = ?", (domain,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_brief(self, domain: str, summary: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO briefs VALUES (?, ?)",
                        (domain, json.dumps(summary, ensure_ascii=False)))
