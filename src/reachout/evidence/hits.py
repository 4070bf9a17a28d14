"""What every evidence source shares: a raw hit, a source's run (its request budget and notes) and its
report."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the HTTP layer is loaded by the sources, not by readers of saved evidence
    from reachout.http import Fetcher, Response
    from reachout.research.endpoints import Endpoints


@dataclass(frozen=True)
class Hit:
    """One (name, address) a source saw, where and when (an ISO date, or None when it does not say)."""

    name: str
    address: str
    source: str
    url: str
    date: str | None = None


@dataclass
class SourceReport:
    """What one source did for a domain: its requests, raw hits, the people kept, and its notes."""

    source: str
    requests: int = 0
    hits: int = 0
    people: int = 0
    format: str | None = None  # the format its people support best
    share: float | None = None  # that format's share among them
    skipped: str | None = None  # why the source was not asked (off, nothing to ask about)
    notes: list[str] = field(default_factory=list)
    # "cannot reach HOST: why" for each host this source could not reach (offline, refused)
    unreachable: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """skipped (not asked), failed (a host it needed could not be reached and it found no one:
        its silence says nothing about the domain) or ok."""
        if self.skipped:
            return "skipped"
        return "failed" if self.unreachable and not self.people else "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "requests": self.requests,
            "hits": self.hits,
            "people": self.people,
            "format": self.format,
            "share": round(self.share, 4) if self.share is not None else None,
            "skipped": self.skipped,
            "notes": list(self.notes),
            "unreachable": list(self.unreachable),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceReport:
        share = data.get("share")
        return cls(
            source=str(data.get("source", "")),
            requests=int(data.get("requests") or 0),
            hits=int(data.get("hits") or 0),
            people=int(data.get("people") or 0),
            format=str(data["format"]) if data.get("format") else None,
            share=float(share) if isinstance(share, int | float) else None,
            skipped=str(data["skipped"]) if data.get("skipped") else None,
            notes=[str(n) for n in data.get("notes") or [] if isinstance(n, str)],
            unreachable=[str(n) for n in data.get("unreachable") or [] if isinstance(n, str)],
        )


class BudgetSpent(Exception):
    """A source has used the requests it may make for this domain."""


@dataclass
class SourceRun:
    """One source's run for one domain: the shared polite fetcher, where the APIs live, and the
    requests this source may still make. Every request goes through `get`, which counts it."""

    source: str
    domain: str
    fetcher: Fetcher
    endpoints: Endpoints
    budget: int
    origin: str = ""  # the company site's origin when it is not https://DOMAIN (a test server)
    today: str = ""  # the day of the run (YYYY-MM-DD): the date of what a page shows now
    report: SourceReport = field(init=False)

    def __post_init__(self) -> None:
        self.report = SourceReport(self.source)

    @property
    def left(self) -> int:
        return self.budget - self.report.requests

    def note(self, text: str) -> None:
        self.report.notes.append(text)

    def get(
        self,
        url: str,
        *,
        accept: Sequence[str] | None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        site: bool = False,
        robots: bool = False,
    ) -> Response:
        """GET URL through the polite HTTP layer. An API (SITE false) is asked without robots.txt,
        as a program reads an API, and only its own host is allowed; a page of the company's site
        obeys robots.txt (RFC 9309), and so does another website's page (ROBOTS: its own host
        allowed). Every attempt counts (robots.txt and retries included: this run's fetcher is its
        own). Raises BudgetSpent when nothing is left."""
        if self.left < 1:
            raise BudgetSpent(self.source)
        return self._fetch(url, accept, params, headers, site, robots)

    def get_many(
        self,
        requests: Sequence[tuple[str, Mapping[str, str] | None]],
        *,
        accept: Sequence[str] | None,
        headers: Mapping[str, str] | None = None,
        site: bool = False,
    ) -> list[tuple[str, Response]]:
        """(url, response) of REQUESTS ((url, params) pairs) asked at once, as many of the first as the
        budget allows (the per-host limit of the HTTP layer still applies): pages that do not depend
        on each other should not wait for each other."""
        import concurrent.futures

        allowed = list(requests[: max(0, self.left)])
        if not allowed:
            return []
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(allowed)) as pool:
            answers = pool.map(lambda item: self._fetch(item[0], accept, item[1], headers, site), allowed)
            return [(url, answer) for (url, _), answer in zip(allowed, answers, strict=True)]

    def _fetch(
        self, url: str, accept: Sequence[str] | None, params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None, site: bool, robots: bool = False,
    ) -> Response:
        host = (urlsplit(url).hostname or "").lower()
        response = self.fetcher.fetch(
            url, accept=accept, robots=site or robots, allow_hosts=() if site else (host,),
            params=params, headers=headers,
        )
        self._count(response)
        return response

    def robots_refusal(self, url: str) -> str | None:
        """Why the robots.txt of URL's host keeps this source from URL (RFC 9309), or None: asked
        through the fetcher, as the site crawler asks it, before a website that is not the company's
        own (a mail archive's search page) is read; the request counts against the budget. Raises
        BudgetSpent when nothing is left."""
        if self.left < 1:
            raise BudgetSpent(self.source)
        rules = self.fetcher.robots(url)
        if rules.response is not None:
            self._count(rules.response)
        if rules.allowed(url, self.fetcher.config.user_agent):
            return None
        return rules.refusal(url)

    def _count(self, response: Response) -> None:
        # This run's fetcher is its own: its count is this source's (robots.txt and retries too).
        self.report.requests = self.fetcher.requests
        reason = _UNREACHABLE.search(response.error or "")
        if reason and reason.group(0) not in self.report.unreachable:
            self.report.unreachable.append(reason.group(0))


# How the HTTP layer names a host it could not reach (also inside a robots.txt failure's message).
_UNREACHABLE = re.compile(r"cannot reach [^\s:;()]+(?::\d+)?: [^;()]*[^;()\s.]")


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or date ("2024-05-01T12:00:00Z"), a bare year ("2021"), or
    Unix seconds (an int); None for anything else or a date in the future or before 1990."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            text = datetime.fromtimestamp(value, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        match = _DATE.match(value.strip())
        if match:
            text = match.group(0)
        elif re.fullmatch(r"\d{4}", value.strip()):
            text = f"{value.strip()}-01-01"
        else:
            return None
    else:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    if day.year < 1990 or day > datetime.now(UTC):
        return None
    return text
