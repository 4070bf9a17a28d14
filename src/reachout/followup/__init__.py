"""Follow up on time: a tracker of applications, people and events, the rules that make
follow-ups due, drafts from per-stage templates, and an iCalendar export. Nothing is ever sent."""

from __future__ import annotations

from reachout.followup.businessdays import BusinessCalendar, parse_date
from reachout.followup.results import ApplicationDetail, ApplicationSummary, Draft, FollowUp
from reachout.followup.rules import RuleBook, load_rules
from reachout.followup.tracker import Tracker

__all__ = [
    "ApplicationDetail",
    "ApplicationSummary",
    "BusinessCalendar",
    "Draft",
    "FollowUp",
    "RuleBook",
    "Tracker",
    "load_rules",
    "parse_date",
]
