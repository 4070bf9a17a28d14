"""Open roles from applicant-tracking systems' keyless public JSON APIs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from reachout.research.endpoints import Endpoints
from reachout.research.site import clean_text


@dataclass
class Role:
    """One open role as its ATS lists it."""

    title: str
    url: str
    provider: str
    team: str | None = None
    location: str | None = None
    posted: str | None = None  # ISO date the posting went up (when the ATS says)
    updated: str | None = None  # ISO date of its last update
    source: str = ""  # the API URL (or careers page) it came from
    match: bool = False  # matches --role
    closes: str | None = None  # ISO date the posting closes (schema.org JobPosting validThrough)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "team": self.team,
            "location": self.location,
            "posted": self.posted,
            "updated": self.updated,
            "closes": self.closes,
            "url": self.url,
            "provider": self.provider,
            "source": self.source,
            "match": self.match,
        }


def api_url(provider: str, board: str, endpoints: Endpoints, *, link: str = "") -> str:
    """The public JSON endpoint listing BOARD's jobs on PROVIDER (LINK: where the board was seen)."""
    token = quote(board, safe="")
    base = getattr(endpoints, provider)
    if provider == "lever" and base == Endpoints.lever and re.search(r"\.eu\.lever\.co", link):
        # github.com/lever/postings-api: accounts in the EU region answer on api.eu.lever.co.
        base = "https://api.eu.lever.co"
    if provider == "personio" and base == Endpoints.personio and ".jobs.personio.com" in link:
        base = "https://{board}.jobs.personio.com"  # accounts on Personio's .com domain
    if provider == "greenhouse":  # developers.greenhouse.io/job-board.html
        return f"{base}/v1/boards/{token}/jobs?content=true"
    if provider == "lever":  # github.com/lever/postings-api
        return f"{base}/v0/postings/{token}?mode=json"
    if provider == "ashby":  # developers.ashbyhq.com public job posting API
        return f"{base}/posting-api/job-board/{token}"
    if provider == "workable":  # the widget API behind apply.workable.com
        return f"{base}/api/v1/widget/accounts/{token}"
    if provider == "smartrecruiters":  # developers.smartrecruiters.com posting API
        return f"{base}/v1/companies/{token}/postings"
    if provider == "personio":  # developer.personio.de/docs/retrieving-open-job-positions
        if "{board}" in base:
            return base.replace("{board}", token) + "/xml"
        return f"{base}/{token}/xml"
    if provider == "recruitee":  # docs.recruitee.com/reference/offers (the careers site API)
        if "{board}" in base:
            return base.replace("{board}", token) + "/api/offers/"
        return f"{base}/{token}/api/offers/"
    raise ValueError(provider)


def _date(value: Any) -> str | None:
    """An ISO date from an ISO timestamp, a date or epoch milliseconds (Lever)."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10_000_000_000 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    match = re.match(r"\d{4}-\d{2}-\d{2}", text)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(0), "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _s(value: Any, limit: int = 120) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("label") or value.get("value")
    if isinstance(value, list):
        value = ", ".join(str(_s(v)) for v in value if _s(v))
    text = clean_text(str(value), limit) if value not in (None, "") else ""
    return text or None


def _http(url: Any) -> str:
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""


def parse_roles(provider: str, board: str, text: str, source: str) -> list[Role]:
    """Roles from one ATS answer; raises ValueError when the answer is not that API's shape."""
    if provider == "personio":
        return _personio(board, text, source)
    doc = json.loads(text)
    roles: list[Role] = []
    if provider == "greenhouse":
        for job in _list(doc, "jobs"):
            departments = [
                d.get("name") for d in job.get("departments") or [] if isinstance(d, dict)
            ]
            roles.append(
                Role(
                    title=_s(job.get("title"), 160) or "",
                    url=_http(job.get("absolute_url")),
                    provider=provider,
                    team=_s(departments),
                    location=_s(job.get("location")),
                    posted=_date(job.get("first_published")),
                    updated=_date(job.get("updated_at")),
                    source=source,
                )
            )
    elif provider == "lever":
        if not isinstance(doc, list):
            raise ValueError("Lever answers with a list of postings")
        for job in doc:
            if not isinstance(job, dict):
                continue
            cats = job.get("categories") or {}
            roles.append(
                Role(
                    title=_s(job.get("text"), 160) or "",
                    url=_http(job.get("hostedUrl")),
                    provider=provider,
                    team=_s(cats.get("team") or cats.get("department")),
                    location=_s(cats.get("location") or cats.get("allLocations")),
                    posted=_date(job.get("createdAt")),
                    source=source,
                )
            )
    elif provider == "ashby":
        for job in _list(doc, "jobs"):
            if job.get("isListed") is False:
                continue
            roles.append(
                Role(
                    title=_s(job.get("title"), 160) or "",
                    url=_http(job.get("jobUrl")),
                    provider=provider,
                    team=_s(job.get("team") or job.get("department")),
                    location=_s(job.get("location")) or ("Remote" if job.get("isRemote") else None),
                    posted=_date(job.get("publishedAt")),
                    updated=_date(job.get("updatedAt")),
                    source=source,
                )
            )
    elif provider == "workable":
        for job in _list(doc, "jobs"):
            place = ", ".join(p for p in (job.get("city"), job.get("country")) if p) or None
            roles.append(
                Role(
                    title=_s(job.get("title"), 160) or "",
                    url=_http(job.get("url") or job.get("shortlink")),
                    provider=provider,
                    team=_s(job.get("department")),
                    location=_s(place) or ("Remote" if job.get("telecommuting") else None),
                    posted=_date(job.get("published_on") or job.get("created_at")),
                    source=source,
                )
            )
    elif provider == "recruitee":
        for job in _list(doc, "offers"):
            place = ", ".join(p for p in (job.get("city"), job.get("country")) if p) or None
            roles.append(
                Role(
                    title=_s(job.get("title"), 160) or "",
                    url=_http(job.get("careers_url")),
                    provider=provider,
                    team=_s(job.get("department")),
                    location=_s(place or job.get("location"))
                    or ("Remote" if job.get("remote") else None),
                    posted=_date(job.get("published_at") or job.get("created_at")),
                    source=source,
                    closes=_date(job.get("close_at")),
                )
            )
    elif provider == "smartrecruiters":
        for job in _list(doc, "content"):
            loc = job.get("location") or {}
            place = ", ".join(p for p in (loc.get("city"), loc.get("country")) if p) or None
            url = f"https://jobs.smartrecruiters.com/{quote(board)}/{quote(str(job.get('id', '')))}"
            roles.append(
                Role(
                    title=_s(job.get("name"), 160) or "",
                    url=url,
                    provider=provider,
                    team=_s(job.get("department")),
                    location=_s(place),
                    posted=_date(job.get("releasedDate")),
                    source=source,
                )
            )
    return [r for r in roles if r.title]


