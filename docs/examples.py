"""Runs the commands shown in README.md and docs/*.md for cog (`cog -r`), so their output is real and
CI (`cog --check`) notices when it goes stale.

Each example runs in-process through Click's test runner, in a fresh REACHOUT_HOME, against the test
suite's own servers on loopback (NSD for DNS), which start on first use. What the reader types is shown;
test-only switches (`--nameserver` with the local server's port) are added out of sight.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _repo_on_path() -> None:
    """The repository on sys.path, for tests.servers (cog restores sys.path after each file)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

_state: dict[str, object] = {}


def _loopback_only() -> None:
    """As the test suite does (tests/conftest.py): every connection and datagram goes to loopback, and
    no name reaches the system resolver, whatever an example asks for."""
    import ipaddress
    import socket

    import reachout.http

    def guard(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"a docs example tried to reach {address!r}: examples use loopback only")

    connect, sendto = socket.socket.connect, socket.socket.sendto
    socket.socket.connect = lambda self, address: (guard(address), connect(self, address))[1]  # type: ignore[method-assign]
    socket.socket.sendto = lambda self, data, *args: (guard(args[-1]), sendto(self, data, *args))[1]  # type: ignore[method-assign]

    def refuse(host: str, port: int) -> list[str]:
        raise OSError(f"a docs example tried to resolve {host!r} through the system resolver")

    reachout.http._system_resolve = refuse  # type: ignore[attr-defined]


_loopback_only()

# Briefs word their talking points for the age of the news: read them on one fixed day, as the
# brief's tests do (tests/research/conftest.py), so the examples do not change as the fixtures age.
BRIEF_DAY = "2026-12-01T12:00:00Z"


def _fixed_brief_day() -> None:
    import reachout.research.crawl

    reachout.research.crawl.now_iso = lambda: BRIEF_DAY  # type: ignore[attr-defined]


_fixed_brief_day()


def _home() -> str:
    if "home" not in _state:
        _state["home"] = tempfile.mkdtemp(prefix="reachout-docs-")
    return str(_state["home"])


def fresh_home() -> None:
    """Start the next examples in a new, empty user directory (a new tracker, no saved briefs)."""
    _state["home"] = tempfile.mkdtemp(prefix="reachout-docs-")


def saved_brief(fixture: str, domain: str) -> None:
    """Put the test suite's saved-brief FIXTURE (tests/fixtures/briefs/) in the user directory as
    DOMAIN's, as `reachout brief DOMAIN` would have saved it."""
    target = Path(_home()) / "briefs" / f"{domain}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((ROOT / "tests" / "fixtures" / "briefs" / fixture).read_bytes())


def nameserver() -> str:
    """'127.0.0.1:PORT' of one NSD serving every zone the examples use: the docs' own
    (tests/servers/docs_world.py: example.com…), the test suite's world (acme.test, the fixture
    companies' mail) and the batch tests' `example.` zone. Started once, stopped at exit."""
    _repo_on_path()
    if "ns" not in _state:
        from tests.servers import docs_world, world
        from tests.servers.batch_world import zone as batch_zone
        from tests.servers.dns import NsdServer

        zones = [*docs_world.zones(), *world.zones(), batch_zone()]
        server = NsdServer(zones, Path(tempfile.mkdtemp(prefix="reachout-docs-nsd-"))).start()
        atexit.register(server.stop)
        _state["ns"] = server.nameserver
    return str(_state["ns"])


def _site() -> object:
    """The test suite's fixture web server (company sites and mock public APIs), started once."""
    _repo_on_path()
    if "site" not in _state:
        from tests.servers.http import FixtureServer

        server = FixtureServer().start()
        atexit.register(server.stop)
        _state["site"] = server
    return _state["site"]


_APIS = ("greenhouse", "lever", "ashby", "workable", "smartrecruiters", "personio", "recruitee",
         "wikipedia", "wikidata", "github", "mailarchive", "keyserver", "europepmc")


