"""-o/--out FILE on the records commands (domain, evidence, guess, mx, verify): the output in the chosen
format written whole and owner-only, or not at all; and reachout.output.output_file, the one writer
behind it. End to end through the test NSD and the fixture HTTP server."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout.cli import cli
from reachout.errors import BadInput
from reachout.output import output_file

try:
    from servers.evidence import EvidenceWorld, Person
except ImportError:  # pragma: no cover - run from the repository root
    from tests.servers.evidence import EvidenceWorld, Person

BOM = "\ufeff"
OLD = "the previous output, whole\n"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def folder(tmp_path: Path) -> Path:
    """A folder of its own, so a temporary file left behind would show."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def written(path: Path, *, mode: int = 0o600) -> str:
    """PATH's text, checked to be the only file in its folder and readable by its owner only."""
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert stat.S_IMODE(path.stat().st_mode) == mode
    return path.read_text(encoding="utf-8")


def wrote(result, path: Path) -> None:
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.endswith(f"Wrote {path}\n"), result.stderr


# --- output_file: the one writer ----------------------------------------------------------------------
def test_a_clean_block_replaces_the_file_owner_only_and_csv_starts_with_a_bom(tmp_path):
    path = folder(tmp_path) / "rows.csv"
    path.write_text(OLD, encoding="utf-8")
    os.chmod(path, 0o644)
    with output_file(path, "csv") as stream:
        stream.write("address\nana@acme.test\n")
    assert written(path) == BOM + "address\nana@acme.test\n"
    with output_file(path, "json") as stream:
        stream.write("[]\n")
    assert written(path) == "[]\n"


@pytest.mark.parametrize("error", [ValueError, KeyboardInterrupt])
def test_a_block_that_raises_leaves_the_old_file_or_none(tmp_path, error):
    path = folder(tmp_path) / "rows.json"
    with pytest.raises(error), output_file(path, "json") as stream:
        stream.write('[{"address": "ana@')
        raise error
    assert list(path.parent.iterdir()) == []  # nothing made, nothing left
    path.write_text(OLD, encoding="utf-8")
    with pytest.raises(error), output_file(path, "json") as stream:
        stream.write('[{"address": "ana@')
        raise error
    assert written(path, mode=stat.S_IMODE(path.stat().st_mode)) == OLD


def test_a_missing_folder_is_named(tmp_path):
    path = tmp_path / "no-such-folder" / "rows.csv"
    with pytest.raises(BadInput, match=r"^Cannot write .*rows\.csv: the folder .*no-such-folder does not "
                                       r"exist; create it first"), output_file(path, "csv"):
        pytest.fail("the block must not run")
    assert not path.parent.exists()


