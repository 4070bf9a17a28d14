"""Company research: `build_brief(company)` reads the site, feeds, ATS boards and public data.

The saved JSON of each brief (schema `reachout.brief/1`, see README) lives in
`user_dir()/briefs/<domain>.json`; `load_saved_brief(domain)` reads it back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = [
    "Brief",
    "Endpoints",
    "Fact",
    "brief_path",
    "build_brief",
    "load_saved_brief",
    "save_brief",
]


def __getattr__(name: str) -> Any:
    # Lazy: importing reachout.research must not pull lxml/extruct/feedparser in.
    if name == "build_brief":
        from reachout.research.crawl import build_brief

        return build_brief
    if name in {"Brief", "Fact"}:
        from reachout.research import brief

        return getattr(brief, name)
    if name == "Endpoints":
        from reachout.research.endpoints import Endpoints

        return Endpoints
    raise AttributeError(f"module 'reachout.research' has no attribute {name!r}")


def brief_path(domain: str) -> Path:
    """Where DOMAIN's brief is saved: user_dir()/briefs/<domain>.json (IDNs as A-labels)."""
    from reachout.domains import to_ascii, validate_domain
    from reachout.paths import user_dir

    return user_dir() / "briefs" / f"{to_ascii(validate_domain(domain, allow_private=True))}.json"


def save_brief(brief: Any) -> Path:
    """Write BRIEF's JSON atomically to brief_path(brief.domain) and return the path."""
    from reachout.errors import StoreError

    path = brief_path(brief.domain)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(
            json.dumps(brief.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        tmp.replace(path)
    except OSError as exc:
        raise StoreError(
            f"Cannot save the brief to {path} ({exc.strerror or exc}); set REACHOUT_HOME to a "
            "writable directory."
        ) from None
    return path


def load_saved_brief(domain: str) -> dict[str, Any] | None:
    """The last saved brief of DOMAIN as a dict (schema reachout.brief/1), or None."""
    path = brief_path(domain)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (
        data
        if isinstance(data, dict) and data.get("schema", "").startswith("reachout.brief/")
        else None
    )
