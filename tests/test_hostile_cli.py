"""Hostile input through the CLI: every command answers with one line and a meaningful exit code.

The rule under test: malformed names, domains, URLs, rows, encodings, broken local files, DNS
failures and hostile pages give a one-line message on stderr and exit 1 (usage errors 2), never a
traceback, never an error with exit 0; data goes to stdout, notices to stderr.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from reachout.cli import cli

DEAD = "127.0.0.1:9"  # nothing listens on the discard port: refused at once


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def assert_one_line_error(result, code: int = 1, contains: str = "") -> str:
    """The result is a handled failure: no traceback, exit CODE, one 'Error:' line on stderr."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert contains in lines[0]
    return lines[0]


# --- the user directory and the files reachout keeps -------------------------------------------

HOME_COMMANDS = [
    ("cache", "path"),
    ("followup", "list"),
    ("followup", "due"),
    ("followup", "add", "Acme", "Engineer"),
]


@pytest.fixture(params=["file", "missing-parent"])
def unusable_home(request, tmp_path, monkeypatch):
    if request.param == "file":
        home = tmp_path / "home-is-a-file"
        home.write_text("not a directory")
    else:
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        home = blocker / "home"  # a directory cannot be made under a file
    monkeypatch.setenv("REACHOUT_HOME", str(home))
    return home


@pytest.mark.parametrize("args", HOME_COMMANDS, ids=" ".join)
def test_unusable_home_is_one_line(unusable_home, args):
    line = assert_one_line_error(run(*args))
    assert "REACHOUT_HOME" in line and "writable directory" in line


def test_unusable_home_mx_still_answers_from_memory(unusable_home, caplog):
    # (The notice goes through logging: on stderr in a real run, to caplog under pytest.)
    result = run("mx", "acme.test", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split()[:2] == ["acme.test", "timeout"]
    assert "Caching DNS answers in memory only" in caplog.text


@pytest.mark.parametrize("args", [("followup", "list"), ("followup", "due")], ids=" ".join)
def test_corrupt_tracker_is_one_line(reachout_home, args):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "followup.sqlite").write_bytes(os.urandom(4096))
    line = assert_one_line_error(run(*args))
    assert "followup.sqlite" in line and "move that file aside" in line


def test_corrupt_dns_cache_is_a_notice(reachout_home, caplog):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "cache.sqlite").write_bytes(os.urandom(4096))
    result = run("mx", "acme.test", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private")
    assert result.exit_code == 0
    assert "caching in memory only" in caplog.text


def brief_args(site, *extra: str) -> list[str]:
    return ["brief", f"http://acme.test:{site.port}/", "--resolve", *site.resolve("acme.test"),
            "--allow-private", "--no-mail", "--max-pages", "1", *extra]


def test_corrupt_http_cache_still_briefs(reachout_home, site, caplog):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "http-cache.sqlite").write_bytes(os.urandom(4096))
    result = run(*brief_args(site))
    assert "HTTP cache unavailable" in caplog.text
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")


def test_brief_printed_even_when_it_cannot_be_saved(reachout_home, site):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "briefs").write_text("a file where the briefs folder should be")
    result = run(*brief_args(site))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "note: Cannot save the brief" in result.stderr


# --- numbers out of range --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("followup", "show", "99999999999999999999999"),
        ("followup", "person", "99999999999999999999999", "Ana"),
        ("followup", "log", "99999999999999999999999", "applied"),
        ("followup", "edit", "99999999999999999999999", "--role", "x"),
        ("followup", "draft", "--app", "99999999999999999999999", "--stage", "applied"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_huge_ids_are_not_found(args):
    assert_one_line_error(run(*args), contains="No application with ID 99999999999999999999999")


def test_huge_days_horizon():
    result = run("followup", "due", "--days", "999999999")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr


# --- nameservers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", " "])
def test_empty_nameserver_is_refused_not_the_system_resolver(value):
    result = run("mx", "acme.test", "--allow-private", "--nameserver", value)
    assert_one_line_error(result, contains="--nameserver is empty")
