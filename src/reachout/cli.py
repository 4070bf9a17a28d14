"""The `reachout` command line: parses options, calls one library function, prints the result."""

from __future__ import annotations

import sys
from typing import Any

import click

from reachout import __version__
from reachout.clioptions import Seconds, dns_options, smtp_options
from reachout.errors import ReachoutError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FORMATS = click.Choice(["table", "json", "csv"])


class ReachoutGroup(click.Group):
    """Turns library errors into one-line messages with exit code 1, Ctrl-C into 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReachoutError as exc:
            if ctx.meta.get("reachout.traceback"):
                raise
            raise click.ClickException(one_line(str(exc))) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `reachout … | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            ctx.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            # A bug: still one line and exit 1, with the way to the full story.
            if ctx.meta.get("reachout.traceback"):
                raise
            raise click.ClickException(
                one_line(f"internal error ({type(exc).__name__}: {exc}); this is a bug in "
                         "reachout: rerun with --traceback and report what it prints.")
            ) from None


def one_line(message: str) -> str:
    """MESSAGE as one readable line: control characters escaped, very long words shortened."""
    import re

    text = "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )
    # A 1 MB argument echoed back is not a message: keep its start and end.
    return re.sub(r"\S{121,}", lambda m: f"{m.group()[:80]}…{m.group()[-30:]}", text)


@click.group(cls=ReachoutGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="reachout")
@click.option("--traceback", is_flag=True, hidden=True, help="Re-raise errors (for debugging).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Find the right address at a company, check it, research the company and follow up on time."""
    ctx.meta["reachout.traceback"] = traceback


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reachout")


@cli.group()
def cache() -> None:
    """Inspect reachout's user directory and caches."""


@cache.command("path")
def cache_path() -> None:
    """Print the user directory (REACHOUT_HOME, else the platform's user data dir)."""
    from reachout.paths import user_dir

    click.echo(str(user_dir()))


# --- company brief (issue 4) ------------------------------------------------------------------
@cli.command()
@click.argument("company")
@click.option("--role", "role", metavar="KEYWORDS", help="Highlight open roles that match.")
@click.option("--name", metavar="NAME", help="The company's name, if the site does not say it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "html"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write here, not stdout."
)
@click.option("--max-pages", type=click.IntRange(1, 200), default=12, show_default=True,
              help="Most pages of the company's site to read.")
@click.option("--offline", is_flag=True, help="Answer from the HTTP cache only.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers (and update the cache).")
@click.option("--cache-ttl", type=Seconds(min=0), default=86400.0, show_default=True,
              metavar="SECONDS", help="How long cached pages stay fresh.")
@click.option("--allow-private", is_flag=True, envvar="REACHOUT_ALLOW_PRIVATE",
              help="Allow private and loopback addresses (link-local stays refused).")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDRESS",
              help="Connect to ADDRESS for HOST:PORT, like curl (repeatable; REACHOUT_RESOLVE).")
@click.option("--source-url", "source_urls", multiple=True, metavar="NAME=URL",
              help="Base URL of a public source: greenhouse, lever, ashby, workable, "
              "smartrecruiters, personio, recruitee, wikidata, wikipedia (repeatable; URL 'off' "
              "skips it; "
              "env REACHOUT_<NAME>_URL).")
@click.option("--nameserver", "nameservers", multiple=True, metavar="IP[:PORT]",
              help="Resolver for the mail-setup facts (MX provider, SPF). Env: REACHOUT_NAMESERVER.")
