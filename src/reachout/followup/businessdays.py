"""Dates for the tracker: what users type, the user's time zone, and business-day arithmetic."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reachout.errors import BadInput

ENV_TZ = "REACHOUT_TZ"
Clock = Callable[[], dt.datetime]

_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwb])$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_HINT = "use YYYY-MM-DD, today, tomorrow, yesterday or an offset such as +3d, -1w or +2b"


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


def get_zone(name: str | None = None) -> ZoneInfo:
    """The IANA zone NAME, else REACHOUT_TZ, else TZ, else the system's zone, else UTC."""
    chosen = name or os.environ.get(ENV_TZ) or os.environ.get("TZ") or _system_zone_name()
    if not chosen:
        return ZoneInfo("UTC")
    chosen = chosen.lstrip(":")
    try:
        return ZoneInfo(chosen)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise BadInput(
            f"{chosen[:60]!r} is not a known time zone; use an IANA name such as Europe/Paris or UTC."
        ) from None


@functools.lru_cache(maxsize=1)
def _system_zone_name() -> str | None:
    # /etc/localtime is a symlink into the zoneinfo tree on Debian and macOS.
    try:
        target = Path("/etc/localtime").resolve(strict=True)
    except OSError:
        return None
    parts = target.parts
    if "zoneinfo" in parts:
        return "/".join(parts[parts.index("zoneinfo") + 1 :]) or None
    return None


MIN_YEAR, MAX_YEAR = 1900, 2999  # dates a job search can mean; far from datetime's limits


def today(zone: dt.tzinfo, clock: Clock = utc_now) -> dt.date:
    """Today's date in ZONE (around midnight it differs from UTC's)."""
    return clock().astimezone(zone).date()


def parse_date(
    text: str, *, zone: dt.tzinfo, clock: Clock = utc_now, calendar: BusinessCalendar | None = None
) -> dt.date:
    """A date from ISO YYYY-MM-DD, today/tomorrow/yesterday or +Nd/-Nw/+Nb (business days)."""
    day = _parse_date(text, zone=zone, clock=clock, calendar=calendar)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        # Follow-ups are computed days and weeks past stored dates: one near year 9999 would
        # overflow every later `due` and `list`, so such a date is never stored.
        raise BadInput(
            f"{text!r} is {day.isoformat()}, outside the years {MIN_YEAR}-{MAX_YEAR} reachout plans "
            f"for; {_DATE_HINT}."
        )
    return day


def _parse_date(
    text: str, *, zone: dt.tzinfo, clock: Clock, calendar: BusinessCalendar | None
) -> dt.date:
    value = (text or "").strip().lower()
    if not value:
        raise BadInput(f"No date given; {_DATE_HINT}.")
    base = today(zone, clock)
    named = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in named:
        return base + dt.timedelta(days=named[value])
    rel = _RELATIVE.match(value)
    if rel:
        sign = -1 if rel.group(1) == "-" else 1
        count = int(rel.group(2))
        unit = rel.group(3)
        if unit == "b":
            return (calendar or BusinessCalendar()).add(base, sign * count)
        return base + dt.timedelta(days=sign * count * (7 if unit == "w" else 1))
    iso = _ISO_DATE.match(value)
    if not iso:
        raise BadInput(f"{text!r} is not a date; {_DATE_HINT}.")
    year, month, day = (int(part) for part in iso.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise BadInput(f"{text!r} is not a real date ({exc}); {_DATE_HINT}.") from None


def parse_time(text: str, *, on: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """A local time (HH:MM) on ON in ZONE, or a full ISO date-time (with or without offset)."""
    value = (text or "").strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    try:
        if match:
            moment = dt.datetime.combine(on, dt.time(int(match.group(1)), int(match.group(2))))
        else:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"{text!r} is not a time; use HH:MM (24-hour) or an ISO date-time such as "
            "2026-11-25T15:30."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
        # A wall time skipped by a DST change does not exist; round-tripping through UTC shows it.
        back = moment.astimezone(dt.UTC).astimezone(zone)
        if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
            raise BadInput(
                f"{text!r} does not exist in {zone} (a daylight-saving gap); pick another."
            )
    return moment


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days: not a weekend day, not a public holiday of COUNTRY (the holidays package)."""

    country: str | None = None
    subdivision: str | None = None
    weekend: frozenset[int] = field(default=frozenset({5, 6}))  # Monday is 0

    @classmethod
    def for_country(cls, code: str | None) -> BusinessCalendar:
        """A calendar for 'FR', 'US-CA' (country and subdivision) or None (weekends only)."""
        if not code:
            return cls()
        country, _, subdivision = code.strip().upper().partition("-")
        table = _holiday_table(country, subdivision or None)
        return cls(country, subdivision or None, frozenset(table.weekend))

    def is_holiday(self, day: dt.date) -> str | None:
        """The holiday's name if DAY is a public holiday of this calendar's country."""
        if not self.country:
            return None
        table = _holiday_table(self.country, self.subdivision)
        name = table.get(day)
        return str(name) if name else None

    def is_business_day(self, day: dt.date) -> bool:
        """True for a working day."""
        return day.weekday() not in self.weekend and self.is_holiday(day) is None

    def roll_forward(self, day: dt.date) -> dt.date:
        """DAY itself if it is a working day, else the next one."""
        for _ in range(60):
            if self.is_business_day(day):
                return day
            day += dt.timedelta(days=1)
        raise BadInput("This calendar has no working day within 60 days; check --country.")

    def add(self, day: dt.date, count: int) -> dt.date:
        """COUNT working days after DAY (before it if < 0); 0 rolls forward to a working day."""
        if count == 0:
            return self.roll_forward(day)
        step = dt.timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_business_day(day):
                remaining -= 1
        return day

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description."""
        return {
            "country": self.country,
            "subdivision": self.subdivision,
            "weekend": sorted(self.weekend),
        }


@functools.lru_cache(maxsize=32)
def _holiday_table(country: str, subdivision: str | None) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        where = f"{country}-{subdivision}" if subdivision else country
        raise BadInput(
            f"{where!r} is not a country (or subdivision) the holidays package knows; use an ISO "
            "3166 code such as FR, GB or US-CA."
        ) from None


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO text for a date or date-time, None stays None."""
    return value.isoformat() if value is not None else None
