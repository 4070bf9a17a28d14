"""Runs the commands shown in README.md and docs/*.md for cog (`cog -r`), so their output is real and
CI (`cog --check`) notices when it goes stale.

Each example runs in-process through Click's test runner, in a fresh REACHOUT_HOME, against the test
suite's own servers on loopback (NSD for DNS), which start on first use. What the reader types is shown;
test-only switches (`--nameserver` with the local server's port) are added out of sight.

An example must succeed unless the page marks it as an error example (`failing(COMMAND)`, which also
requires the failure). The docs build (cog) stops on an unexpected exit code, a traceback, the loopback
guard's message, a link with no target (`](#)`) or a loopback URL in what a page shows: a regenerated
failure equals itself, so `cog --check` alone would let a page show one forever.
"""

from __future__ import annotations

import atexit
import contextlib
import io
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


def _scratch(prefix: str = "reachout-docs-") -> str:
    """A new scratch folder, removed when this process ends, however it ends (a cog run killed or
    hung up on included: tests/servers/lifeline.py)."""
    _repo_on_path()
    from tests.servers.lifeline import lifeline

    folder = tempfile.mkdtemp(prefix=prefix)
    lifeline().watch_folder(folder)
    return folder


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

# Briefs word their talking points for the age of the news: read them on one fixed day, as the
# brief's tests do (tests/research/conftest.py), so the examples do not change as the fixtures age.
BRIEF_DAY = "2026-12-01T12:00:00Z"


def _fixed_brief_day() -> None:
    import reachout.research.crawl

    reachout.research.crawl.now_iso = lambda: BRIEF_DAY  # type: ignore[attr-defined]


def _prepared() -> None:
    """The guard and the fixed day, installed before the first example runs (not on import, so a test
    can import this module's checks without patching its own process)."""
    if not _state.get("prepared"):
        _loopback_only()
        _fixed_brief_day()
        _state["prepared"] = True


class ExampleFailed(Exception):
    """An example did what its page does not say: the docs build stops here."""


class Failing(str):
    """A command a page shows failing on purpose, and the exit code it must fail with."""

    exit_code: int


def failing(command: str, exit_code: int = 1) -> Failing:
    """Mark COMMAND as an error example: it must exit with EXIT_CODE (1: a handled error, 2: usage)."""
    if exit_code == 0:
        raise ValueError("an error example fails: give its non-zero exit code")
    marked = Failing(command)
    marked.exit_code = exit_code
    return marked


def expected_exit(command: str) -> int:
    """The exit code COMMAND must end with: 0, unless it was marked with failing()."""
    return getattr(command, "exit_code", 0)


# What no page may show, error example or not: each means an example went wrong, not the reader.
_NEVER_SHOWN = [
    (re.compile(r"Traceback \(most recent call last\)"), "a traceback"),
    (re.compile(r"internal error \("), "an internal error"),
    (re.compile(r"a docs example tried"), "the examples' loopback guard refusing a connection "
                                           "(point the example at the local servers)"),
    (re.compile(r"\]\(#?\)"), "a link with no target such as `([source](#))`"),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://(?:127(?:\.\d{1,3}){3}|localhost|\[::1\]|0\.0\.0\.0)(?![\w.-])",
                re.IGNORECASE), "a loopback URL (the local test servers' address)"),
]


def check_shown(text: str, where: str = "") -> str:
    """TEXT, if a page may show it; else ExampleFailed naming what is wrong and where."""
    for pattern, what in _NEVER_SHOWN:
        found = pattern.search(text)
        if found:
            line = text[: found.start()].count("\n")
            raise ExampleFailed(f"{where or 'an example'} shows {what}, line {line + 1}: "
                                f"{text.splitlines()[line]!r}\n{text}")
    return text


