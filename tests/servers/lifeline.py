"""Servers and scratch folders that end with the process that made them, however it ends.

`atexit` and `finally` do not run when a process is killed (SIGKILL, or SIGHUP from a closed terminal
with no handler), and the DNS and mail servers run in their own sessions (so Ctrl-C reaches their
parent, which stops them in order): without help they would keep listening, their folders left behind.

`lifeline()` starts one small watcher process per parent (this file, run as a script: it imports
nothing of the repository). The parent holds the write end of a pipe to the watcher's stdin and tells
it which process groups and folders to take care of. When the parent ends, in any way, the kernel
closes that pipe; the watcher reads end-of-file, ends the groups still registered (SIGTERM, then
SIGKILL) and removes the folders still registered. A parent that stops its servers itself forgets
them first, so the watcher has nothing left to do.

Why not PR_SET_PDEATHSIG: Linux sends that signal when the *thread* that started the child ends,
not the process, so a server started from a worker thread would die with that thread; and it reaches
only the direct child (NSD's own workers and Postfix's daemons are its children) and removes no folder.
The watcher covers all three and works wherever a pipe does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

_lock = threading.Lock()


class Lifeline:
    """The parent's end of the watcher: register and forget process groups and folders."""

    def __init__(self) -> None:
        read_end, self._write_end = os.pipe()  # both non-inheritable: servers never hold the pipe
        # posix_spawn, not Popen: the watcher outlives this process by design (no ResourceWarning
        # for a child never waited for). Its own session: a terminal's SIGHUP or Ctrl-C for the
        # parent's group does not reach it.
        self.watcher_pid = os.posix_spawn(
            sys.executable, [sys.executable, os.fspath(Path(__file__).resolve())], os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, read_end, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            ],
            setsid=True,
        )
        os.close(read_end)
        self._pid = os.getpid()

    def _say(self, verb: str, value: object) -> None:
        text = f"{verb} {value}\n"
        if "\n" in str(value):
            raise ValueError(f"cannot register {value!r}: a line break in it")
        with _lock:
            os.write(self._write_end, text.encode("utf-8", "surrogateescape"))

    def watch_group(self, pgid: int) -> None:
        """End process group PGID (a server started with start_new_session) when this process ends."""
        self._say("group", pgid)

    def forget_group(self, pgid: int) -> None:
        """PGID was stopped by its owner: nothing to do for it any more."""
        self._say("forget-group", pgid)

    def watch_folder(self, path: str | os.PathLike[str]) -> None:
        """Remove PATH (a folder this process made with mkdtemp) when this process ends."""
        self._say("folder", os.path.abspath(path))

    def forget_folder(self, path: str | os.PathLike[str]) -> None:
        """PATH was removed (or kept on purpose) by its owner."""
        self._say("forget-folder", os.path.abspath(path))


def lifeline() -> Lifeline:
    """This process's watcher, started on first use (a forked child starts its own)."""
    global _current
    with _lock:
        if _current is None or _current._pid != os.getpid():
            _current = Lifeline()
        return _current


_current: Lifeline | None = None


# ------------------------------------------------------------------------------- the watcher side
def _end_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    for _ in range(50):  # NSD and Postfix stop their workers on SIGTERM within a moment
        time.sleep(0.1)
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _watch(stream: object) -> None:
    import shutil

    groups: dict[int, None] = {}
    folders: dict[str, None] = {}
    for raw in stream:  # type: ignore[attr-defined]
        verb, _, value = raw.decode("utf-8", "surrogateescape").rstrip("\n").partition(" ")
        if verb == "group":
            groups[int(value)] = None
        elif verb == "forget-group":
            groups.pop(int(value), None)
        elif verb == "folder":
            folders[value] = None
        elif verb == "forget-folder":
            folders.pop(value, None)
    # End of file: the parent has ended. Servers first (they write into the folders), then folders.
    for pgid in reversed(list(groups)):
        _end_group(pgid)
    for folder in reversed(list(folders)):
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for name in ("SIGHUP", "SIGINT"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    _watch(sys.stdin.buffer)