@click.option("--no-mail", is_flag=True, help="Skip the mail-setup facts (no DNS lookups).")
@click.option("--timeout", type=Seconds(min=0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="Read timeout per request.")
def brief(
    company: str,
    role: str | None,
    name: str | None,
    fmt: str,
    out: str | None,
    max_pages: int,
    offline: bool,
    refresh: bool,
    cache_ttl: float,
    allow_private: bool,
    resolve: tuple[str, ...],
    source_urls: tuple[str, ...],
    nameservers: tuple[str, ...],
    no_mail: bool,
    timeout: float,
) -> None:
    """Research COMPANY (domain, URL or address): a sourced brief to read before a call.

    Reads the company's own site politely (robots.txt, rate limits), its feeds, its job boards'
    public APIs, Wikidata and Wikipedia; every fact names its source. The JSON is also saved to
    the user directory (briefs/DOMAIN.json).
    """
    import json

    from reachout.http import HttpConfig, parse_resolve
    from reachout.research import build_brief, save_brief
    from reachout.research.endpoints import Endpoints

    if offline and refresh:
        raise click.UsageError("--offline and --refresh cannot be used together.")
    config = HttpConfig.from_env(
        allow_private=allow_private,
        offline=offline,
        refresh=refresh,
        cache_ttl=cache_ttl,
        timeout=(min(5.0, timeout), timeout),
    )
    config.resolve.update(parse_resolve(resolve))
    endpoints = Endpoints.from_env()
    for item in source_urls:
        key, sep, url = item.partition("=")
        if not sep:
            raise click.UsageError(f"--source-url {item!r} is not NAME=URL.")
        endpoints.point(key, url)
    from reachout.research.mailsetup import dns_mail_facts

    mail = None if no_mail else dns_mail_facts(
        nameservers=nameservers, timeout=min(5.0, timeout), allow_private=config.allow_private
    )
    result = build_brief(company, role=role, max_pages=max_pages, name=name, config=config,
                         endpoints=endpoints, mail_facts=mail)
    from reachout.errors import StoreError

    unsaved = None
    try:
        save_brief(result)
    except StoreError as exc:
        # The brief itself is the answer: print it even when it cannot be kept for later.
        unsaved = str(exc)
    text = {"md": result.to_markdown, "html": result.to_html}.get(fmt)
    rendered = text() if text else json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if out:
        from reachout.errors import BadInput

        try:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(rendered)
        except OSError as exc:
            raise BadInput(f"Cannot write {out} ({exc.strerror or exc}); pick a writable path.") from None
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(rendered, nl=False)
    for note in result.notes + ([unsaved] if unsaved else []):
        click.echo(f"note: {note}", err=True)
# --- end company brief ------------------------------------------------------------------------


# --- guess ------------------------------------------------------------------------------------------


@cli.command()
@click.argument("name")
@click.argument("company")
@click.option("--known", "known", multiple=True, metavar='"NAME <ADDRESS>"',
              help="An address known at the company, to learn its format (repeatable).")
@click.option("--known-file", type=click.Path(dir_okay=False, allow_dash=True),
              help="Known addresses: one 'Name <address>' per line, or CSV with name and email.")
@click.option("--size", type=click.Choice(["small", "medium", "large"]),
              help="Company size: small firms favour {first}@, large ones {first}.{last}@.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many personal candidates (and generic inboxes) to show.")
@click.option("--roles/--no-roles", default=True, show_default=True,
              help="Also list generic hiring inboxes (careers@, jobs@…).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@click.option("--verify", is_flag=True,
              help="Check the candidates (DNS; with --smtp the mail server too) and re-rank them.")
@dns_options
@smtp_options
def guess(
    name: str,
    company: str,
    known: tuple[str, ...],
    known_file: str | None,
    size: str | None,
    top: int,
    roles: bool,
    fmt: str,
    patterns_dir: str | None,
    **check: Any,
) -> None:
    """Rank likely addresses for NAME at COMPANY (a domain, URL or e-mail address).

    \b
    Examples:
      reachout guess "Jane Doe" acme.com
      reachout guess "Jane Doe" https://www.acme.com/about --known "Bob Li <bli@acme.com>"
    """
    from reachout.guesser import guess as run_guess
    from reachout.learn import parse_known, read_known_file

    pairs = [parse_known(item, allow_private=check["allow_private"]) for item in known]
    if known_file:
        pairs += read_known_file(read_text(known_file), allow_private=check["allow_private"])
    result = run_guess(name, company, known=pairs, size=size, top=top, roles=roles,
                       patterns=patterns_dir, allow_private=check["allow_private"])
    for notice in result.notices:
        click.echo(f"Notice: {notice}", err=True)
    if check.pop("verify") or check["smtp"]:
        emit_verified_guess(verify_guess_options(result, patterns_dir, **check), fmt)
        return
    emit_guess(result, fmt)


def read_text(path: str) -> str:
    """Read a user's text file (or - for stdin) as UTF-8, with or without BOM."""
    from reachout.errors import BadInput

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{path} is not UTF-8 (byte {exc.start}); save it as UTF-8 and try again."
        ) from None


