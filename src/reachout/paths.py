"""Where reachout keeps its caches and stores: REACHOUT_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "REACHOUT_HOME"


def user_dir() -> Path:
    """The user directory, created on first use."""
    home = os.environ.get(ENV_HOME)
    if home:
        path = Path(home).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("reachout", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_db() -> Path:
    """The SQLite file that caches DNS and HTTP answers with their TTLs."""
    return user_dir() / "cache.sqlite"
