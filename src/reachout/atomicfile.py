"""Atomic file writes: the one owner of how reachout replaces a file it writes.

A reader (or the user after a crash, a kill -9 or a full disk) sees the old file or the new one,
never half of one: the text goes to a temporary file in the same folder (so the rename stays on one
file system), is flushed to disk, then renamed over the target (POSIX rename(2) is atomic). On any
failure the temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload


@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["w"] = "w", *, encoding: str | None = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[TextIO]: ...
@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["wb"], *, encoding: str | None = None,
    newline: str | None = None,
) -> contextlib.AbstractContextManager[BinaryIO]: ...
def atomic_open(
    path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A file to write PATH's new content to ('w' for text, 'wb' for bytes); it replaces PATH
    when the block ends cleanly and is removed, PATH untouched, when the block raises."""
    return _replacing(path, mode, encoding, newline)


@contextlib.contextmanager
def _replacing(
    path: str | os.PathLike[str], mode: str, encoding: str | None, newline: str | None
) -> Iterator[IO[Any]]:
    """atomic_open's work: the temporary file, then its fsync and rename, or its removal."""
    if mode not in {"w", "wb"}:
        raise ValueError(f"atomic_open writes whole files ('w' or 'wb'), not {mode!r}")
    text = mode == "w"
    target = Path(os.path.realpath(path))  # through a symlink: the file it names is replaced
    if target.exists() and not target.is_file():
        # A device, pipe or socket (-o /dev/stdout, a FIFO): there is no old file to keep whole,
        # and renaming over it would replace the device's entry. Written as it is.
        with open(target, mode, encoding=encoding if text else None,
                  newline=newline if text else None) as stream:
            yield stream
        return
    name: str | None = None
    try:
        # mkstemp makes the file 0600: an export of personal data stays its owner's. Ctrl-C or
        # SIGTERM is held while it runs, so the file it made always has a name here to remove.
        with _signals_held():
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".tmp")
        with os.fdopen(handle, mode, encoding=encoding if text else None,
                       newline=newline if text else None) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(name, target)
    except BaseException:
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(name)
        raise
    _sync_folder(target.parent)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait until the block ends, then are handled as they would have
    been: a signal mid-way through mkstemp would otherwise leave its file nameless. Python runs
    signal handlers in the main thread only; elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, Any]] = []
    kinds = (signal.SIGINT, signal.SIGTERM)
    previous = {kind: signal.signal(kind, lambda signum, frame: caught.append((signum, frame)))
                for kind in kinds}
    try:
        yield
    finally:
        for kind, handler in previous.items():
            signal.signal(kind, handler)
        for signum, frame in caught[:1]:
            handler = previous[signal.Signals(signum)]
            if callable(handler):
                handler(signum, frame)  # Python's own for SIGINT: KeyboardInterrupt
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)  # SIGTERM's default: the process ends


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Replace PATH with DATA (text is written in ENCODING) atomically. Raises OSError."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_open(path, "wb") as stream:
        stream.write(payload)


def _sync_folder(folder: Path) -> None:
    # The rename itself lives in the folder's entry list: fsync it so it survives a power cut.
    # Not every platform can open a folder (Windows): the rename is still atomic there.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
