"""`reachout followup …`: the follow-up tracker, its reminders and drafts."""

from __future__ import annotations

from typing import Any

import click

from reachout.cli import cli, say
from reachout.cli.options import destination, file_output, format_options, out_option, typed_domain_notice

# Thin glue over reachout.followup.Tracker: parse options, call one method, print table or JSON.


_followup_output = format_options(["table", "json"], "table",
                                  help="Output for people (table) or programs (json).")
# list, show and due: the same, and -o FILE (JSON when FILE ends in .json).
_listing_format = format_options(["table", "json"], "table", suffixes={".json": "json"},
                                 help="Output for people (table) or programs (json); with -o FILE "
                                      "and no --format, json when FILE ends in .json.")


def _listing_output(func: Any) -> Any:
    return _listing_format(file_output(func))


def _record_output(func: Any) -> Any:
    """_followup_output, and -q/--quiet: only the new record's ID (for scripts)."""
    func = click.option("-q", "--quiet", is_flag=True,
                        help="Print only the new ID (for scripts).")(func)
    return _followup_output(func)


def _emit_record(data: Any, fmt: str, quiet: bool, record_id: int, sentence: str) -> None:
    """A new record: a sentence for people, the bare ID with --quiet, its JSON with --json."""
    _fu_emit(data, fmt, lambda: f"{record_id}\n" if quiet else sentence + "\n")


class _Via(click.ParamType):
    """A route in, as people write it ('career fair', 'cold-outreach'): a usage error otherwise."""

    name = "ROUTE"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from reachout.errors import BadInput
        from reachout.followup.tracker import normalise_via

        try:
            return normalise_via(str(value))
        except BadInput as exc:
            self.fail(str(exc), param, ctx)


VIA = _Via()
VIA_HELP = (
    "How you applied: posting, referral, recruiter, direct, career fair, cold outreach or other "
    "(spaces, hyphens and case do not matter)."
)


def _fu_tracker(ctx: click.Context) -> Any:
    from reachout.followup import Tracker

    opts = ctx.find_object(dict) or {}
    tracker = Tracker(
        zone=opts.get("tz"),
        country=opts.get("country"),
        patterns=opts.get("patterns"),
        check_in=opts.get("check_in"),
    )
    ctx.call_on_close(tracker.close)
    return tracker


def _fu_date(tracker: Any, text: str | None) -> Any:
    from reachout.followup.businessdays import parse_date

    return parse_date(text, zone=tracker.zone, clock=tracker.clock) if text is not None else None


def _fu_emit(data: Any, fmt: str, render: Any, out: str | None = None) -> None:
    """DATA as JSON, or RENDER's text for people, to stdout or to -o OUT (whole, owner-only)."""
    from reachout.output import to_json

    with destination(out, fmt) as dest:
        if fmt == "json":
            click.echo(to_json(data), file=dest.stream)
        else:
            say(render(), nl=False, file=dest.stream)


@cli.group()
@click.option(
    "--tz", metavar="ZONE", help="Your IANA time zone (default: REACHOUT_TZ, TZ or the system's)."
)
@click.option(
    "--country",
    metavar="CC[-SUB]",
    help="Skip this country's public holidays in business days (e.g. FR, US-CA); overrides "
    "each application's own --country.",
)
@click.option(
    "--patterns", type=click.Path(file_okay=False), help="Use rules and templates from DIR."
)
@click.option(
    "--check-in",
    "check_in",
    type=click.IntRange(min=1),
    metavar="N",
    help="Check in N business days after an interview with no stated decision date (default: "
    "REACHOUT_CHECK_IN, else 10 from rules.toml).",
)
@click.pass_context
def followup(
    ctx: click.Context,
    tz: str | None,
    country: str | None,
    patterns: str | None,
    check_in: int | None,
) -> None:
    """Track applications and follow up on time: what to send, to whom, when, and a draft.

    reachout never sends anything: drafts are text for you to send yourself.
    """
    ctx.ensure_object(dict)
    ctx.obj.update({"tz": tz, "country": country, "patterns": patterns, "check_in": check_in})


