"""The follow-up rules (patterns/followup/rules.toml) and what they make due from events."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reachout.data import load_toml
from reachout.errors import BadInput, DataError
from reachout.followup.businessdays import BusinessCalendar
from reachout.followup.trackerfile import APPLIED_VIA, EVENT_KINDS, Application, Event, Person

UNITS = ("business_days", "days", "hours")
INTERVIEWERS = "interviewers"
# Stored states a user sets; the others are worked out from the dates and events.
STATUSES = ("overdue", "due", "upcoming", "sent", "skipped", "cancelled")


@dataclass(frozen=True)
class Offset:
    """An amount of time in one unit: business days, calendar days or hours."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, value: Any, where: str) -> Offset:
        """Read {business_days = N} (or days, hours) from the rules file."""
        if not isinstance(value, dict) or len(value) != 1:
            raise DataError(
                f"{where} must be one of {{business_days = N}}, {{days = N}}, {{hours = N}}."
            )
        ((unit, amount),) = value.items()
        if (
            unit not in UNITS
            or not isinstance(amount, int)
            or isinstance(amount, bool)
            or amount < 0
        ):
            raise DataError(
                f"{where} must be one of {{business_days = N}}, {{days = N}}, {{hours = N}}"
                " with N a whole number ≥ 0."
            )
        return cls(amount, unit)

    def apply(self, day: dt.date, calendar: BusinessCalendar) -> dt.date:
        """DAY moved by this offset (hours are rounded into days from the start of DAY)."""
        if self.unit == "business_days":
            return calendar.add(day, self.amount)
        if self.unit == "days":
            return day + dt.timedelta(days=self.amount)
        return day + dt.timedelta(days=self.amount // 24)

    def describe(self) -> str:
        """'2 business days', '48 hours'."""
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@dataclass(frozen=True)
class Rule:
    """One piece of advice: after STAGE, write to TO between START and DEADLINE unless cancelled."""

    id: str
    stage: str
    title: str
    to: tuple[str, ...]
    each: bool
    start: Offset
    deadline: Offset
    cancelled_by: frozenset[str]
    template: str
    advice: str
    source: tuple[str, ...]
    when_via: frozenset[str] | None = None
    after_close: Offset | None = None
    from_until: bool = False
    # A timing reachout assumes because the employer stated none (the check-in after an interview):
    # the user may change it (Tracker(check_in=…), `followup --check-in N`), and output says so.
    default_timing: bool = False

    def with_start(self, start: Offset) -> Rule:
        """This rule with another start, keeping the window between start and deadline."""
        window = self.deadline.amount - self.start.amount
        return replace(self, start=start, deadline=Offset(start.amount + window, start.unit))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (what `due` cites)."""
        return {
            "id": self.id,
            "stage": self.stage,
            "title": self.title,
            "start": self.start.describe(),
            "deadline": self.deadline.describe(),
            "advice": self.advice,
            "source": list(self.source),
            "default_timing": self.default_timing,
        }


@dataclass(frozen=True)
class RuleBook:
    """The rules file, parsed and checked."""

    rules: tuple[Rule, ...]
    brief_max_age_days: int = 180

    def for_stage(self, stage: str) -> list[Rule]:
        """The rules that start at STAGE."""
        return [rule for rule in self.rules if rule.stage == stage]

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this ID, if it still exists."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def with_check_in(self, business_days: int | None) -> RuleBook:
        """The rules with every default-timing check-in moved to BUSINESS_DAYS after its stage."""
        if business_days is None:
            return self
        if business_days < 1:
            raise BadInput("--check-in must be a whole number of business days, 1 or more.")
        start = Offset(business_days, "business_days")
        return replace(
            self,
            rules=tuple(
                rule.with_start(start) if rule.default_timing else rule for rule in self.rules
            ),
        )


def load_rules(patterns: str | os.PathLike[str] | None = None) -> RuleBook:
    """Parse patterns/followup/rules.toml (or the one in a user's --patterns folder)."""
    data = load_toml("followup/rules", patterns)
    raw_rules = data.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise DataError("followup/rules.toml has no [[rule]] entries.")
    rules = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules, 1):
        rules.append(_parse_rule(raw, index, seen))
    brief = data.get("brief", {})
    max_age = brief.get("max_age_days", 180) if isinstance(brief, dict) else 180
    if not isinstance(max_age, int) or max_age < 1:
        raise DataError("followup/rules.toml: [brief] max_age_days must be a whole number ≥ 1.")
    return RuleBook(tuple(rules), max_age)


def _parse_rule(raw: Any, index: int, seen: set[str]) -> Rule:
    where = f"followup/rules.toml rule {index}"
    if not isinstance(raw, dict):
        raise DataError(f"{where} is not a table.")
    try:
        rule_id = _text(raw, "id", where)
        where = f"followup/rules.toml rule {rule_id!r}"
        if rule_id in seen:
            raise DataError(f"{where} is defined twice.")
        seen.add(rule_id)
        stage = _text(raw, "stage", where)
        if stage not in EVENT_KINDS:
            raise DataError(f"{where}: stage {stage!r} is not one of {', '.join(EVENT_KINDS)}.")
        to = raw.get("to")
        if not isinstance(to, list) or not to or not all(isinstance(role, str) for role in to):
            raise DataError(f"{where}: `to` must be a list of roles.")
        cancelled = raw.get("cancelled_by", [])
        unknown = [kind for kind in cancelled if kind not in EVENT_KINDS]
        if unknown:
            raise DataError(f"{where}: cancelled_by names unknown event kinds {unknown}.")
        via = raw.get("when_via")
        if via is not None and (not isinstance(via, list) or set(via) - set(APPLIED_VIA)):
            raise DataError(f"{where}: when_via must list some of {', '.join(APPLIED_VIA)}.")
        source = raw.get("source")
        sources = (source,) if isinstance(source, str) else tuple(source or ())
        if not sources:
            raise DataError(f"{where} cites no source; every rule names the advice it encodes.")
        start = Offset.parse(raw.get("start"), f"{where}: start")
        deadline = Offset.parse(raw.get("deadline"), f"{where}: deadline")
        if start.unit != deadline.unit or deadline.amount < start.amount:
            raise DataError(
                f"{where}: deadline must use start's unit and be no earlier than start."
            )
        return Rule(
            id=rule_id,
            stage=stage,
            title=_text(raw, "title", where),
            to=tuple(to),
            each=bool(raw.get("each", False)),
            start=start,
            deadline=deadline,
            cancelled_by=frozenset(cancelled),
            template=_text(raw, "template", where),
            advice=_text(raw, "advice", where),
            source=sources,
            when_via=frozenset(via) if via is not None else None,
            after_close=(
                Offset.parse(raw["after_close"], f"{where}: after_close")
                if "after_close" in raw
                else None
            ),
            from_until=bool(raw.get("from_until", False)),
            default_timing=bool(raw.get("default_timing", False)),
        )
    except (TypeError, AttributeError):
        raise DataError(f"{where} is malformed; compare it with the bundled rules.toml.") from None


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: `{key}` must be non-empty text.")
    return value.strip()


@dataclass
class Candidate:
    """A follow-up the rules make due, before it gets its stable ID and stored state."""

    application: Application
    rule: Rule
    event: Event
    person: Person | None
    due_on: dt.date
    deadline_on: dt.date
    due_at: dt.datetime | None = None
    deadline_at: dt.datetime | None = None
    cancelled_by: Event | None = None
    hint: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, str, int, int]:
        """(application, rule, event, person or 0): what keeps a follow-up the same over time."""
        return (
            self.application.id,
            self.rule.id,
            self.event.id,
            self.person.id if self.person else 0,
        )