def emit_guess(result: Any, fmt: str) -> None:
    from reachout import output

    rows = [c.to_dict() for c in result.candidates]
    if fmt == "json":
        click.echo(output.to_json(result.to_dict()))
        return
    if fmt == "csv":
        output.write_csv(rows, ["address", "kind", "pattern", "confidence", "reasons"],
                         sys.stdout)
        return
    reading = result.name.best
    click.echo(f"{result.name.original} at {result.domain} "
               f"(read as first {reading.first!r}, last {reading.last!r})")
    if result.learned and result.learned.evidence:
        best = result.learned.formats[0]
        click.echo(f"Learned from {result.learned.evidence} known address(es): "
                   f"{best.pattern} {best.probability:.0%}")
    personal = [dict(r, confidence=f"{r['confidence']:.1%}", why="; ".join(r["reasons"][:2]))
                for r in rows if r["kind"] == "personal"]
    click.echo("")
    click.echo(output.render_table(personal, ["address", "confidence", "pattern", "why"]), nl=False)
    inboxes = [dict(r, share=f"~{r['confidence']:.0%} of companies", use=r["reasons"][0])
               for r in rows if r["kind"] == "role"]
    if inboxes:
        click.echo("\nGeneric inboxes (not personal; share is a rough estimate):")
        click.echo(output.render_table(inboxes, ["address", "share", "use"]), nl=False)

# --- followup (issue 6) ---------------------------------------------------------------------------
# Thin glue over reachout.followup.Tracker: parse options, call one method, print table or JSON.


def _followup_output(func: Any) -> Any:
    """Add --format table|json and its --json shortcut."""
    func = click.option("--json", "as_json", is_flag=True, help="Shortcut for --format json.")(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="Output for people (table) or programs (json).",
    )(func)


def _fu_tracker(ctx: click.Context) -> Any:
    from reachout.followup import Tracker

    opts = ctx.find_object(dict) or {}
    tracker = Tracker(
        zone=opts.get("tz"), country=opts.get("country"), patterns=opts.get("patterns")
    )
    ctx.call_on_close(tracker.close)
    return tracker


def _fu_date(tracker: Any, text: str | None) -> Any:
    from reachout.followup.dates import parse_date

    return parse_date(text, zone=tracker.zone, clock=tracker.clock) if text is not None else None


def _fu_emit(data: Any, fmt: str, as_json: bool, render: Any) -> None:
    from reachout.output import to_json

    if as_json or fmt == "json":
        click.echo(to_json(data))
    else:
        click.echo(render(), nl=False)


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
@click.pass_context
def followup(ctx: click.Context, tz: str | None, country: str | None, patterns: str | None) -> None:
    """Track applications and follow up on time: what to send, to whom, when, and a draft.

    reachout never sends anything: drafts are text for you to send yourself.
    """
    ctx.ensure_object(dict)
    ctx.obj.update({"tz": tz, "country": country, "patterns": patterns})