@followup.command("add")
@click.argument("company")
@click.argument("role")
@click.option("--domain", help="The company's domain (taken from COMPANY when it is one).")
@click.option("--posting-url", help="The job ad's URL.")
@click.option("--closes", metavar="DATE", help="The posting's close date.")
@click.option("--via", type=VIA, default="posting", show_default=True, help=VIA_HELP)
@click.option(
    "--applied", metavar="DATE", help="Also log the `applied` event on DATE (e.g. today)."
)
@click.option(
    "--country", "app_country", metavar="CC[-SUB]", help="The employer's country for holidays."
)
@click.option(
    "--fit", help='Why you fit, as a noun phrase ("my five years running data pipelines").'
)
@click.option("--notes", help="Free-form notes.")
@_record_output
@click.pass_context
def followup_add(
    ctx: click.Context,
    company: str,
    role: str,
    domain: str | None,
    posting_url: str | None,
    closes: str | None,
    via: str,
    applied: str | None,
    app_country: str | None,
    fit: str | None,
    notes: str | None,
    fmt: str,
    quiet: bool,
) -> None:
    """Record an application to COMPANY (a name or a domain) for ROLE; say its ID (--quiet: only
    the ID)."""
    tracker = _fu_tracker(ctx)
    app = tracker.add(
        company,
        role,
        domain=domain,
        posting_url=posting_url,
        closes_on=_fu_date(tracker, closes),
        applied_via=via,
        country=app_country,
        fit=fit,
        notes=notes,
        applied_on=_fu_date(tracker, applied),
    )
    _emit_record(app.to_dict(), fmt, quiet, app.id,
                 f"Added application {app.id}: {app.role} at {app.company}.")
    if app.domain:
        typed_domain_notice(app.domain)
    if applied is None and not (fmt == "json" or quiet):
        say(f"Log the day you apply with `reachout followup log {app.id} applied` "
                   "(or pass --applied) so its follow-up can come due.", err=True)


@followup.command("person")
@click.argument("app_id", type=int)
@click.argument("name")
@click.option(
    "--role",
    "person_role",
    default="other",
    show_default=True,
    type=click.Choice(["hiring_manager", "recruiter", "interviewer", "referrer", "other"]),
    help="Their part in the process.",
)
@click.option("--title", help="Their job title.")
@click.option("--email", help="Their address.")
@click.option("--confidence", type=float, help="How sure the address is, 0 to 1 (from `guess`).")
@click.option(
    "--status",
    "email_status",
    default="unknown",
    show_default=True,
    type=click.Choice(["unknown", "valid", "invalid", "risky", "catch_all"]),
    help="The address's verification status (from `verify`).",
)
@click.option("--event", "event_id", type=int, help="Met at this interview event (for thank-yous).")
@click.option("--topic", help="--event: what this person discussed (for their own thank-you).")
@_record_output
@click.pass_context
def followup_person(
    ctx: click.Context,
    app_id: int,
    name: str,
    person_role: str,
    title: str | None,
    email: str | None,
    confidence: float | None,
    email_status: str,
    event_id: int | None,
    topic: str | None,
    fmt: str,
    quiet: bool,
) -> None:
    """Record NAME, someone at application APP_ID's company; say their ID (--quiet: only the ID)."""
    if topic is not None and event_id is None:
        raise click.UsageError("--topic goes with --event (the interview where you discussed it).")
    tracker = _fu_tracker(ctx)
    person = tracker.add_person(
        app_id,
        name,
        role=person_role,
        title=title,
        email=email,
        email_confidence=confidence,
        email_status=email_status,
        event_id=event_id,
    )
    if topic is not None and event_id is not None:
        tracker.set_topic(app_id, event_id, topic, person_id=person.id)
    _emit_record(person.to_dict(), fmt, quiet, person.id,
                 f"Added person {person.id}: {person.name} ({person_role.replace('_', ' ')}) to "
                 f"application {app_id}.")


