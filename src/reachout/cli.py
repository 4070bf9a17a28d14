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
