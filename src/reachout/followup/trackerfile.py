"""The tracker's SQLite file: applications, people, events, follow-up states; named migrations."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reachout.errors import BadInput, NotFound, StoreError
from reachout.migrations import BUSY_TIMEOUT, applied, apply_migrations, is_busy, is_read_only
from reachout.paths import private_file, user_dir

if TYPE_CHECKING:
    from reachout.guessing.readings import NameParts

# How an application got in; each route but "other" has a follow-up rule in followup/rules.toml.
APPLIED_VIA = (
    "posting",
    "referral",
    "recruiter",
    "direct",
    "career_fair",
    "cold_outreach",
    "other",
)
# Other ways people say the same route (after lower-casing, with spaces and hyphens as "_").
VIA_ALIASES = {
    "job_posting": "posting",
    "ad": "posting",
    "job_ad": "posting",
    "referred": "referral",
    "agency": "recruiter",
    "headhunter": "recruiter",
    "fair": "career_fair",
    "job_fair": "career_fair",
    "careerfair": "career_fair",
    "cold": "cold_outreach",
    "cold_email": "cold_outreach",
    "outreach": "cold_outreach",
    "coldoutreach": "cold_outreach",
}
PERSON_ROLES = ("hiring_manager", "recruiter", "interviewer", "referrer", "other")
VERIFICATION = ("unknown", "valid", "invalid", "risky", "catch_all")
# Event kinds and what a user may type for them.
EVENT_KINDS = (
    "applied",
    "referral_delivered",
    "interviewed",
    "timeline",
    "replied",
    "declined",
    "offer",
    "withdrawn",
    "note",
)
EVENT_ALIASES = {
    "referral": "referral_delivered",
    "referred": "referral_delivered",
    "interview": "interviewed",
    "reply": "replied",
    "rejected": "declined",
    "decline": "declined",
    "deadline": "timeline",
}
APP_FIELDS = (
    "company",
    "domain",
    "role",
    "posting_url",
    "closes_on",
    "applied_via",
    "country",
    "fit",
    "notes",
)
PERSON_FIELDS = ("name", "role", "title", "email", "email_confidence", "email_status")
# A greeting names the given name only when the reader is this sure which word it is: a wrong "Dear
# Wang" is worse than a neutral greeting.
_SURE_ORDER = 0.9


def tracker_db() -> Path:
    """The tracker's SQLite file in the user directory."""
    return user_dir() / "followup.sqlite"


# Each migration runs once, in order, and is recorded by name (the llm project's habit).
MIGRATIONS: list[tuple[str, str]] = [
    (
        "m001_initial",
        """
        CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL,
            domain TEXT,
            role TEXT NOT NULL,
            posting_url TEXT,
            closes_on TEXT,
            applied_via TEXT NOT NULL DEFAULT 'posting',
            country TEXT,
            fit TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'other',
            title TEXT,
            email TEXT,
            email_confidence REAL,
            email_status TEXT NOT NULL DEFAULT 'unknown',
            created_at TEXT NOT NULL
        );
        CREATE INDEX people_application ON people(application_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            occurred_on TEXT NOT NULL,
            occurred_at TEXT,
            until_on TEXT,
            topic TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_application ON events(application_id);
        CREATE TABLE event_people (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            PRIMARY KEY (event_id, person_id)
        );
        CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending',
            state_on TEXT,
            UNIQUE (application_id, rule, event_id, person_id)
        );
        """,
    ),
    (
        # What each interviewer discussed, for their own thank-you (issue 16).
        "m002_event_people_topic",
        "ALTER TABLE event_people ADD COLUMN topic TEXT",
    ),
]


@dataclass
class Person:
    """Someone at the company: their role in the process and their address with its checks."""

    id: int
    application_id: int
    name: str
    role: str = "other"
    title: str | None = None
    email: str | None = None
    email_confidence: float | None = None
    email_status: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @property
    def first_name(self) -> str | None:
        """The given name a greeting uses ("Dr. Ana María Ruiz" → "Ana", "KOWALSKI Jan" → "Jan"), read
        by the guesser's name reader; None when unclear: an initial, or a name whose order is a guess
        (Lin Xiuying may be written family name first or not)."""
        from reachout.errors import BadInput
        from reachout.guessing import parse_name
        from reachout.guessing.learn import conventions_by_name

        try:
            parts = parse_name(self.name or "")
        except BadInput:
            return None
        likelier = max(conventions_by_name(parts.readings).get("order", {}).values(), default=1.0)
        given = parts.given.split()
        first = " ".join(given) if _said_whole(given) else given[0] if given else ""
        if _is_title_or_surname_alone(parts):
            return None  # "Dr Smith", "Mrs Quarle", "Lord Smith of Finsbury": no given name is known
        return first if likelier >= _SURE_ORDER and len(first) > 1 and not first.endswith(".") else None


