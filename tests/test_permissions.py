"""Personal data is its owner's alone whatever the umask (issue 22): the user directory and briefs/
are 0700; the tracker, the caches and the batch state (with their -wal/-shm files) are 0600."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from reachout.cli import cli


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def fresh_home(tmp_path, monkeypatch):
    home = tmp_path / "new" / "reachout"  # made by reachout itself
    monkeypatch.setenv("REACHOUT_HOME", str(home))
    return home


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_every_store_is_private_under_umask_022(umask_022, fresh_home, nameserver, tmp_path):
    invoke("followup", "add", "acme.example", "Data Engineer", "--via", "direct")
    invoke("followup", "person", "1", "Hana Ito", "--role", "recruiter")
    invoke("mx", "acme.test", "--nameserver", nameserver, "--allow-private")
    state = tmp_path / "run.state"
    targets = tmp_path / "targets.csv"
    targets.write_text("name,domain\nJane Doe,acme.test\n", encoding="utf-8")
    invoke("batch", str(targets), "--state", str(state), "--out", str(tmp_path / "out.csv"),
           "--nameserver", nameserver, "--allow-private", "--quiet")
    from reachout.briefstore import save_brief

    save_brief({"domain": "acme.test", "facts": []}, "acme.test")
    # -wal and -shm exist while a connection is open: hold one on each file, written to.
    from reachout.batch.statefile import StateStore
    from reachout.followup.trackerfile import Store

    tracker, batch = Store(), StateStore(state)
    tracker.db.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    batch.db.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    from reachout.http import HttpConfig, build_session

    http = build_session(HttpConfig(cache_ttl=60))
    http.cache.responses["k"] = b"x"  # type: ignore[attr-defined]  # a write: its WAL files appear
    assert mode(fresh_home) == 0o700
    assert mode(fresh_home / "briefs") == 0o700
    assert mode(fresh_home / "briefs" / "acme.test.json") == 0o600
    files = [fresh_home / "followup.sqlite", fresh_home / "cache.sqlite", state,
             fresh_home / "http-cache.sqlite"]
    files += [f.with_name(f.name + suffix) for f in files for suffix in ("-wal", "-shm")
              if f.with_name(f.name + suffix).exists()]
    assert len(files) > 3  # WAL files were made, and checked
    assert {str(f): mode(f) for f in files} == {str(f): 0o600 for f in files}
    tracker.close()
    batch.close()
    http.close()


def test_files_an_older_version_left_readable_are_tightened(umask_022, fresh_home):
    fresh_home.mkdir(parents=True, mode=0o755)
    os.chmod(fresh_home, 0o755)  # a REACHOUT_HOME the user made is theirs: left as it is
    tracker = fresh_home / "followup.sqlite"
    invoke("followup", "add", "acme.example", "Data Engineer", "--via", "direct")
    os.chmod(tracker, 0o644)
    invoke("followup", "list")
    assert mode(tracker) == 0o600
    assert mode(fresh_home) == 0o755