def check_exit(command: str, exit_code: int, expected: int, exception: BaseException | None,
               transcript: str) -> None:
    """ExampleFailed unless COMMAND ended as the page says: EXPECTED, and no exception escaping."""
    if exception is not None and not isinstance(exception, SystemExit):
        raise ExampleFailed(f"`{command}` raised {type(exception).__name__}: {exception}\n{transcript}")
    if exit_code != expected:
        said = ("succeed" if expected == 0 else f"fail with exit code {expected}")
        hint = ("" if expected else
                "; if the page shows this failure on purpose, mark it with examples.failing(...)")
        raise ExampleFailed(f"`{command}` exited {exit_code}, but the page says it should {said}{hint}"
                            f"\n{transcript}")


def _home() -> str:
    if "home" not in _state:
        _state["home"] = _scratch()
    return str(_state["home"])


def fresh_home() -> None:
    """Start the next examples in a new, empty user directory (a new tracker, no saved briefs)."""
    _state["home"] = _scratch()


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
        _state["ns_dir"] = _scratch("reachout-docs-nsd-")
        server = NsdServer(zones, Path(str(_state["ns_dir"]))).start()
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


# The host name the mock public APIs are reached by (see on_sites).
API_HOST = "apis.test"
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
        env: dict[str, str] | None = None, exit_code: int | None = None) -> str:
    """COMMAND's console transcript: the prompt line, then what it printed (stderr first, as a terminal
    shows notices before the table they precede). It must end with EXIT_CODE (default: 0, or the one
    failing() gave COMMAND) and show nothing check_shown refuses."""
    from click.testing import CliRunner

    from reachout.cli import cli

    _prepared()
    expected = expected_exit(command) if exit_code is None else exit_code

    args = shlex.split(command)
    assert args[0] == "reachout", command
    settings = {"REACHOUT_HOME": _home(), "COLUMNS": "200", "REACHOUT_NAMESERVER": "127.0.0.1:9",
                "REACHOUT_TZ": "Europe/Madrid",
                **(env or {})}
    result = CliRunner().invoke(cli, [*args[1:], *hidden], input=stdin, env=settings, prog_name="reachout")
    out = (result.stderr if stderr else "") + result.stdout
    transcript = f"$ {command}\n{out}".rstrip("\n")
    check_exit(command, result.exit_code, expected, result.exception, transcript)
    return transcript


def on_sites(command: str, *hosts: str, stdin: str | None = None, site_of: str = "",
             exit_code: int | None = None) -> str:
    """COMMAND run against the fixture web sites of HOSTS and the mock public APIs, with the world's DNS.

    SITE_OF names the host whose address the command is given (its local URL is passed instead). The
    mock APIs are reached as host `apis.test` (sent to the fixture server like the sites), so a source
    they give is shown as a `.test` URL, never the server's loopback address. What changes from run to
    run is taken out of the transcript: the local server's port, and the time a brief was generated
    (shown as '…').
    """
    site: Any = _site()
    hidden: list[str] = ["--allow-private", "--nameserver", nameserver()]
    for entry in site.resolve(*hosts, API_HOST):
        hidden += ["--resolve", entry]
    env = {f"REACHOUT_{name.upper()}_URL": f"http://{API_HOST}:{site.port}/{name}" for name in _APIS}
    shown = command
    if site_of:
        command = command.replace(site_of, site.url(site_of), 1)
    expected = expected_exit(shown) if exit_code is None else exit_code
    text = run(command, hidden=tuple(hidden), stdin=stdin, env=env, exit_code=expected)
    text = text.replace(f":{site.port}", "")
    text = re.sub(r"generated \d{4}-\d\d-\d\dT[\d:]+Z", "generated …", text)
    return f"$ {shown}\n" + text.split("\n", 1)[1]


def dns(command: str, *, stdin: str | None = None, private: bool = False,
        exit_code: int | None = None) -> str:
    """COMMAND run against the examples' local DNS (and, with --smtp, their Postfix). PRIVATE adds
    --allow-private, for the test world's .test domains."""
    hidden = ["--nameserver", nameserver(), *(["--allow-private"] if private else [])]
    if "--smtp" in command:
        hidden += ["--smtp-port", str(postfix_port())]
    return run(command, hidden=tuple(hidden), stdin=stdin, exit_code=exit_code)


@contextlib.contextmanager
def _in_folder(files: dict[str, str | bytes]) -> Iterator[Path]:
    """A scratch folder holding FILES, as the current directory for the commands run inside."""
    folder = Path(_scratch())
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(previous)


