"""The `reachout` command line: parses options, calls one library function, prints the result.

One module per command group; each registers its commands on `cli` when imported below.
"""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from reachout import __version__
from reachout.errors import ReachoutError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ReachoutGroup(click.Group):
    """Turns library errors into one-line messages with exit code 1, Ctrl-C into 130."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --traceback is taken anywhere on the line (`reachout guess … --traceback`), as the
        # internal-error message asks for it: not only before the subcommand.
        end = args.index("--") if "--" in args else len(args)
        if "--traceback" in args[:end]:
            ctx.meta["reachout.traceback"] = True
            args = [a for a in args[:end] if a != "--traceback"] + args[end:]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReachoutError as exc:
            if ctx.meta.get("reachout.traceback"):
                raise
            raise click.ClickException(one_line(str(exc))) from None
        except KeyboardInterrupt:
            say("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `reachout … | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            ctx.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            # A bug: still one line and exit 1, with the way to the full story.
            if ctx.meta.get("reachout.traceback"):
                raise
            raise click.ClickException(
                one_line(f"internal error ({type(exc).__name__}: {exc}); this is a bug in "
                         "reachout: rerun with --traceback and report what it prints.")
            ) from None


def say(text: str, *, err: bool = False, nl: bool = True, file: IO[Any] | None = None) -> None:
    """Print human-readable TEXT (a table, notice, header or Markdown) with the control and bidi
    characters that remote data or a typed name may hold escaped (reachout.output.terminal_text),
    to stdout, stderr (ERR) or FILE (a command's -o file).
    Data (JSON, CSV, exported files) goes out with click.echo as it is."""
    from reachout.output import terminal_text

    click.echo(terminal_text(text), file=file, err=err, nl=nl)


def one_line(message: str) -> str:
    """MESSAGE as one readable line: control characters escaped, very long words shortened."""
    import re

    text = "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )
    # A 1 MB argument echoed back is not a message: keep its start and end.
    return re.sub(r"\S{121,}", lambda m: f"{m.group()[:80]}…{m.group()[-30:]}", text)


@click.group(cls=ReachoutGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="reachout")
@click.option("--traceback", is_flag=True, hidden=True, help="Re-raise errors (for debugging).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Find the right address at a company, check it, research the company and follow up on time."""
    ctx.meta["reachout.traceback"] = traceback or ctx.meta.get("reachout.traceback", False)


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


@cache.command("clear")
def cache_clear() -> None:
    """Delete the DNS and HTTP caches and the saved public evidence (briefs and tracker are kept)."""
    from reachout.cache import clear_user_caches

    removed = clear_user_caches()
    say("Removed " + ", ".join(removed) + "." if removed else "Nothing to remove.")


# The command modules register themselves on `cli`; imported last, as they import `cli`.
from reachout.cli import batch, brief, check, domain, evidence, followup, guess  # noqa: E402

__all__ = ["batch", "brief", "check", "cli", "domain", "evidence", "followup", "guess", "main"]