@followup.command("add")
@click.argument("company")
@click.argument("role")
@click.option("--domain", help="The company's domain (taken from COMPANY when it is one).")
@click.option("--posting-url", help="The job ad's URL.")
@click.option("--closes", metavar="DATE", help="The posting's close date.")
@click.option(
    "--via",
    type=click.Choice(["posting", "referral", "direct", "recruiter", "other"]),
    default="posting",
    show_default=True,
    help="How you applied.",
)
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
@_followup_output
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
    as_json: bool,
) -> None:
    """Record an application to COMPANY (a name or a domain) for ROLE; print its ID."""
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
    _fu_emit(app.to_dict(), fmt, as_json, lambda: f"{app.id}\n")
    if applied is None and not (as_json or fmt == "json"):
        click.echo(f"Log the day you apply with `reachout followup log {app.id} applied` "
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
@_followup_output
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
    fmt: str,
    as_json: bool,
) -> None:
    """Record NAME, someone at application APP_ID's company; print their ID."""
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
    _fu_emit(person.to_dict(), fmt, as_json, lambda: f"{person.id}\n")


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
@click.option("--topic", help="interviewed: a point from the conversation, for the thank-you.")
@click.option("--note", help="Free-form note.")
@_followup_output
@click.pass_context
def followup_log(
    ctx: click.Context,
    app_id: int,
    kind: str,
    on: str | None,
    at: str | None,
    until: str | None,
    with_people: tuple[str, ...],
    topic: str | None,
    note: str | None,
    fmt: str,
    as_json: bool,
) -> None:
    """Record an event of APP_ID; print its ID.

    KIND: applied, referral (your contact confirmed delivering your résumé), interviewed, timeline
    (the employer's stated date, with --until), replied, declined, offer, withdrawn, note.
    A reply, an interview, an offer or a decline logged later cancels pending chasers.
    """
    from reachout.followup.dates import parse_time
    from reachout.followup.tracker import parse_people

    tracker = _fu_tracker(ctx)
    day = _fu_date(tracker, on)
    moment = parse_time(at, on=day or tracker.today(), zone=tracker.zone) if at else None
    event = tracker.log(
        app_id,
        kind,
        on=day,
        at=moment,
        until=_fu_date(tracker, until),
        topic=topic,
        note=note,
        with_people=parse_people(with_people),
    )
    _fu_emit(event.to_dict(), fmt, as_json, lambda: f"{event.id}\n")


@followup.command("edit")
@click.argument("app_id", type=int, required=False)
@click.option("--company")
@click.option("--role")
@click.option("--domain")
@click.option("--posting-url")
@click.option("--closes", metavar="DATE", help="The posting's close date ('' clears it).")
@click.option("--via", type=click.Choice(["posting", "referral", "direct", "recruiter", "other"]))
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
    fmt: str,
    as_json: bool,
) -> None:
    """Change an application APP_ID (or a person with --person ID, or drop an event)."""
    tracker = _fu_tracker(ctx)
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
        _fu_emit(person.to_dict(), fmt, as_json, lambda: f"{person.id}\n")
        return
    if app_id is None:
        raise click.UsageError("Give an application ID, or --person ID.")
    if delete_event is not None:
        removed = tracker.delete_event(app_id, delete_event)
        _fu_emit(removed.to_dict(), fmt, as_json, lambda: f"Deleted event {removed.id}.\n")
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
    _fu_emit(app.to_dict(), fmt, as_json, lambda: f"{app.id}\n")


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
@_followup_output
@click.pass_context
def followup_list(ctx: click.Context, on: str | None, fmt: str, as_json: bool) -> None:
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

    _fu_emit([r.to_dict() for r in rows], fmt, as_json, table)


@followup.command("show")
@click.argument("app_id", type=int)
@click.option("--on", "on", metavar="DATE", help="As of DATE (default: today).")
@_followup_output
@click.pass_context
def followup_show(ctx: click.Context, app_id: int, on: str | None, fmt: str, as_json: bool) -> None:
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

    _fu_emit(detail.to_dict(), fmt, as_json, text)


@followup.command("due")
@click.option("--on", "on", metavar="DATE", help="Plan as of DATE (default: today).")
@click.option(
    "--days", default=7, show_default=True, type=int, help="Also show what comes due within N days."
)
@_followup_output
@click.pass_context
def followup_due(ctx: click.Context, on: str | None, days: int, fmt: str, as_json: bool) -> None:
    """What to send today (and overdue), then what comes due in the next days; one per recipient."""
    tracker = _fu_tracker(ctx)
    items = tracker.due(on=_fu_date(tracker, on), days=days)

    def table() -> str:
        if not items:
            return "Nothing due.\n"
        return _fu_table(items)

    _fu_emit([f.to_dict() for f in items], fmt, as_json, table)
    if not (as_json or fmt == "json"):
        for hint in dict.fromkeys(f.hint for f in items if f.hint):
            click.echo(f"Hint: {hint}", err=True)


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
    as_json: bool,
) -> None:
    """Mark follow-up FOLLOWUP_ID (from `due`) as sent."""
    tracker = _fu_tracker(ctx)
    item = tracker.done(followup_id, on=_fu_date(tracker, on), skip=skip, undo=undo)
    _fu_emit(
        item.to_dict(),
        fmt,
        as_json,
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
    fmt: str,
    as_json: bool,
) -> None:
    """Print a plain-text draft (with a Subject line) for a follow-up. Nothing is sent."""
    if followup_id is None and (app_id is None or stage is None):
        raise click.UsageError("Give a follow-up ID, or --app ID with --stage STAGE.")
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
    _fu_emit(draft.to_dict(), fmt, as_json, lambda: draft.text)
    if as_json or fmt == "json":
        return
    if draft.followup.status in {"sent", "skipped", "cancelled"}:
        click.echo(f"Note: this follow-up is {draft.followup.status}.", err=True)
    if draft.followup.hint:
        click.echo(f"Hint: {draft.followup.hint}", err=True)
    if draft.missing:
        named = [m if m != "sender" else "sender (--sign, REACHOUT_SENDER)" for m in draft.missing]
        click.echo(f"Left out for lack of a value: {', '.join(named)}.", err=True)


