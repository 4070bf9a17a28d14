"""One migration runner for every SQLite file: idempotent, atomic, safe under concurrent first use."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout.cli import cli
from reachout.migrations import applied, apply_migrations, statements

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 8

# Opens one store on PATH the way its command does, then writes through it.
OPENERS = {
    "cache": (
        "from reachout.cache import TTLCache\n"
        "c = TTLCache(path, namespace='dns')\n"
        "assert c._db is not None, 'fell back to memory'\n"
        "c.set('k' + str(n), n, 60); c.close()\n"
    ),
    "batch": (
        "import sqlite3\n"
        "from reachout.batch.statefile import MIGRATIONS\n"
        "from reachout.migrations import apply_migrations\n"
        "db = sqlite3.connect(path, isolation_level=None, timeout=30)\n"
        "db.execute('PRAGMA journal_mode=WAL')\n"
        "apply_migrations(db, MIGRATIONS)\n"
        "db.execute('INSERT INTO run VALUES (?, ?)', ('k' + str(n), 'v'))\n"
    ),
    "followup": (
        "from reachout.followup.trackerfile import Store\n"
        "s = Store(path)\n"
        "s.add_application(company='Acme' + str(n), role='Engineer'); s.close()\n"
    ),
}


def _together(code: str, go: Path, env: dict[str, str], n: int) -> subprocess.Popen[bytes]:
    """A process that runs CODE the moment GO exists: every worker starts its first use at once."""
    wait = f"import os, time\nwhile not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
    return subprocess.Popen(
        [sys.executable, "-c", wait + code, str(n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env},
    )


def _run_together(code: str, tmp_path: Path, env: dict[str, str]) -> list[str]:
    go = tmp_path / "go"
    processes = [_together(code, go, env, n) for n in range(WORKERS)]
    time.sleep(1.5)  # past the interpreter's start-up
    go.touch()
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * WORKERS, errors
    return errors


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(OPENERS))
def test_concurrent_first_use_loses_no_writer(tmp_path, kind):
    path = tmp_path / f"{kind}.sqlite"
    code = f"import sys; path = {str(path)!r}; n = int(sys.argv[1])\n" + OPENERS[kind]
    _run_together(code, tmp_path, {"PYTHONPATH": str(ROOT / "src")})
    db = sqlite3.connect(path)
    names = applied(db)
    assert len(names) == len(set(names)) >= 1
    table = {"cache": "ttl_cache", "batch": "run", "followup": "applications"}[kind]
    assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == WORKERS


@pytest.mark.slow
def test_eight_followup_adds_at_once_on_a_fresh_home(tmp_path):
    # The race: 'table applications already exists' and lost writers on a fresh home.
    env = {"REACHOUT_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT / "src")}
    code = ("import sys\nfrom reachout.cli import main\n"
            "sys.argv = ['reachout', 'followup', 'add', 'Acme ' + sys.argv[1], 'Engineer']\nmain()\n")
    _run_together(code, tmp_path, env)
    listed = CliRunner(env={"REACHOUT_HOME": env["REACHOUT_HOME"]}).invoke(
        cli, ["followup", "list", "--json"]
    )
    assert len(json.loads(listed.stdout)) == WORKERS


def test_migrations_are_idempotent_and_atomic(tmp_path):
    db = sqlite3.connect(tmp_path / "x.sqlite")
    steps = [("m001", "CREATE TABLE a (x TEXT DEFAULT 'a;b');"), ("m002", "CREATE TABLE b (y);")]
    assert apply_migrations(db, steps) == ["m001", "m002"]
    assert apply_migrations(db, steps) == []
    broken = [*steps, ("m003", "CREATE TABLE c (z);\nCREATE TABLE a (again);")]
    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(db, broken)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "c" not in tables  # the failed migration left nothing half-done
    assert applied(db) == ["m001", "m002"]


def test_statements_keep_semicolons_inside_strings():
    assert statements("CREATE TABLE a (x DEFAULT ';');\nSELECT 1;") == [
        "CREATE TABLE a (x DEFAULT ';');", "SELECT 1;"]


def test_an_old_tracker_keeps_its_data_and_history(reachout_home):
    # Trackers made before the shared runner recorded migrations in `_migrations`.
    from reachout.followup.trackerfile import MIGRATIONS

    reachout_home.mkdir(parents=True)
    db = sqlite3.connect(reachout_home / "followup.sqlite")
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    db.executescript(MIGRATIONS[0][1])
    db.execute("INSERT INTO _migrations VALUES ('m001_initial', '2026-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO applications (company, role, created_at, updated_at) "
               "VALUES ('Old Co', 'Eng', '2026-01-01', '2026-01-01')")
    db.commit()
    db.close()
    listed = CliRunner().invoke(cli, ["followup", "list", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert [a["company"] for a in json.loads(listed.stdout)] == ["Old Co"]
    db = sqlite3.connect(reachout_home / "followup.sqlite")
    assert applied(db) == ["m001_initial", "m002_event_people_topic"]


def test_a_locked_tracker_says_busy_not_move_aside(reachout_home):
    assert CliRunner().invoke(cli, ["followup", "add", "Acme", "Eng"]).exit_code == 0
    holder = sqlite3.connect(reachout_home / "followup.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    import reachout.migrations

    try:
        old = reachout.migrations.BUSY_TIMEOUT
        import reachout.followup.trackerfile as store

        store.BUSY_TIMEOUT = 0.2  # type: ignore[attr-defined]
        result = CliRunner().invoke(cli, ["followup", "add", "Globex", "Eng"])
    finally:
        store.BUSY_TIMEOUT = old  # type: ignore[attr-defined]
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "is busy (another reachout is writing to it); try again" in result.stderr
    assert "aside" not in result.stderr