def _steady(text: str) -> str:
    """TEXT without what changes from run to run: a batch's timing is shown as '…'."""
    return re.sub(r"in [0-9.]+ s, [0-9,]+ rows/s", "in … s, … rows/s", text)


def head(text: str, lines: int) -> str:
    """The first LINES lines of TEXT, and '…' when there were more."""
    kept = text.split("\n")
    return "\n".join(kept[:lines] + (["…"] if len(kept) > lines else []))


# Commands other than reachout that a session may show: run for real, in the scratch folder.
SHELL_COMMANDS = {"cat", "head", "tail", "wc", "ls", "cut", "column", "sort"}


def shell(line: str, folder: Path) -> str:
    """LINE (a plain file command such as `cat results.csv`) run by the real shell in FOLDER."""
    import subprocess

    if shlex.split(line)[0] not in SHELL_COMMANDS:
        raise ExampleFailed(f"`{line}`: sessions run reachout and {sorted(SHELL_COMMANDS)} only")
    done = subprocess.run(["/bin/sh", "-c", line], cwd=folder, capture_output=True, text=True,
                          timeout=60, check=False)
    transcript = f"$ {line}\n{done.stderr}{done.stdout}".rstrip("\n")
    check_exit(line, done.returncode, expected_exit(line), None, transcript)
    return transcript


def session(lines: list[str], *, files: dict[str, str | bytes] | None = None, mode: str = "plain",
            hosts: tuple[str, ...] = ()) -> str:
    """A console session: LINES are what the reader types (`reachout …`, or a file command such as
    `cat FILE`, run by the real shell), in a scratch folder holding FILES (text is written as UTF-8,
    bytes as they are). MODE picks the local servers: "plain" (none), "dns" (the examples' DNS, and a
    Postfix for `--smtp`) or "sites" (the fixture web sites of HOSTS and the mock public APIs). Each
    line must succeed unless marked with failing()."""
    out = []
    with _in_folder(files or {}) as folder:
        for line in lines:
            if not line.startswith("reachout "):
                out.append(shell(line, folder))
            elif mode == "sites":
                out.append(on_sites(line, *hosts))
            elif mode == "dns":
                out.append(dns(line, private=True))
            else:
                out.append(run(line))
    return _steady("\n".join(out))


def python(code: str) -> None:
    """Print CODE as a Python block for cog, then what it prints when run: in a scratch folder, with a
    fresh user directory (REACHOUT_HOME), offline. An exception fails the docs build."""
    import cog  # type: ignore[import-not-found]

    _prepared()
    output = io.StringIO()
    saved = os.environ.get("REACHOUT_HOME")
    os.environ["REACHOUT_HOME"] = _scratch()
    try:
        with _in_folder({}), contextlib.redirect_stdout(output):
            exec(compile(code, "<docs example>", "exec"), {"__name__": "__docs__"})
    except Exception as exc:
        raise ExampleFailed(f"the Python example raised {type(exc).__name__}: {exc}\n{code}") from exc
    finally:
        if saved is None:
            os.environ.pop("REACHOUT_HOME", None)
        else:
            os.environ["REACHOUT_HOME"] = saved
    cog.outl("```python")
    cog.outl(code.strip("\n"))
    cog.outl("```")
    cog.outl("")
    cog.outl("```text")
    cog.outl(check_shown(output.getvalue().rstrip("\n"), "a Python example"))
    cog.outl("```")


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
    cog.outl(check_shown(text, "a Markdown example"))
    cog.outl("```")


def console(text: str) -> None:
    """Print TEXT as a console block for cog."""
    import cog  # type: ignore[import-not-found]

    cog.outl("```console")
    cog.outl(check_shown(text, text.split("\n", 1)[0]))
    cog.outl("```")


def help_text(command: str) -> str:
    """`reachout COMMAND --help`, as the reader would see it."""
    text = run(f"reachout {command} --help".replace("  ", " "), stderr=False)
    return check_shown(text, f"reachout {command} --help")


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
