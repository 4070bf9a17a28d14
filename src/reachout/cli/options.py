"""Click options shared by the commands: output (--format/--json, -o/--out, --wide) and the DNS,
SMTP and lookup options of the commands that check domains and addresses."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click


class Seconds(click.FloatRange):
    """A FloatRange that also refuses nan and inf (a timeout of nan seconds is no timeout)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds; give a finite number.", param, ctx)
        return number


def format_options(
    choices: list[str], default: str | None, *, json_value: str = "json", help: str | None = None,
    suffixes: dict[str, str] | None = None,
) -> Any:
    """--format CHOICE and its --json shortcut (--format JSON_VALUE), as every command that prints
    records takes them; the command receives one `fmt`. --json with another --format is a usage
    error. With SUFFIXES (".json": "json"), a command that also takes -o/--out FILE and is given
    neither --format nor --json writes in the format FILE's suffix names, else in DEFAULT."""

    def decorate(func: Any) -> Any:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            given = ctx.get_parameter_source("fmt") == click.core.ParameterSource.COMMANDLINE
            if kwargs.pop("as_json"):
                if given and kwargs["fmt"] != json_value:
                    raise click.UsageError(
                        f"--json and --format {kwargs['fmt']} are two outputs; pick one.")
                kwargs["fmt"] = json_value
            elif suffixes and not given and kwargs.get("out") not in (None, "-"):
                suffix = os.path.splitext(kwargs["out"])[1].lower()
                kwargs["fmt"] = suffixes.get(suffix, kwargs["fmt"])
            return func(*args, **kwargs)

        command = click.option("--json", "as_json", is_flag=True,
                               help=f"Shortcut for --format {json_value}.")(command)
        return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                            show_default=default is not None, help=help)(command)

    return decorate


def out_option(help: str, **settings: Any) -> Any:
    """-o/--out FILE (--output accepted too): where a command writes its output file."""
    return click.option("-o", "--out", "--output", "out", metavar="FILE", help=help,
                        type=click.Path(dir_okay=False, **settings))


# The records commands (domain, evidence, guess, mx, verify) print a table for people, JSON or CSV
# for programs, to stdout or to -o FILE.
_record_format = format_options(
    ["table", "json", "csv"], "table", suffixes={".json": "json", ".csv": "csv"},
    help="Output format. With -o FILE and no --format: the one FILE's suffix names (.json, .csv), "
         "else table.")
# -o FILE for a command that prints to stdout: written through destination(out, …).
file_output = out_option(
    "Write to FILE instead of stdout (replaced whole when the command ends, readable by you "
    "only; '-' is stdout).", writable=True, allow_dash=True)


def record_output(func: Any) -> Any:
    """--format table|json|csv, its --json shortcut and -o/--out FILE, for the records commands:
    the command receives `fmt` and `out` and writes through destination(out, …)."""
    return _record_format(file_output(func))


@dataclasses.dataclass(frozen=True)
class Destination:
    """Where a command writes its output: STREAM (stdout, or the temporary file that becomes -o's
    PATH) and the WIDTH tables are cut to (None for a file: it gets every character)."""

    stream: TextIO
    width: int | None
    path: str | None = None  # None: stdout


@contextlib.contextmanager
def destination(out: str | None, fmt: str, *, wide: bool = False) -> Iterator[Destination]:
    """Stdout, or OUT (-o FILE; "-" is stdout): written to a temporary file that replaces OUT when
    the block ends cleanly and is removed when it raises or is interrupted (Ctrl-C, SIGTERM), so OUT
    is whole or as it was (reachout.output.output_file); then "Wrote OUT" on stderr. Opened before
    a command's lookups, a path that cannot be written is said before they run."""
    if out is None or out == "-":
        yield Destination(sys.stdout, table_width(wide))
        return
    from reachout.cli import say
    from reachout.output import output_file

    with _terminate_as_interrupt(), output_file(out, fmt) as stream:
        yield Destination(stream, None, out)
    say(f"Wrote {out}", err=True)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager) stops the block as Ctrl-C does, as `batch` takes it: the
    -o file's temporary copy is removed on the way out instead of left behind."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler (a program calling the CLI in a thread)
        return

    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # KeyboardInterrupt
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def typed_domain_notice(company: str, *, allow_private: bool = False) -> None:
    """A typed domain's warning on stderr (an unknown top-level domain with the likely one, a
    look-alike), whatever the output format; nothing for a name or what the command refuses later."""
    import contextlib

    from reachout.cli import say
    from reachout.domains import mail_domain
    from reachout.errors import BadInput

    with contextlib.suppress(BadInput):  # (the command itself says what is wrong with it)
        warning = mail_domain(company, allow_private=allow_private).warning
        if warning:
            say(f"Notice: {warning}", err=True)


