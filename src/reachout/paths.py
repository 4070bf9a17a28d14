"""Where reachout keeps its caches and stores: REACHOUT_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from reachout.errors import StoreError

ENV_HOME = "REACHOUT_HOME"


def user_dir() -> Path:
    """The user directory, created on first use."""
    home = os.environ.get(ENV_HOME)
    if home:
        path = Path(home).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("reachout", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where = f"{ENV_HOME}={home}" if home else f"the user directory {path}"
        raise StoreError(
            f"Cannot use {where} ({exc.strerror or exc}); set {ENV_HOME} to a writable directory."
        ) from None
    return path


def cache_db() -> Path:
    """The SQLite file that caches DNS and HTTP answers with their TTLs."""
    return user_dir() / "cache.sqlite"