def candidates(
    book: RuleBook,
    application: Application,
    events: Sequence[Event],
    people: Sequence[Person],
    *,
    on: dt.date,
    zone: dt.tzinfo,
    calendar_for: Callable[[Application], BusinessCalendar],
) -> list[Candidate]:
    """Every follow-up the rules derive from APPLICATION's events, as of ON (a date in ZONE)."""
    calendar = calendar_for(application)
    found: list[Candidate] = []
    ordered = sorted(events, key=lambda event: event.sort_key)
    for event in ordered:
        for rule in book.for_stage(event.kind):
            if rule.when_via is not None and application.applied_via not in rule.when_via:
                continue
            if rule.from_until and event.until_on is None:
                continue
            timing = _timing(rule, application, event, zone, calendar)
            canceller = _canceller(rule, event, ordered, on)
            for person, hint in _recipients(rule, application, event, people):
                found.append(
                    Candidate(
                        application, rule, event, person, *timing, cancelled_by=canceller, hint=hint
                    )
                )
    return found


def _timing(
    rule: Rule, application: Application, event: Event, zone: dt.tzinfo, calendar: BusinessCalendar
) -> tuple[dt.date, dt.date, dt.datetime | None, dt.datetime | None]:
    anchor = event.until_on if rule.from_until and event.until_on else event.occurred_on
    if rule.start.unit == "hours" and event.occurred_at is not None and not rule.from_until:
        # "Within 48 hours" counts from the moment it happened, shown in the user's zone.
        # Add hours in UTC: aware arithmetic in a zone is wall-clock, so "48 hours" across a DST
        # change would come out as 47 or 49.
        moment = event.occurred_at.astimezone(dt.UTC)
        due_at = (moment + dt.timedelta(hours=rule.start.amount)).astimezone(zone)
        deadline_at = (moment + dt.timedelta(hours=rule.deadline.amount)).astimezone(zone)
        return due_at.date(), deadline_at.date(), due_at, deadline_at
    due_on = rule.start.apply(anchor, calendar)
    deadline_on = rule.deadline.apply(anchor, calendar)
    if rule.after_close is not None and application.closes_on is not None:
        after_close = rule.after_close.apply(application.closes_on, calendar)
        if after_close > due_on:
            # Still open a week on: wait for it to close, then keep the same window to send in.
            window = Offset(rule.deadline.amount - rule.start.amount, rule.deadline.unit)
            due_on = after_close
            deadline_on = window.apply(after_close, calendar)
    return due_on, deadline_on, None, None


