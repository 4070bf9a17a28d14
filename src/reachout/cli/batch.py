"""`reachout batch`: a whole target list, concurrent and resumable."""

from __future__ import annotations

import sys
from typing import Any

import click

from reachout.cli import cli, say
from reachout.cli.options import (
    Seconds,
    dns_options,
    format_options,
    lookup_options,
    out_option,
    smtp_options,
)


@cli.command("batch")
@click.argument("input_path", metavar="INPUT")
@out_option("Write the results here (written from saved state, in input order, atomically). "
            "Default: standard output, once the run is complete.", writable=True)
@format_options(["csv", "jsonl"], None, json_value="jsonl",
                help="csv (safe to open in a spreadsheet) or jsonl (everything). Default: from "
                     "--out's suffix, else csv.")
@click.option("--verify", is_flag=True, help="Check each candidate address (syntax, role, DNS route).")
@click.option("--top", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Candidates per person (and generic inboxes per company-only row).")
@click.option("--size", type=click.Choice(["small", "medium", "large"]),
              help="Company size for the format priors.")
@click.option("--brief", "brief_dir", type=click.Path(file_okay=False),
              help="Write one company brief per domain into this folder; key facts become columns.")
@click.option("--evidence", is_flag=True,
              help="Gather public evidence of each domain's address format first (once per domain, "
                   "as `reachout evidence` does; saved evidence younger than 30 days is reused).")
@click.option("--concurrency", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Rows worked on at once.")
@click.option("--state", type=click.Path(dir_okay=False),
              help="State database. Default: OUT.state.sqlite, else one per input in the user directory.")
@click.option("--restart", is_flag=True, help="Discard the saved state and start from the first row.")
@click.option("--retry-failed", is_flag=True,
              help="Redo rows that failed for reasons that may pass: lookups (DNS, the public "
                   "sources) at once, greylisted checks after --retry-after.")
@click.option("--retry-after", type=Seconds(min=0), default=600, show_default=True,
              help="Seconds a mail server that greylisted a check needs before --retry-failed "
                   "asks again.")
@click.option("--encoding", help="The input's encoding if not UTF-8 (e.g. cp1252, latin-1, utf-16).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr. Default: only when stderr is a terminal.")
@click.option("--quiet", is_flag=True, help="No summary table at the end.")
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@dns_options
@smtp_options
@lookup_options
def batch_command(
    input_path: str, out: str | None, fmt: str | None, verify: bool, top: int, size: str | None,
    brief_dir: str | None, evidence: bool, concurrency: int, state: str | None, restart: bool,
    retry_failed: bool,
    retry_after: float, encoding: str | None, progress: bool | None, quiet: bool,
    patterns_dir: str | None, nameservers: tuple[str, ...], timeout: float, allow_private: bool,
    no_cache: bool, smtp: bool, helo: str | None, sender: str, smtp_timeout: float,
    smtp_interval: float, greylist_wait: float, smtp_port: int, source_urls: tuple[str, ...],
    resolve: tuple[str, ...], no_lookup: bool,
) -> None:
    """Work through INPUT: a CSV with a header (company, domain/website, name or first/last name,
    title, known email…), a JSON-lines file, or a list of domains one a line; "-" reads stdin.

    A row with only a company's name has it looked up (as `reachout domain` does): a sure answer
    fills the row's domain (columns domain_source, domain_confidence); an ambiguous or doubtful one
    marks the row "review" with the choices in its error. --no-lookup keeps the run offline.

    Each row gets its normalised domain, the domain's mail status, provider and MX, and, for a row
    with a person, the top candidate addresses with confidences (--verify/--smtp check them). Known
    addresses in the file teach each domain's format. Every finished row is saved at once: run the
    same command again after Ctrl-C, a crash or a reboot and it carries on where it stopped.

    \b
    Examples:
      reachout batch targets.csv --out results.csv
      reachout batch targets.csv --out results.jsonl --verify
      cut -d, -f2 targets.csv | reachout batch - --out domains.csv
      printf 'company,name\\nStripe,Jane Doe\\n' | reachout batch - --out names.csv
    """
    from reachout.batch import BatchInterrupted, run_batch

    smtp_options = {"helo": helo, "sender": sender, "smtp_timeout": smtp_timeout,
                    "smtp_interval": smtp_interval, "greylist_wait": greylist_wait,
                    "smtp_port": smtp_port}
    target: Any = out if out else sys.stdout
    evidence_options: dict[str, Any] = {}
    if evidence:
        from reachout.evidence.gather import evidence_settings

        evidence_options = evidence_settings(source_urls=source_urls, resolve=resolve,
                                             allow_private=allow_private, timeout=timeout)
    try:
        summary = run_batch(
            input_path, out=target, fmt=fmt, verify=verify, smtp=smtp, top=top, size=size,
            concurrency=concurrency, state=state, nameservers=nameservers, timeout=timeout,
            allow_private=allow_private, progress=progress, encoding=encoding, restart=restart,
            retry_failed=retry_failed, retry_after=retry_after, brief_dir=brief_dir,
            patterns=patterns_dir, smtp_options=smtp_options, lookup=not no_lookup,
            lookup_options={"source_urls": source_urls, "resolve": resolve,
                            "timeout": max(timeout, 2.0)},
            notify=lambda text: say(text, err=True), cache=not no_cache,
            evidence=evidence, evidence_options=evidence_options,
        )
    except BatchInterrupted as stop:
        if not quiet:
            say(stop.summary.render(), err=True, nl=False)
        for notice in stop.summary.notices:
            say(notice, err=True)
        click.get_current_context().exit(130)
    if not quiet:
        say(summary.render(), err=True, nl=False)
        for notice in summary.notices:
            say(notice, err=True)