@followup.command("log")
@click.argument("app_id", type=int)
@click.argument("kind")
@click.option("--on", "on", metavar="DATE", help="When it happened (default: today).")
@click.option("--at", "at", metavar="TIME", help="The time (HH:MM in --tz, or ISO with offset).")
@click.option(
    "--until", metavar="DATE", help="timeline: the date the employer said they would decide."
)
@click.option(
    "--with",
    "with_people",
    multiple=True,
    metavar="PERSON",
    help="Who took part: a person ID or 'Name <address>' (repeat for each interviewer).",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="interviewed: a point from the conversation, for the thank-you; once for everyone, or "
    "once per --with in the same order, so each interviewer's note names what they discussed.",
)
@click.option("--note", help="Free-form note.")
@_record_output
@click.pass_context
def followup_log(
    ctx: click.Context,
    app_id: int,
    kind: str,
    on: str | None,
    at: str | None,
    until: str | None,
    with_people: tuple[str, ...],
    topics: tuple[str, ...],
    note: str | None,
    fmt: str,
    quiet: bool,
) -> None:
    """Record an event of APP_ID; say its ID (--quiet: only the ID).

    KIND: applied, referral (your contact confirmed delivering your résumé), interviewed, timeline
    (the employer's stated date, with --until), replied, declined, offer, withdrawn, note.
    A reply, an interview, an offer or a decline logged later cancels pending chasers.
    """
    from reachout.followup.businessdays import parse_time
    from reachout.followup.tracker import parse_people

    tracker = _fu_tracker(ctx)
    people = parse_people(with_people)
    shared = topics[0] if len(topics) == 1 else None
    day = _fu_date(tracker, on)
    moment = parse_time(at, on=day or tracker.today(), zone=tracker.zone) if at else None
    event = tracker.log(
        app_id,
        kind,
        on=day,
        at=moment,
        until=_fu_date(tracker, until),
        topic=shared,
        note=note,
        with_people=people,
        topics=topics if len(topics) > 1 else (),
    )
    from reachout.followup.tracker import typed_kind

    _emit_record(event.to_dict(), fmt, quiet, event.id,
                 f"Logged event {event.id}: {typed_kind(event.kind)} for application {app_id}.")


@followup.command("edit")
@click.argument("app_id", type=int, required=False)
@click.option("--company")
@click.option("--role")
@click.option("--domain")
@click.option("--posting-url")
@click.option("--closes", metavar="DATE", help="The posting's close date ('' clears it).")
@click.option("--via", type=VIA, help=VIA_HELP)
@click.option("--country", "app_country", metavar="CC[-SUB]")
@click.option("--fit")
@click.option("--notes")
@click.option(
    "--person", "person_id", type=int, help="Edit this person instead (with the options below)."
)
@click.option("--name", help="--person: their name.")
@click.option(
    "--person-role",
    type=click.Choice(["hiring_manager", "recruiter", "interviewer", "referrer", "other"]),
)
@click.option("--title", help="--person: their job title.")
@click.option("--email", help="--person: their address.")
@click.option("--confidence", type=float, help="--person: how sure the address is, 0 to 1.")
@click.option(
    "--status",
    "email_status",
    type=click.Choice(["unknown", "valid", "invalid", "risky", "catch_all"]),
)
@click.option(
    "--delete-event",
    "delete_event",
    type=int,
    metavar="EVENT_ID",
    help="Remove a mistaken event of APP_ID (its follow-ups go with it).",
)
@click.option(
    "--event",
    "event_id",
    type=int,
    metavar="EVENT_ID",
    help="With --topic: set what was discussed at this event of APP_ID (for --person, theirs).",
)
@click.option("--topic", help="--event: the point discussed (for the thank-you draft).")
@_followup_output
@click.pass_context
def followup_edit(
    ctx: click.Context,
    app_id: int | None,
    company: str | None,
    role: str | None,
    domain: str | None,
    posting_url: str | None,
    closes: str | None,
    via: str | None,
    app_country: str | None,
    fit: str | None,
    notes: str | None,
    person_id: int | None,
    name: str | None,
    person_role: str | None,
    title: str | None,
    email: str | None,
    confidence: float | None,
    email_status: str | None,
    delete_event: int | None,
    event_id: int | None,
    topic: str | None,
    fmt: str,
) -> None:
    """Change an application APP_ID (or a person with --person ID, or drop an event)."""
    if (topic is None) != (event_id is None):
        raise click.UsageError("--event and --topic go together.")
    tracker = _fu_tracker(ctx)
    if topic is not None and event_id is not None:
        if app_id is None:
            raise click.UsageError("Give the application ID with --event and --topic.")
        event = tracker.set_topic(app_id, event_id, topic, person_id=person_id)
        _fu_emit(event.to_dict(), fmt,
                 lambda: f"Updated event {event.id} of application {app_id}.\n")
        return
    if person_id is not None:
        person = tracker.edit_person(
            person_id,
            name=name,
            role=person_role,
            title=title,
            email=email,
            email_confidence=confidence,
            email_status=email_status,
        )
        _fu_emit(person.to_dict(), fmt, lambda: f"Updated person {person.id}: {person.name}.\n")
        return
    if app_id is None:
        raise click.UsageError("Give an application ID, or --person ID.")
    if delete_event is not None:
        removed = tracker.delete_event(app_id, delete_event)
        _fu_emit(removed.to_dict(), fmt, lambda: f"Deleted event {removed.id}.\n")
        return
    closes_on: Any = None if closes is None else ("" if closes == "" else _fu_date(tracker, closes))
    app = tracker.edit(
        app_id,
        company=company,
        role=role,
        domain=domain,
        posting_url=posting_url,
        closes_on=closes_on,
        applied_via=via,
        country=app_country,
        fit=fit,
        notes=notes,
    )
    _fu_emit(app.to_dict(), fmt,
             lambda: f"Updated application {app.id}: {app.role} at {app.company}.\n")