def wide_option(func: Any) -> Any:
    """--wide: tables show every column whole, wider than the terminal if need be."""
    return click.option("--wide", is_flag=True,
                        help="Show long table cells whole (default: cut to the terminal's width; "
                             "never cut when the output is not a terminal).")(func)


def table_width(wide: bool) -> int | None:
    """The width tables are cut to: the terminal's (COLUMNS if set), none with --wide or when
    stdout is not a terminal (a pipe or a file gets every character)."""
    import os
    import shutil

    if wide:
        return None
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


_DNS_HELP = (
    "Resolver to ask, IP or IP:PORT ([IPv6]:PORT); repeat for fallbacks. Env: REACHOUT_NAMESERVER."
)


def dns_options(func: Any) -> Any:
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
        "--timeout", type=Seconds(min=0.05), default=5.0, show_default=True,
        help="Seconds to wait for each DNS answer, retries included.",
    )(func)
    func = click.option(
        "--nameserver", "nameservers", multiple=True, metavar="IP[:PORT]", help=_DNS_HELP
    )(func)
    return func


def smtp_options(func: Any) -> Any:
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
        click.option("--smtp-timeout", type=Seconds(min=0.05), default=15.0,
                     show_default=True, help="Seconds to wait for each SMTP reply."),
        click.option("--smtp-interval", type=Seconds(min=0), default=1.0,
                     show_default=True,
                     help="Seconds between two sessions to the same mail server."),
        click.option("--greylist-wait", type=Seconds(min=0), default=0.0,
                     show_default=True,
                     help="On a temporary refusal (greylisting), wait this long and ask once "
                          "more; 0 reports it as greylisted."),
        click.option("--smtp-port", type=click.IntRange(1, 65535), default=25, show_default=True,
                     help="For tests against local servers only; real mail servers listen on 25."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def source_options(func: Any) -> Any:
    """Where a company name is looked up: the public sources' addresses and curl-style --resolve."""
    func = click.option(
        "--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDRESS",
        help="Connect to ADDRESS for HOST:PORT, like curl (repeatable; REACHOUT_RESOLVE).",
    )(func)
    func = click.option(
        "--source-url", "source_urls", multiple=True, metavar="NAME=URL",
        help="Base URL of a public source: wikidata, wikipedia, and the evidence sources github, "
             "mailarchive, keyserver, europepmc (repeatable; URL 'off' skips it, also site=off; "
             "env REACHOUT_<NAME>_URL).",
    )(func)
    return func


def lookup_options(func: Any) -> Any:
    """source_options, and --no-lookup, for the commands that take a company (guess, batch)."""
    func = click.option(
        "--no-lookup", is_flag=True,
        help="Never look a company name up (Wikidata, Wikipedia, its site): names are refused.",
    )(func)
    return source_options(func)


def read_items(items: tuple[str, ...]) -> tuple[list[str], bool]:
    """Arguments, with "-" replaced by stdin's lines (blank lines and # comments skipped)."""
    out: list[str] = []
    used_stdin = False
    for item in items:
        if item == "-":
            used_stdin = True
            out.extend(stdin_lines())
        else:
            out.append(item)
    return out, used_stdin


def stdin_lines() -> Any:
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


def probe_options(smtp: bool, helo: str | None, sender: str, smtp_timeout: float,
                   smtp_interval: float, greylist_wait: float, smtp_port: int) -> dict[str, Any]:
    """The SMTP probe's keyword arguments from the options smtp_options adds."""
    return {
        "smtp": smtp, "helo": helo, "sender": sender, "smtp_timeout": smtp_timeout,
        "smtp_interval": smtp_interval, "greylist_wait": greylist_wait, "smtp_port": smtp_port,
    }
