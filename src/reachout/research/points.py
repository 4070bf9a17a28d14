"""Talking points: three to five openers for a call or a note, each resting on one sourced fact."""

from __future__ import annotations

import re

from reachout.research.brief import Brief, TalkingPoint

_CELEBRATE = re.compile(
    r"\b(launch\w*|announc\w*|rais\w*|funding|series [a-e]|award\w*|partner\w*|"
    r"acquir\w*|releas\w*|open\w*|expan\w*|introduc\w*|wins?|milestone|"
    # German and French: eröffnet, startet, gewinnt, übernimmt, Auszeichnung; lève, lance, ouvre…
    r"er[öo]ffn\w*|startet|gewinnt|[üu]bernimmt|auszeichnung\w*|finanzierung\w*|"
    r"l[èe]ve\w*|lance\w*|ouvre\w*|remporte\w*|inaugur\w*|rach[èe]te\w*|prix)\b",
    re.IGNORECASE,
)


def talking_points(brief: Brief) -> list[TalkingPoint]:
    """Three to five conversation openers, each resting on one sourced fact of the brief."""
    points: list[TalkingPoint] = []
    for post in brief.posts[:2]:
        when = f" ({post.published})" if post.published else ""
        if _CELEBRATE.search(post.title):
            points.append(TalkingPoint(f"Congratulate them on “{post.title}”{when}.", post.url))
        else:
            points.append(
                TalkingPoint(f"Mention their recent post “{post.title}”{when}.", post.url)
            )
    matches = [r for r in brief.roles if r.match]
    for role in (matches or brief.roles)[:1]:
        when = f", posted on {role.posted}" if role.posted else ""
        team = f" in {role.team}" if role.team else ""
        points.append(
            TalkingPoint(f"Ask about the {role.title} role{team}{when}.", role.url or role.source)
        )
    if brief.roles and len(brief.roles) >= 3:
        teams = sorted({r.team for r in brief.roles if r.team})
        src = brief.roles[0].source
        text = f"They list {len(brief.roles)} open roles"
        text += f" across {', '.join(teams[:4])}" if teams else ""
        points.append(TalkingPoint(text + ": ask where the team is growing.", src))
    about = brief.about()
    if about:
        first = re.split(r"(?<=[.!?])\s", about[0].value, maxsplit=1)[0]
        points.append(
            TalkingPoint(f"Tie your experience to what they do: {first}", about[0].source)
        )
    founded = brief.facts_for("founded")
    if founded and len(points) < 5:
        year = founded[0].value[:4]
        points.append(
            TalkingPoint(
                f"Founded in {year}: ask how the company has changed since.", founded[0].source
            )
        )
    return points[:5]
