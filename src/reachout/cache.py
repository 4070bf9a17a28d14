"""A small SQLite key/value cache with per-entry TTLs and an in-run memory layer in front."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reachout.migrations import BUSY_TIMEOUT, apply_migrations, use_wal
from reachout.paths import private_file

log = logging.getLogger(__name__)

# Named migrations, applied once each by reachout.migrations (recorded in its `migrations` table).
MIGRATIONS: list[tuple[str, str]] = [
    (
        "m001_ttl_cache",
        """
        CREATE TABLE IF NOT EXISTS ttl_cache (
            namespace TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            expires REAL NOT NULL,
            PRIMARY KEY (namespace, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ttl_cache_expires ON ttl_cache (expires);
        """,
    ),
]

def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen yet."""
    apply_migrations(db, MIGRATIONS)


class TTLCache:
    """JSON values under (namespace, key), each kept until its TTL runs out.

    Reads look in memory first, then in SQLite; writes go to memory at once and to SQLite in batches
    (call `flush()` or `close()`, or use it as a context manager). If the SQLite file cannot be
    opened the cache keeps working in memory only: a cache must never stop a run.
    """

    def __init__(
        self,
        path: str | Path | None,
        *,
        namespace: str = "default",
        clock: Callable[[], float] = time.time,
        batch: int = 500,
        memory_limit: int = 20_000,
    ) -> None:
        self.namespace = namespace
        self.memory_limit = memory_limit  # entries kept in memory; SQLite keeps the rest
        self.clock = clock
        self.batch = batch
        self.path = Path(path) if path is not None else None
        self._memory: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._pending: list[tuple[str, str, str, float]] = []
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if self.path is not None:
            try:
                private_file(self.path)  # whom you looked up is yours alone: 0600, -wal/-shm too
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False)
                use_wal(db)
                db.execute("PRAGMA synchronous=NORMAL")
                migrate(db)
                self._db = db
            except (sqlite3.Error, OSError) as exc:
                log.warning("cache %s unavailable (%s); caching in memory only", self.path, exc)
                self._db = None

    @classmethod
    def memory(
        cls, *, namespace: str = "default", clock: Callable[[], float] = time.time
    ) -> TTLCache:
        """A cache that lives only for this run."""
        return cls(None, namespace=namespace, clock=clock)

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under KEY if it has not expired, else DEFAULT."""
        now = self.clock()
        hit = self._memory.get(key)
        if hit is not None:
            if hit[0] > now:
                return hit[1]
            del self._memory[key]
        if self._db is None:
            return default
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT value, expires FROM ttl_cache"
                    " WHERE namespace = ? AND key = ? AND expires > ?",
                    (self.namespace, key, now),
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("cache read failed (%s)", exc)
            return default
        if row is None:
            return default
        value = json.loads(row[0])
        self._memory[key] = (row[1], value)
        return value

    def set(self, key: str, value: Any, ttl: float) -> None:
        """Keep VALUE (JSON-serialisable) under KEY for TTL seconds; a TTL <= 0 stores nothing."""
        if ttl <= 0:
            return
        expires = self.clock() + ttl
        self._memory[key] = (expires, value)
        if len(self._memory) > self.memory_limit:
            # Oldest first, in O(1): a run over 100,000 domains stays flat.
            self._memory.popitem(last=False)
        if self._db is None:
            return
        self._pending.append(
            (self.namespace, key, json.dumps(value, separators=(",", ":")), expires)
        )
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write buffered entries to SQLite in one transaction."""
        if self._db is None or not self._pending:
            return
        rows, self._pending = self._pending, []
        try:
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO ttl_cache VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("cache write failed (%s)", exc)

    def purge(self) -> int:
        """Delete expired entries of every namespace; return how many went."""
        self._memory = OrderedDict((k, v) for k, v in self._memory.items() if v[0] > self.clock())
        if self._db is None:
            return 0
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM ttl_cache WHERE expires <= ?", (self.clock(),))
        return cursor.rowcount

    def close(self) -> None:
        """Flush and close the database (the memory layer stays usable)."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> TTLCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clear_user_caches() -> list[str]:
    """Delete the user directory's caches (DNS and HTTP answers) and saved public evidence; what was
    removed, in words. Saved briefs and the follow-up tracker are the user's own data: kept."""
    import contextlib

    from reachout.evidence.store import clear as clear_evidence
    from reachout.paths import cache_db, user_dir

    removed = []
    for path in (cache_db(), user_dir() / "http-cache.sqlite"):
        found = False
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
                found = True
        if found:
            removed.append(path.name)
    count = clear_evidence()
    if count:
        removed.append(f"saved evidence of {count} domain(s)")
    return removed
