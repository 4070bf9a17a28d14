"""The tracker read by every command whatever state another tool left it in: read-only (file or
folder), holding bytes that are not UTF-8, an address with a line break, text with line separators."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout.cli import cli

ON = "2026-11-26"


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", *args])


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def one_line_error(result: object) -> str:
    assert result.exit_code == 1, (result.output, result.exception)  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert err.startswith("Error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _track() -> None:
    """Application 1, Hana Ito (person 1), interviewed 25 Nov: thank-you #2 and check-in #3."""
    ok("add", "acme.example", "Data Engineer", "--applied", "2026-11-16")
    ok("person", "1", "Hana Ito", "--email", "hana@acme.example")
    ok("log", "1", "interviewed", "--on", "2026-11-25", "--with", "Hana Ito")


def _sql(home: Path, statement: str) -> None:
    """What another tool does to the file: SQL run outside reachout."""
    db = sqlite3.connect(home / "followup.sqlite")
    with db:
        db.execute(statement)
    db.close()


# ----------------------------------------------------------------------------- another tool's text
READS = [
    ["list"],
    ["due", "--on", ON],
    ["show", "1"],
    ["draft", "2", "--on", ON],
    ["export", "--format", "csv", "--on", ON],
    ["export", "--format", "jsonl", "--on", ON],
    ["export", "--ics", "-", "--on", ON],
]


@pytest.mark.parametrize("argv", READS, ids=[" ".join(a[:2]) for a in READS])
def test_bytes_that_are_not_utf8_are_shown_escaped(reachout_home, argv):
    _track()
    # Latin-1 written by another tool: "José Ruiz" and a company "Café Ltd" as raw bytes.
    _sql(reachout_home, "UPDATE people SET name = CAST(X'4a6f73e9205275697a' AS TEXT)")
    _sql(reachout_home, "UPDATE applications SET company = CAST(X'436166e9204c7464' AS TEXT)")
    out = ok(*argv)
    # Escaped as \xe9 (in JSON and iCalendar, with their own escaping of the backslash).
    assert "Caf\\xe9" in out.replace("\\\\", "\\"), out


def test_an_ics_export_refuses_a_stored_address_with_a_line_break(reachout_home, tmp_path):
    _track()
    _sql(reachout_home, "UPDATE people SET email = 'hana@acme.example' || char(13, 10) || "
                        "'BEGIN:VEVENT'")
    path = tmp_path / "reminders.ics"
    err = one_line_error(run("export", "--ics", str(path), "--on", ON))
    assert err.startswith("Error: Follow-up 2 (Thank each interviewer, Hana Ito): the address "
                          "stored for Hana Ito ('hana@acme.example\\r\\nBEGIN:VEVENT') holds a line "
                          "break"), err
    assert "reachout followup edit 1 --person 1 --email ADDRESS" in err
    assert not path.exists()


@pytest.mark.parametrize("argv", [["--eml", "-"], ["--mailto"], ["--eml", "draft.eml"]],
                         ids=["eml-stdout", "mailto", "eml-file"])
def test_a_draft_refuses_a_stored_address_with_a_line_break(reachout_home, argv, tmp_path,
                                                            monkeypatch):
    """Before: the message and the link quietly kept only the part before the break."""
    monkeypatch.chdir(tmp_path)
    _track()
    _sql(reachout_home, "UPDATE people SET email = 'hana@acme.example' || char(13, 10) || "
                        "'Bcc: someone@else.example'")
    err = one_line_error(run("draft", "2", "--on", ON, *argv))
    assert "the address stored for Hana Ito ('hana@acme.example\\r\\nBcc: someone@else.example')" \
        in err, err
    assert not (tmp_path / "draft.eml").exists()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_jsonl_export_keeps_each_record_on_its_line(reachout_home, separator):
    _track()
    # The CLI cleans what it is typed; another tool writes the separator itself.
    _sql(reachout_home, f"UPDATE people SET name = 'Hana' || char({ord(separator)}) || 'Ito'")
    out = ok("export", "--format", "jsonl", "--on", ON)
    lines = out.splitlines()  # str.splitlines breaks at U+2028, U+2029 and NEL too
    records = [json.loads(line) for line in lines]
    assert len(records) == out.count("\n")
    assert {r["to"]["name"] for r in records} == {f"Hana{separator}Ito"}