def _fu_table(items: list[Any]) -> str:
    from reachout.output import render_table

    rows = [
        {
            "id": f.id,
            "status": f.status,
            "due": f.due_on.isoformat(),
            "by": (
                f.deadline_at.isoformat(timespec="minutes")
                if f.deadline_at
                else f.deadline_on.isoformat()
            ),
            "to": f.recipient,
            "company": f.company,
            "role": f.role,
            "rule": f.rule,
        }
        for f in items
    ]
    return render_table(rows, ["id", "status", "due", "by", "to", "company", "role", "rule"])


@followup.command("list")
@click.option("--on", "on", metavar="DATE", help="As of DATE (default: today).")
@_listing_output
@click.pass_context
def followup_list(ctx: click.Context, on: str | None, fmt: str, out: str | None) -> None:
    """List applications with their latest stage and next follow-up."""
    from reachout.output import render_table

    tracker = _fu_tracker(ctx)
    rows = tracker.summaries(on=_fu_date(tracker, on))

    def table() -> str:
        return render_table(
            [
                {
                    "id": r.application.id,
                    "company": r.application.company,
                    "role": r.application.role,
                    "via": r.application.applied_via,
                    "stage": r.stage or "",
                    "since": r.last_event_on.isoformat() if r.last_event_on else "",
                    "next": (
                        f"{r.next_due.due_on.isoformat()} {r.next_due.title} (#{r.next_due.id})"
                        if r.next_due
                        else ""
                    ),
                }
                for r in rows
            ],
            ["id", "company", "role", "via", "stage", "since", "next"],
        )

    _fu_emit([r.to_dict() for r in rows], fmt, table, out)


@followup.command("show")
@click.argument("app_id", type=int)
@click.option("--on", "on", metavar="DATE", help="As of DATE (default: today).")
@_listing_output
@click.pass_context
def followup_show(ctx: click.Context, app_id: int, on: str | None, fmt: str, out: str | None) -> None:
    """Show an application: its people, events and follow-ups."""
    from reachout.output import render_table

    tracker = _fu_tracker(ctx)
    detail = tracker.show(app_id, on=_fu_date(tracker, on))

    def text() -> str:
        app = detail.application
        lines = [f"Application {app.id}: {app.role} at {app.company}"]
        for label, value in (
            ("domain", app.domain),
            ("via", app.applied_via),
            ("posting", app.posting_url),
            ("closes", app.closes_on.isoformat() if app.closes_on else None),
            ("country", app.country),
            ("fit", app.fit),
            ("notes", app.notes),
        ):
            if value:
                lines.append(f"  {label}: {value}")
        out = "\n".join(lines) + "\n\nPeople\n"
        out += render_table(
            [{**p.to_dict(), "email": p.email or ""} for p in detail.people],
            ["id", "name", "role", "email", "email_status", "email_confidence"],
        )
        out += "\nEvents\n" + render_table(
            [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "on": e.occurred_on.isoformat(),
                    "at": e.occurred_at.isoformat(timespec="minutes") if e.occurred_at else "",
                    "until": e.until_on.isoformat() if e.until_on else "",
                    "with": ", ".join(str(pid) for pid in e.people),
                    "topic": e.topic or "",
                }
                for e in detail.events
            ],
            ["id", "kind", "on", "at", "until", "with", "topic"],
        )
        out += "\nFollow-ups\n" + _fu_table(detail.followups)
        return out

    _fu_emit(detail.to_dict(), fmt, text, out)


