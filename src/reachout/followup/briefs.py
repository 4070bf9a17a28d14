"""Read a saved company brief defensively and pick one sourced, recent fact worth mentioning."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reachout import briefstore

# The brief's schema is not settled: accept the shapes the company-brief engineer may write.
_LIST_KEYS = ("posts", "news", "articles", "press", "blog", "items", "talking_points", "facts")
_NEST_KEYS = ("brief", "sections", "research", "data")
_TITLE_KEYS = ("title", "headline", "text", "summary", "name")
_URL_KEYS = ("url", "link", "href", "source_url", "source")
_DATE_KEYS = ("published", "date", "published_at", "published_on", "date_published", "updated")
_MAX_TITLE = 120


@dataclass(frozen=True)
class Fact:
    """One dated item from a brief, with the URL that backs it."""

    title: str
    url: str
    published: dt.date
    kind: str
    brief: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["published"] = self.published.isoformat()
        return data


def brief_path(domain: str) -> Path:
    """Where the company-brief command saves DOMAIN's brief (reachout.briefstore)."""
    return briefstore.brief_path(domain)


def load_brief(domain: str | None) -> dict[str, Any] | None:
    """The saved brief for DOMAIN (either IDN form) as a dict, or None when absent or unreadable."""
    return briefstore.load_brief(domain)


def unread_reason(domain: str | None) -> str:
    """Why DOMAIN's saved brief is not read ("" when it is, or there is none)."""
    return briefstore.unread_reason(domain) if domain else ""


def posting_closes(
    brief: dict[str, Any] | None, posting_url: str | None, role: str | None = None
) -> dt.date | None:
    """The close date the saved brief gives for the posting at POSTING_URL (`roles[].closes`,
    from the careers page's schema.org JobPosting `validThrough`); None when absent or unclear.

    Several postings marked up on one careers page share its URL: ROLE (the title) then decides.
    """
    if not brief or not posting_url or not isinstance(brief.get("roles"), list):
        return None
    roles = [r for r in brief["roles"] if isinstance(r, dict) and isinstance(r.get("url"), str)]
    wanted = _url_key(posting_url)
    matches = [r for r in roles if _url_key(r["url"]) == wanted]
    if not matches:  # a posting URL without the page's #fragment, or the other way round
        matches = [
            r for r in roles if _url_key(r["url"], fragment=False) == _url_key(posting_url, fragment=False)
        ]
    if len(matches) > 1 and role:
        titled = [r for r in matches if str(r.get("title", "")).casefold() == role.casefold()]
        matches = titled or matches
    dates = {d for r in matches if (d := _iso_day(r.get("closes"))) is not None}
    return dates.pop() if len(dates) == 1 else None


def _url_key(url: str, *, fragment: bool = True) -> str:
    parts = urlsplit(url.strip())
    key = f"{parts.netloc.lower()}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
    return key + (f"#{parts.fragment}" if fragment and parts.fragment else "")


def _iso_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def company_name(brief: dict[str, Any] | None) -> str | None:
    """The company's name from a brief ("company": "Acme" or {"name": "Acme"}, or "name")."""
    if not brief:
        return None
    value = brief.get("company")
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        value = brief.get("name")
    return draft_text(value) if isinstance(value, str) else None


def pick_fact(
    brief: dict[str, Any] | None, *, on: dt.date, max_age_days: int, source: str = ""
) -> Fact | None:
    """The newest item dated within MAX_AGE_DAYS before ON that has a title and a web URL."""
    if not brief:
        return None
    best: Fact | None = None
    for kind, item in _items(brief):
        fact = _fact(item, kind, source)
        if fact is None:
            continue
        # A date after ON is a typo or a time-zone edge more than a day out: not "recent", skip it.
        if not (
            on - dt.timedelta(days=max_age_days) <= fact.published <= on + dt.timedelta(days=1)
        ):
            continue
        if best is None or fact.published > best.published:
            best = fact
    return best


def _items(brief: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    tables = [brief] + [brief[key] for key in _NEST_KEYS if isinstance(brief.get(key), dict)]
    for table in tables:
        for key in _LIST_KEYS:
            value = table.get(key)
            if isinstance(value, list):
                found.extend((key, item) for item in value)
    return found


def _fact(item: Any, kind: str, source: str) -> Fact | None:
    if not isinstance(item, dict):
        return None
    title = next((draft_text(item[k]) for k in _TITLE_KEYS if isinstance(item.get(k), str)), None)
    url = next((item[k].strip() for k in _URL_KEYS if _is_web_url(item.get(k))), None)
    published = next((d for k in _DATE_KEYS if (d := parse_when(item.get(k))) is not None), None)
    if not title or not url or published is None:
        return None
    return Fact(title=title, url=url, published=published, kind=kind, brief=source)


def _is_web_url(value: Any) -> bool:
    if not isinstance(value, str) or any(ch.isspace() for ch in value.strip()):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def parse_when(value: Any) -> dt.date | None:
    """A date from ISO text (date or date-time, 'Z' allowed) or RFC 2822 (feeds); else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    return _rfc2822(text)


def _rfc2822(text: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def draft_text(value: str | None, max_len: int = _MAX_TITLE) -> str | None:
    """One line of printable text, cut to a readable length at a word boundary; None if empty."""
    if value is None:
        return None
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    text = text.replace("{", "(").replace("}", ")")
    if len(text) > max_len:
        text = text[:max_len].rsplit(" ", 1)[0].rstrip(",;:-") + "…"
    text = text.rstrip(" .")
    return text or None