def _personio(board: str, text: str, source: str) -> list[Role]:
    """Personio's XML feed: <workzag-jobs><position><id/><name/><office/><department/>…"""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ValueError(f"not Personio's XML feed ({exc})") from None
    if root is None or etree.QName(root).localname != "workzag-jobs":
        raise ValueError("expected Personio's <workzag-jobs> feed")
    roles = []
    for position in root.iter("position"):
        def field(name: str, node: Any = position) -> str | None:
            found = node.find(name)
            return _s(found.text) if found is not None and found.text else None

        job_id = field("id")
        url = f"https://{quote(board)}.jobs.personio.de/job/{quote(job_id)}" if job_id else ""
        roles.append(
            Role(
                title=field("name") or "",
                url=url,
                provider="personio",
                team=field("department"),
                location=field("office"),
                posted=_date(field("createdAt")),
                source=source,
            )
        )
    return [r for r in roles if r.title]


def _list(doc: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise ValueError(f"expected an object with a {key!r} list")
    return [item for item in doc[key] if isinstance(item, dict)]


def roles_from_jsonld(items: list[dict[str, Any]], page_url: str) -> list[Role]:
    """Roles from schema.org JobPosting items on a careers page (Google for Jobs markup).

    Provider `site`; `closes` is `validThrough`. A posting without its own URL links the page.
    """
    roles = []
    for item in items:
        title = _s(item.get("title") or item.get("name"), 160)
        if not title:
            continue
        url = _http(_s(item.get("url"), 2000) or "") or page_url
        places = []
        raw = item.get("jobLocation")
        for place in raw if isinstance(raw, list) else [raw]:
            address = place.get("address") if isinstance(place, dict) else None
            if isinstance(address, dict):
                parts = [_s(address.get(k)) for k in ("addressLocality", "addressRegion",
                                                      "addressCountry")]
                text = ", ".join(p for p in parts if p)
            else:
                text = _s(address) or (_s(place) if isinstance(place, str) else None) or ""
            if text and text not in places:
                places.append(text)
        remote = str(item.get("jobLocationType") or "").upper() == "TELECOMMUTE"
        location = "; ".join(places) or None
        if remote:
            location = f"Remote ({location})" if location else "Remote"
        roles.append(
            Role(
                title=title,
                url=url,
                provider="site",
                team=_s(item.get("occupationalCategory") or item.get("department")),
                location=location,
                posted=_date(item.get("datePosted")),
                source=page_url,
                closes=_date(item.get("validThrough")),
            )
        )
    return roles


def role_matches(role: Role, keywords: str | None) -> bool:
    """True when every word of KEYWORDS appears in the role's title or team (case-insensitive)."""
    if not keywords:
        return False
    haystack = f"{role.title} {role.team or ''}".lower()
    words = [w for w in re.split(r"[\s,]+", keywords.lower()) if w]
    return bool(words) and all(re.search(rf"\b{re.escape(w)}", haystack) for w in words)


def sort_roles(roles: list[Role]) -> list[Role]:
    """Matches first, then newest posting first, then by title."""
    # Postings marked up on one careers page all link that page: the title tells them apart.
    unique = {(r.provider, r.url or r.title, r.title if r.provider == "site" else ""): r
              for r in roles}
    return sorted(
        unique.values(),
        key=lambda r: (not r.match, "~" if r.posted is None else _neg(r.posted), r.title),
    )


def _neg(date: str) -> str:
    # Sort dates descending inside an ascending key: map each digit d to 9-d.
    return "".join(str(9 - int(ch)) if ch.isdigit() else ch for ch in date)
