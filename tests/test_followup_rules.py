"""The follow-up rules against a table of scenarios: stages, weekends, holidays, timelines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from reachout.errors import BadInput, DataError, NotFound
from reachout.followup import Tracker, load_rules
from reachout.followup.businessdays import BusinessCalendar

D = dt.date


@dataclass
class Scenario:
    """An application, its people and events, and what `followups(on=…)` must report."""

    name: str
    via: str = "posting"
    closes: dt.date | None = None
    country: str | None = None
    people: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    events: list[dict] = field(default_factory=list)
    on: dt.date = dt.date(2026, 11, 27)
    # (rule, recipient or None, due_on, deadline_on, status)
    expect: list[tuple[str, str | None, dt.date, dt.date, str]] = field(default_factory=list)


SCENARIOS = [
    Scenario(
        "referral: a business day after delivery, to the hiring manager",
        via="referral",
        people=[("Hana Ito", "hiring_manager"), ("Cara Diaz", "referrer")],
        events=[{"kind": "referral", "on": D(2026, 11, 19)}],  # Thursday
        on=D(2026, 11, 20),
        expect=[("referral-hiring-manager", "Hana Ito", D(2026, 11, 20), D(2026, 11, 23), "due")],
    ),
    Scenario(
        "referral on a Friday: the weekend is skipped",
        via="referral",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "referral", "on": D(2026, 11, 20)}],
        on=D(2026, 11, 21),
        expect=[
            ("referral-hiring-manager", "Hana Ito", D(2026, 11, 23), D(2026, 11, 24), "upcoming")
        ],
    ),
    Scenario(
        "referral on Christmas Eve in France: Christmas and the weekend are skipped",
        via="referral",
        country="FR",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "referral", "on": D(2026, 12, 24)}],
        on=D(2026, 12, 24),
        expect=[
            ("referral-hiring-manager", "Hana Ito", D(2026, 12, 28), D(2026, 12, 29), "upcoming")
        ],
    ),
    Scenario(
        "referral on Christmas Eve with no country: only weekends count",
        via="referral",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "referral", "on": D(2026, 12, 24)}],
        on=D(2026, 12, 24),
        expect=[
            ("referral-hiring-manager", "Hana Ito", D(2026, 12, 25), D(2026, 12, 28), "upcoming")
        ],
    ),
    Scenario(
        "posting: about a week (5 business days) after applying, on Monday",
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 11, 23),
        expect=[("posting-follow-up", None, D(2026, 11, 23), D(2026, 11, 30), "due")],
    ),
    Scenario(
        "posting: US Thanksgiving pushes the week by a day",
        country="US",
        people=[("Rae Moss", "recruiter")],
        events=[{"kind": "applied", "on": D(2026, 11, 20)}],
        on=D(2026, 11, 27),
        expect=[("posting-follow-up", "Rae Moss", D(2026, 11, 30), D(2026, 12, 7), "upcoming")],
    ),
    Scenario(
        "posting closing later than a week: wait until the business day after it closes",
        closes=D(2026, 12, 10),
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 11, 23),
        expect=[("posting-follow-up", None, D(2026, 12, 11), D(2026, 12, 18), "upcoming")],
    ),
    Scenario(
        "posting closing within the week: the week wins",
        closes=D(2026, 11, 18),
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 12, 1),
        expect=[("posting-follow-up", None, D(2026, 11, 23), D(2026, 11, 30), "overdue")],
    ),
    Scenario(
        "posting: the hiring manager is preferred over the recruiter",
        people=[("Rae Moss", "recruiter"), ("Hana Ito", "hiring_manager")],
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 11, 23),
        expect=[("posting-follow-up", "Hana Ito", D(2026, 11, 23), D(2026, 11, 30), "due")],
    ),
    Scenario(
        "posting rule does not apply to a referral application: the referrer is asked instead",
        via="referral",
        people=[("Cara Diaz", "referrer")],
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 11, 23),
        expect=[("referral-ask-referrer", "Cara Diaz", D(2026, 11, 19), D(2026, 11, 23), "due")],
    ),
    Scenario(
        "referral: confirmed delivery cancels asking the referrer",
        via="referral",
        people=[("Cara Diaz", "referrer"), ("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "applied", "on": D(2026, 11, 16)},
            {"kind": "referral", "on": D(2026, 11, 18)},
        ],
        on=D(2026, 11, 19),
        expect=[
            ("referral-ask-referrer", "Cara Diaz", D(2026, 11, 19), D(2026, 11, 23), "cancelled"),
            ("referral-hiring-manager", "Hana Ito", D(2026, 11, 19), D(2026, 11, 20), "due"),
        ],
    ),
    Scenario(
        "recruiter: a week (5 business days) after they have the résumé, to the recruiter",
        via="recruiter",
        people=[("Hana Ito", "hiring_manager"), ("Rae Moss", "recruiter")],
        events=[{"kind": "applied", "on": D(2026, 11, 16)}],
        on=D(2026, 11, 30),
        expect=[("recruiter-follow-up", "Rae Moss", D(2026, 11, 23), D(2026, 11, 25), "overdue")],
    ),
    Scenario(
        "direct: a week after, to the hiring manager; Thanksgiving skipped in the US",
        via="direct",
        country="US",
        people=[("Rae Moss", "recruiter"), ("Hana Ito", "hiring_manager")],
        events=[{"kind": "applied", "on": D(2026, 11, 20)}],
        on=D(2026, 11, 27),
        expect=[("direct-follow-up", "Hana Ito", D(2026, 11, 30), D(2026, 12, 7), "upcoming")],
    ),
    Scenario(
        "career fair on a Friday: thank each person met, on Monday",
        via="career_fair",
        people=[("Rae Moss", "recruiter"), ("Hana Ito", "hiring_manager")],
        events=[{"kind": "applied", "on": D(2026, 11, 20)}],
        on=D(2026, 11, 23),
        expect=[
            ("career-fair-thank-you", "Rae Moss", D(2026, 11, 23), D(2026, 11, 24), "due"),
            ("career-fair-thank-you", "Hana Ito", D(2026, 11, 23), D(2026, 11, 24), "due"),
        ],
    ),
    Scenario(
        "cold outreach: one nudge a week later; a reply cancels it",
        via="cold_outreach",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "applied", "on": D(2026, 11, 16)},
            {"kind": "replied", "on": D(2026, 11, 24)},
        ],
        on=D(2026, 11, 23),
        expect=[("cold-outreach-follow-up", "Hana Ito", D(2026, 11, 23), D(2026, 11, 30), "due")],
    ),
    Scenario(
        "a stated date before the interview is superseded: the default check-in after it",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "timeline", "on": D(2026, 11, 20), "until": D(2026, 12, 4)},
            {"kind": "interviewed", "on": D(2026, 11, 25)},
        ],
        on=D(2026, 11, 26),
        expect=[
            ("interview-thank-you", None, D(2026, 11, 25), D(2026, 11, 27), "due"),
            ("timeline-check-in", "Hana Ito", D(2026, 12, 7), D(2026, 12, 11), "cancelled"),
            ("interview-check-in", "Hana Ito", D(2026, 12, 9), D(2026, 12, 16), "upcoming"),
        ],
    ),
    Scenario(
        "a date stated after the interview replaces the default check-in",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "interviewed", "on": D(2026, 11, 25)},
            {"kind": "timeline", "on": D(2026, 11, 26), "until": D(2026, 12, 4)},
        ],
        on=D(2026, 11, 26),
        expect=[
            ("interview-thank-you", None, D(2026, 11, 25), D(2026, 11, 27), "due"),
            ("interview-check-in", "Hana Ito", D(2026, 12, 9), D(2026, 12, 16), "cancelled"),
            ("timeline-check-in", "Hana Ito", D(2026, 12, 7), D(2026, 12, 11), "upcoming"),
        ],
    ),
    Scenario(
        "a second interview cancels the first one's check-in and starts its own",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "interviewed", "on": D(2026, 11, 25)},
            {"kind": "interviewed", "on": D(2026, 12, 2)},
        ],
        on=D(2026, 12, 3),
        expect=[
            ("interview-thank-you", None, D(2026, 11, 25), D(2026, 11, 27), "overdue"),
            ("interview-check-in", "Hana Ito", D(2026, 12, 9), D(2026, 12, 16), "cancelled"),
            ("interview-thank-you", None, D(2026, 12, 2), D(2026, 12, 4), "due"),
            ("interview-check-in", "Hana Ito", D(2026, 12, 16), D(2026, 12, 23), "upcoming"),
        ],
    ),
    Scenario(
        "a reply from the employer cancels the pending chaser",
        events=[
            {"kind": "applied", "on": D(2026, 11, 16)},
            {"kind": "replied", "on": D(2026, 11, 19)},
        ],
        on=D(2026, 11, 23),
        expect=[("posting-follow-up", None, D(2026, 11, 23), D(2026, 11, 30), "cancelled")],
    ),
    Scenario(
        "a reply logged for a later day does not cancel as of an earlier --on",
        events=[
            {"kind": "applied", "on": D(2026, 11, 16)},
            {"kind": "replied", "on": D(2026, 11, 25)},
        ],
        on=D(2026, 11, 23),
        expect=[("posting-follow-up", None, D(2026, 11, 23), D(2026, 11, 30), "due")],
    ),
    Scenario(
        "interview: one thank-you per interviewer, within 48 hours",
        events=[{"kind": "interviewed", "on": D(2026, 11, 25), "with": ["Ana Ruiz", "Bo Li"]}],
        on=D(2026, 11, 26),
        expect=[
            ("interview-thank-you", "Ana Ruiz", D(2026, 11, 25), D(2026, 11, 27), "due"),
            ("interview-thank-you", "Bo Li", D(2026, 11, 25), D(2026, 11, 27), "due"),
            # No decision date given: the default check-in, ten business days on, to one person.
            ("interview-check-in", "Ana Ruiz", D(2026, 12, 9), D(2026, 12, 16), "upcoming"),
        ],
    ),
    Scenario(
        "interview: the thank-you is overdue once 48 hours have passed",
        events=[{"kind": "interviewed", "on": D(2026, 11, 25), "with": ["Ana Ruiz"]}],
        on=D(2026, 11, 28),
        expect=[
            ("interview-thank-you", "Ana Ruiz", D(2026, 11, 25), D(2026, 11, 27), "overdue"),
            ("interview-check-in", "Ana Ruiz", D(2026, 12, 9), D(2026, 12, 16), "upcoming"),
        ],
    ),
    Scenario(
        "an interview cancels the posting chaser but not its own thank-you",
        events=[
            {"kind": "applied", "on": D(2026, 11, 16)},
            {"kind": "interviewed", "on": D(2026, 11, 20), "with": ["Ana Ruiz"]},
        ],
        on=D(2026, 11, 20),
        expect=[
            ("interview-thank-you", "Ana Ruiz", D(2026, 11, 20), D(2026, 11, 22), "due"),
            ("interview-check-in", "Ana Ruiz", D(2026, 12, 4), D(2026, 12, 11), "upcoming"),
            ("posting-follow-up", None, D(2026, 11, 23), D(2026, 11, 30), "cancelled"),
        ],
    ),
    Scenario(
        "timeline: the business day after their stated date passes",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "timeline", "on": D(2026, 11, 20), "until": D(2026, 12, 2)}],
        on=D(2026, 12, 2),
        expect=[("timeline-check-in", "Hana Ito", D(2026, 12, 3), D(2026, 12, 9), "upcoming")],
    ),
    Scenario(
        "timeline passed: due",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "timeline", "on": D(2026, 11, 20), "until": D(2026, 12, 2)}],
        on=D(2026, 12, 3),
        expect=[("timeline-check-in", "Hana Ito", D(2026, 12, 3), D(2026, 12, 9), "due")],
    ),
    Scenario(
        "timeline ending on a Friday: check in on Monday",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "timeline", "on": D(2026, 11, 20), "until": D(2026, 12, 4)}],
        on=D(2026, 12, 7),
        expect=[("timeline-check-in", "Hana Ito", D(2026, 12, 7), D(2026, 12, 11), "due")],
    ),
    Scenario(
        "a newer timeline replaces the older check-in",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "timeline", "on": D(2026, 11, 20), "until": D(2026, 12, 2)},
            {"kind": "timeline", "on": D(2026, 12, 1), "until": D(2026, 12, 16)},
        ],
        on=D(2026, 12, 3),
        expect=[
            ("timeline-check-in", "Hana Ito", D(2026, 12, 3), D(2026, 12, 9), "cancelled"),
            ("timeline-check-in", "Hana Ito", D(2026, 12, 17), D(2026, 12, 23), "upcoming"),
        ],
    ),
    Scenario(
        "declined: a thank-you to the hiring manager and to the recruiter, separately",
        people=[
            ("Hana Ito", "hiring_manager"),
            ("Rae Moss", "recruiter"),
            ("Ana Ruiz", "interviewer"),
        ],
        events=[{"kind": "declined", "on": D(2026, 11, 27)}],
        on=D(2026, 11, 27),
        expect=[
            ("declined-thank-you", "Hana Ito", D(2026, 11, 27), D(2026, 12, 1), "due"),
            ("declined-thank-you", "Rae Moss", D(2026, 11, 27), D(2026, 12, 1), "due"),
        ],
    ),
    Scenario(
        "declined on a Saturday: due on Monday",
        people=[("Hana Ito", "hiring_manager")],
        events=[{"kind": "declined", "on": D(2026, 11, 28)}],
        on=D(2026, 11, 28),
        expect=[("declined-thank-you", "Hana Ito", D(2026, 11, 30), D(2026, 12, 1), "upcoming")],
    ),
    Scenario(
        "a decline the day after the interview cancels the interview thank-you",
        people=[("Hana Ito", "hiring_manager")],
        events=[
            {"kind": "interviewed", "on": D(2026, 11, 25), "with": ["Ana Ruiz"]},
            {"kind": "declined", "on": D(2026, 11, 26)},
        ],
        on=D(2026, 11, 26),
        expect=[
            ("interview-thank-you", "Ana Ruiz", D(2026, 11, 25), D(2026, 11, 27), "cancelled"),
            ("interview-check-in", "Hana Ito", D(2026, 12, 9), D(2026, 12, 16), "cancelled"),
            ("declined-thank-you", "Hana Ito", D(2026, 11, 26), D(2026, 11, 30), "due"),
        ],
    ),
]


def _build(tmp_path, scenario: Scenario, **kwargs) -> Tracker:
    tracker = Tracker(tmp_path / "t.sqlite", zone="Europe/Paris", **kwargs)
    app = tracker.add(
        "Acme",
        "Data Engineer",
        applied_via=scenario.via,
        closes_on=scenario.closes,
        country=scenario.country,
    )
    for name, role in scenario.people:
        tracker.add_person(app.id, name, role=role)
    for event in scenario.events:
        tracker.log(
            app.id,
            event["kind"],
            on=event["on"],
            until=event.get("until"),
            with_people=event.get("with", ()),
        )
    return tracker


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_rule_scenarios(tmp_path, scenario):
    with _build(tmp_path, scenario) as tracker:
        got = [
            (f.rule, f.to.name if f.to else None, f.due_on, f.deadline_on, f.status)
            for f in tracker.followups(on=scenario.on)
        ]
    assert sorted(got, key=str) == sorted(scenario.expect, key=str)


def test_thank_you_counts_48_hours_from_the_interview_time_across_zones(tmp_path):
    """23:30 in Los Angeles is 08:30 the next day in Paris: the 48 hours run from that moment."""
    with Tracker(tmp_path / "t.sqlite", zone="Europe/Paris") as tracker:
        app = tracker.add("Acme", "Data Engineer")
        at = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
        event = tracker.log(app.id, "interviewed", at=at, with_people=["Ana Ruiz"])
        assert event.occurred_on == D(2026, 11, 26)  # the date in the user's zone
        (item,) = thank_yous(tracker.followups(on=D(2026, 11, 26)))
        assert item.due_at.isoformat() == "2026-11-26T10:30:00+01:00"
        assert item.deadline_at.isoformat() == "2026-11-28T08:30:00+01:00"
        assert item.deadline_on == D(2026, 11, 28)
        assert thank_yous(tracker.followups(on=D(2026, 11, 29)))[0].status == "overdue"


def thank_yous(items):
    return [item for item in items if item.rule == "interview-thank-you"]


def test_log_rejects_a_time_on_another_day(tmp_path):
    with Tracker(tmp_path / "t.sqlite", zone="Europe/Paris") as tracker:
        app = tracker.add("Acme", "Data Engineer")
        at = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 26th in Paris
        with pytest.raises(BadInput, match="is not on 2026-11-25"):
            tracker.log(app.id, "interviewed", on=D(2026, 11, 25), at=at)


def test_done_marks_one_sent_and_the_others_stay_due(tmp_path):
    (scenario,) = [s for s in SCENARIOS if s.name.startswith("interview: one thank-you per")]
    with _build(tmp_path, scenario) as tracker:
        first, second = tracker.due(on=D(2026, 11, 26))
        sent = tracker.done(first.id, on=D(2026, 11, 26))
        assert (sent.status, sent.state_on) == ("sent", D(2026, 11, 26))
        assert [f.id for f in tracker.due(on=D(2026, 11, 26))] == [second.id]
        with pytest.raises(BadInput, match="already marked sent"):
            tracker.done(first.id, on=D(2026, 11, 26))
        assert tracker.done(first.id, undo=True, on=D(2026, 11, 26)).status == "due"
        with pytest.raises(BadInput, match="before the interviewed event"):
            tracker.done(first.id, on=D(2026, 11, 20))
        with pytest.raises(NotFound, match="No follow-up with ID 99"):
            tracker.done(99)


def test_follow_up_ids_are_stable_and_a_recipientless_send_covers_later_recipients(tmp_path):
    scenario = Scenario(
        "referral with no manager yet",
        via="referral",
        events=[{"kind": "referral", "on": D(2026, 11, 19)}],
    )
    with _build(tmp_path, scenario) as tracker:
        (item,) = tracker.followups(on=D(2026, 11, 20))
        assert item.to is None and "--role hiring_manager" in item.hint
        assert [f.id for f in tracker.followups(on=D(2026, 11, 20))] == [item.id]
        tracker.done(item.id, on=D(2026, 11, 20))
        tracker.add_person(1, "Hana Ito", role="hiring_manager")
        (after,) = tracker.followups(on=D(2026, 11, 20))
        assert after.to.name == "Hana Ito" and after.status == "sent"


def test_stage_that_has_not_happened_is_a_clear_error(tmp_path):
    with Tracker(tmp_path / "t.sqlite") as tracker:
        app = tracker.add("Acme", "Data Engineer")
        with pytest.raises(BadInput, match="has no interviewed event yet"):
            tracker.draft(app_id=app.id, stage="interview", on=D(2026, 11, 27))
        with pytest.raises(BadInput, match="No follow-up rule starts at 'offer'"):
            tracker.draft(app_id=app.id, stage="offer", on=D(2026, 11, 27))
        with pytest.raises(BadInput, match="needs the employer's stated date"):
            tracker.log(app.id, "timeline", on=D(2026, 11, 27))
        with pytest.raises(BadInput, match="is before the day they said it"):
            tracker.log(app.id, "timeline", on=D(2026, 11, 27), until=D(2026, 11, 1))
        with pytest.raises(BadInput, match="is not an event"):
            tracker.log(app.id, "lunch")


def test_rules_file_timings_change_without_code(tmp_path):
    """A user's own rules.toml (via --patterns) moves the posting follow-up to two weeks."""
    bundled = load_rules()
    folder = tmp_path / "mine" / "followup"
    folder.mkdir(parents=True)
    text = (bundled_rules_path()).read_text(encoding="utf-8")
    head, posting, rest = text.partition('id = "posting-follow-up"')
    rest = rest.replace("start = { business_days = 5 }", "start = { business_days = 10 }", 1)
    rest = rest.replace("deadline = { business_days = 10 }", "deadline = { business_days = 15 }", 1)
    text = head + posting + rest
    (folder / "rules.toml").write_text(text, encoding="utf-8")
    with Tracker(tmp_path / "t.sqlite", patterns=tmp_path / "mine") as tracker:
        app = tracker.add("Acme", "Data Engineer", applied_on=D(2026, 11, 16))
        (item,) = tracker.followups(on=D(2026, 11, 16))
        assert item.due_on == D(2026, 11, 30)
        assert app.id == item.application_id
    assert {rule.id for rule in bundled.rules} >= {
        "referral-hiring-manager",
        "posting-follow-up",
        "interview-thank-you",
        "timeline-check-in",
        "declined-thank-you",
    }


