"""Company research: `build_brief(company)` reads the site, feeds, ATS boards and public data.

The saved JSON of each brief (schema `reachout.brief/1`, see README) lives in
`user_dir()/briefs/<domain>.json`; `load_saved_brief(domain)` reads it back (reachout.briefstore
owns the files).
"""

from __future__ import annotations

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
    from reachout import briefstore

    return briefstore.brief_path(domain)


def save_brief(brief: Any) -> Path:
    """Write BRIEF's JSON atomically to brief_path(brief.domain) and return the path."""
    from reachout import briefstore

    path = briefstore.save_brief(brief.to_dict(), brief.domain)
    return path


def load_saved_brief(domain: str) -> dict[str, Any] | None:
    """The last saved brief of DOMAIN as a dict (schema reachout.brief/1), or None."""
    from reachout import briefstore

    return briefstore.load_brief(domain)