@followup.command("export")
@click.option(
    "--ics",
    "ics_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The iCalendar file to write ('-' for standard output).",
)
@click.option("--on", "on", metavar="DATE", help="As of DATE (default: today).")
@click.option("--days", type=int, help="Only what comes due within N days (default: all open).")
@_followup_output
@click.pass_context
def followup_export(
    ctx: click.Context, ics_path: str, on: str | None, days: int | None, fmt: str, as_json: bool
) -> None:
    """Write open follow-ups as reminders to an iCalendar file your calendar app imports."""
    tracker = _fu_tracker(ctx)
    to_stdout = ics_path == "-"
    data, count = tracker.export_ics(None if to_stdout else ics_path, on=_fu_date(tracker, on),
                                     days=days)
    noun = f"{count} reminder{'s' if count != 1 else ''}"
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        click.echo(f"Wrote {noun}.", err=True)
        return
    _fu_emit({"path": ics_path, "count": count}, fmt, as_json,
             lambda: f"Wrote {noun} to {ics_path}\n")


# --- end followup ---------------------------------------------------------------------------------


# --- mx and verify (issue 3: DNS checks, address verdicts, the opt-in SMTP probe) ---------------

def _read_items(items: tuple[str, ...]) -> tuple[list[str], bool]:
    """Arguments, with "-" replaced by stdin's lines (blank lines and # comments skipped)."""
    out: list[str] = []
    used_stdin = False
    for item in items:
        if item == "-":
            used_stdin = True
            out.extend(_stdin_lines())
        else:
            out.append(item)
    return out, used_stdin


def _stdin_lines() -> Any:
    """Stdin's lines, stripped, blank lines and # comments skipped, read as they come.

    Read as bytes and decoded line by line, so a line that is not UTF-8 becomes one "invalid"
    result (its bad bytes shown as U+FFFD) instead of stopping the whole run.
    """
    buffer = getattr(sys.stdin, "buffer", None)
    lines = (raw.decode("utf-8", errors="replace") for raw in buffer) if buffer else sys.stdin
    for number, line in enumerate(lines):
        text = line.lstrip("\ufeff") if number == 0 else line
        if text.strip() and not text.lstrip().startswith("#"):
            yield text.strip()


_MX_COLUMNS = ["domain", "status", "mx", "provider", "spf_services", "dmarc", "reason"]
_MX_CSV = ["domain", "status", "accepts_mail", "mx", "provider", "spf_services", "dmarc", "reason"]


def _mx_row(report: Any) -> dict[str, Any]:
    data = report.to_dict()
    data["mx"] = [f"{m['preference']} {m['host']}" for m in data["mx"]]
    data["spf_services"] = [f"{s['name']} ({s['kind']})" for s in data["spf_services"]]
    data["dmarc"] = data["dmarc"]["policy"] if data["dmarc"] else None
    return data