def _said_whole(given: list[str]) -> bool:
    """Whether the words of a GIVEN name of two or more are one name, none of them said alone: Chinese
    or Korean syllables (TAN Boon Huat is Boon Huat, never Boon), or Abd's (Abdul Rahman)."""
    from reachout.guessing.namedata import is_given_syllable, name_data
    from reachout.guessing.spelling import spell

    data = name_data()
    spelt = [spell(word) for word in given]
    return len(spelt) > 1 and (
        spelt[0] in data.compound_given_starts or all(is_given_syllable(word, data) for word in spelt))


def _is_title_or_surname_alone(parts: NameParts) -> bool:
    """Whether PARTS hold a title and one name (Dr Smith, Mrs Quarle, Lord Smith of Finsbury, Sir John):
    the greeting then keeps the title."""
    return bool(parts.title) and not (parts.given and parts.family)


@dataclass
class Event:
    """Something that happened in an application (applied, interviewed, a reply, …)."""

    id: int
    application_id: int
    kind: str
    occurred_on: dt.date
    occurred_at: dt.datetime | None = None
    until_on: dt.date | None = None
    topic: str | None = None
    note: str | None = None
    people: list[int] = field(default_factory=list)
    # Person ID -> what that person discussed (a thank-you's own point); `topic` is the shared one.
    topics: dict[int, str] = field(default_factory=dict)

    def topic_for(self, person_id: int | None) -> str | None:
        """What PERSON_ID discussed, else the topic logged for the whole event."""
        own = self.topics.get(person_id) if person_id is not None else None
        return own or self.topic

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text)."""
        return {
            "id": self.id,
            "application_id": self.application_id,
            "kind": self.kind,
            "occurred_on": self.occurred_on.isoformat(),
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "until_on": self.until_on.isoformat() if self.until_on else None,
            "topic": self.topic,
            "note": self.note,
            "people": list(self.people),
            "topics": {str(pid): text for pid, text in sorted(self.topics.items())},
        }

    @property
    def sort_key(self) -> tuple[str, int]:
        """Chronological order: by date, then (within a day) in the order they were logged."""
        return (self.occurred_on.isoformat(), self.id)


@dataclass
class Application:
    """One job application: the company, the role, the posting and how you applied."""

    id: int
    company: str
    role: str
    domain: str | None = None
    posting_url: str | None = None
    closes_on: dt.date | None = None
    applied_via: str = "posting"
    country: str | None = None
    fit: str | None = None
    notes: str | None = None
    created_at: str = ""
    updated_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["closes_on"] = self.closes_on.isoformat() if self.closes_on else None
        return data


@dataclass
class StoredState:
    """What the user did about one follow-up: still pending, sent or skipped, and when."""

    id: int
    application_id: int
    rule: str
    event_id: int
    person_id: int
    state: str
    state_on: dt.date | None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class ReadOnlyTracker(StoreError):
    """The tracker file (or its folder) cannot be written: reads work, changes cannot be saved."""


class _Connection(sqlite3.Connection):
    """A connection that answers text it cannot store with BadInput, not UnicodeEncodeError, and
    a busy or read-only file with a one-line StoreError naming it."""

    path: Path

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except UnicodeEncodeError as exc:
            raise _not_text(exc) from None
        except sqlite3.OperationalError as exc:
            raise _refused(exc, self.path) from None

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except UnicodeEncodeError as exc:
            raise _not_text(exc) from None
        except sqlite3.OperationalError as exc:
            raise _refused(exc, self.path) from None

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.OperationalError as exc:
            raise _refused(exc, self.path) from None


def _refused(exc: sqlite3.OperationalError, path: Path) -> Exception:
    """A lock held past the busy timeout is a message to retry, a read-only file one to make it
    writable; other errors pass unchanged."""
    if is_read_only(exc):
        return ReadOnlyTracker(
            f"Cannot save to the follow-up tracker {path}: it (or its folder) is read-only; make "
            f"it writable, or set REACHOUT_HOME to a writable directory."
        )
    if not is_busy(exc):
        return exc
    return StoreError(
        "The follow-up tracker is busy (another reachout is writing to it); try again in a moment."
    )


def _text(data: bytes) -> str:
    # Text another tool wrote in another encoding is shown with its odd bytes escaped (\xe9),
    # not refused: every command that reads the tracker keeps working.
    return data.decode("utf-8", "backslashreplace")


def _not_text(exc: UnicodeEncodeError) -> BadInput:
    # Bytes that were not UTF-8 on the command line arrive as lone surrogates (PEP 383).
    shown = exc.object[:60] if isinstance(exc.object, str) else exc.object
    return BadInput(
        f"{shown!r} is not valid text (it holds bytes that are not UTF-8); type it again, "
        "or set the terminal's encoding to UTF-8."
    )


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    if is_busy(exc):
        # Another reachout holds the lock: the file is fine, so never suggest moving it aside.
        return StoreError(
            f"The follow-up tracker {path} is busy (another reachout is writing to it); "
            "try again in a moment."
        )
    if is_read_only(exc) and not path.exists():
        return ReadOnlyTracker(
            f"Cannot create the follow-up tracker {path} ({exc}): its folder is read-only; set "
            "REACHOUT_HOME to a writable directory."
        )
    return StoreError(
        f"Cannot use the follow-up tracker {path} ({exc}); move that file aside "
        "(a new tracker is started) or set REACHOUT_HOME to another directory."
    )


class Store:
    """A connection to the tracker file; every write is one transaction."""

    def __init__(
        self, path: str | Path | None = None, *, clock: Callable[[], dt.datetime] | None = None
    ):
        self.path = Path(path) if path else tracker_db()
        self._unsaved: dict[int, str] = {}  # follow-up IDs shown but not stored (read-only file)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        with contextlib.suppress(OSError):  # a read-only folder: SQLite says what is wrong
            private_file(self.path)  # whom you applied to and met: the owner's alone (0600)
        try:
            # IMMEDIATE: a write takes the lock when its transaction begins, so two processes
            # writing at once queue on the busy timeout instead of failing to upgrade a read.
            self.db = sqlite3.connect(
                self.path, factory=_Connection, timeout=BUSY_TIMEOUT, isolation_level="IMMEDIATE"
            )
            self.db.path = self.path
            self.db.row_factory = sqlite3.Row
            self.db.text_factory = _text
            self.db.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except ReadOnlyTracker:
            self.db.close()
            raise ReadOnlyTracker(
                f"The follow-up tracker {self.path} is read-only and was made by an older "
                "reachout: it needs an update this version cannot save; make it writable, or set "
                "REACHOUT_HOME to a writable directory."
            ) from None
        except sqlite3.Error as exc:
            if hasattr(self, "db"):
                self.db.close()
            raise _store_error(self.path, exc) from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations this file lacks; return their names."""
        return apply_migrations(self.db, MIGRATIONS)

    def migrations(self) -> list[str]:
        """The names of the migrations applied to this file."""
        return applied(self.db)

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    # -- applications ----------------------------------------------------------------------------
    def add_application(self, **values: Any) -> int:
        """Insert an application; return its ID."""
        columns = [key for key in APP_FIELDS if values.get(key) is not None]
        now = self._now()
        with self.db:
            cursor = self.db.execute(
                f"INSERT INTO applications ({', '.join(columns)}, created_at, updated_at) "
                f"VALUES ({', '.join('?' for _ in columns)}, ?, ?)",
                [_sql_value(values[key]) for key in columns] + [now, now],
            )
        return int(cursor.lastrowid or 0)

    def update_application(self, app_id: int, **values: Any) -> None:
        """Change the given fields of an application (None clears nothing; use '' to clear)."""
        self.application(app_id)
        changes = {
            key: values[key] for key in APP_FIELDS if key in values and values[key] is not None
        }
        if not changes:
            raise BadInput(
                "Nothing to change; pass at least one option such as --role or --closes."
            )
        sets = ", ".join(f"{key} = ?" for key in changes)
        params = [(_sql_value(value) or None) for value in changes.values()]
        with self.db:
            self.db.execute(
                f"UPDATE applications SET {sets}, updated_at = ? WHERE id = ?",
                [*params, self._now(), app_id],
            )

    def application(self, app_id: int) -> Application:
        """The application APP_ID, or NotFound."""
        row = None
        if _storable(app_id):
            row = self.db.execute("SELECT * FROM applications WHERE id = ?", (app_id,)).fetchone()
        if row is None:
            raise NotFound(
                f"No application with ID {app_id}; `reachout followup list` shows the IDs."
            )
        return _application(row)

    def applications(self) -> list[Application]:
        """Every application, oldest first."""
        return [
            _application(row) for row in self.db.execute("SELECT * FROM applications ORDER BY id")
        ]

    # -- people ----------------------------------------------------------------------------------
    def add_person(self, app_id: int, **values: Any) -> int:
        """Insert a person at application APP_ID; return their ID."""
        self.application(app_id)
        columns = [key for key in PERSON_FIELDS if values.get(key) is not None]
        with self.db:
            cursor = self.db.execute(
                f"INSERT INTO people (application_id, {', '.join(columns)}, created_at) "
                f"VALUES (?, {', '.join('?' for _ in columns)}, ?)",
                [app_id, *[values[key] for key in columns], self._now()],
            )
        return int(cursor.lastrowid or 0)

    def update_person(self, person_id: int, **values: Any) -> None:
        """Change the given fields of a person."""
        self.person(person_id)
        changes = {key: values[key] for key in PERSON_FIELDS if values.get(key) is not None}
        if not changes:
            raise BadInput("Nothing to change; pass at least one option such as --email.")
        sets = ", ".join(f"{key} = ?" for key in changes)
        with self.db:
            self.db.execute(
                f"UPDATE people SET {sets} WHERE id = ?",
                [*(value if value != "" else None for value in changes.values()), person_id],
            )

    def person(self, person_id: int) -> Person:
        """The person PERSON_ID, or NotFound."""
        row = None
        if _storable(person_id):
            row = self.db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            raise NotFound(
                f"No person with ID {person_id}; `reachout followup show APP` lists them."
            )
        return _person(row)

    def people(self, app_id: int | None = None) -> list[Person]:
        """The people of application APP_ID (or of every application)."""
        if app_id is None:
            rows = self.db.execute("SELECT * FROM people ORDER BY id")
        else:
            rows = self.db.execute(
                "SELECT * FROM people WHERE application_id = ? ORDER BY id", (app_id,)
            )
        return [_person(row) for row in rows]

    # -- events ----------------------------------------------------------------------------------
    def add_event(
        self,
        app_id: int,
        kind: str,
        *,
        occurred_on: dt.date,
        occurred_at: dt.datetime | None = None,
        until_on: dt.date | None = None,
        topic: str | None = None,
        note: str | None = None,
        people: Iterable[int] = (),
        topics: dict[int, str] | None = None,
    ) -> int:
        """Record an event; return its ID. TOPICS: what each person (by ID) discussed."""
        self.application(app_id)
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO events (application_id, kind, occurred_on, occurred_at, until_on,"
                " topic, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    app_id,
                    kind,
                    occurred_on.isoformat(),
                    occurred_at.isoformat() if occurred_at else None,
                    until_on.isoformat() if until_on else None,
                    topic,
                    note,
                    self._now(),
                ),
            )
            event_id = int(cursor.lastrowid or 0)
            self.db.executemany(
                "INSERT OR IGNORE INTO event_people (event_id, person_id, topic) VALUES (?, ?, ?)",
                [(event_id, pid, (topics or {}).get(pid)) for pid in people],
            )
        return event_id

    def delete_event(self, event_id: int) -> None:
        """Delete an event; its people links and follow-up states go with it (ON DELETE CASCADE)."""
        with self.db:
            self.db.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def link(self, event_id: int, person_id: int, topic: str | None = None) -> None:
        """Record that PERSON_ID took part in EVENT_ID (an interviewer at an interview), and what
        they discussed when TOPIC is given (it replaces an earlier one)."""
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO event_people (event_id, person_id) VALUES (?, ?)",
                (event_id, person_id),
            )
            if topic is not None:
                self.db.execute(
                    "UPDATE event_people SET topic = ? WHERE event_id = ? AND person_id = ?",
                    (topic or None, event_id, person_id),
                )

    def set_event_topic(self, event_id: int, topic: str | None) -> None:
        """Replace the topic logged for the whole event."""
        with self.db:
            self.db.execute("UPDATE events SET topic = ? WHERE id = ?", (topic, event_id))

    def events(self, app_id: int | None = None) -> list[Event]:
        """Events of one application (or all), in the order they happened."""
        if app_id is None:
            rows = self.db.execute("SELECT * FROM events")
        else:
            rows = self.db.execute("SELECT * FROM events WHERE application_id = ?", (app_id,))
        links: dict[int, list[int]] = {}
        topics: dict[int, dict[int, str]] = {}
        for link in self.db.execute(
            "SELECT event_id, person_id, topic FROM event_people ORDER BY person_id"
        ):
            links.setdefault(link[0], []).append(link[1])
            if link[2]:
                topics.setdefault(link[0], {})[link[1]] = link[2]
        events = [
            _event(row, links.get(row["id"], []), topics.get(row["id"], {})) for row in rows
        ]
        return sorted(events, key=lambda event: event.sort_key)

    # -- follow-up states ------------------------------------------------------------------------
    def followup_ids(
        self, keys: Iterable[tuple[int, str, int, int]]
    ) -> dict[tuple[int, str, int, int], int]:
        """Stable follow-up IDs keyed (application, rule, event, person), made on first sight."""
        keys = list(keys)
        ids = self._followup_ids()
        new = [key for key in dict.fromkeys(keys) if key not in ids]
        if not new:
            return ids  # a read writes nothing (so it works on a read-only tracker)
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR IGNORE INTO followups (application_id, rule, event_id, person_id) "
                    "VALUES (?, ?, ?, ?)",
                    new,
                )
        except ReadOnlyTracker as exc:
            # Shown for now with the IDs the next writable run will store, in the same order;
            # marking one of them (set_state) is refused with this message.
            top = max(ids.values(), default=0)
            unsaved = {key: top + n for n, key in enumerate(new, 1)}
            self._unsaved = {number: str(exc) for number in unsaved.values()}
            return {**ids, **unsaved}
        return self._followup_ids()

    def _followup_ids(self) -> dict[tuple[int, str, int, int], int]:
        return {
            (row[1], row[2], row[3], row[4]): row[0]
            for row in self.db.execute(
                "SELECT id, application_id, rule, event_id, person_id FROM followups"
            )
        }

    def states(self) -> list[StoredState]:
        """Every follow-up row with its state."""
        return [
            StoredState(
                r["id"],
                r["application_id"],
                r["rule"],
                r["event_id"],
                r["person_id"],
                r["state"],
                _date(r["state_on"]),
            )
            for r in self.db.execute("SELECT * FROM followups ORDER BY id")
        ]

    def set_state(self, followup_id: int, state: str, on: dt.date | None) -> None:
        """Mark a follow-up sent, skipped or pending again."""
        if followup_id in self._unsaved:
            raise ReadOnlyTracker(self._unsaved[followup_id])
        with self.db:
            self.db.execute(
                "UPDATE followups SET state = ?, state_on = ? WHERE id = ?",
                (state, on.isoformat() if on else None, followup_id),
            )


