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
@click.option("--cache-ttl", type=click.FloatRange(min=0), default=86400.0, show_default=True,
              metavar="SECONDS", help="How long cached pages stay fresh.")
@click.option("--allow-private", is_flag=True, envvar="REACHOUT_ALLOW_PRIVATE",
              help="Allow private and loopback addresses (link-local stays refused).")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDRESS",
              help="Connect to ADDRESS for HOST:PORT, like curl (repeatable; REACHOUT_RESOLVE).")
@click.option("--source-url", "source_urls", multiple=True, metavar="NAME=URL",
              help="Base URL of a public source: greenhouse, lever, ashby, workable, "
              "smartrecruiters, wikidata, wikipedia (repeatable; URL 'off' skips it; "
              "env REACHOUT_<NAME>_URL).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
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
    result = build_brief(company, role=role, max_pages=max_pages, name=name, config=config,
                         endpoints=endpoints)
    save_brief(result)
    text = {"md": result.to_markdown, "html": result.to_html}.get(fmt)
    rendered = text() if text else json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(rendered)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(rendered, nl=False)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
# --- end company brief ------------------------------------------------------------------------
