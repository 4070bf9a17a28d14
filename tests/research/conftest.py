"""The brief's tests read it on one fixed day, so that talking points worded for a post's age
(news, or stale news) do not change as the fixture sites' dates grow old."""

from __future__ import annotations

import pytest

BRIEF_DAY = "2026-12-01T12:00:00Z"


@pytest.fixture(autouse=True)
def _brief_day(monkeypatch):
    monkeypatch.setattr("reachout.research.crawl.now_iso", lambda: BRIEF_DAY)
