"""Where reachout keeps its caches and stores: REACHOUT_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from reachout.errors import StoreError

ENV_HOME = "REACHOUT_HOME"


# Personal data (trackers, briefs, caches of whom was looked up) is its owner's alone, whatever the
# umask: folders 0700, files 0600.
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def user_dir() -> Path:
    """The user directory, created on first use (0700)."""
    home = os.environ.get(ENV_HOME)
    if home:
        path = Path(home).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("reachout", appauthor=False))
    try:
        # The platform's folder is reachout's own: tightened if an older version made it 0755. A
        # REACHOUT_HOME that exists already is the user's folder, left as they set it.
        private_dir(path, tighten=not home)
    except OSError as exc:
        where = f"{ENV_HOME}={home}" if home else f"the user directory {path}"
        raise StoreError(
            f"Cannot use {where} ({exc.strerror or exc}); set {ENV_HOME} to a writable directory."
        ) from None
    return path


def cache_db() -> Path:
    """The SQLite file that caches DNS and HTTP answers with their TTLs."""
    return user_dir() / "cache.sqlite"


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """PATH as a folder only its owner can enter: made 0700 (its parents as the umask says); an
    existing one tightened to 0700 when TIGHTEN and it is the caller's. Raises OSError."""
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask; 0700 needs no widening
    elif tighten:
        _tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """PATH as a file only its owner can read: created empty 0600 when missing (before SQLite opens
    it, so its -wal and -shm files, which SQLite makes with the database's mode, are 0600 too), or
    tightened to 0600 when an older version left it readable by others. Raises OSError."""
    private_dir(path.parent, tighten=False)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _tighten(path, PRIVATE_FILE)
    return path


def private_opener(path: str, flags: int) -> int:
    """An `open(..., opener=)` that creates files 0600."""
    return os.open(path, flags, PRIVATE_FILE)


def _tighten(path: Path, mode: int) -> None:
    """Drop group and other permissions from PATH when the caller owns it (a read-only or foreign
    file is left alone: reading it must still work)."""
    try:
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
            os.chmod(path, info.st_mode & mode & 0o777)
    except OSError:
        pass
