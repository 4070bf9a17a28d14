"""The `reachout` command line: parses options, calls one library function, prints the result."""

from __future__ import annotations

import sys
from typing import Any

import click

from reachout import __version__
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
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `reachout … | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            ctx.exit(1)


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
) -> None:
    """Rank likely addresses for NAME at COMPANY (a domain, URL or e-mail address).

    \b
    Examples:
      reachout guess "Jane Doe" acme.com
      reachout guess "Jane Doe" https://www.acme.com/about --known "Bob Li <bli@acme.com>"
    """
    from reachout.guesser import guess as run_guess
    from reachout.learn import parse_known, read_known_file

    pairs = [parse_known(item) for item in known]
    if known_file:
        pairs += read_known_file(read_text(known_file))
    result = run_guess(name, company, known=pairs, size=size, top=top, roles=roles,
                       patterns=patterns_dir)
    for notice in result.notices:
        click.echo(f"Notice: {notice}", err=True)
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


# --- mx and verify (issue 3: DNS checks, address verdicts, the opt-in SMTP probe) ---------------

_DNS_HELP = (
    "Resolver to ask, IP or IP:PORT ([IPv6]:PORT); repeat for fallbacks. Env: REACHOUT_NAMESERVER."
)


def _dns_options(func: Any) -> Any:
    """The DNS options shared by `mx`, `verify` and `guess --verify`."""
    func = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the DNS answer cache."
    )(func)
    func = click.option(
        "--allow-private",
        is_flag=True,
        help="Accept private/loopback addresses for mail servers and special-use test domains "
        "(for testing against local servers).",
    )(func)
    func = click.option(
        "--timeout", type=click.FloatRange(min=0.05), default=5.0, show_default=True,
        help="Seconds to wait for each DNS answer, retries included.",
    )(func)
    func = click.option(
        "--nameserver", "nameservers", multiple=True, metavar="IP[:PORT]", help=_DNS_HELP
    )(func)
    return func


def _smtp_options(func: Any) -> Any:
    """The SMTP probe options shared by `verify` and `guess --verify`."""
    options = [
        click.option("--smtp", is_flag=True,
                     help="Also ask the domain's mail server about each mailbox (RCPT TO; never "
                          "sends a message). Off by default: port 25 is often blocked."),
        click.option("--helo", envvar="REACHOUT_HELO", metavar="NAME",
                     help="Name to give in EHLO: your own host name. Default: this machine's "
                          "name if fully qualified, else its address literal. Env: REACHOUT_HELO."),
        click.option("--sender", default="", metavar="ADDRESS",
                     help="MAIL FROM address. Default: the null sender <>."),
        click.option("--smtp-timeout", type=click.FloatRange(min=0.05), default=15.0,
                     show_default=True, help="Seconds to wait for each SMTP reply."),
        click.option("--smtp-interval", type=click.FloatRange(min=0), default=1.0,
                     show_default=True,
                     help="Seconds between two sessions to the same mail server."),
        click.option("--greylist-wait", type=click.FloatRange(min=0), default=0.0,
                     show_default=True,
                     help="On a temporary refusal (greylisting), wait this long and ask once "
                          "more; 0 reports it as greylisted."),
        click.option("--smtp-port", type=click.IntRange(1, 65535), default=25, show_default=True,
                     help="For tests against local servers only; real mail servers listen on 25."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _read_items(items: tuple[str, ...]) -> tuple[list[str], bool]:
    """Arguments, with "-" replaced by stdin's lines (blank lines and # comments skipped)."""
    out: list[str] = []
    used_stdin = False
    for item in items:
        if item == "-":
            used_stdin = True
            stream = sys.stdin
            out.extend(
                line.strip()
                for line in stream
                if line.strip() and not line.lstrip().startswith("#")
            )
        else:
            out.append(item)
    return out, used_stdin


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
@_dns_options
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

    Pass "-" to read domains from stdin, one a line. Statuses: ok, implicit_mx (take mail);
    null_mx, no_mail, nxdomain (take none); servfail, refused, timeout (unknown); invalid.
    """
    from reachout.dnscheck import _ascii_domain, check_domains

    items, _ = _read_items(domains)
    if "-" not in domains:
        for item in items:
            _ascii_domain(item)  # a bad argument is a one-line error, not a row
    reports = check_domains(
        items, nameservers=nameservers, timeout=timeout, allow_private=allow_private,
        cache=not no_cache, concurrency=concurrency,
    )
    _emit([r.to_dict() for r in reports], [_mx_row(r) for r in reports], fmt, _MX_COLUMNS, _MX_CSV)


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
@_dns_options
@_smtp_options
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
@click.option("--retry-after", type=click.FloatRange(min=0), default=600, show_default=True,
              help="Seconds to let pass after a transient failure before --retry-failed redoes it.")
@click.option("--encoding", help="The input's encoding if not UTF-8 (e.g. cp1252, latin-1, utf-16).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr. Default: only when stderr is a terminal.")
@click.option("--quiet", is_flag=True, help="No summary table at the end.")
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@_dns_options
@_smtp_options
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