def test_every_rule_cites_its_advice():
    for rule in load_rules().rules:
        assert rule.advice and rule.source
        assert all(src.startswith("http") for src in rule.source)  # a reader can open each one


def test_a_broken_rules_file_is_a_data_error(tmp_path):
    folder = tmp_path / "bad" / "followup"
    folder.mkdir(parents=True)
    (folder / "rules.toml").write_text(
        '[[rule]]\nid = "x"\nstage = "applied"\ntitle = "t"\nto = ["recruiter"]\n'
        'start = { weeks = 1 }\ndeadline = { days = 9 }\ntemplate = "posting"\n'
        'advice = "a"\nsource = "https://example.org"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="start must be one of"):
        load_rules(tmp_path / "bad")


def test_business_calendar_arithmetic():
    plain = BusinessCalendar()
    assert plain.add(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert plain.add(D(2026, 11, 30), -1) == D(2026, 11, 27)
    assert plain.add(D(2026, 11, 28), 0) == D(2026, 11, 30)  # Saturday rolls forward
    us = BusinessCalendar.for_country("US")
    assert us.is_holiday(D(2026, 11, 26)) == "Thanksgiving Day"
    assert us.add(D(2026, 11, 25), 1) == D(2026, 11, 27)
    # Subdivisions have their own holidays: César Chávez Day is a California state holiday.
    assert BusinessCalendar.for_country("US-CA").is_holiday(D(2026, 3, 31))
    assert BusinessCalendar.for_country("US").is_holiday(D(2026, 3, 31)) is None
    with pytest.raises(BadInput, match="is not a country"):
        BusinessCalendar.for_country("XX")


def bundled_rules_path():
    from reachout.data import bundled_dir

    return bundled_dir() / "followup" / "rules.toml"


def test_48_hours_are_real_hours_across_a_daylight_saving_change(tmp_path):
    """Paris leaves summer time on Sunday 25 October 2026: Friday 10:00 + 48 h is Sunday 09:00."""
    with Tracker(tmp_path / "t.sqlite", zone="Europe/Paris") as tracker:
        app = tracker.add("Acme", "Data Engineer")
        at = dt.datetime(2026, 10, 23, 10, 0, tzinfo=tracker.zone)
        tracker.log(app.id, "interviewed", at=at, with_people=["Ana Ruiz"])
        (item,) = thank_yous(tracker.followups(on=D(2026, 10, 23)))
        assert item.deadline_at.isoformat() == "2026-10-25T09:00:00+01:00"
        assert item.deadline_at.astimezone(dt.UTC) - at.astimezone(dt.UTC) == dt.timedelta(hours=48)