@cli.command("mx")
@click.argument("domains", nargs=-1, required=True)
@dns_options
@click.option("--concurrency", type=click.IntRange(1, 4096), default=128, show_default=True,
              help="Domains checked at once.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def mx_command(
    domains: tuple[str, ...],
    nameservers: tuple[str, ...],
    timeout: float,
    allow_private: bool,
    no_cache: bool,
    concurrency: int,
    fmt: str,
) -> None:
    """Check whether DOMAINS take mail: MX records, provider, SPF senders, DMARC policy.

    Pass "-" to read domains from stdin, one a line: they are read as they are checked and results
    come out in the order they finish. Statuses: ok, implicit_mx (take mail);
    null_mx, no_mail, nxdomain (take none); servfail, refused, timeout (unknown); invalid.
    """
    from reachout.dnscheck import _ascii_domain, check_domains

    options: dict[str, Any] = {"nameservers": nameservers, "timeout": timeout, "allow_private": allow_private,
               "cache": not no_cache, "concurrency": concurrency}
    if "-" in domains:
        _mx_stream(domains, fmt, options)
        return
    for item in domains:
        _ascii_domain(item, allow_private)  # a bad argument is a one-line error, not a row
    reports = check_domains(domains, **options)
    _emit([r.to_dict() for r in reports], [_mx_row(r) for r in reports], fmt, _MX_COLUMNS, _MX_CSV)


def _lazy_items(items: tuple[str, ...]) -> Any:
    """Arguments, with "-" replaced by stdin's lines as they are read (for lists of any length)."""
    for item in items:
        if item != "-":
            yield item
            continue
        yield from _stdin_lines()


def _mx_stream(domains: tuple[str, ...], fmt: str, options: dict[str, Any]) -> None:
    """Check domains read from stdin, writing each result as it finishes (CSV and JSON stream)."""
    import asyncio
    import contextlib
    import json

    from reachout.dnscheck import check_domains_async
    from reachout.output import render_table, write_csv

    table: list[dict[str, Any]] = []

    async def run() -> None:
        count = 0
        if fmt == "csv":
            write_csv([], _MX_CSV, sys.stdout)
        elif fmt == "json":
            sys.stdout.write("[")
        stream = check_domains_async(_lazy_items(domains), **options)
        async with contextlib.aclosing(stream):
            async for report in stream:
                if fmt == "csv":
                    write_csv([_mx_row(report)], _MX_CSV, sys.stdout, header=False)
                elif fmt == "json":
                    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
                    sys.stdout.write(("," if count else "") + "\n  " + text.replace("\n", "\n  "))
                else:
                    table.append(_mx_row(report))
                count += 1
        if fmt == "json":
            sys.stdout.write("\n]\n" if count else "]\n")

    asyncio.run(run())
    if fmt == "table":
        click.echo(render_table(table, _MX_COLUMNS), nl=False)


def _emit(
    full: list[dict[str, Any]], rows: list[dict[str, Any]], fmt: str, table: list[str],
    csv_columns: list[str],
) -> None:
    from reachout.output import render_table, to_json, write_csv

    if fmt == "json":
        click.echo(to_json(full))
    elif fmt == "csv":
        write_csv(rows, csv_columns, sys.stdout)
    else:
        click.echo(render_table(rows, table), nl=False)


_VERIFY_COLUMNS = ["address", "verdict", "flags", "domain", "smtp", "reason"]
_VERIFY_CSV = ["address", "normalized", "verdict", "role", "webmail", "disposable", "domain",
               "smtp", "code", "reasons"]


def _verify_row(report: Any) -> dict[str, Any]:
    flags = [name for name in ("role", "webmail", "disposable") if getattr(report, name)]
    return {
        "address": report.address,
        "normalized": report.normalized,
        "verdict": report.verdict,
        "flags": flags,
        "role": report.role,
        "webmail": report.webmail,
        "disposable": report.disposable,
        "domain": report.domain.status if report.domain else None,
        "smtp": report.smtp.result if report.smtp else None,
        "code": report.smtp.code if report.smtp else None,
        "reason": report.reasons[0] if report.reasons else "",
        "reasons": report.reasons,
    }


def _probe_options(smtp: bool, helo: str | None, sender: str, smtp_timeout: float,
                   smtp_interval: float, greylist_wait: float, smtp_port: int) -> dict[str, Any]:
    return {
        "smtp": smtp, "helo": helo, "sender": sender, "smtp_timeout": smtp_timeout,
        "smtp_interval": smtp_interval, "greylist_wait": greylist_wait, "smtp_port": smtp_port,
    }


