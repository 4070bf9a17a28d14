"""`reachout guess`: ranked candidate addresses for a person at a company."""

from __future__ import annotations

import re
from typing import Any

import click

from reachout.cli import cli, say
from reachout.cli.options import (
    Destination,
    destination,
    dns_options,
    lookup_options,
    probe_options,
    record_output,
    smtp_options,
    wide_option,
)


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
@click.option("--site-addresses/--no-site-addresses", default=True, show_default=True,
              help="Also learn from the named addresses the last `reachout brief` of the company "
                   "found on its site.")
@click.option("--evidence/--no-evidence", "public_evidence", default=True, show_default=True,
              help="Also learn from the public addresses `reachout evidence` saved for the domain.")
@click.option("--find-evidence", is_flag=True,
              help="Gather public evidence for the domain first (as `reachout evidence` does; saved "
                   "evidence younger than 30 days is reused).")
@record_output
@wide_option
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@click.option("--verify", is_flag=True,
              help="Check the candidates (DNS; with --smtp the mail server too) and re-rank them.")
@dns_options
@smtp_options
@lookup_options
def guess(
    name: str,
    company: str,
    known: tuple[str, ...],
    known_file: str | None,
    size: str | None,
    top: int,
    roles: bool,
    site_addresses: bool,
    public_evidence: bool,
    find_evidence: bool,
    fmt: str,
    out: str | None,
    wide: bool,
    patterns_dir: str | None,
    **check: Any,
) -> None:
    """Rank likely addresses for NAME at COMPANY (a domain, URL, e-mail address or company name).

    A company name is looked up first (as `reachout domain` does; --no-lookup refuses it).

    \b
    Examples:
      reachout guess "Jane Doe" acme.com
      reachout guess "Jane Doe" "Acme Corp"
      reachout guess "Jane Doe" https://www.acme.com/about
      reachout guess "Jane Doe" acme.com --known "Bob Li <bli@acme.com>"
      reachout guess "Jane Doe" acme.com -o jane.csv
    """
    from reachout import output
    from reachout.company import domain_for_company
    from reachout.guessing import guess as run_guess
    from reachout.guessing import read_known_path

    # Opened first: a path that cannot be written is said before the lookups, not after.
    with destination(out, fmt, wide=wide) as dest:
        source_urls, resolve = check.pop("source_urls"), check.pop("resolve")
        company, chosen = domain_for_company(
            company, lookup=not check.pop("no_lookup"), source_urls=source_urls,
            resolve=resolve, allow_private=check["allow_private"],
            nameservers=check["nameservers"], timeout=check["timeout"], cache=not check["no_cache"])
        if chosen:
            say(chosen, err=True)
        if find_evidence:
            from reachout.evidence.gather import evidence_settings
            from reachout.evidence.gather import find_evidence as gather

            gathered = gather(company, patterns=patterns_dir, **evidence_settings(
                source_urls=source_urls, resolve=resolve, allow_private=check["allow_private"],
                timeout=check["timeout"]))
            for line in gathered.unreachable():  # each host once, not once per source that needs it
                say(f"Notice: evidence: {line}", err=True)
            for report in gathered.sources:
                for note in report.notes if report.status != "failed" else ():
                    say(f"Notice: evidence from {report.source}: {note}", err=True)
            public_evidence = True
        pairs: list[Any] = list(known)  # a malformed one becomes a notice, not a failed guess
        file_notices: list[str] = []
        if known_file:
            pairs += read_known_path(known_file, allow_private=check["allow_private"],
                                     notices=file_notices)
        result = run_guess(name, company, known=pairs, size=size, top=top, roles=roles,
                           patterns=patterns_dir, allow_private=check["allow_private"],
                           site_addresses=site_addresses, public_evidence=public_evidence)
        for notice in output.summarised(file_notices + result.notices):
            say(f"Notice: {notice}", err=True)
        if check.pop("verify") or check["smtp"]:
            emit_verified_guess(verify_guess_options(result, patterns_dir, **check), fmt, dest)
        else:
            emit_guess(result, fmt, dest)


_SOURCE = re.compile(r" \(((?:[\w.-]+/)*[\w.-]+\.toml)\)")


def _cited_once(rows: list[dict[str, Any]], key: str) -> tuple[list[dict[str, Any]], str]:
    """ROWS with the data file every KEY cell cites ("(patterns/formats.toml)") taken out, and a
    line that says it once."""
    sources = {m.group(1) for r in rows for m in _SOURCE.finditer(r[key])}
    if not sources:
        return rows, ""
    rows = [dict(r, **{key: _SOURCE.sub("", r[key])}) for r in rows]
    return rows, f"Prior shares are from {', '.join(sorted(sources))}.\n"