def _canceller(rule: Rule, anchor: Event, ordered: Sequence[Event], on: dt.date) -> Event | None:
    # Only what has happened by ON counts, so `--on` can replay an earlier day faithfully.
    for event in ordered:
        if (
            event.kind in rule.cancelled_by
            and event.id != anchor.id
            and event.sort_key > anchor.sort_key
            and event.occurred_on <= on
        ):
            return event
    return None


def _recipients(
    rule: Rule, application: Application, event: Event, people: Sequence[Person]
) -> list[tuple[Person | None, str | None]]:
    chosen: list[Person] = []
    for role in rule.to:
        if role == INTERVIEWERS:
            if event.kind == "interviewed":
                matches = [p for p in people if p.id in event.people]
            else:
                matches = [p for p in people if p.role == "interviewer"]
        else:
            matches = [p for p in people if p.role == role]
        if rule.each:
            chosen.extend(p for p in matches if p not in chosen)
        elif matches:
            return [_with_hint(matches[0], application)]
    if chosen:
        return [_with_hint(person, application) for person in chosen]
    return [(None, _missing_hint(rule, application, event))]


def _with_hint(person: Person, application: Application) -> tuple[Person, str | None]:
    return person, (None if person.email else guess_hint(person, application))


def _missing_hint(rule: Rule, application: Application, event: Event) -> str:
    if rule.to[0] == INTERVIEWERS and event.kind == "interviewed":
        return (
            f"No interviewer recorded for this interview; add each with `reachout followup person "
            f"{application.id} NAME --role interviewer --event {event.id}`."
        )
    roles = " or ".join(role.replace("_", " ").rstrip("s") for role in rule.to)
    first = rule.to[0] if rule.to[0] != INTERVIEWERS else "interviewer"
    company = shell_quote(application.domain) if application.domain else "DOMAIN"
    return (
        f"No {roles} recorded for this application; add one with `reachout followup person "
        f"{application.id} NAME --role {first}` (`reachout guess NAME {company}` finds their "
        "address)."
    )


def guess_hint(person: Person, application: Application) -> str:
    """How to find PERSON's missing address: `reachout guess` with the name and the company's domain
    filled in (shell-quoted, so it pastes as is), then how to record what it finds."""
    if application.domain:
        command = f"reachout guess {shell_quote(person.name)} {shell_quote(application.domain)}"
        where = ""
    else:
        # `guess` needs a domain: say so rather than fill in a name it would refuse.
        command = f"reachout guess {shell_quote(person.name)} DOMAIN"
        where = (
            f" (DOMAIN: {application.company}'s web domain; `reachout followup edit "
            f"{application.id} --domain DOMAIN` records it)"
        )
    return (
        f"No address for {person.name}; find one with `{command}`{where}, then record it with "
        f"`reachout followup edit --person {person.id} --email ADDRESS`."
    )


def shell_quote(text: str) -> str:
    """TEXT as one POSIX shell word: bare when safe, else in double quotes when nothing inside
    them is special ("Tom O'Brien"), else in single quotes (shlex)."""
    import shlex

    quoted = shlex.quote(text)
    if quoted == text:
        return text
    # Inside double quotes $, `, \, " and ! (bash history) still mean something.
    if text and not any(ch in text for ch in '$`\\"!') and text.isprintable():
        return f'"{text}"'
    return quoted


def status_of(candidate: Candidate, state: str, on: dt.date) -> str:
    """overdue / due / upcoming / sent / skipped / cancelled, as of ON."""
    if state in {"sent", "skipped"}:
        return state
    if candidate.cancelled_by is not None:
        return "cancelled"
    if on > candidate.deadline_on:
        return "overdue"
    if on >= candidate.due_on:
        return "due"
    return "upcoming"
