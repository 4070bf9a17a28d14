"""`reachout evidence`: the address format public sources show for a domain, and the addresses behind it."""

from __future__ import annotations

import sys
from typing import Any

import click

from reachout.cli import cli, say
from reachout.cli.options import (
    Destination,
    destination,
    dns_options,
    lookup_options,
    read_items,
    record_output,
    typed_domain_notice,
    wide_option,
)
from reachout.research.endpoints import EVIDENCE_SOURCES

_SOURCES = click.Choice(EVIDENCE_SOURCES)  # one list of the sources: research/endpoints.py


@cli.command()
@click.argument("companies", nargs=-1, required=True)
@click.option("--addresses", is_flag=True,
              help="List each address found, with its source, date and weight.")
@click.option("--source", "sources", multiple=True, type=_SOURCES,
              help="Ask only this source (repeatable). Default: all of them.")
@click.option("--refresh", is_flag=True,
              help="Gather again even when evidence younger than 30 days is saved.")
@click.option("--no-save", is_flag=True, help="Do not keep the evidence in the user directory.")
@record_output
@wide_option
@click.option("--patterns", "patterns_dir", type=click.Path(file_okay=False, exists=True),
              help="Use your own patterns/ data folder.")
@dns_options
@lookup_options
def evidence(
    companies: tuple[str, ...],
    addresses: bool,
    sources: tuple[str, ...],
    refresh: bool,
    no_save: bool,
    fmt: str,
    out: str | None,
    wide: bool,
    patterns_dir: str | None,
    **check: Any,
) -> None:
    """Learn each COMPANY's address format from people's public addresses ("-" reads stdin).

    Asks, in parallel and within a small request budget per domain: the company's own pages (staff,
    press and contact pages, or its saved brief), the commit authors of its public GitHub
    repositories, a public-inbox mailing-list archive, an OpenPGP keyserver and Europe PMC's
    author affiliations. Keeps only people's addresses at the domain (no role inboxes, bots or
    handles), one per person, and saves them for 30 days so `reachout guess` learns from them
    (see docs/evidence.md for what is kept and how to clear it: `reachout cache clear`).

    \b
    Examples:
      reachout evidence acme.com
      reachout evidence acme.com --addresses
      reachout evidence "Acme Corp" --source github --format json
      reachout evidence acme.com --addresses -o acme-addresses.csv
    """
    import dataclasses

    from reachout.company import domain_for_company
    from reachout.errors import ReachoutError
    from reachout.evidence import find_evidence
    from reachout.evidence.gather import evidence_settings
    from reachout.http import build_session

    items, _ = read_items(companies)
    settings = evidence_settings(source_urls=check["source_urls"], resolve=check["resolve"],
                                 allow_private=check["allow_private"], timeout=check["timeout"])
    if refresh:  # asked again, not read from the HTTP cache
        settings["config"] = dataclasses.replace(settings["config"], refresh=True)
    results: list[dict[str, Any]] = []
    failed = 0
    said: set[str] = set()
    # One session for the run: a host one company could not reach is not asked again for the next.
    # The output is opened first: a path that cannot be written is said before the run, not after.
    with destination(out, fmt, wide=wide) as dest, build_session(settings["config"]) as session:
        for number, company in enumerate(items, start=1):
            if len(items) > 1:
                say(f"[{number}/{len(items)}] {company}", err=True)
            try:
                target, chosen = domain_for_company(
                    company, lookup=not check["no_lookup"], source_urls=check["source_urls"],
                    resolve=check["resolve"], allow_private=check["allow_private"],
                    nameservers=check["nameservers"], timeout=check["timeout"],
                    cache=not check["no_cache"], site=True, session=session)
                if chosen:
                    say(chosen, err=True)
                else:
                    typed_domain_notice(company, allow_private=check["allow_private"])
                found = find_evidence(target, sources=sources or None, refresh=refresh,
                                      save=not no_save, patterns=patterns_dir, session=session,
                                      **settings)
            except ReachoutError as exc:
                if len(items) == 1:
                    raise
                failed += 1  # one bad company never loses another's result
                results.append({"company": company, "error": str(exc)})
                say(f"Error: {company}: {exc}", err=True)
                continue
            for line in found.unreachable():  # each unreachable host said once for the run
                if line not in said:
                    said.add(line)
                    say(f"Error: {line}", err=True)
            failed += found.failed
            results.append({"company": company, **found.to_dict()})
        emit(results, fmt, addresses, dest)
    if failed:
        sys.exit(1)


