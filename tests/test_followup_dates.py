"""Dates as users type them, the user's time zone around midnight, and impossible dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reachout.errors import BadInput
from reachout.followup import Tracker
from reachout.followup.businessdays import get_zone, parse_date, parse_time

PARIS = get_zone("Europe/Paris")
LOS_ANGELES = get_zone("America/Los_Angeles")
# 23:30 UTC on Friday 27 November: already Saturday in Paris, still Friday afternoon in LA.
LATE = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return LATE


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("today", PARIS, dt.date(2026, 11, 28)),
        ("today", LOS_ANGELES, dt.date(2026, 11, 27)),
        ("tomorrow", LOS_ANGELES, dt.date(2026, 11, 28)),
        ("yesterday", PARIS, dt.date(2026, 11, 27)),
        ("+3d", PARIS, dt.date(2026, 12, 1)),
        ("-1w", PARIS, dt.date(2026, 11, 21)),
        ("+1b", PARIS, dt.date(2026, 11, 30)),  # Saturday + 1 business day = Monday
        ("+1b", LOS_ANGELES, dt.date(2026, 11, 30)),  # Friday + 1 business day = Monday
        ("2026-02-28", PARIS, dt.date(2026, 2, 28)),
        ("2028-2-29", PARIS, dt.date(2028, 2, 29)),
        (" TODAY ", PARIS, dt.date(2026, 11, 28)),
    ],
)
def test_parse_date(text, zone, expected):
    assert parse_date(text, zone=zone, clock=clock) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "is not a real date"),
        ("2027-02-29", "is not a real date"),
        ("2026-13-01", "is not a real date"),
        ("31/12/2026", "is not a date"),
        ("next tuesday", "is not a date"),
        ("", "No date given"),
    ],
)
def test_impossible_dates_are_bad_input(text, message):
    with pytest.raises(BadInput, match=message):
        parse_date(text, zone=PARIS, clock=clock)


def test_parse_time_in_the_users_zone_and_with_an_offset():
    day = dt.date(2026, 11, 25)
    assert parse_time("23:30", on=day, zone=PARIS).isoformat() == "2026-11-25T23:30:00+01:00"
    assert parse_time("2026-11-25T23:30Z", on=day, zone=PARIS).utcoffset() == dt.timedelta(0)
    with pytest.raises(BadInput, match="is not a time"):
        parse_time("25:99", on=day, zone=PARIS)
    # 02:30 on the last Sunday of March does not exist in Paris.
    with pytest.raises(BadInput, match="daylight-saving gap"):
        parse_time("02:30", on=dt.date(2026, 3, 29), zone=PARIS)


def test_unknown_zone_is_bad_input():
    with pytest.raises(BadInput, match="not a known time zone"):
        get_zone("Mars/Olympus_Mons")


def test_zone_comes_from_reachout_tz(monkeypatch):
    monkeypatch.setenv("REACHOUT_TZ", "Asia/Tokyo")
    assert str(get_zone()) == "Asia/Tokyo"


def test_today_and_due_follow_the_users_zone_around_midnight(tmp_path):
    """The same instant is Saturday in Paris and Friday in LA: 'today' and what is due differ."""
    for zone, today, status in (
        ("Europe/Paris", dt.date(2026, 11, 28), "overdue"),
        ("America/Los_Angeles", dt.date(2026, 11, 27), "due"),
    ):
        with Tracker(
            tmp_path / f"{zone.replace('/', '-')}.sqlite", zone=zone, clock=clock
        ) as tracker:
            app = tracker.add("Acme", "Data Engineer")
            tracker.log(app.id, "interviewed", on=dt.date(2026, 11, 25), with_people=["Ana Ruiz"])
            assert tracker.today() == today
            # Interview Wednesday (no time): the 48 hours end with Friday.
            thank_yous = [f for f in tracker.followups() if f.rule == "interview-thank-you"]
            assert [f.status for f in thank_yous] == [status]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_any_text_is_a_date_or_bad_input(text):
    try:
        value = parse_date(text, zone=PARIS, clock=clock)
    except BadInput as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(value, dt.date)