@followup.command("due")
@click.option("--on", "on", metavar="DATE", help="Plan as of DATE (default: today).")
@click.option(
    "--days", default=7, show_default=True, type=int, help="Also show what comes due within N days."
)
@_listing_output
@click.pass_context
def followup_due(ctx: click.Context, on: str | None, days: int, fmt: str, out: str | None) -> None:
    """What to send today (and overdue), then what comes due in the next days; one per recipient."""
    tracker = _fu_tracker(ctx)
    items = tracker.due(on=_fu_date(tracker, on), days=days)

    def table() -> str:
        if not items:
            return "Nothing due.\n"
        return _fu_table(items)

    _fu_emit([f.to_dict() for f in items], fmt, table, out)
    if fmt != "json":
        _fu_notices(items)


def _fu_notices(items: list[Any]) -> None:
    """Notes (a default timing) and hints (a missing recipient or address), each once, to stderr."""
    for note in dict.fromkeys(f"Note: #{f.id}: {f.note}" for f in items if f.note):
        say(note, err=True)
    for hint in dict.fromkeys(f.hint for f in items if f.hint):
        say(f"Hint: {hint}", err=True)


@followup.command("done")
@click.argument("followup_id", type=int)
@click.option("--on", "on", metavar="DATE", help="When you sent it (default: today).")
@click.option("--skip", is_flag=True, help="Mark it skipped (decided not to send) instead of sent.")
@click.option("--undo", is_flag=True, help="Reopen a follow-up marked sent or skipped.")
@_followup_output
@click.pass_context
def followup_done(
    ctx: click.Context,
    followup_id: int,
    on: str | None,
    skip: bool,
    undo: bool,
    fmt: str,
) -> None:
    """Mark follow-up FOLLOWUP_ID (from `due`) as sent."""
    tracker = _fu_tracker(ctx)
    item = tracker.done(followup_id, on=_fu_date(tracker, on), skip=skip, undo=undo)
    _fu_emit(
        item.to_dict(),
        fmt,
        lambda: (
            f"Follow-up {item.id} ({item.title}, {item.recipient}): {item.status}"
            f"{' on ' + item.state_on.isoformat() if item.state_on else ''}.\n"
        ),
    )


@followup.command("draft")
@click.argument("followup_id", type=int, required=False)
@click.option("--app", "app_id", type=int, help="Instead of an ID: the application…")
@click.option(
    "--stage", help="…and the stage (interviewed, applied, referral, timeline, declined)."
)
@click.option("--person", "person_id", type=int, help="…and the recipient's person ID.")
@click.option("--on", "on", metavar="DATE", help="Draft as of DATE (default: today).")
@click.option("--sign", "sender", help="Your name for the sign-off (default: REACHOUT_SENDER).")
@click.option("--ask-feedback", is_flag=True, help="declined: add a careful request for feedback.")
@click.option(
    "--eml",
    "eml_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Also write the draft as an unsent .eml message (X-Unsent: 1) that Outlook, Apple Mail "
    "and Thunderbird open as a draft ('-' for standard output).",
)
@click.option(
    "--mailto", is_flag=True, help="Print the draft as a mailto: link instead of as text."
)
@click.option(
    "--from",
    "from_addr",
    metavar="ADDRESS",
    help="--eml: your 'Name <address>' for From: (default: REACHOUT_FROM; else your mail client "
    "fills it in).",
)
@_followup_output
@click.pass_context
def followup_draft(
    ctx: click.Context,
    followup_id: int | None,
    app_id: int | None,
    stage: str | None,
    person_id: int | None,
    on: str | None,
    sender: str | None,
    ask_feedback: bool,
    eml_path: str | None,
    mailto: bool,
    from_addr: str | None,
    fmt: str,
) -> None:
    """Print a plain-text draft (with a Subject line) for a follow-up. Nothing is sent.

    --eml FILE writes it as a message your mail client opens as a draft; --mailto prints a
    mailto: link that opens one. Either way you review and send it yourself.
    """
    if followup_id is None and (app_id is None or stage is None):
        raise click.UsageError("Give a follow-up ID, or --app ID with --stage STAGE.")
    if eml_path == "-" and (mailto or fmt == "json"):
        raise click.UsageError("--eml - writes the message to standard output; drop --mailto/--json.")
    tracker = _fu_tracker(ctx)
    draft = tracker.draft(
        followup_id,
        app_id=app_id,
        stage=stage,
        person_id=person_id,
        on=_fu_date(tracker, on),
        sender=sender,
        ask_feedback=ask_feedback,
    )
    from reachout.followup.mailfile import mailto_uri
    from reachout.output import write_file

    eml = tracker.eml(draft, sender=from_addr) if eml_path is not None else None
    if eml is not None and eml_path == "-":
        click.echo(eml, nl=False)  # bytes go to the binary stream as they are
    elif mailto:
        uri = mailto_uri(draft)
        _fu_emit({**draft.to_dict(), "mailto": uri}, fmt, lambda: uri + "\n")
    else:
        extra = {"mailto": mailto_uri(draft)}
        _fu_emit({**draft.to_dict(), **extra}, fmt, lambda: draft.text)
    if eml is not None and eml_path is not None and eml_path != "-":
        write_file(eml, eml_path)
        say(f"Wrote {eml_path} (a draft: open it in your mail client to send).", err=True)
    if fmt == "json":
        return
    if draft.followup.status in {"sent", "skipped", "cancelled"}:
        say(f"Note: this follow-up is {draft.followup.status}.", err=True)
    for note in draft.notes:
        say(f"Note: {note}", err=True)
    if draft.followup.hint:
        say(f"Hint: {draft.followup.hint}", err=True)
    if draft.missing:
        from reachout.followup.drafts import describe_missing

        say(describe_missing(draft.missing), err=True)


