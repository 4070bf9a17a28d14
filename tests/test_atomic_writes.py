"""Every file reachout writes replaces the old one whole or not at all: a full disk (ENOSPC) or a
crash part-way through leaves the previous file as it was and no temporary file behind."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout.atomicfile import atomic_open, write_atomic
from reachout.cli import cli

OLD = "the previous export, whole\n"


def _disk_full(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch):
    """The disk fills up after the text was handed to the file, when it must reach the disk."""
    monkeypatch.setattr("reachout.atomicfile.os.fsync", _disk_full)


def _previous(path: Path) -> Path:
    path = path.parent / "exports" / path.name  # a folder of its own: nothing else is written there
    path.parent.mkdir(exist_ok=True)
    path.write_text(OLD, encoding="utf-8")
    return path


def _only(path: Path, *also: str) -> None:
    """PATH holds the old text and its folder holds no temporary file (only PATH and ALSO)."""
    assert path.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, *also])


def test_a_writer_failing_mid_way_leaves_the_old_file(tmp_path):
    path = _previous(tmp_path / "out.csv")
    with pytest.raises(OSError), atomic_open(path) as stream:
        stream.write("id,name\n1,Ana")
        _disk_full()
    _only(path)


def test_an_interrupt_while_writing_leaves_the_old_file(tmp_path):
    path = _previous(tmp_path / "out.jsonl")
    with pytest.raises(KeyboardInterrupt), atomic_open(path, "wb") as stream:
        stream.write(b'{"a": 1}\n{"b"')
        raise KeyboardInterrupt
    _only(path)


def test_a_clean_write_replaces_the_file_readable_by_its_owner_only(tmp_path):
    path = _previous(tmp_path / "out.ics")
    write_atomic(path, "BEGIN:VCALENDAR\r\n")
    assert path.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.ics"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_through_a_symlink_the_file_it_names_is_replaced(tmp_path):
    real = _previous(tmp_path / "real.csv")
    link = real.parent / "link.csv"
    link.symlink_to(real.name)
    write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


def test_a_pipe_is_written_as_it_is(tmp_path):
    """`-o /dev/stdout` or a FIFO: nothing to keep whole, and its entry must not be replaced."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, "row\n")
        assert os.read(reader, 100) == b"row\n"
    finally:
        os.close(reader)
    assert fifo.is_fifo()


def test_a_full_disk_fails_fsync_and_keeps_the_old_file(tmp_path, full_disk):
    path = _previous(tmp_path / "out.txt")
    with pytest.raises(OSError) as caught:
        write_atomic(path, "new text " * 1000)
    assert caught.value.errno == errno.ENOSPC
    _only(path)


# ------------------------------------------------------------------------------- through the CLI
def _followup(*args: str) -> object:
    return CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", *args])


@pytest.fixture
def tracked() -> None:
    for argv in (
        ["add", "acme.example", "Data Engineer", "--applied", "2026-11-16"],
        ["person", "1", "Hana Ito", "--email", "hana@acme.example"],
        ["log", "1", "interviewed", "--on", "2026-11-25", "--with", "Hana Ito"],
    ):
        result = _followup(*argv)
        assert result.exit_code == 0, result.output


def _refused(result: object, path: Path) -> None:
    assert result.exit_code == 1, (result.output, result.exception)  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert err == f"Error: Cannot write {path}: No space left on device; pick a writable path.\n" or (
        err.startswith(f"Error: Cannot write {path}") and err.count("\n") == 1
    ), err
    assert "Traceback" not in err
    _only(path)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_followup_export_rows_on_a_full_disk(tracked, tmp_path, full_disk, fmt):
    path = _previous(tmp_path / f"followups.{fmt}")
    _refused(_followup("export", "--format", fmt, "-o", str(path), "--on", "2026-11-26"), path)


def test_followup_export_ics_on_a_full_disk(tracked, tmp_path, full_disk):
    path = _previous(tmp_path / "followups.ics")
    _refused(_followup("export", "--ics", str(path), "--on", "2026-11-26"), path)


def test_followup_draft_eml_on_a_full_disk(tracked, tmp_path, full_disk):
    path = _previous(tmp_path / "draft.eml")
    _refused(_followup("draft", "1", "--on", "2026-11-26", "--eml", str(path)), path)


def test_followup_export_writes_whole_files(tracked, tmp_path):
    path = _previous(tmp_path / "followups.jsonl")
    result = _followup("export", "--format", "jsonl", "-o", str(path), "--on", "2026-11-26")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [row["to"]["name"] for row in rows][:1] == ["Hana Ito"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["followups.jsonl"]


def test_brief_out_on_a_full_disk(site, tmp_path, full_disk, monkeypatch):
    # The saved copy in the user directory fails too (same disk): the brief is still printed nowhere
    # but the one-line error, and --out keeps its previous content.
    path = _previous(tmp_path / "brief.md")
    argv = ["brief", site.url("acme.test"), "--allow-private", "--out", str(path), "--no-mail"]
    for entry in site.resolve("acme.test"):
        argv += ["--resolve", entry]
    _refused(CliRunner().invoke(cli, argv), path)


def test_batch_out_on_a_writer_failing_mid_row(tmp_path, monkeypatch, batch_ns):
    """The results file is written row by row: a failure part-way keeps the previous results."""
    import reachout.batch.runner as runner

    targets = tmp_path / "in" / "targets.csv"
    targets.parent.mkdir()
    targets.write_text("name,domain\nAna Lima,acme.example\nBo Li,acme.example\n", encoding="utf-8")
    out = _previous(tmp_path / "results.jsonl")
    real = runner.to_json_line
    calls = []

    def failing(value: object) -> str:
        calls.append(value)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(value)

    monkeypatch.setattr(runner, "to_json_line", failing)
    result = CliRunner().invoke(cli, [
        "batch", str(targets), "--out", str(out), "--nameserver", batch_ns, "--allow-private",
        "--timeout", "0.6", "--no-lookup",
    ])
    assert len(calls) == 2, (result.output, result.exception)
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.output
    assert result.stderr.startswith(f"Error: Cannot write {out}"), result.stderr
    _only(out, "results.jsonl.state.sqlite")  # the saved rows: the next run writes them again


def test_ctrl_c_as_the_temporary_file_is_made_leaves_none_behind(tmp_path, monkeypatch):
    """A signal that arrives inside mkstemp, after it made the file and before it returned its name."""
    import signal
    import tempfile

    real = tempfile.mkstemp

    def made_then_ctrl_c(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # held until mkstemp has handed the name over
        return made

    monkeypatch.setattr("reachout.atomicfile.tempfile.mkstemp", made_then_ctrl_c)
    path = _previous(tmp_path / "out.csv")
    with pytest.raises(KeyboardInterrupt), atomic_open(path) as stream:
        stream.write("id,name\n")
    _only(path)
