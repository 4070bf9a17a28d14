"""`reachout brief`: a sourced company brief to read before a call."""

from __future__ import annotations

import click

from reachout.cli import cli, say
from reachout.cli.options import (
    Seconds,
    destination,
    format_options,
    out_option,
    typed_domain_notice,
)


@cli.command()
@click.argument("company")
@click.option("--role", "role", metavar="KEYWORDS", help="Highlight open roles that match.")
@click.option("--name", metavar="NAME", help="The company's name, if the site does not say it.")
@format_options(["md", "json", "html"], "md", help="Output format.")
@out_option("Write here, not stdout.", writable=True)
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
              "smartrecruiters, personio, recruitee, teamtailor, workday, wikidata, wikipedia "
              "(repeatable; "
              "URL 'off' "
              "skips it; "
              "env REACHOUT_<NAME>_URL).")
@click.option("--nameserver", "nameservers", multiple=True, metavar="IP[:PORT]",
              help="Resolver for the mail-setup facts (MX provider, SPF). Env: REACHOUT_NAMESERVER.")
@click.option("--no-mail", is_flag=True, help="Skip the mail-setup facts (no DNS lookups).")
@click.option("--no-lookup", is_flag=True,
              help="Never look a company name up: COMPANY must be a domain, URL or address.")
@click.option("--timeout", type=Seconds(min=0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="Read timeout per request.")
@click.option("--max-time", type=Seconds(min=0.1), default=180.0, show_default=True,
              metavar="SECONDS", help="Wall-clock limit for the whole run; an answer still arriving "
              "then is cut off and noted (each answer has at most 30 s).")
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
    no_lookup: bool,
    timeout: float,
    max_time: float,
) -> None:
    """Research COMPANY (domain, URL, address or name): a sourced brief to read before a call.

    A company name is first looked up (as `reachout domain` does); the domain chosen is printed
    on stderr. --no-lookup refuses names.

    Reads the company's own site politely (robots.txt, rate limits), its feeds, its job boards'
    public APIs, Wikidata and Wikipedia; every fact names its source. The JSON is also saved to
    the user directory (briefs/DOMAIN.json).
    """
    import json
    import time

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
        run_deadline=max_time,
        run_started=time.monotonic(),  # the name lookup below counts towards --max-time
    )
    config.resolve.update(parse_resolve(resolve))
    endpoints = Endpoints.from_env()
    for item in source_urls:
        key, sep, url = item.partition("=")
        if not sep:
            raise click.UsageError(f"--source-url {item!r} is not NAME=URL.")
        endpoints.point(key, url)
    # --out is opened first: a path that cannot be written is said before the research, not after.
    with destination(out, fmt) as dest:
        from reachout.company import domain_for_company

        looked_up, chosen = domain_for_company(
            company, lookup=not no_lookup, source_urls=source_urls, resolve=resolve,
            allow_private=config.allow_private, nameservers=nameservers, timeout=min(5.0, timeout),
            site=True, offline=offline,
        )
        if chosen:
            say(chosen, err=True)
            name, company = name or company, looked_up
        else:
            typed_domain_notice(company, allow_private=config.allow_private)
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
        if dest.path:
            dest.stream.write(rendered)  # the file holds the brief as it is
        else:
            # Markdown and HTML are read by people: terminal-safe; JSON is data (and escapes its own).
            (click.echo if fmt == "json" else say)(rendered, nl=False)
    for note in result.notes + ([unsaved] if unsaved else []):
        say(f"note: {note}", err=True)