@followup.command("export")
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The iCalendar file to write ('-' for standard output).",
)
@click.option("--on", "on", metavar="DATE", help="As of DATE (default: today).")
@click.option("--days", type=int, help="Only what comes due within N days (default: all open).")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="--format csv/jsonl: also follow-ups sent, skipped or cancelled (default: open ones).",
)
@out_option("--format csv/jsonl: the file to write (default: standard output).",
            allow_dash=True)
@format_options(
    ["table", "json", "csv", "jsonl"], "table",
    help="csv (a spreadsheet: formula-like cells neutralised) or jsonl (one follow-up a line) "
    "exports the follow-ups; table or json reports what --ics wrote.",
)
@click.pass_context
def followup_export(
    ctx: click.Context,
    ics_path: str | None,
    on: str | None,
    days: int | None,
    everything: bool,
    out: str | None,
    fmt: str,
) -> None:
    """Export follow-ups: reminders to an iCalendar file (--ics), rows as CSV or JSON Lines."""
    out_path = out or "-"
    rows = fmt in {"csv", "jsonl"}
    if not rows and ics_path is None:
        raise click.UsageError("Give --ics FILE, or --format csv or jsonl.")
    if rows and ics_path == "-" and out_path == "-":
        raise click.UsageError("--ics - and the rows would both go to standard output; pass -o FILE.")
    tracker = _fu_tracker(ctx)
    day = _fu_date(tracker, on)
    if rows:
        _fu_rows(tracker.exported(on=day, days=days, everything=everything), fmt, out_path)
    if ics_path is None:
        return
    to_stdout = ics_path == "-"
    data, count = tracker.export_ics(None if to_stdout else ics_path, on=day, days=days)
    noun = f"{count} reminder{'s' if count != 1 else ''}"
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        say(f"Wrote {noun}.", err=True)
    elif rows:
        say(f"Wrote {noun} to {ics_path}", err=True)
    else:
        _fu_emit({"path": ics_path, "count": count}, fmt,
                 lambda: f"Wrote {noun} to {ics_path}\n")


def _fu_rows(items: list[Any], fmt: str, out_path: str) -> None:
    import io

    from reachout.followup.export import write_rows
    from reachout.output import output_file

    if out_path == "-":
        buffer = io.StringIO()
        write_rows(items, fmt, buffer)
        click.echo(buffer.getvalue(), nl=False)
        return
    # Whole or not at all, owner-only, a CSV with the byte-order mark Excel needs (output_file).
    with output_file(out_path, fmt) as stream:
        write_rows(items, fmt, stream)
    noun = f"{len(items)} follow-up{'s' if len(items) != 1 else ''}"
    say(f"Wrote {noun} to {out_path}", err=True)