# ---------------------------------------------------------------------------------- read-only
@pytest.fixture
def shared_home(monkeypatch):
    """A user directory another local user can reach (pytest's own folders are private)."""
    home = Path(tempfile.mkdtemp(prefix="reachout-readonly-"))
    home.chmod(0o755)
    monkeypatch.setenv("REACHOUT_HOME", str(home))
    yield home
    shutil.rmtree(home)


def _as_reader(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a new process for which the tracker and its folder are read-only.

    Root ignores file permissions, so as root the command runs as the unprivileged `nobody`
    (setpriv drops every capability), the files staying root's: a real read-only tracker, not a
    simulated one. It keeps one capability, to read and search any folder (CAP_DAC_READ_SEARCH,
    which never allows a write), so that it can import reachout from a checkout in a private folder
    (a mktemp clone is 0700). Run by another user, the folder and file are made read-only for it instead."""
    env = {**os.environ, "REACHOUT_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "reachout", "followup", "--tz", "Europe/Paris", *args]
    if os.geteuid() == 0:
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", *argv]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def read_only(shared_home):
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run the CLI as an unprivileged user")
    _track()
    tracker = shared_home / "followup.sqlite"
    tracker.chmod(0o644)  # reachout makes it 0600: another user reads it only if its owner says so
    if os.geteuid() != 0:
        tracker.chmod(0o444)
        shared_home.chmod(0o555)
    yield shared_home
    if os.geteuid() != 0:
        shared_home.chmod(0o755)


@pytest.mark.parametrize("argv", READS, ids=[" ".join(a[:2]) for a in READS])
def test_reads_work_on_a_read_only_tracker(read_only, argv):
    before = (read_only / "followup.sqlite").read_bytes()
    done = _as_reader(read_only, *argv)
    assert done.returncode == 0, done.stderr
    assert (read_only / "followup.sqlite").read_bytes() == before

    def steady(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("DTSTAMP")]

    # What a writable tracker shows (and stores): the same follow-ups with the same IDs.
    assert steady(done.stdout) == steady(ok(*argv))


@pytest.mark.parametrize("argv", [
    ["done", "2", "--on", ON],
    ["add", "globex.example", "SRE"],
    ["person", "1", "Bo Li"],
    ["edit", "1", "--notes", "met at the fair"],
], ids=["done", "add", "person", "edit"])
def test_writes_to_a_read_only_tracker_fail_with_one_line(read_only, argv):
    done = _as_reader(read_only, *argv)
    assert done.returncode == 1, (done.stdout, done.stderr)
    tracker = read_only / "followup.sqlite"
    assert done.stderr == (
        f"Error: Cannot save to the follow-up tracker {tracker}: it (or its folder) is read-only; "
        "make it writable, or set REACHOUT_HOME to a writable directory.\n"
    )


def test_a_read_only_folder_with_a_writable_tracker(shared_home):
    """The folder refuses SQLite's journal: reads work, a write fails with the same line."""
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the file to another user")
    _track()
    tracker = shared_home / "followup.sqlite"
    os.chown(tracker, 65534, 65534)
    assert _as_reader(shared_home, "due", "--on", ON).returncode == 0
    done = _as_reader(shared_home, "done", "2", "--on", ON)
    assert done.returncode == 1 and "is read-only" in done.stderr and done.stderr.count("\n") == 1
    assert ok("due", "--on", ON, "--json") and json.loads(ok("due", "--on", ON, "--json"))[0][
        "status"] != "sent"


def test_no_tracker_in_a_read_only_folder(shared_home):
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the file to another user")
    done = _as_reader(shared_home, "list")
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: Cannot create the follow-up tracker {shared_home / 'followup.sqlite'} (unable to "
        "open database file): its folder is read-only; set REACHOUT_HOME to a writable directory.\n"
    )


def test_a_read_only_tracker_that_needs_an_update_says_so(shared_home):
    """A file from an older reachout lacks a migration this one must save: one line, no traceback."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run the CLI as an unprivileged user")
    from reachout.followup.trackerfile import MIGRATIONS
    from reachout.migrations import apply_migrations

    tracker = shared_home / "followup.sqlite"
    db = sqlite3.connect(tracker)
    apply_migrations(db, MIGRATIONS[:-1])  # what the previous version left
    db.close()
    if os.geteuid() != 0:
        tracker.chmod(0o444)
        shared_home.chmod(0o555)
    done = _as_reader(shared_home, "list")
    if os.geteuid() != 0:
        shared_home.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: The follow-up tracker {tracker} is read-only and was made by an older reachout: "
        "it needs an update this version cannot save; make it writable, or set REACHOUT_HOME to "
        "a writable directory.\n"
    )