def _storable(row_id: int) -> bool:
    """Whether ROW_ID fits SQLite's 64-bit integers (a larger one cannot name any row)."""
    return -(2**63) <= row_id < 2**63


def _sql_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _application(row: sqlite3.Row) -> Application:
    return Application(
        id=row["id"],
        company=row["company"],
        role=row["role"],
        domain=row["domain"],
        posting_url=row["posting_url"],
        closes_on=_date(row["closes_on"]),
        applied_via=row["applied_via"],
        country=row["country"],
        fit=row["fit"],
        notes=row["notes"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _person(row: sqlite3.Row) -> Person:
    return Person(
        id=row["id"],
        application_id=row["application_id"],
        name=row["name"],
        role=row["role"],
        title=row["title"],
        email=row["email"],
        email_confidence=row["email_confidence"],
        email_status=row["email_status"],
    )


def _event(row: sqlite3.Row, people: list[int], topics: dict[int, str]) -> Event:
    return Event(
        id=row["id"],
        application_id=row["application_id"],
        kind=row["kind"],
        occurred_on=dt.date.fromisoformat(row["occurred_on"]),
        occurred_at=dt.datetime.fromisoformat(row["occurred_at"]) if row["occurred_at"] else None,
        until_on=_date(row["until_on"]),
        topic=row["topic"],
        note=row["note"],
        people=people,
        topics=topics,
    )