def test_a_folder_that_cannot_be_written_is_one_error(tmp_path, monkeypatch):
    # Root may write anywhere: the refusal is the operating system's, as mkstemp meets it.
    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("reachout.atomicfile.tempfile.mkstemp", refused)
    path = folder(tmp_path) / "rows.csv"
    refusal = r"Cannot write .*rows\.csv: Permission denied; pick a writable"
    with pytest.raises(BadInput, match=refusal), output_file(path, "csv"):
        pytest.fail("the block must not run")
    assert list(path.parent.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_one_error(tmp_path):
    path = folder(tmp_path) / "rows.csv"
    path.parent.chmod(0o500)
    try:
        with pytest.raises(BadInput, match="Permission denied"), output_file(path, "csv"):
            pytest.fail("the block must not run")
    finally:
        path.parent.chmod(0o700)
    assert list(path.parent.iterdir()) == []


def test_a_full_disk_is_the_files_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = folder(tmp_path) / "rows.csv"
    path.write_text(OLD, encoding="utf-8")
    monkeypatch.setattr("reachout.atomicfile.os.fsync", full)
    full_disk = r"Cannot write .*rows\.csv: No space left on device"
    with pytest.raises(BadInput, match=full_disk), output_file(path, "csv") as stream:
        stream.write("address\n")
    assert written(path, mode=stat.S_IMODE(path.stat().st_mode)) == OLD


def test_a_write_that_fails_is_the_files_error(tmp_path):
    path = folder(tmp_path) / "rows.csv"
    with pytest.raises(BadInput, match="No space left on device"), output_file(path, "csv") as stream:
        broken = stream._stream  # type: ignore[attr-defined]

        def full(text):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        broken.write = full
        stream.write("address\n")
    assert list(path.parent.iterdir()) == []


def test_the_blocks_own_os_error_is_not_taken_for_the_files(tmp_path):
    # A network failure inside the block is not "Cannot write FILE".
    path = folder(tmp_path) / "rows.csv"
    with pytest.raises(ConnectionRefusedError), output_file(path, "csv"):
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    assert list(path.parent.iterdir()) == []


# --- mx -----------------------------------------------------------------------------------------------
def test_mx_writes_csv_by_the_files_suffix(nameserver, tmp_path):
    path = folder(tmp_path) / "mx.csv"
    result = run("mx", "acme.test", "nullmx.test", "--nameserver", nameserver, "--allow-private",
                 "-o", str(path))
    wrote(result, path)
    text = written(path)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [(r["domain"], r["status"]) for r in rows] == [("acme.test", "ok"), ("nullmx.test", "null_mx")]


def test_mx_from_stdin_writes_json_once_all_are_in(nameserver, tmp_path):
    path = folder(tmp_path) / "mx.json"
    result = run("mx", "-", "--nameserver", nameserver, "--allow-private", "--output", str(path),
                 input="acme.test\n# a comment\nnullmx.test\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (f"Wrote {path}\nSkipped 1 blank or comment line of stdin ('# ' starts "
                             "a comment).\n")
    assert sorted(r["domain"] for r in json.loads(written(path))) == ["acme.test", "nullmx.test"]


def test_mx_interrupted_leaves_no_half_file_and_the_old_one_whole(nameserver, tmp_path, monkeypatch):
    import reachout.cli.check as check

    path = folder(tmp_path) / "mx.csv"
    path.write_text(OLD, encoding="utf-8")
    real, seen = check._mx_row, []

    def then_ctrl_c(report):
        seen.append(report)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return real(report)

    monkeypatch.setattr(check, "_mx_row", then_ctrl_c)
    result = run("mx", "-", "--nameserver", nameserver, "--allow-private", "-o", str(path),
                 input="acme.test\nnullmx.test\nghost.acme.test\n")
    assert result.exit_code == 130 and result.stderr == "Interrupted.\n", result.output
    assert len(seen) == 2
    assert written(path, mode=stat.S_IMODE(path.stat().st_mode)) == OLD


# --- verify -------------------------------------------------------------------------------------------
def test_verify_writes_json_and_neutralised_csv(nameserver, tmp_path):
    path = folder(tmp_path) / "checked.json"
    args = ["verify", "jane@acme.test", "=HYPERLINK(1)@acme.test", "--nameserver", nameserver,
            "--allow-private"]
    result = run(*args, "-o", str(path))
    wrote(result, path)
    assert [r["address"] for r in json.loads(written(path))] == ["jane@acme.test",
                                                                 "=HYPERLINK(1)@acme.test"]
    path.unlink()
    table = path.with_name("checked.csv")
    result = run(*args, "-o", str(table))
    wrote(result, table)
    rows = list(csv.DictReader(io.StringIO(written(table).removeprefix(BOM))))
    assert [r["address"] for r in rows] == ["jane@acme.test", "'=HYPERLINK(1)@acme.test"]


def test_verify_writes_a_table_whole_to_any_other_file(nameserver, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")  # a terminal's width: a file is not cut to it
    path = folder(tmp_path) / "checked.txt"
    result = run("verify", "jane@nullmx.test", "--nameserver", nameserver, "--allow-private",
                 "-o", str(path))
    wrote(result, path)
    lines = written(path).splitlines()
    assert lines[0].split() == ["address", "verdict", "flags", "domain", "smtp", "reason"]
    assert lines[1].startswith("jane@nullmx.test  invalid") and "…" not in lines[1]
    assert len(lines[1]) > 40


# --- guess --------------------------------------------------------------------------------------------
def test_guess_verify_writes_csv(nameserver, tmp_path):
    path = folder(tmp_path) / "jane.csv"
    result = run("guess", "Jane Doe", "acme.test", "--verify", "--top", "2", "--no-roles",
                 "--allow-private", "--nameserver", nameserver, "-o", str(path))
    wrote(result, path)
    rows = list(csv.DictReader(io.StringIO(written(path).removeprefix(BOM))))
    assert list(rows[0]) == ["address", "kind", "pattern", "confidence", "verdict", "smtp", "reasons"]
    assert len(rows) == 2 and all(r["address"].endswith("@acme.test") for r in rows)


def test_guess_an_explicit_format_wins_over_the_suffix(nameserver, tmp_path):
    path = folder(tmp_path) / "jane.csv"
    for flag in (["--json"], ["--format", "json"]):
        result = run("guess", "Jane Doe", "acme.test", "--top", "1", "--allow-private", *flag,
                     "-o", str(path))
        wrote(result, path)
        assert json.loads(written(path))["domain"] == "acme.test"
    result = run("guess", "Jane Doe", "acme.test", "--top", "1", "--allow-private",
                 "--format", "table", "-o", str(path))
    wrote(result, path)
    assert written(path).startswith("Jane Doe at acme.test (read as first 'jane', last 'doe')\n")


def test_guess_out_dash_is_stdout(tmp_path):
    result = run("guess", "Jane Doe", "acme.com", "--top", "1", "--json", "-o", "-")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["domain"] == "acme.com"


# --- domain -------------------------------------------------------------------------------------------
def test_domain_writes_json(site, nameserver, tmp_path):
    path = folder(tmp_path) / "companies.json"
    argv = ["domain", "Hollis Forge GmbH", "--allow-private", "--nameserver", nameserver,
            "--timeout", "2", "-o", str(path)]
    for entry in site.resolve("hollis.test"):
        argv += ["--resolve", entry]
    result = run(*argv)
    wrote(result, path)
    [match] = json.loads(written(path))
    assert (match["status"], match["domain"]) == ("found", "hollis.test")


def test_domain_writes_the_file_and_exits_1_when_no_name_is_found(site, nameserver, tmp_path):
    # As on stdout: the answer (not_found, with why) is the output, and the exit code says it.
    path = folder(tmp_path) / "companies.csv"
    result = run("domain", "Qwxyz Zzzz Holdings", "--allow-private", "--nameserver", nameserver,
                 "--timeout", "2", "-o", str(path))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Wrote {path}\nError: No domain found for 'Qwxyz Zzzz Holdings'")
    [row] = csv.DictReader(io.StringIO(written(path).removeprefix(BOM)))
    assert (row["query"], row["status"]) == ("Qwxyz Zzzz Holdings", "not_found")


# --- evidence -----------------------------------------------------------------------------------------
def test_evidence_writes_the_addresses_as_csv(site, tmp_path):
    world = EvidenceWorld()
    world.add("acme.test", [Person("Jane Doe", "jane.doe@acme.test", "github", "2026-09-01"),
                            Person("Bob Li", "bob.li@acme.test", "keyserver", "2025-01-01")],
              org="acme")
    world.install(site)
    path = folder(tmp_path) / "acme.csv"
    result = run("evidence", f"http://acme.test:{site.port}/", "--addresses", "--allow-private",
                 "--resolve", f"acme.test:{site.port}:127.0.0.1", "-o", str(path))
    wrote(result, path)
    rows = list(csv.DictReader(io.StringIO(written(path).removeprefix(BOM))))
    assert sorted(r["address"] for r in rows) == ["bob.li@acme.test", "jane.doe@acme.test"]


# --- bad paths, the same for every command ------------------------------------------------------------
COMMANDS = {
    "domain": ["domain", "Hollis Forge", "--no-cache"],
    "evidence": ["evidence", "acme.test", "--no-save"],
    "guess": ["guess", "Jane Doe", "acme.com"],
    "mx": ["mx", "acme.test"],
    "verify": ["verify", "jane@acme.test"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_folder_is_one_line_before_any_lookup(command, tmp_path, nameserver, monkeypatch):
    monkeypatch.setenv("REACHOUT_NAMESERVER", nameserver)
    path = tmp_path / "missing" / "out.csv"
    result = run(*COMMANDS[command], "--allow-private", "-o", str(path))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (f"Error: Cannot write {path}: the folder {path.parent} does not exist; "
                             "create it first, or pick a path in an existing folder.\n")
    assert not path.parent.exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_given_as_the_file_is_a_usage_error(command, tmp_path):
    target = folder(tmp_path)
    result = run(*COMMANDS[command], "-o", str(target))
    assert result.exit_code == 2
    assert f"Invalid value for '-o' / '--out' / '--output': File '{target}' is a directory." \
        in result.stderr
    assert "Traceback" not in result.output and list(target.iterdir()) == []


# --- a real process stopped part-way: Ctrl-C and kill ------------------------------------------------
@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", [["mx", "acme.test"], ["verify", "jane@acme.test"]],
                         ids=["mx", "verify"])
def test_a_stopped_process_leaves_the_old_file_and_no_temporary_one(tmp_path, dead_nameserver, command,
                                                                    signum):
    import signal
    import subprocess
    import sys
    import time

    path = folder(tmp_path) / "checked.csv"
    path.write_text(OLD, encoding="utf-8")
    env = {**os.environ, "REACHOUT_HOME": str(tmp_path / "home"), "REACHOUT_RESOLVE_ONLY": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reachout", *command, "--allow-private", "--nameserver", dead_nameserver,
         "--timeout", "60", "-o", str(path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(list(path.parent.iterdir())) < 2:  # the temporary file: the run is writing
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.05)
        time.sleep(0.5)  # on to the silent nameserver (a signal at start-up is test_hostile_cli's)
        process.send_signal(getattr(signal, signum))
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out, err) == (130, b"", b"Interrupted.\n")
    assert written(path, mode=stat.S_IMODE(path.stat().st_mode)) == OLD


# --- brief, which wrote its -o file the same way only at the end ---------------------------------------
def test_brief_out_in_a_missing_folder_is_said_before_the_site_is_read(site, tmp_path):
    path = tmp_path / "missing" / "acme.md"
    argv = ["brief", site.url("acme.test"), "--allow-private", "--no-mail", "-o", str(path)]
    for entry in site.resolve("acme.test"):
        argv += ["--resolve", entry]
    site.log.clear()
    result = run(*argv)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: Cannot write {path}: the folder {path.parent} does not exist")
    assert site.log == [] and not path.parent.exists()
    path.parent.mkdir()
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote {path}\n")
    assert written(path).startswith("# ")
