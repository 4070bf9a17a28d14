"""Follow-up reminders as an iCalendar (RFC 5545) file, built with the icalendar library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reachout import __version__

if TYPE_CHECKING:
    from reachout.followup.results import FollowUp

PRODID = f"-//reachout//followup {__version__}//EN"
UID_DOMAIN = "followup.reachout.invalid"


def build_calendar(items: Sequence[FollowUp], *, zone: dt.tzinfo, stamp: dt.datetime) -> bytes:
    """The calendar as bytes: one VEVENT per follow-up, all-day unless it has a precise time."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "reachout follow-ups")
    for item in items:
        event = Event()
        # RFC 5545 §3.8.4.7: a stable UID lets a calendar update the reminder on re-import.
        event.add("uid", f"followup-{item.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("summary", _summary(item))
        event.add("description", _description(item))
        if item.due_at is not None:
            # A timed reminder in the user's own zone (TZID plus a VTIMEZONE below).
            start = item.due_at.astimezone(zone)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=30))
        else:
            # RFC 5545 §3.6.1: an all-day event's DTEND is the (exclusive) day after.
            event.add("dtstart", item.due_on)
            event.add("dtend", item.due_on + dt.timedelta(days=1))
        event.add("categories", ["follow-up", item.stage])
        address = item.address()
        if item.to is not None and address:
            event.add(
                "attendee",
                f"mailto:{address}",
                parameters={"CN": item.to.name, "ROLE": "NON-PARTICIPANT"},
            )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _summary(item))
        alarm.add("trigger", dt.timedelta(hours=9) if item.due_at is None else dt.timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    # Adds a VTIMEZONE for each TZID used, as RFC 5545 §3.6.5 requires.
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def write_ics(data: bytes, path: str | Path) -> None:
    """Write calendar bytes to PATH, or a one-line error naming the path."""
    from reachout.output import write_file

    write_file(data, path)


def _summary(item: FollowUp) -> str:
    who = item.to.name if item.to else "(add a recipient)"
    return f"{item.title}: {who} — {item.company}, {item.role}"


def _description(item: FollowUp) -> str:
    deadline = (
        item.deadline_at.isoformat(timespec="minutes")
        if item.deadline_at
        else item.deadline_on.isoformat()
    )
    lines = [
        f"Send by {deadline}.",
        item.advice,
        f"Draft: reachout followup draft {item.id}",
        f"Mark sent: reachout followup done {item.id}",
    ]
    if item.hint:
        lines.append(item.hint)
    lines.append("Sources: " + "; ".join(item.source))
    return "\n".join(lines)
