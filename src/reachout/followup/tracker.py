"""The tracker's Python API: record applications, people, events; what is due; drafts; export."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from reachout.errors import BadInput, NotFound
from reachout.followup import briefs, drafts
from reachout.followup.businessdays import BusinessCalendar, Clock, get_zone, iso, today, utc_now
from reachout.followup.results import (
    OPEN_STATUSES,
    ApplicationDetail,
    ApplicationSummary,
    Draft,
    FollowUp,
)
from reachout.followup.rules import Candidate, RuleBook, candidates, load_rules, status_of
from reachout.followup.trackerfile import (
    APPLIED_VIA,
    EVENT_ALIASES,
    EVENT_KINDS,
    PERSON_ROLES,
    VERIFICATION,
    VIA_ALIASES,
    Application,
    Event,
    Person,
    Store,
)

_OPEN = OPEN_STATUSES
_WITH = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*$")
_USER_KINDS = EVENT_KINDS


class Tracker:
    """The follow-up tracker over its SQLite file, the rules file and the user's time zone."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        zone: str | dt.tzinfo | None = None,
        country: str | None = None,
        patterns: str | os.PathLike[str] | None = None,
        clock: Clock = utc_now,
        check_in: int | None = None,
    ) -> None:
        """CHECK_IN: business days from an interview with no stated decision date to the default
        check-in (else REACHOUT_CHECK_IN, else the rules file's interview-check-in)."""
        self.zone = zone if isinstance(zone, dt.tzinfo) else get_zone(zone)
        self.clock = clock
        self.patterns = patterns
        self.country = country
        if country:
            BusinessCalendar.for_country(country)  # fail early on an unknown code
        if check_in is None:
            check_in = _check_in_from_env()
        self.check_in = check_in
        self.rules: RuleBook = load_rules(patterns).with_check_in(check_in)
        self.store = Store(path, clock=clock)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def today(self) -> dt.date:
        """Today in the tracker's time zone."""
        return today(self.zone, self.clock)

    def calendar_for(self, application: Application) -> BusinessCalendar:
        """Working days for APPLICATION: --country wins, else the application's own country."""
        return BusinessCalendar.for_country(self.country or application.country)

    # -- recording -------------------------------------------------------------------------------
    def add(
        self,
        company: str,
        role: str,
        *,
        domain: str | None = None,
        posting_url: str | None = None,
        closes_on: dt.date | None = None,
        applied_via: str = "posting",
        country: str | None = None,
        fit: str | None = None,
        notes: str | None = None,
        applied_on: dt.date | None = None,
    ) -> Application:
        """Record an application (and its `applied` event when APPLIED_ON is given)."""
        company = _required(company, "company")
        role = _required(role, "role")
        values = self._checked_app_fields(
            domain=domain if domain is not None else _domain_of(company),
            posting_url=posting_url,
            applied_via=applied_via,
            country=country,
        )
        if values.get("domain") is None and domain is None:
            values.pop("domain", None)
        if closes_on is None and values.get("posting_url"):
            # The company's brief may know when the posting closes (its JobPosting validThrough).
            closes_on = briefs.posting_closes(
                briefs.load_brief(values.get("domain")), values["posting_url"], role
            )
        app_id = self.store.add_application(
            company=company,
            role=role,
            closes_on=closes_on,
            fit=_opt(fit),
            notes=_opt(notes),
            **values,
        )
        if applied_on is not None:
            self.store.add_event(app_id, "applied", occurred_on=applied_on)
        return self.store.application(app_id)

    def edit(self, app_id: int, **changes: Any) -> Application:
        """Change fields of an application ('' clears a text field).

        Fields: company, role, domain, posting_url, closes_on, applied_via, country, fit, notes.
        """
        unknown = set(changes) - {
            "company",
            "role",
            "domain",
            "posting_url",
            "closes_on",
            "applied_via",
            "country",
            "fit",
            "notes",
        }
        if unknown:
            raise BadInput(f"Cannot edit {', '.join(sorted(unknown))}.")
        for key in ("company", "role"):
            if key in changes and changes[key] is not None:
                changes[key] = _required(changes[key], key)
        checked = self._checked_app_fields(
            **{
                key: changes[key]
                for key in ("domain", "posting_url", "applied_via", "country")
                if changes.get(key)
            }
        )
        changes.update(checked)
        self.store.update_application(app_id, **changes)
        return self.store.application(app_id)

    def _checked_app_fields(self, **values: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if values.get("domain"):
            from reachout.domains import company_domain

            out["domain"] = company_domain(values["domain"])
        url = values.get("posting_url")
        if url:
            if not re.match(r"^https?://\S+$", url.strip()):
                raise BadInput(f"{url!r} is not a web address; pass the posting's https:// URL.")
            out["posting_url"] = url.strip()
        via = values.get("applied_via")
        if via is not None:
            out["applied_via"] = normalise_via(via)
        if values.get("country"):
            calendar = BusinessCalendar.for_country(values["country"])
            sub = f"-{calendar.subdivision}" if calendar.subdivision else ""
            out["country"] = f"{calendar.country}{sub}"
        return out

    def add_person(
        self,
        app_id: int,
        name: str,
        *,
        role: str = "other",
        title: str | None = None,
        email: str | None = None,
        email_confidence: float | None = None,
        email_status: str = "unknown",
        event_id: int | None = None,
    ) -> Person:
        """Record someone at the company (optionally as met at interview EVENT_ID)."""
        self.store.application(app_id)
        values = self._checked_person(
            name=name,
            role=role,
            title=title,
            email=email,
            email_confidence=email_confidence,
            email_status=email_status,
        )
        event = self._event(app_id, event_id) if event_id is not None else None
        person_id = self.store.add_person(app_id, **values)
        if event is not None:
            self.store.link(event.id, person_id)
        return self.store.person(person_id)

    def edit_person(self, person_id: int, **changes: Any) -> Person:
        """Change a person's name, role, title, email, email_confidence or email_status."""
        self.store.person(person_id)
        values = self._checked_person(**{k: v for k, v in changes.items() if v is not None})
        self.store.update_person(person_id, **values)
        return self.store.person(person_id)

    def _checked_person(self, **values: Any) -> dict[str, Any]:
        out = dict(values)
        if "name" in values:
            out["name"] = _person_name(values["name"])
        if values.get("title"):
            out["title"] = _one_line(values["title"]) or None
        if values.get("role") is not None and values["role"] not in PERSON_ROLES:
            raise BadInput(
                f"{values['role']!r} is not a role; use one of {', '.join(PERSON_ROLES)}."
            )
        if values.get("email"):
            from email_validator import EmailNotValidError, validate_email

            try:
                out["email"] = validate_email(
                    values["email"], check_deliverability=False
                ).normalized
            except EmailNotValidError as exc:
                raise BadInput(f"{values['email']!r} is not an e-mail address: {exc}") from None
        confidence = values.get("email_confidence")
        if confidence is not None and not 0.0 <= float(confidence) <= 1.0:
            raise BadInput(f"Confidence {confidence} is out of range; give a number from 0 to 1.")
        status = values.get("email_status")
        if status is not None and status not in VERIFICATION:
            raise BadInput(
                f"{status!r} is not a verification status; use one of {', '.join(VERIFICATION)}."
            )
        return out

    def log(
        self,
        app_id: int,
        kind: str,
        *,
        on: dt.date | None = None,
        at: dt.datetime | None = None,
        until: dt.date | None = None,
        topic: str | None = None,
        note: str | None = None,
        with_people: Sequence[str] = (),
        topics: Sequence[str] = (),
    ) -> Event:
        """Record an event. WITH_PEOPLE: person IDs or 'Name <address>' (added as interviewers).

        TOPICS: what each of WITH_PEOPLE discussed, in the same order (one each), for their own
        thank-you; TOPIC is what the whole conversation covered.
        """
        application = self.store.application(app_id)
        kind = normalise_kind(kind)
        if kind == "timeline" and until is None:
            raise BadInput("A timeline event needs the employer's stated date: pass --until DATE.")
        if kind != "timeline" and until is not None:
            raise BadInput("--until only goes with a timeline event (the employer's stated date).")
        if with_people and kind not in {"interviewed", "referral_delivered", "declined", "replied"}:
            raise BadInput(
                "--with names who took part; use it with interviewed, referral, declined "
                "or replied."
            )
        occurred_on = on or (at.astimezone(self.zone).date() if at else self.today())
        if at is not None and at.astimezone(self.zone).date() != occurred_on:
            raise BadInput(
                f"--at {at.isoformat()} is not on {occurred_on.isoformat()} in {self.zone}; "
                "give the time on that day or drop --on."
            )
        if until is not None and until < occurred_on:
            raise BadInput(
                f"The stated date {until.isoformat()} is before the day they said it "
                f"({occurred_on.isoformat()}); check --until."
            )
        topics = [_opt(text) or "" for text in topics]
        if topics and len(topics) != len(with_people):
            raise BadInput(
                f"{len(topics)} --topic for {len(with_people)} --with; give one per person, "
                "in the same order (or --topic once for the whole conversation)."
            )
        role = {"interviewed": "interviewer", "referral_delivered": "referrer"}.get(kind, "other")
        person_ids = [self._person_ref(application, ref, role) for ref in with_people]
        event_id = self.store.add_event(
            app_id,
            kind,
            occurred_on=occurred_on,
            occurred_at=at,
            until_on=until,
            topic=_opt(topic),
            note=_opt(note),
            people=person_ids,
            topics={pid: text for pid, text in zip(person_ids, topics, strict=False) if text},
        )
        return self._event(app_id, event_id)

    def set_topic(
        self, app_id: int, event_id: int, topic: str, *, person_id: int | None = None
    ) -> Event:
        """Record what PERSON_ID discussed at EVENT_ID (or the whole event's topic without one)."""
        event = self._event(app_id, event_id)
        text = _opt(topic)
        if person_id is None:
            self.store.set_event_topic(event.id, text)
        else:
            person = self.store.person(person_id)
            if person.application_id != app_id:
                raise BadInput(
                    f"Person {person_id} belongs to application {person.application_id}, not "
                    f"{app_id}."
                )
            self.store.link(event.id, person.id, text or "")
        return self._event(app_id, event_id)

    def _person_ref(self, application: Application, ref: str, role: str) -> int:
        ref = ref.strip()
        if ref.isdigit():
            person = self.store.person(int(ref))
            if person.application_id != application.id:
                raise BadInput(
                    f"Person {ref} belongs to application {person.application_id}, not "
                    f"{application.id}."
                )
            return person.id
        match = _WITH.match(ref)
        if not match or not match.group("name"):
            raise BadInput(f"{ref!r} is not a person; pass an ID or 'Name <address>'.")
        name, email = _person_name(match.group("name")), match.group("email")
        for person in self.store.people(application.id):
            if person.name.casefold() == name.casefold() or (email and person.email == email):
                return person.id
        return self.add_person(application.id, name, role=role, email=email).id

    def delete_event(self, app_id: int, event_id: int) -> Event:
        """Remove a mistaken event (and the follow-up states that hung on it); return it."""
        event = self._event(app_id, event_id)
        self.store.delete_event(event.id)
        return event

    def _event(self, app_id: int, event_id: int) -> Event:
        for event in self.store.events(app_id):
            if event.id == event_id:
                return event
        raise NotFound(
            f"No event {event_id} in application {app_id}; `reachout followup show "
            f"{app_id}` lists its events."
        )

    # -- reading ---------------------------------------------------------------------------------
    def followups(self, *, on: dt.date | None = None, app_id: int | None = None) -> list[FollowUp]:
        """Every follow-up the rules derive (pending, sent, skipped or cancelled), as of ON."""
        on = on or self.today()
        apps = [self.store.application(app_id)] if app_id is not None else self.store.applications()
        found: list[Candidate] = []
        # One query each for events and people, grouped here: `due` over a long list stays linear.
        events: dict[int, list[Event]] = {}
        for event in self.store.events(app_id):
            events.setdefault(event.application_id, []).append(event)
        people: dict[int, list[Person]] = {}
        for person in self.store.people(app_id):
            people.setdefault(person.application_id, []).append(person)
        for application in apps:
            found.extend(
                candidates(
                    self.rules,
                    application,
                    events.get(application.id, []),
                    people.get(application.id, []),
                    on=on,
                    zone=self.zone,
                    calendar_for=self.calendar_for,
                )
            )
        ids = self.store.followup_ids(c.key for c in found)
        states = {s.id: s for s in self.store.states()}
        # A follow-up sent before its recipient was known covers whoever is added later.
        group_sent = {
            (s.application_id, s.rule, s.event_id): s
            for s in states.values()
            if s.person_id == 0 and s.state in {"sent", "skipped"}
        }
        items = []
        for candidate in found:
            fid = ids[candidate.key]
            stored = states.get(fid)
            state, state_on = (stored.state, stored.state_on) if stored else ("pending", None)
            inherited = group_sent.get(candidate.key[:3])
            if state == "pending" and inherited is not None:
                state, state_on = inherited.state, inherited.state_on
            items.append(self._followup(fid, candidate, status_of(candidate, state, on), state_on))
        return sorted(items, key=lambda f: (f.due_on, f.id))

    def _followup(self, fid: int, c: Candidate, status: str, state_on: dt.date | None) -> FollowUp:
        cancel = None
        if c.cancelled_by is not None and status == "cancelled":
            cancel = {
                "event_id": c.cancelled_by.id,
                "kind": c.cancelled_by.kind,
                "on": c.cancelled_by.occurred_on.isoformat(),
            }
        return FollowUp(
            id=fid,
            application_id=c.application.id,
            company=c.application.company,
            role=c.application.role,
            rule=c.rule.id,
            title=c.rule.title,
            stage=c.rule.stage,
            event_id=c.event.id,
            to=c.person,
            due_on=c.due_on,
            deadline_on=c.deadline_on,
            status=status,
            due_at=c.due_at,
            deadline_at=c.deadline_at,
            state_on=state_on,
            cancelled_by=cancel,
            advice=c.rule.advice,
            source=list(c.rule.source),
            hint=c.hint if status in _OPEN else None,
            template=c.rule.template,
            default_timing=c.rule.default_timing,
            note=_default_note(c) if c.rule.default_timing else None,
        )

    def due(self, *, on: dt.date | None = None, days: int = 7) -> list[FollowUp]:
        """What to send on ON (overdue and due) and what comes due in the next DAYS days."""
        if days < 0:
            raise BadInput("--days must be 0 or more.")
        on = on or self.today()
        horizon = _horizon(on, days)
        return [f for f in self.followups(on=on) if f.status in _OPEN and f.due_on <= horizon]

    def followup(self, followup_id: int, *, on: dt.date | None = None) -> FollowUp:
        """One follow-up by ID, or NotFound."""
        for item in self.followups(on=on):
            if item.id == followup_id:
                return item
        raise NotFound(
            f"No follow-up with ID {followup_id}; `reachout followup due` lists the "
            "current ones (and `show APP` every one of an application)."
        )

    def done(
        self, followup_id: int, *, on: dt.date | None = None, skip: bool = False, undo: bool = False
    ) -> FollowUp:
        """Mark a follow-up sent (or skipped, or pending again with UNDO) on ON."""
        on = on or self.today()
        item = self.followup(followup_id, on=on)
        if undo:
            self.store.set_state(followup_id, "pending", None)
        else:
            if item.status in {"sent", "skipped"}:
                raise BadInput(
                    f"Follow-up {followup_id} is already marked {item.status} on "
                    f"{iso(item.state_on)}; pass --undo to reopen it."
                )
            earliest = item.due_at.date() if item.due_at else None
            if earliest is None:
                event = self._event(item.application_id, item.event_id)
                earliest = event.occurred_on
            if on < earliest:
                raise BadInput(
                    f"{on.isoformat()} is before the {item.stage.replace('_', ' ')} event "
                    f"it follows ({earliest.isoformat()}); check --on."
                )
            self.store.set_state(followup_id, "skipped" if skip else "sent", on)
        return self.followup(followup_id, on=on)

    def summaries(self, *, on: dt.date | None = None) -> list[ApplicationSummary]:
        """One line per application: its latest stage and its next open follow-up."""
        on = on or self.today()
        open_items = [f for f in self.followups(on=on) if f.status in _OPEN]
        latest_of: dict[int, Event] = {}
        for event in self.store.events():  # chronological, so the last one per application wins
            if event.kind != "note":
                latest_of[event.application_id] = event
        next_of: dict[int, FollowUp] = {}
        for item in open_items:  # sorted by due date
            next_of.setdefault(item.application_id, item)
        rows = []
        for application in self.store.applications():
            latest = latest_of.get(application.id)
            upcoming = next_of.get(application.id)
            rows.append(
                ApplicationSummary(
                    application,
                    latest.kind if latest else None,
                    latest.occurred_on if latest else None,
                    upcoming,
                )
            )
        return rows

    def show(self, app_id: int, *, on: dt.date | None = None) -> ApplicationDetail:
        """An application with its people, events and follow-ups."""
        application = self.store.application(app_id)
        return ApplicationDetail(
            application,
            self.store.people(app_id),
            self.store.events(app_id),
            self.followups(on=on, app_id=app_id),
        )

    # -- drafting --------------------------------------------------------------------------------
    def draft(
        self,
        followup_id: int | None = None,
        *,
        app_id: int | None = None,
        stage: str | None = None,
        person_id: int | None = None,
        on: dt.date | None = None,
        sender: str | None = None,
        ask_feedback: bool = False,
    ) -> Draft:
        """A draft for a follow-up, by its ID or by application and stage (the newest such)."""
        on = on or self.today()
        item = (
            self.followup(followup_id, on=on)
            if followup_id is not None
            else self._by_stage(app_id, stage, person_id, on)
        )
        application = self.store.application(item.application_id)
        event = self._event(item.application_id, item.event_id)
        brief = briefs.load_brief(application.domain)
        fact = briefs.pick_fact(
            brief,
            on=on,
            max_age_days=self.rules.brief_max_age_days,
            # (a brief was found only for a domain it can be saved under, so its path exists)
            source=str(briefs.brief_path(application.domain)) if brief and application.domain else "",
        )
        values = self._values(item, application, event, fact, on, briefs.company_name(brief))
        rendered = drafts.render(
            drafts.load_template(item.template, self.patterns),
            values,
            flags={"ask_feedback": ask_feedback},
            sender=sender or os.environ.get("REACHOUT_SENDER"),
        )
        used_fact = fact if fact and fact.url in rendered.body else None
        to = item.recipient if item.to and item.to.email else None
        notes = []
        if brief is None and (unread := briefs.unread_reason(application.domain)):
            notes.append(unread[:1].upper() + unread[1:])
        if values["topic_ask"] and values["topic_ask"] in rendered.body:
            person = f" --person {item.to.id}" if item.to else ""
            notes.append(
                f"Replace {values['topic_ask']} before sending, or record it and draft again: "
                f"`reachout followup edit {application.id} --event {event.id}{person} --topic TEXT`."
            )
        early = (item.due_on - on).days
        if early > 0 and item.status in _OPEN:
            notes.append(
                f"This follow-up is due on {_long_date(item.due_on)} ({early} day"
                f"{'s' if early != 1 else ''} from now): sent before then it reads as impatient. "
                "Keep the draft, and send it on the day `reachout followup due` lists it."
            )
        return Draft(
            item, to, rendered.subject, rendered.body, used_fact, rendered.missing, notes
        )

    def eml(self, draft: Draft, *, sender: str | None = None) -> bytes:
        """DRAFT as an unsent .eml message (X-Unsent: 1) dated now; SENDER ('Name <address>', else
        REACHOUT_FROM) fills From:. reachout never sends it."""
        from reachout.followup.mailfile import build_eml

        sender = sender or os.environ.get("REACHOUT_FROM") or None
        return build_eml(draft, sender=sender, now=self.clock(), zone=self.zone)

    def _by_stage(
        self, app_id: int | None, stage: str | None, person_id: int | None, on: dt.date
    ) -> FollowUp:
        if app_id is None or stage is None:
            raise BadInput("Give a follow-up ID, or an application with --stage.")
        self.store.application(app_id)
        kind = normalise_kind(stage)
        rules = self.rules.for_stage(kind)
        if not rules:
            stages = sorted({rule.stage for rule in self.rules.rules})
            raise BadInput(
                f"No follow-up rule starts at {kind!r}; stages with one: {', '.join(stages)}."
            )
        items = [f for f in self.followups(on=on, app_id=app_id) if f.stage == kind]
        if not items:
            if not any(e.kind == kind for e in self.store.events(app_id)):
                raise BadInput(
                    f"Application {app_id} has no {kind.replace('_', ' ')} event yet, so no "
                    f"follow-up for it; log it first with `reachout followup log {app_id} {kind}`."
                )
            raise BadInput(
                f"The {kind.replace('_', ' ')} follow-up does not apply to application "
                f"{app_id} (see the rule's when_via in followup/rules.toml)."
            )
        if person_id is not None:
            items = [f for f in items if f.to and f.to.id == person_id]
            if not items:
                raise NotFound(
                    f"No {kind.replace('_', ' ')} follow-up for person {person_id} in "
                    f"application {app_id}."
                )
        newest = max(f.event_id for f in items)
        return next(f for f in items if f.event_id == newest)

    def _values(
        self,
        item: FollowUp,
        application: Application,
        event: Event,
        fact: briefs.Fact | None,
        on: dt.date,
        brief_name: str | None,
    ) -> dict[str, Any]:
        people = self.store.people(application.id)
        referrer = next((p for p in people if p.role == "referrer"), None)
        if event.kind == "referral_delivered" and event.people:
            referrer = next((p for p in people if p.id in event.people), referrer)
        interview = next(
            (
                e
                for e in reversed(self.store.events(application.id))
                if e.kind == "interviewed" and e.occurred_on <= on
            ),
            None,
        )
        applied = next((e for e in self.store.events(application.id) if e.kind == "applied"), None)
        person_id = item.to.id if item.to else None
        # The anchor event's own topic (what an interviewer, or a recruiter at a fair, discussed),
        # else what the last interview covered.
        topic = event.topic_for(person_id)
        if topic is None and event.kind != "interviewed" and interview is not None:
            topic = interview.topic_for(person_id)
        company = application.company
        if application.domain and company == application.domain and brief_name:
            company = brief_name
        return {
            "first_name": item.to.first_name if item.to else None,
            "name": item.to.name if item.to else None,
            "role": application.role,
            "company": company,
            "posting_url": application.posting_url,
            "fit": application.fit,
            "referrer": referrer.name if referrer else None,
            "topic": topic,
            "topic_ask": (
                f"[ADD: a point you discussed with {item.to.name if item.to else 'them'}]"
                if topic is None and event.kind == "interviewed"
                else None
            ),
            "when": _relative_day(event.occurred_on, on) if event.kind == "interviewed" else None,
            "applied_when": _relative_day(applied.occurred_on, on) if applied else None,
            "until": _long_date(event.until_on) if event.until_on else None,
            "fact_title": fact.title if fact else None,
            "fact_url": fact.url if fact else None,
            "fact_when": _long_date(fact.published) if fact else None,
        }

    # -- export ----------------------------------------------------------------------------------
    def exported(
        self, *, on: dt.date | None = None, days: int | None = None, everything: bool = False
    ) -> list[FollowUp]:
        """The follow-ups an export holds: open ones (due within DAYS days of ON, or all), or with
        EVERYTHING also those sent, skipped or cancelled."""
        on = on or self.today()
        items = [f for f in self.followups(on=on) if everything or f.status in _OPEN]
        if days is not None:
            if days < 0:
                raise BadInput("--days must be 0 or more.")
            horizon = _horizon(on, days)
            items = [f for f in items if f.due_on <= horizon]
        return items

    def export_ics(
        self, path: str | Path | None, *, on: dt.date | None = None, days: int | None = None
    ) -> tuple[bytes, int]:
        """Open follow-ups (due within DAYS days of ON, or all) as an iCalendar file.

        Writes PATH when given; returns the file's bytes and how many reminders it holds.
        """
        from reachout.followup.ics import build_calendar, write_ics

        items = self.exported(on=on, days=days)
        data = build_calendar(items, zone=self.zone, stamp=self.clock())
        if path is not None:
            write_ics(data, path)
        return data, len(items)


def normalise_via(via: str) -> str:
    """A route in from what a user typed ('career fair', 'Cold-Outreach'), or BadInput."""
    value = "_".join((via or "").strip().lower().replace("-", " ").replace("_", " ").split())
    value = VIA_ALIASES.get(value, value)
    if value not in APPLIED_VIA:
        shown = ", ".join(v.replace("_", " ") for v in APPLIED_VIA)
        raise BadInput(f"{via!r} is not a way of applying; use one of {shown}.")
    return value


def _check_in_from_env() -> int | None:
    text = os.environ.get("REACHOUT_CHECK_IN", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadInput(
            f"REACHOUT_CHECK_IN={text[:20]!r} is not a number of business days; set it to e.g. 10."
        )
    return int(text)


def _default_note(candidate: Candidate) -> str:
    rule = candidate.rule
    return (
        f"No decision date was given, so this check-in is reachout's default: {rule.start.describe()}"
        f" after the {candidate.event.kind.replace('_', ' ')} event. Change it with `reachout "
        "followup --check-in N …` (or REACHOUT_CHECK_IN, or rules.toml), or log their date with "
        f"`reachout followup log {candidate.application.id} timeline --until DATE`."
    )


def typed_kinds() -> list[str]:
    """The event kinds as a user types them (`referral`, as the help and the docs say)."""
    shortest = {kind: kind for kind in _USER_KINDS}
    for alias, kind in EVENT_ALIASES.items():
        if alias.startswith(kind.split("_")[0]) and len(alias) < len(shortest[kind]):
            shortest[kind] = alias
    return [shortest[kind] for kind in _USER_KINDS]


def typed_kind(kind: str) -> str:
    """KIND as a user types it (referral_delivered → referral)."""
    return dict(zip(_USER_KINDS, typed_kinds(), strict=True)).get(kind, kind)


def normalise_kind(kind: str) -> str:
    """An event kind from what a user typed ('interview' → 'interviewed'), or BadInput."""
    value = (kind or "").strip().lower().replace("-", "_").replace(" ", "_")
    value = EVENT_ALIASES.get(value, value)
    if value not in _USER_KINDS:
        raise BadInput(f"{kind!r} is not an event; use one of {', '.join(typed_kinds())}.")
    return value


def _horizon(on: dt.date, days: int) -> dt.date:
    """ON plus DAYS days; a horizon past year 9999 is every follow-up there is."""
    try:
        return on + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _one_line(value: str) -> str:
    """VALUE on one line: a name, company, role or title never carries a line break (it would
    become a header of its own in a draft's To: or Subject: line)."""
    import unicodedata

    # Control characters and line/paragraph separators become spaces; format characters (a
    # zero-width joiner inside a name) and undecodable bytes (refused by the store) are kept.
    flat = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in value)
    return " ".join(flat.split())


def _person_name(value: str | None) -> str:
    """A person's name on one line, without the soft hyphens and zero-width characters a name
    copied from a web page carries inside its words (they would split it when guessed)."""
    from reachout.textinput import without_format_characters

    return _required(without_format_characters(value or ""), "person's name")


def _required(value: str | None, what: str) -> str:
    text = _one_line(value or "")
    if not text:
        raise BadInput(f"The {what} is empty; give it as text.")
    return text


def _opt(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def _domain_of(company: str) -> str | None:
    """COMPANY's domain when it is written as one (acme.com, https://acme.com), else None."""
    if " " in company.strip() or "." not in company:
        return None
    from reachout.domains import company_domain

    try:
        return company_domain(company)
    except BadInput:
        return None


def _relative_day(day: dt.date, on: dt.date) -> str:
    delta = (on - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return f"on {day:%A}"
    return f"on {_long_date(day)}"


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def parse_people(values: Iterable[str]) -> list[str]:
    """Split repeated --with values that hold several people separated by ';'."""
    return [part.strip() for value in values for part in value.split(";") if part.strip()]
