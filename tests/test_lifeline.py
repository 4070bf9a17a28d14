"""Test and demo servers die with their parent, however it ends: `python -m notebooks.demo` and the
docs examples' servers, killed (SIGKILL) or hung up on (SIGHUP, a closed terminal), leave no server
listening and no scratch folder behind (tests/servers/lifeline.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("nsd") is None and not Path("/usr/sbin/nsd").exists(),
                                reason="needs Debian's NSD (scripts/install-test-deps)")


def _processes_using(text: str) -> list[int]:
    """PIDs of live processes whose command line names TEXT (a server's scratch folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(line for line in (entry / "status").read_text().splitlines()
                         if line.startswith("State:"))
        except (OSError, StopIteration):
            continue
        if text in cmdline and "zombie" not in state:
            found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True


def _until(check, what: str, limit: float = 30.0) -> None:
    """Wait for CHECK() to hold (the watcher needs a moment); fail naming WHAT if it never does."""
    end = time.monotonic() + limit
    while not check():
        if time.monotonic() > end:
            pytest.fail(what)
        time.sleep(0.1)


def _start(argv: list[str], last: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Run ARGV until it has printed `export LAST=…` among its `export NAME=VALUE` lines."""
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    env: dict[str, str] = {}
    for line in process.stdout:
        name, _, value = line.removeprefix("export ").strip().partition("=")
        env[name] = value.strip("'")
        if name == last:
            break
    assert last in env, f"the process ended before it printed {last}"
    return process, env


def _reap(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _ends_with_parent(process: subprocess.Popen[str], workdir: Path, how: signal.Signals) -> None:
    servers = _processes_using(str(workdir))
    assert servers, f"no server runs from {workdir}"
    assert workdir.is_dir()
    process.send_signal(how)
    process.wait(timeout=60)
    _until(lambda: not _processes_using(str(workdir)), f"servers from {workdir} still running")
    _until(lambda: not workdir.exists(), f"{workdir} was left behind")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP], ids=["kill-9", "hangup"])
def test_the_notebooks_demo_ends_its_servers_and_folder(how):
    process, env = _start([sys.executable, "-m", "notebooks.demo", "--print-env"],
                           "REACHOUT_DEMO_WORKDIR")
    try:
        _ends_with_parent(process, Path(env["REACHOUT_DEMO_WORKDIR"]).parent, how)
    finally:
        _reap(process)


DOCS_SERVERS = textwrap.dedent("""
    import sys
    sys.path.insert(0, "docs")
    import examples
    examples.nameserver()
    print("export NS_DIR=" + str(examples._state["ns_dir"]))
    print("export HOME_DIR=" + examples._home(), flush=True)
    __import__("time").sleep(600)
""")


def test_the_docs_examples_servers_end_with_a_killed_cog_run():
    process, env = _start([sys.executable, "-c", DOCS_SERVERS], "HOME_DIR")
    try:
        home = Path(env["HOME_DIR"])
        assert home.is_dir()
        _ends_with_parent(process, Path(env["NS_DIR"]), signal.SIGKILL)
        _until(lambda: not home.exists(), f"{home} was left behind")
    finally:
        _reap(process)


def test_a_server_stopped_by_its_owner_is_forgotten(tmp_path):
    """Stopping normally leaves nothing for the watcher: it ends no one else's process group."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from tests.servers.dns import NsdServer, Zone
        from tests.servers.lifeline import lifeline
        server = NsdServer([Zone("forget.test.")], Path({str(tmp_path / 'nsd')!r})).start()
        server.stop()
        print("export WATCHER=%d" % lifeline().watcher_pid, flush=True)
    """)
    process, env = _start([sys.executable, "-c", script], "WATCHER")
    _reap(process)
    assert not _processes_using(str(tmp_path / "nsd"))
    # The watcher ends with its parent, having nothing left to do.
    _until(lambda: _gone(int(env["WATCHER"])), "the watcher lives on")
    assert (tmp_path / "nsd").is_dir()  # not the watcher's to remove: the caller made it
