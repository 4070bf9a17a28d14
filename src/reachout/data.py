"""Load the data files of patterns/ (shipped inside the package; a user may point at their own)."""

from __future__ import annotations

import functools
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from reachout.errors import DataError

ENV_PATTERNS = "REACHOUT_PATTERNS"


def bundled_dir() -> Path:
    """The patterns/ folder shipped in the wheel, or the repository's own in a source checkout."""
    shipped = resources.files("reachout") / "patterns"
    if shipped.is_dir():
        return Path(str(shipped))
    # Editable installs map only src/; the data then lives at the top of the checkout.
    checkout = Path(__file__).resolve().parents[2] / "patterns"
    if checkout.is_dir():
        return checkout
    raise DataError("The patterns/ data folder is missing; reinstall reachout.")


def patterns_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder to read data from: the one given, REACHOUT_PATTERNS, or the bundled one."""
    chosen = directory or os.environ.get(ENV_PATTERNS)
    return Path(chosen) if chosen else bundled_dir()


@functools.lru_cache(maxsize=64)
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(f"Data file {path} is missing; restore it or drop --patterns.") from None
    except OSError as exc:  # a directory, no permission
        raise DataError(_unreadable(path, exc)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Data file {path} is not valid TOML: {exc}.") from None


def _unreadable(path: Path, exc: OSError) -> str:
    return f"Data file {path} cannot be read ({exc.strerror or exc}); fix it or drop --patterns."


def load_toml(name: str, directory: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Parse patterns/NAME.toml; a user folder that lacks the file falls back to the bundled one."""
    folder = patterns_dir(directory)
    path = folder / f"{name}.toml"
    if not path.exists() and folder != bundled_dir():
        path = bundled_dir() / f"{name}.toml"
    return _read_toml(path.resolve())


@functools.lru_cache(maxsize=16)
def _read_lines(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"Data file {path} is missing; restore it or drop --patterns.") from None
    except OSError as exc:
        raise DataError(_unreadable(path, exc)) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"Data file {path} is not UTF-8 (byte {exc.start}); save it as UTF-8.") from None
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def load_lines(name: str, directory: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """Read a one-item-per-line data file (comments start with #), lower-cased."""
    folder = patterns_dir(directory)
    path = folder / name
    if not path.exists() and folder != bundled_dir():
        path = bundled_dir() / name
    return _read_lines(path.resolve())