def evidence_world() -> None:
    """Serve the documentation's example company (northwind.test) through the evidence sources' mock
    APIs (tests/servers/evidence.py), once; evidence is gathered on the briefs' fixed day, so the
    examples' dates and weights do not change as the days pass."""
    from datetime import datetime

    import reachout.evidence.gather

    site: Any = _site()
    if "evidence" not in _state:
        from tests.servers.evidence import docs_world

        docs_world().install(site)
        day = datetime.fromisoformat(BRIEF_DAY.replace("Z", "+00:00"))
        reachout.evidence.gather.now = lambda: day  # type: ignore[attr-defined]
        _state["evidence"] = True


def run(command: str, *, hidden: tuple[str, ...] = (), stdin: str | None = None, stderr: bool = True,
        env: dict[str, str] | None = None) -> str:
    """COMMAND's console transcript: the prompt line, then what it printed (stderr first, as a terminal
    shows notices before the table they precede)."""
    from click.testing import CliRunner

    from reachout.cli import cli

    args = shlex.split(command)
    assert args[0] == "reachout", command
    settings = {"REACHOUT_HOME": _home(), "COLUMNS": "200", "REACHOUT_NAMESERVER": "127.0.0.1:9",
                "REACHOUT_TZ": "Europe/Madrid",
                **(env or {})}
    result = CliRunner().invoke(cli, [*args[1:], *hidden], input=stdin, env=settings, prog_name="reachout")
    out = (result.stderr if stderr else "") + result.stdout
    return f"$ {command}\n{out}".rstrip("\n")


def on_sites(command: str, *hosts: str, stdin: str | None = None, site_of: str = "") -> str:
    """COMMAND run against the fixture web sites of HOSTS and the mock public APIs, with the world's DNS.

    SITE_OF names the host whose address the command is given (its local URL is passed instead). What
    changes from run to run is taken out of the transcript: the local server's port, and the time a
    brief was generated (shown as '…').
    """
    site: Any = _site()
    hidden: list[str] = ["--allow-private", "--nameserver", nameserver()]
    for entry in site.resolve(*hosts):
        hidden += ["--resolve", entry]
    env = {f"REACHOUT_{name.upper()}_URL": site.api(name) for name in _APIS}
    shown = command
    if site_of:
        command = command.replace(site_of, site.url(site_of), 1)
    text = run(command, hidden=tuple(hidden), stdin=stdin, env=env).replace(f":{site.port}", "")
    text = re.sub(r"generated \d{4}-\d\d-\d\dT[\d:]+Z", "generated …", text)
    return f"$ {shown}\n" + text.split("\n", 1)[1]


def dns(command: str, *, stdin: str | None = None, private: bool = False) -> str:
    """COMMAND run against the examples' local DNS (and, with --smtp, their Postfix). PRIVATE adds
    --allow-private, for the test world's .test domains."""
    hidden = ["--nameserver", nameserver(), *(["--allow-private"] if private else [])]
    if "--smtp" in command:
        hidden += ["--smtp-port", str(postfix_port())]
    return run(command, hidden=tuple(hidden), stdin=stdin)


@contextlib.contextmanager
def _in_folder(files: dict[str, str]) -> Iterator[Path]:
    """A scratch folder holding FILES, as the current directory for the commands run inside."""
    folder = Path(tempfile.mkdtemp(prefix="reachout-docs-"))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(previous)


def _steady(text: str) -> str:
    """TEXT without what changes from run to run: a batch's timing is shown as '…'."""
    return re.sub(r"in [0-9.]+ s, [0-9,]+ rows/s", "in … s, … rows/s", text)