@cli.command("verify")
@click.argument("addresses", nargs=-1, required=True)
@dns_options
@smtp_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def verify_command(
    addresses: tuple[str, ...],
    nameservers: tuple[str, ...],
    timeout: float,
    allow_private: bool,
    no_cache: bool,
    smtp: bool,
    helo: str | None,
    sender: str,
    smtp_timeout: float,
    smtp_interval: float,
    greylist_wait: float,
    smtp_port: int,
    fmt: str,
) -> None:
    """Check ADDRESSES: syntax, role/webmail/disposable, the domain's mail route, and (--smtp) the
    mailbox itself. Verdicts: valid, risky, invalid, unknown, each with its reasons.

    Pass "-" to read addresses from stdin, one a line.
    """
    from reachout.verify import verify_addresses

    items, _ = _read_items(addresses)
    reports = verify_addresses(
        items, nameservers=nameservers, timeout=timeout, allow_private=allow_private,
        cache=not no_cache,
        **_probe_options(smtp, helo, sender, smtp_timeout, smtp_interval, greylist_wait, smtp_port),
    )
    _emit([r.to_dict() for r in reports], [_verify_row(r) for r in reports], fmt,
          _VERIFY_COLUMNS, _VERIFY_CSV)


def verify_guess_options(result: Any, patterns: str | None, **check: Any) -> Any:
    """Run reachout.verify.verify_guess with the options of `guess --verify`."""
    from reachout.verify import verify_guess

    return verify_guess(
        result,
        nameservers=check["nameservers"],
        timeout=check["timeout"],
        allow_private=check["allow_private"],
        cache=not check["no_cache"],
        patterns=patterns,
        **_probe_options(check["smtp"], check["helo"], check["sender"], check["smtp_timeout"],
                         check["smtp_interval"], check["greylist_wait"], check["smtp_port"]),
    )


def emit_verified_guess(checked: Any, fmt: str) -> None:
    """Print a guess with each candidate's verdict; ruled-out candidates listed apart."""
    from reachout import output

    for notice in checked.notices:
        click.echo(f"Notice: {notice}", err=True)
    if fmt == "json":
        click.echo(output.to_json(checked.to_dict()))
        return

    def row(candidate: Any) -> dict[str, Any]:
        report = checked.verdict_of(candidate.address)
        smtp = report.smtp.result if report and report.smtp else None
        return {
            "address": candidate.address,
            "kind": candidate.kind,
            "pattern": candidate.pattern,
            "confidence": candidate.confidence,
            "verdict": report.verdict if report else None,
            "smtp": smtp,
            "reasons": report.reasons if report else [],
            "why": (report.reasons[0] if report and report.reasons else ""),
        }

    rows = [row(c) for c in checked.guess.candidates]
    gone = [row(c) for c in checked.ruled_out]
    if fmt == "csv":
        output.write_csv(
            rows + [dict(r, verdict="ruled out") for r in gone],
            ["address", "kind", "pattern", "confidence", "verdict", "smtp", "reasons"],
            sys.stdout,
        )
        return
    domain = checked.domain
    mail = f"{domain.status}: {domain.reason}" if domain else "not checked"
    click.echo(f"{checked.guess.name.original} at {checked.guess.domain} (mail: {mail})")
    personal = [dict(r, confidence=f"{r['confidence']:.1%}") for r in rows
                if r["kind"] == "personal"]
    click.echo("")
    click.echo(output.render_table(personal, ["address", "confidence", "verdict", "smtp", "why"]),
               nl=False)
    inboxes = [r for r in rows if r["kind"] == "role"]
    if inboxes:
        click.echo("\nGeneric inboxes:")
        click.echo(output.render_table(inboxes, ["address", "verdict", "smtp", "why"]), nl=False)
    if gone:
        click.echo("\nRuled out by the mail server:")
        click.echo(output.render_table(gone, ["address", "smtp", "why"]), nl=False)


# --- end of mx and verify -----------------------------------------------------------------------


# --- batch (issue 5: a whole target list, concurrent and resumable) -----------------------------


