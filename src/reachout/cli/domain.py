"""`reachout domain`: a company's name to its website and mail domain, with the evidence."""

from __future__ import annotations

from typing import Any, TextIO

import click

from reachout.cli import cli, say
from reachout.cli.options import destination, dns_options, read_items, record_output, source_options
from reachout.errors import NotFound

CSV_COLUMNS = ["query", "status", "domain", "website_domain", "mail_domain", "confidence", "company",
               "website_source", "wikidata", "mail_reason", "reasons", "alternatives", "notes"]


class NameNotFound(NotFound):
    """The one name asked about matched no company."""


@cli.command("domain")
@click.argument("names", nargs=-1, required=True)
@click.option("--country", metavar="COUNTRY", help="Where the company is (a name or ISO code: DE).")
@click.option("--city", metavar="CITY", help="Its headquarters' city.")
@click.option("--industry", metavar="WORDS", help="What it does (airline, software…).")
@click.option("--website", metavar="DOMAIN|URL|ADDRESS",
              help="A website or any address you have for it, to check and prefer.")
@record_output
@source_options
@dns_options
def domain_command(
    names: tuple[str, ...],
    country: str | None,
    city: str | None,
    industry: str | None,
    website: str | None,
    fmt: str,
    out: str | None,
    source_urls: tuple[str, ...],
    resolve: tuple[str, ...],
    nameservers: tuple[str, ...],
    timeout: float,
    allow_private: bool,
    no_cache: bool,
) -> None:
    """Find the website and mail domain of each company in NAMES ("-" reads names from stdin).

    Asks Wikidata (entity search, then official website, country, headquarters, industry, parent
    company), Wikipedia's infobox when Wikidata is unsure, DNS (does the domain take mail?) and the
    home page (does it name the company?), and weighs the clues into one confidence. An ambiguous
    name shows its alternatives; --country/--city/--industry/--website narrow it. Status failed
    means a source could not be reached (it is asked no more this run). Exits 1 when no name is
    found.

    \b
    Examples:
      reachout domain "Acme Corp"
      reachout domain Delta --industry airline
      cut -d, -f1 companies.csv | reachout domain - --format csv
      reachout domain "Acme Corp" Globex -o domains.json
    """
    from reachout.company.finder import find_domain, find_each, lookup_settings

    items, _ = read_items(names)
    settings = lookup_settings(source_urls=source_urls, resolve=resolve, allow_private=allow_private,
                               nameservers=nameservers, timeout=timeout, cache=not no_cache)
    from reachout.http import build_session

    matches = []
    with destination(out, fmt) as dest, build_session(settings.pop("config")) as session:
        options = dict(country=country, city=city, industry=industry, website=website,
                       session=session, timeout=timeout, **settings)
        # One name: its failure is the command's (a one-line error). Several: each name's failure is
        # its own row, and the others' answers are all written.
        lookups = iter([find_domain(items[0], **options)]) if len(items) == 1 else find_each(items, **options)
        for match in lookups:
            matches.append(match)
            if fmt == "csv":
                emit_csv([match], header=len(matches) == 1, file=dest.stream)
        if fmt == "json":
            from reachout import output

            click.echo(output.to_json([m.to_dict() for m in matches]), file=dest.stream)
        elif fmt == "table":
            say(render(matches), nl=False, file=dest.stream)
    printed: set[str] = set()
    for match in matches:
        for note in match.notes:
            # A source that cannot be reached is said once, not once per name.
            if note not in printed:
                printed.add(note)
                say(f"note: {match.query}: {note}", err=True)
    missing = [m for m in matches if m.status in {"not_found", "failed"}]
    if len(matches) == 1 and missing:
        from reachout.company.finder import describe_failure

        raise NameNotFound(describe_failure(matches[0], notes=False))
    if matches and len(missing) == len(matches):
        failed = sum(m.status == "failed" for m in missing)
        why = (f"{failed} could not be looked up (see the notes above)" if failed == len(matches)
               else f"{failed} could not be looked up, {len(matches) - failed} are unknown"
               if failed else "none is known to the sources")
        raise NameNotFound(f"No domain found for any of the {len(matches)} names: {why}.")


def _row(match: Any) -> dict[str, Any]:
    best = match.best
    return {
        "query": match.query,
        "status": match.status,
        "domain": match.domain,
        "website_domain": best.website_domain if best else None,
        "mail_domain": best.mail_domain if best else None,
        "confidence": f"{best.confidence:.1%}" if best else "",
        "company": best.name if best else "",
        "website_source": best.website_source if best else "",
        "wikidata": best.wikidata if best else "",
        "mail_reason": best.mail_reason if best else "",
        "reasons": [e.detail for e in best.evidence] if best else [],
        "alternatives": [f"{c.mail_domain or c.website_domain} ({c.name}, {c.confidence:.1%})"
                         for c in match.alternatives],
        "notes": list(match.notes),
    }


def emit_csv(matches: list[Any], *, header: bool, file: TextIO) -> None:
    from reachout import output

    output.write_csv([_row(m) for m in matches], CSV_COLUMNS, file, header=header)


def render(matches: list[Any]) -> str:
    """The table: one line per name; then, for one name or a doubtful one, the evidence."""
    from reachout import output

    rows = [dict(_row(m), domain=_row(m)["mail_domain"] or "", website=_row(m)["website_domain"] or "")
            for m in matches]
    text = output.render_table(rows, ["query", "status", "domain", "website", "confidence",
                                      "company"])
    for match in matches:
        if match.best is None or (len(matches) > 1 and match.status == "found"):
            continue
        text += f"\n{match.query}: {match.best.name}"
        text += f" ({match.best.wikidata})\n" if match.best.wikidata else "\n"
        if match.best.mail_reason:
            text += f"  mail: {match.best.mail_reason}\n"
        for clue in match.best.evidence:
            text += f"  {clue.weight:+.1f}  {clue.detail}\n"
        for alternative in match.alternatives:
            text += (f"  or: {alternative.mail_domain or alternative.website_domain} "
                     f"({alternative.name}, {alternative.confidence:.1%}): "
                     f"{'; '.join(e.detail for e in alternative.evidence[:3])}\n")
    return text
