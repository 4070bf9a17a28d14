"""`reachout mx` and `reachout verify`: a domain's mail setup and verdicts on addresses."""

from __future__ import annotations

import sys
from typing import Any

import click

from reachout.cli import cli, say
from reachout.cli.options import (
    Destination,
    destination,
    dns_options,
    probe_options,
    record_output,
    smtp_options,
    wide_option,
)


class StdinLines:
    """Stdin's lines, stripped, read as they come; blank lines and `# ` comments skipped and counted.

    Read as bytes and decoded line by line with surrogateescape, so a line that is not UTF-8 keeps
    its bad bytes (as lone surrogates, PEP 383): that line's answer names them, the others go on.
    Only `# ` (a hash and a space) starts a comment: `#hash@example.com` is an address.
    """

    def __init__(self) -> None:
        self.skipped = 0

    def __iter__(self) -> Any:
        buffer = getattr(sys.stdin, "buffer", None)
        lines = (raw.decode("utf-8", "surrogateescape") for raw in buffer) if buffer else sys.stdin
        for number, line in enumerate(lines):
            text = (line.lstrip("\ufeff") if number == 0 else line).strip()
            if not text or text.startswith("# ") or text == "#":
                self.skipped += 1
                continue
            yield text


def _items(items: tuple[str, ...], stdin: StdinLines) -> Any:
    """Arguments, with "-" replaced by stdin's lines as they are read (for lists of any length)."""
    for item in items:
        if item == "-":
            yield from stdin
        else:
            yield item


def _skipped_notice(stdin: StdinLines) -> None:
    if stdin.skipped:
        lines = "line" if stdin.skipped == 1 else "lines"
        say(f"Skipped {stdin.skipped} blank or comment {lines} of stdin ('# ' starts a "
                   "comment).", err=True)


_MX_COLUMNS = ["domain", "status", "mx", "provider", "spf_services", "dmarc", "reason"]
_MX_CSV = ["domain", "status", "accepts_mail", "mx", "provider", "spf_services", "dmarc", "reason"]


def _typo_notices(report: Any) -> None:
    """A mistyped top-level domain (exmaple.cmo) said on stderr, whatever the output format."""
    from reachout.domains import UNKNOWN_TLD

    for note in report.notes:
        if UNKNOWN_TLD in note:
            say(f"Notice: {note}", err=True)


def _mx_row(report: Any) -> dict[str, Any]:
    _typo_notices(report)
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
@record_output
@wide_option
def mx_command(
    domains: tuple[str, ...],
    nameservers: tuple[str, ...],
    timeout: float,
    allow_private: bool,
    no_cache: bool,
    concurrency: int,
    fmt: str,
    out: str | None,
    wide: bool,
) -> None:
    """Check whether DOMAINS take mail: MX records, provider, SPF senders, DMARC policy.

    Pass "-" to read domains from stdin, one a line ("# " starts a comment line): they are read as
    they are checked and results come out in the order they finish. Statuses: ok, implicit_mx (take mail);
    null_mx, no_mail, nxdomain (take none); servfail, refused, timeout (unknown); invalid.
    """
    from reachout.domains import mail_domain
    from reachout.mail.dnscheck import check_domains

    options: dict[str, Any] = {"nameservers": nameservers, "timeout": timeout, "allow_private": allow_private,
               "cache": not no_cache, "concurrency": concurrency}
    if "-" in domains:
        from reachout.mail.dnscheck import check_domains_async

        stdin = StdinLines()
        with destination(out, fmt, wide=wide) as dest:
            _stream(check_domains_async(_items(domains, stdin), **options), fmt, _mx_row,
                    _MX_COLUMNS, _MX_CSV, dest)
        _skipped_notice(stdin)
        return
    if len(domains) == 1:
        # One bad argument: a one-line error (a URL or an address is checked at its mail domain).
        mail_domain(domains[0], allow_private=allow_private)
    # Several: each its own row, a bad one "invalid" with the reason, so no other row is lost.
    with destination(out, fmt, wide=wide) as dest:
        _write(check_domains(domains, **options), fmt, _mx_row, _MX_COLUMNS, _MX_CSV, dest)


def _stream(reports: Any, fmt: str, row: Any, table_columns: list[str], csv_columns: list[str],
            dest: Destination) -> None:
    """Write each report of the async stream REPORTS as it comes (to stdout, or into -o's
    temporary file, which replaces the file only once the last one is in)."""
    from reachout.aio import consume

    writer = _writer(fmt, row, table_columns, csv_columns, dest)
    consume(reports, writer.add)
    writer.close()


def _write(reports: list[Any], fmt: str, row: Any, table_columns: list[str], csv_columns: list[str],
           dest: Destination) -> None:
    """Write REPORTS, already all here."""
    writer = _writer(fmt, row, table_columns, csv_columns, dest)
    for report in reports:
        writer.add(report)
    writer.close()


def _writer(fmt: str, row: Any, table_columns: list[str], csv_columns: list[str],
            dest: Destination) -> Any:
    from reachout.output import RecordWriter

    return RecordWriter(fmt, dest.stream, row=row, table_columns=table_columns,
                        csv_columns=csv_columns, width=dest.width)


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


@cli.command("verify")
@click.argument("addresses", nargs=-1, required=True)
@dns_options
@smtp_options
@record_output
@wide_option
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
    out: str | None,
    wide: bool,
) -> None:
    """Check ADDRESSES: syntax, role/webmail/disposable, the domain's mail route, and (--smtp) the
    mailbox itself. Verdicts: valid, risky, invalid, unknown, each with its reasons.

    Pass "-" to read addresses from stdin, one a line ("# " starts a comment line). Results come
    out in input order as they are ready.
    """
    from reachout.mail.verify import verify_stream

    stdin = StdinLines()
    reports = verify_stream(
        _items(addresses, stdin), nameservers=nameservers, timeout=timeout,
        allow_private=allow_private, cache=not no_cache,
        **probe_options(smtp, helo, sender, smtp_timeout, smtp_interval, greylist_wait, smtp_port),
    )
    with destination(out, fmt, wide=wide) as dest:
        _stream(reports, fmt, _verify_row, _VERIFY_COLUMNS, _VERIFY_CSV, dest)
    _skipped_notice(stdin)


