"""What the tracker returns: follow-ups, application summaries and details, drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reachout.followup.briefs import Fact
from reachout.followup.businessdays import iso
from reachout.followup.trackerfile import Application, Event, Person

OPEN_STATUSES = ("overdue", "due", "upcoming")


@dataclass
class FollowUp:
    """One follow-up to send: to whom, why (the rule and its advice), when, and where it stands."""

    id: int
    application_id: int
    company: str
    role: str
    rule: str
    title: str
    stage: str
    event_id: int
    to: Person | None
    due_on: dt.date
    deadline_on: dt.date
    status: str
    due_at: dt.datetime | None = None
    deadline_at: dt.datetime | None = None
    state_on: dt.date | None = None
    cancelled_by: dict[str, Any] | None = None
    advice: str = ""
    source: list[str] = field(default_factory=list)
    hint: str | None = None
    template: str = ""
    # True when the timing is reachout's default, not a date the employer gave (see `note`).
    default_timing: bool = False
    note: str | None = None

    def address(self) -> str | None:
        """The recipient's stored address (None when there is none) for a file or a link: a
        calendar's ATTENDEE (RFC 5545 §3.3.3), a message's To: (RFC 5322), a mailto: (RFC 6068).
        One holding a line break or another control character (another tool may have written one
        into the tracker) is BadInput naming this follow-up: nothing is injected or cut off."""
        if self.to is None or not self.to.email:
            return None
        address = self.to.email
        if any(not ch.isprintable() or ch.isspace() for ch in address):
            from reachout.errors import BadInput

            raise BadInput(
                f"Follow-up {self.id} ({self.title}, {self.to.name}): the address stored for "
                f"{self.to.name} ({address!r}) holds a line break or another control character, "
                "which a calendar file, a message or a mailto: link cannot carry; correct it with "
                f"`reachout followup edit {self.application_id} --person {self.to.id} --email "
                "ADDRESS` and try again."
            )
        return address

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the schema `due --json` prints)."""
        return {
            "id": self.id,
            "application_id": self.application_id,
            "company": self.company,
            "role": self.role,
            "rule": self.rule,
            "title": self.title,
            "stage": self.stage,
            "event_id": self.event_id,
            "to": self.to.to_dict() if self.to else None,
            "due_on": iso(self.due_on),
            "deadline_on": iso(self.deadline_on),
            "due_at": iso(self.due_at),
            "deadline_at": iso(self.deadline_at),
            "status": self.status,
            "state_on": iso(self.state_on),
            "cancelled_by": self.cancelled_by,
            "advice": self.advice,
            "source": list(self.source),
            "hint": self.hint,
            "default_timing": self.default_timing,
            "note": self.note,
        }

    @property
    def recipient(self) -> str:
        """'Ana Ruiz <ana@acme.example>', 'Ana Ruiz', or '(unknown)'."""
        if self.to is None:
            return "(unknown)"
        if not self.to.email:
            return self.to.name
        # RFC 5322 §3.2.3: a display name with specials ("Bcc: x@y", a comma) is quoted, so it
        # can never read as a second address. (Not email.utils.formataddr: it would turn José
        # into =?utf-8?…?=, and a draft is text for a person.)
        name = _header(self.to.name)
        if any(ch in name for ch in '()<>@,;:\\"[]'):  # "." is fine (obs-phrase): J. Doe
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.to.email}>"


@dataclass
class ApplicationSummary:
    """One row of `followup list`."""

    application: Application
    stage: str | None
    last_event_on: dt.date | None
    next_due: FollowUp | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.application.to_dict(),
            "stage": self.stage,
            "last_event_on": iso(self.last_event_on),
            "next_due": self.next_due.to_dict() if self.next_due else None,
        }


@dataclass
class ApplicationDetail:
    """Everything about one application: `followup show`."""

    application: Application
    people: list[Person]
    events: list[Event]
    followups: list[FollowUp]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "application": self.application.to_dict(),
            "people": [person.to_dict() for person in self.people],
            "events": [event.to_dict() for event in self.events],
            "followups": [item.to_dict() for item in self.followups],
        }


@dataclass
class Draft:
    """A plain-text draft for one follow-up. reachout never sends it."""

    followup: FollowUp
    to: str | None
    subject: str
    body: str
    fact: Fact | None = None
    missing: list[str] = field(default_factory=list)
    # What the user should do before sending (a placeholder to replace, a missing address).
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The draft as a message: To (when known) and Subject lines, a blank line, the body."""
        # A header value never holds a line break: it would start a header of its own (Bcc:…).
        head = [f"To: {_header(self.to)}"] if self.to else []
        return "\n".join([*head, f"Subject: {_header(self.subject)}", "", self.body]) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "followup_id": self.followup.id,
            "application_id": self.followup.application_id,
            "rule": self.followup.rule,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "text": self.text,
            "fact": self.fact.to_dict() if self.fact else None,
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


def _header(value: str) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
