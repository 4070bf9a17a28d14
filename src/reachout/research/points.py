"""Talking points: three to five openers for a call or a note, each resting on one sourced fact and
worded for how old that fact is (a three-year-old post is not news to congratulate anyone on)."""

from __future__ import annotations

import re
from datetime import date

from reachout.research.brief import Brief, TalkingPoint
from reachout.research.pagedates import STALE_DAYS, age_days, day_of, month_year

_CELEBRATE = re.compile(
    r"\b(launch\w*|announc\w*|rais\w*|funding|series [a-e]|award\w*|partner\w*|"
    r"acquir\w*|releas\w*|open\w*|expan\w*|introduc\w*|wins?|milestone|"
    # German and French: eröffnet, startet, gewinnt, übernimmt, Auszeichnung; lève, lance, ouvre…
    r"er[öo]ffn\w*|startet|gewinnt|[üu]bernimmt|auszeichnung\w*|finanzierung\w*|"
    r"l[èe]ve\w*|lance\w*|ouvre\w*|remporte\w*|inaugur\w*|rach[èe]te\w*|prix)\b",
    re.IGNORECASE,
)
def talking_points(brief: Brief) -> list[TalkingPoint]:
    """Three to five conversation openers, each resting on one sourced fact of the brief: a role
    that matches --role first, then the news (as old as it is), the mission, the roles, the rest."""
    today = day_of(brief.generated_at) or date.today()
    points: list[TalkingPoint] = []
    matches = [r for r in brief.roles if r.match]
    for role in matches[:1]:
        points.append(_role_point(role, today))
    points += _news_points(brief, today)
    mission = brief.facts_for("mission")
    if mission:
        points.append(
            TalkingPoint(f"Say why their mission matters to you: “{mission[0].value}”",
                         mission[0].source)
        )
    if not matches:
        for role in brief.roles[:1]:
            points.append(_role_point(role, today))
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


def _role_point(role: object, today: date) -> TalkingPoint:
    from reachout.research.jobs import Role

    assert isinstance(role, Role)
    team = f" in {role.team}" if role.team else ""
    age = age_days(role.posted, today)
    posted = day_of(role.posted)
    if age is not None and posted is not None and age > STALE_DAYS:
        return TalkingPoint(
            f"Ask whether the {role.title} role{team}, posted in {month_year(posted)}, is still "
            "open.",
            role.url or role.source,
        )
    when = f", posted on {role.posted}" if role.posted else ""
    return TalkingPoint(f"Ask about the {role.title} role{team}{when}.", role.url or role.source)


def _news_points(brief: Brief, today: date) -> list[TalkingPoint]:
    """The latest posts, worded for their age; stale news said to be stale, once."""
    points: list[TalkingPoint] = []
    for post in brief.posts[:2]:
        age = age_days(post.published, today)
        day = day_of(post.published)
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