def batch(command: str, csv: str, *, summary: bool = True) -> str:
    """`cat targets.csv`, COMMAND run in a folder holding it (against the examples' DNS), then a few
    columns of the results file it wrote."""
    import csv as csvlib
    import io

    with _in_folder({"targets.csv": csv}) as folder:
        transcript = _steady(dns(command))
        rows = list(csvlib.reader(io.StringIO((folder / "results.csv").read_text(encoding="utf-8"))))
    if not summary:  # the first line says it all; the tables of counts follow it
        transcript = "\n".join(transcript.split("\n")[:2])
    wanted = ["name", "status", "mail_status", "email_1", "confidence_1"]
    header = rows[0]
    columns = [header.index(c) for c in wanted if c in header]
    widths = [max(len(r[i]) for r in rows) for i in columns]
    table = ["  ".join(r[i].ljust(w) for i, w in zip(columns, widths, strict=True)).rstrip() for r in rows]
    names = ",".join(header[i] for i in columns)
    return "\n".join([f"$ cat targets.csv\n{csv.rstrip()}", transcript,
                      f"$ csvcut -c {names} results.csv | csvlook", *table])


def head(text: str, lines: int) -> str:
    """The first LINES lines of TEXT, and '…' when there were more."""
    kept = text.split("\n")
    return "\n".join(kept[:lines] + (["…"] if len(kept) > lines else []))


def session(lines: list[str], *, files: dict[str, str] | None = None, mode: str = "plain",
            hosts: tuple[str, ...] = ()) -> str:
    """A console session: LINES are what the reader types (`reachout …`, or `cat FILE` to show a file),
    run in a scratch folder holding FILES. MODE picks the local servers: "plain" (none), "dns" (the
    examples' DNS, and a Postfix for `--smtp`) or "sites" (the fixture web sites of HOSTS)."""
    out = []
    with _in_folder(files or {}) as folder:
        for line in lines:
            if line.startswith("cat "):
                out.append(f"$ {line}\n" + (folder / line[4:]).read_text(encoding="utf-8").rstrip("\n"))
            elif mode == "sites":
                out.append(on_sites(line, *hosts))
            elif mode == "dns":
                out.append(dns(line, private=True))
            else:
                out.append(run(line))
    return _steady("\n".join(out))


def postfix_port() -> int:
    """The port of a Postfix that knows jane.doe@example.net (and nobody else there); it never delivers."""
    _repo_on_path()
    if "postfix" not in _state:
        from tests.servers.smtp import PostfixServer

        server = PostfixServer({"jane.doe@example.net"}, set()).start()
        atexit.register(server.stop)
        _state["postfix"] = server
    return int(_state["postfix"].port)  # type: ignore[attr-defined]


def brief_sections(command: str, host: str, titles: list[str], *, hosts: tuple[str, ...] = ()) -> str:
    """The sections of COMMAND's Markdown brief whose titles start with one of TITLES, in order (the
    brief of the fixture site HOST, with the mock public APIs)."""
    text = on_sites(command, host, *hosts, site_of=host).split("\n", 1)[1]
    sections = re.split(r"\n(?=## )", text)
    kept = [s.strip() for title in titles for s in sections if s.startswith(f"## {title}")]
    return "\n\n".join(kept)


def markdown(text: str) -> None:
    """Print TEXT as a Markdown block for cog."""
    import cog  # type: ignore[import-not-found]

    cog.outl("```markdown")
    cog.outl(text)
    cog.outl("```")


def console(text: str) -> None:
    """Print TEXT as a console block for cog."""
    import cog  # type: ignore[import-not-found]

    cog.outl("```console")
    cog.outl(text)
    cog.outl("```")


def help_text(command: str) -> str:
    """`reachout COMMAND --help`, as the reader would see it."""
    return run(f"reachout {command} --help".replace("  ", " "), stderr=False)


def all_commands() -> list[str]:
    """Every command and subcommand, as 'guess', 'followup add'…"""
    import click

    from reachout.cli import cli

    def walk(group: click.Group, prefix: str) -> list[str]:
        out = []
        for name, command in sorted(group.commands.items()):
            out.append(f"{prefix}{name}")
            if isinstance(command, click.Group):
                out += walk(command, f"{prefix}{name} ")
        return out

    return walk(cli, "")


os.environ.setdefault("CI", "")
