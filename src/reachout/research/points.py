"""Talking points: three to five openers for a call or a note, each resting on one sourced fact and
worded for how old that fact is (a three-year-old post is not news to congratulate anyone on)."""

from __future__ import annotations

import re
from datetime import date

from reachout.research.brief import Brief, TalkingPoint

_CELEBRATE = re.compile(
    r"\b(launch\w*|announc\w*|rais\w*|funding|series [a-e]|award\w*|partner\w*|"
    r"acquir\w*|releas\w*|open\w*|expan\w*|introduc\w*|wins?|milestone|"
    # German and French: eröffnet, startet, gewinnt, übernimmt, Auszeichnung; lève, lance, ouvre…
    r"er[öo]ffn\w*|startet|gewinnt|[üu]bernimmt|auszeichnung\w*|finanzierung\w*|"
    r"l[èe]ve\w*|lance\w*|ouvre\w*|remporte\w*|inaugur\w*|rach[èe]te\w*|prix)\b",
    re.IGNORECASE,
)
STALE_DAYS = 183  # about six months: older news is history, not something to congratulate
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def month_year(day: date) -> str:
    """ "March 2023" """
    return f"{_MONTHS[day.month - 1]} {day.year}"


def age_days(published: str | None, today: date) -> int | None:
    """Days from PUBLISHED (an ISO date) to TODAY, or None when undated."""
    day = _day(published)
    return None if day is None else (today - day).days


def talking_points(brief: Brief) -> list[TalkingPoint]:
    """Three to five conversation openers, each resting on one sourced fact of the brief: a role
    that matches --role first, then the news (as old as it is), the mission, the roles, the rest."""
    today = _day(brief.generated_at) or date.today()
    points: list[TalkingPoint] = []
    matches = [r for r in brief.roles if r.match]
    for role in matches[:1]:
        points.append(_role_point(role))
    points += _news_points(brief, today)
    mission = brief.facts_for("mission")
    if mission:
        points.append(
            TalkingPoint(f"Say why their mission matters to you: “{mission[0].value}”",
                         mission[0].source)
        )
    if not matches:
        for role in brief.roles[:1]:
            points.append(_role_point(role))
    if brief.roles and len(brief.roles) >= 3:
        teams = sorted({r.team for r in brief.roles if r.team})
        src = brief.roles[0].source
        text = f"They list {len(brief.roles)} open roles"
        text += f" across {', '.join(teams[:4])}" if teams else ""
        points.append(TalkingPoint(text + ": ask where the team is growing.", src))
    about = brief.about()
    if about and not mission:
        first = re.split(r"(?<=[.!?])\s", about[0].value, maxsplit=1)[0]
        points.append(
            TalkingPoint(f"Tie your experience to what they do: {first}", about[0].source)
        )
    founded = brief.facts_for("founded")
    if founded and len(points) < 5:
        year = founded[0].value[:4]
        points.append(
            TalkingPoint(
                f"Founded in {year}: ask how the organisation has changed since.",
                founded[0].source,
            )
        )
    return points[:5]


def _role_point(role: object) -> TalkingPoint:
    from reachout.research.jobs import Role

    assert isinstance(role, Role)
    when = f", posted on {role.posted}" if role.posted else ""
    team = f" in {role.team}" if role.team else ""
    return TalkingPoint(f"Ask about the {role.title} role{team}{when}.", role.url or role.source)


def _news_points(brief: Brief, today: date) -> list[TalkingPoint]:
    """The latest posts, worded for their age; stale news said to be stale, once."""
    points: list[TalkingPoint] = []
    for post in brief.posts[:2]:
        age = age_days(post.published, today)
        day = _day(post.published)
        if age is None or day is None:
            points.append(TalkingPoint(f"Mention their post “{post.title}” (undated).", post.url))
        elif age > STALE_DAYS:
            if points:
                break  # one stale post is enough to say the news is old
            points.append(
                TalkingPoint(
                    f"Their latest post, from {month_year(day)}, is “{post.title}”; their news "
                    f"is stale, so ask what they are working on now.",
                    post.url,
                )
            )
            break
        elif _CELEBRATE.search(post.title):
            points.append(
                TalkingPoint(f"Congratulate them on “{post.title}” ({post.published}).", post.url)
            )
        else:
            points.append(
                TalkingPoint(f"Mention their recent post “{post.title}” ({post.published}).",
                             post.url)
            )
    return points