def emit(results: list[dict[str, Any]], fmt: str, addresses: bool, dest: Destination) -> None:
    from reachout import output

    if fmt == "json":
        click.echo(output.to_json(results if len(results) != 1 else results[0]), file=dest.stream)
        return
    if fmt == "csv":
        if addresses:
            # A company that failed keeps a row (its error), as in the per-source CSV.
            rows = [dict(p, domain=r.get("domain"), company=r["company"], error=r.get("error", ""))
                    for r in results for p in r.get("pairs", [{}])]
            fields = ["company", "domain", "name", "address", "source", "date", "weight", "url",
                      "error"]
        else:
            rows = [dict(s, domain=r.get("domain"), company=r["company"],
                         notes="; ".join(s["notes"]), unreachable="; ".join(s.get("unreachable", [])),
                         error=r.get("error", ""))
                    for r in results for s in r.get("sources", [{"notes": []}])]
            fields = ["company", "domain", "source", "status", "people", "format", "share", "requests",
                      "skipped", "notes", "unreachable", "error"]
        output.write_csv(rows, fields, dest.stream)
        return
    for index, result in enumerate(results):
        if index:
            say("", file=dest.stream)
        _table(result, addresses, dest)


def _table(result: dict[str, Any], addresses: bool, dest: Destination) -> None:
    from reachout import output

    file, width = dest.stream, dest.width
    if "error" in result:
        say(f"{result['company']}: {result['error']}", file=file)
        return
    kept = "saved" if result.get("from_store") else "gathered"
    until = f"kept until {result['expires_at'][:10]}" if result.get("saved") else "not saved"
    say(f"{result['domain']}: {_people(result['people'])} found ({kept} "
        f"{result['gathered_at'][:10]}, {until})", file=file)
    rows = [{
        "source": s["source"],
        "people": s["people"] if not s["skipped"] else "-",
        "format": s["format"] or "",
        "share": f"{s['share']:.0%}" if s["share"] is not None else "",
        "note": s["skipped"] or _failed(s) or "; ".join(s["notes"][:2]),
    } for s in result["sources"]]
    say(output.render_table(rows, ["source", "people", "format", "share", "note"], width=width),
        nl=False, file=file)
    learned = result.get("learned")
    if learned and learned.get("formats"):
        best = learned["formats"][0]
        line = f"Learned from {_people(len(result['pairs']))}: {best['pattern']} {best['probability']:.0%}"
        others = [f"{f['pattern']} {f['probability']:.0%}" for f in learned["formats"][1:3]
                  if f["probability"] >= 0.02]
        customs = "; ".join(f"{c['dimension']}: {c['option']} {c['share']:.0%}"
                            for c in result.get("custom_shares") or [])
        say(line + (f" (then {', '.join(others)})" if others else "")
            + (f"; names: {customs}" if customs else ""), file=file)
    elif result.get("failed"):
        say("Nothing found: a source could not be reached (said above); try again when it can be.",
            file=file)
    else:
        say("No public addresses of people at the domain were found.", file=file)
    for notice in result.get("notices", []) + ((learned or {}).get("notices") or []):
        say(f"Notice: {notice}", err=True)
    if addresses and result["pairs"]:
        say("", file=file)
        say(output.render_table(result["pairs"], ["name", "address", "source", "date", "weight"],
                                width=width), nl=False, file=file)


def _failed(source: dict[str, Any]) -> str:
    """'failed: cannot reach api.github.com' for a source that reached no one (the reason is said
    once on stderr), else ''."""
    if source.get("status") != "failed":
        return ""
    return "failed: " + ", ".join(line.partition(": ")[0] for line in source.get("unreachable", []))


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"