def _why(row: dict[str, Any]) -> str:
    """A candidate's first reasons, without the "format {pattern}: " its pattern column shows."""
    said = f"format {row['pattern']}: "
    return "; ".join(r.removeprefix(said) for r in row["reasons"][:2])


def emit_guess(result: Any, fmt: str, dest: Destination) -> None:
    from reachout import output

    rows = [c.to_dict() for c in result.candidates]
    file, width = dest.stream, dest.width
    if fmt == "json":
        click.echo(output.to_json(result.to_dict()), file=file)
        return
    if fmt == "csv":
        output.write_csv(rows, ["address", "kind", "pattern", "confidence", "reasons"], file)
        return
    reading = result.name.best
    second = f", second surname {reading.last2!r}" if reading.last2 else ""
    say(f"{result.name.original} at {result.domain} "
        f"(read as first {reading.first!r}, last {reading.last!r}{second})", file=file)
    if result.learned and result.learned.evidence:
        best = result.learned.formats[0]
        conventions = result.learned.convention_summary()
        say(f"Learned from {learned_from(result.sources, result.learned.evidence)}: "
            f"{best.pattern} {best.probability:.0%}" + (f"; names read with {conventions}"
                                                       if conventions else ""), file=file)
    personal, cited = _cited_once(
        [dict(r, confidence=f"{r['confidence']:.1%}", why=_why(r)) for r in rows
         if r["kind"] == "personal"], "why")
    say("", file=file)
    say(output.render_table(personal, ["address", "confidence", "pattern", "why"],
                            width=width), nl=False, file=file)
    say(cited, nl=False, file=file)
    inboxes = [dict(r, share=f"~{r['confidence']:.0%} of companies", use=r["reasons"][0])
               for r in rows if r["kind"] == "role"]
    if inboxes:
        say("\nGeneric inboxes (not personal; share is a rough estimate):", file=file)
        say(output.render_table(inboxes, ["address", "share", "use"], width=width), nl=False,
            file=file)


def learned_from(sources: dict[str, int], explained: int) -> str:
    """'23 public addresses (github 17, site 4, mailarchive 2)' (and the ones the user gave), or
    'N known address(es)' when all were given."""
    public = {k: v for k, v in sources.items() if k != "given"}
    given = sources.get("given", 0)
    if not public:
        return f"{explained} known address(es)"
    total = sum(public.values())
    parts = ", ".join(f"{k} {v}" for k, v in sorted(public.items(), key=lambda kv: (-kv[1], kv[0])))
    text = f"{total} public address{'es' if total != 1 else ''} ({parts}"
    return text + (f"; and {given} you gave)" if given else ")")


def verify_guess_options(result: Any, patterns: str | None, **check: Any) -> Any:
    """Run reachout.mail.verify.verify_guess with the options of `guess --verify`."""
    from reachout.mail.verify import verify_guess

    return verify_guess(
        result,
        nameservers=check["nameservers"],
        timeout=check["timeout"],
        allow_private=check["allow_private"],
        cache=not check["no_cache"],
        patterns=patterns,
        **probe_options(check["smtp"], check["helo"], check["sender"], check["smtp_timeout"],
                         check["smtp_interval"], check["greylist_wait"], check["smtp_port"]),
    )


def emit_verified_guess(checked: Any, fmt: str, dest: Destination) -> None:
    """Print a guess with each candidate's verdict; ruled-out candidates listed apart."""
    from reachout import output

    for notice in output.summarised(checked.notices):
        say(f"Notice: {notice}", err=True)
    file, width = dest.stream, dest.width
    if fmt == "json":
        click.echo(output.to_json(checked.to_dict()), file=file)
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
            file,
        )
        return
    domain = checked.domain
    mail = f"{domain.status}: {domain.reason}" if domain else "not checked"
    say(f"{checked.guess.name.original} at {checked.guess.domain} (mail: {mail})", file=file)
    personal = [dict(r, confidence=f"{r['confidence']:.1%}") for r in rows
                if r["kind"] == "personal"]
    say("", file=file)
    say(output.render_table(personal, ["address", "confidence", "verdict", "smtp", "why"],
                            width=width), nl=False, file=file)
    inboxes = [r for r in rows if r["kind"] == "role"]
    if inboxes:
        say("\nGeneric inboxes:", file=file)
        say(output.render_table(inboxes, ["address", "verdict", "smtp", "why"], width=width),
            nl=False, file=file)
    if gone:
        say("\nRuled out by the mail server:", file=file)
        say(output.render_table(gone, ["address", "smtp", "why"], width=width), nl=False,
            file=file)
