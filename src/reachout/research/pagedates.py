"""Dates written out on a page with no machine date: `27 November 2026`, `27. November 2026`,
`27 novembre 2026`, `November 27, 2026`, `27.11.2026`, `2026-11-27`."""

from __future__ import annotations

import functools
import re
from datetime import date

from reachout.research.site import settings


@functools.lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for names in settings()["months"].values():
        for index, name in enumerate(names, start=1):
            if name:
                months.setdefault(str(name).lower(), index)
    return months


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    names = "|".join(sorted((re.escape(m) for m in _months()), key=len, reverse=True))
    month = rf"(?P<month>{names})\.?"
    day = r"(?P<day>[0-3]?\d)(?:\.|er|st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    return (
        re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        re.compile(rf"(?<![\w.]){day}\s+(?:de\s+)?{month}(?:\s+de)?,?\s+{year}\b", re.I),
        re.compile(rf"(?<![\w.]){month}\s+{day},?\s+{year}\b", re.I),
        # Day first with dots is the German/Austrian/Swiss numeric form; slashes are ambiguous.
        re.compile(rf"(?<![\w.])(?P<day>[0-3]?\d)\.(?P<m>[01]?\d)\.{year}\b"),
    )


def text_date(text: str) -> str | None:
    """The first date written in TEXT as an ISO date (YYYY-MM-DD), or None."""
    best: tuple[int, str] | None = None
    for pattern in _patterns():
        match = pattern.search(text or "")
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["m"]) if groups.get("m") else _months().get(groups["month"].lower())
        try:
            value = date(int(groups["year"]), month or 0, int(groups["day"])).isoformat()
        except ValueError:
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), value)
    return best[1] if best else None


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp string (a `datetime` attribute, datePosted…)."""
    match = re.match(r"\s*((?:19|20)\d\d)-([01]\d)-([0-3]\d)", str(value or ""))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


STALE_DAYS = 183  # about six months: older news is history, not something to congratulate
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def day_of(text: str | None) -> date | None:
    """The date of an ISO date or timestamp string, or None."""
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def month_year(day: date) -> str:
    """ "March 2023" """
    return f"{_MONTH_NAMES[day.month - 1]} {day.year}"


def age_days(published: str | None, today: date) -> int | None:
    """Days from PUBLISHED (an ISO date) to TODAY, or None when undated."""
    day = day_of(published)
    return None if day is None else (today - day).days