@cli.command("batch")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--out", type=click.Path(dir_okay=False, writable=True),
              help="Write the results here (written from saved state, in input order, atomically). "
                   "Default: standard output, once the run is complete.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]),
              help="csv (safe to open in a spreadsheet) or jsonl (everything). Default: from --out's "
                   "suffix, else csv.")
@click.option("--verify", is_flag=True, help="Check each candidate address (syntax, role, DNS route).")
@click.option("--top", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Candidates per person (and generic inboxes per company-only row).")
@click.option("--size", type=click.Choice(["small", "medium", "large"]),
              help="Company size for the format priors.")
@click.option("--brief", "brief_dir", type=click.Path(file_okay=False),
              help="Write one company brief per domain into this folder; key facts become columns.")
@click.option("--concurrency", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Rows worked on at once.")
@click.option("--state", type=click.Path(dir_okay=False),
              help="State database. Default: OUT.state.sqlite, else one per input in the user directory.")
@click.option("--restart", is_flag=True, help="Discard the saved state and start from the first row.")
@click.option("--retry-failed", is_flag=True,
              help="Redo rows that failed for transient reasons (timeouts, greylisting).")
@click.option("--retry-after", type=Seconds(min=0), default=600, show_default=True,
              help="Seconds to let pass after a transient failure before --retry-failed redoes it.")
@click.option("--encoding", help="The input's encoding if not UTF-8 (e.g. cp1252, latin-1, utf-16).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr. Default: only when stderr is a terminal.")
@click.option("--quiet", is_flag=True, help="No summary table at the end.")
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@dns_options
@smtp_options
def batch_command(
    input_path: str, out: str | None, fmt: str | None, verify: bool, top: int, size: str | None,
    brief_dir: str | None, concurrency: int, state: str | None, restart: bool, retry_failed: bool,
    retry_after: float, encoding: str | None, progress: bool | None, quiet: bool,
    patterns_dir: str | None, nameservers: tuple[str, ...], timeout: float, allow_private: bool,
    no_cache: bool, smtp: bool, helo: str | None, sender: str, smtp_timeout: float,
    smtp_interval: float, greylist_wait: float, smtp_port: int,
) -> None:
    """Work through INPUT: a CSV with a header (company, domain/website, name or first/last name,
    title, known email…), a JSON-lines file, or a list of domains one a line; "-" reads stdin.

    Each row gets its normalised domain, the domain's mail status, provider and MX, and, for a row
    with a person, the top candidate addresses with confidences (--verify/--smtp check them). Known
    addresses in the file teach each domain's format. Every finished row is saved at once: run the
    same command again after Ctrl-C, a crash or a reboot and it carries on where it stopped.

    \b
    Examples:
      reachout batch targets.csv --out results.csv
      reachout batch targets.csv --out results.jsonl --verify
      cut -d, -f2 targets.csv | reachout batch - --out domains.csv
    """
    from reachout.batch import BatchInterrupted, run_batch

    del no_cache  # batch keeps its own per-run record of every domain (the state database)
    smtp_options = {"helo": helo, "sender": sender, "smtp_timeout": smtp_timeout,
                    "smtp_interval": smtp_interval, "greylist_wait": greylist_wait,
                    "smtp_port": smtp_port}
    target: Any = out if out else sys.stdout
    try:
        summary = run_batch(
            input_path, out=target, fmt=fmt, verify=verify, smtp=smtp, top=top, size=size,
            concurrency=concurrency, state=state, nameservers=nameservers, timeout=timeout,
            allow_private=allow_private, progress=progress, encoding=encoding, restart=restart,
            retry_failed=retry_failed, retry_after=retry_after, brief_dir=brief_dir,
            patterns=patterns_dir, smtp_options=smtp_options,
            notify=lambda text: click.echo(text, err=True),
        )
    except BatchInterrupted as stop:
        if not quiet:
            click.echo(stop.summary.render(), err=True, nl=False)
        for notice in stop.summary.notices:
            click.echo(notice, err=True)
        click.get_current_context().exit(130)
    if not quiet:
        click.echo(summary.render(), err=True, nl=False)
        for notice in summary.notices:
            click.echo(notice, err=True)


# --- end of batch -------------------------------------------------------------------------------
