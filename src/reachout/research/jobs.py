"""Open roles from applicant-tracking systems' keyless public JSON APIs."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from reachout.decode import Bool, List, Num, Obj, OneOf, Scalar, Shape, Str, decode_json, decode_xml
from reachout.research.endpoints import Endpoints
from reachout.research.site import page_text, settings

# Roles parsed from one source's answer: more than the largest employers' boards list, few enough that
# one answer (a 3 MB Workday page of 25,000 postings) stays cheap to parse. Past it, a note. How many of
# them a brief reads and describes is patterns/research.toml's max_roles_per_source (--role matches first).
MAX_ROLES = 10_000


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
    salary: str | None = None  # the range as stated ("USD 120,000–150,000 a year")
    remote: str | None = None  # Remote | Hybrid | On-site, as the posting states it
    employment_type: str | None = None
    hiring_manager: str | None = None  # "Name, Title" when the post names who it reports to
    also_listed: list[str] = field(default_factory=list)  # the same role on other sources
    text: str = field(default="", repr=False)  # the posting's words (for the tech stack); unsaved
    detail: str = field(default="", repr=False)  # the API URL of its full posting (Workday); unsaved

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
            # Added in reachout.brief/1 without a version change (new keys only):
            "remote": self.remote,
            "salary": self.salary,
            "employment_type": self.employment_type,
            "hiring_manager": self.hiring_manager,
            "also_listed": list(self.also_listed),
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
    if provider == "teamtailor":  # every Teamtailor career site publishes its jobs as RSS
        if "{board}" in base:
            return base.replace("{board}", token) + "/jobs.rss"
        return f"{base}/{token}/jobs.rss"
    if provider == "workday":
        # The keyless JSON search behind every Workday job site, on the job site's own host
        # (TENANT.wdN.myworkdayjobs.com or wdN.myworkdaysite.com): POST …/wday/cxs/TENANT/SITE/jobs.
        tenant, _, site_name = board.partition("/")
        if "{host}" in base:
            host = urlsplit(link).netloc.lower()
            if not host:
                raise ValueError("a Workday job site's API lives on the host of its link")
            base = base.replace("{host}", host)
        return f"{base}/wday/cxs/{quote(tenant, safe='')}/{quote(site_name, safe='')}/jobs"
    raise ValueError(provider)


def documented_api(provider: str) -> bool:
    """True when PROVIDER's board endpoint is published as an API for programs (research.toml's
    `api_docs`): read as an API, without robots.txt. Any other board is a page or feed of the
    career site, a website, and obeys its robots.txt (RFC 9309)."""
    spec = settings()["ats"].get(provider) or {}
    return bool(spec.get("api_docs"))


WORKDAY_PAGE = 20  # Workday's job search answers 400 to a `limit` above 20


def workday_search(search_text: str = "", offset: int = 0) -> dict[str, Any]:
    """The JSON body of one Workday job search (no filters; SEARCH_TEXT as a visitor types it)."""
    return {"appliedFacets": {}, "limit": WORKDAY_PAGE, "offset": offset,
            "searchText": search_text}


def _workday_posted(value: Any, fetched_at: str | None) -> str | None:
    """An ISO date from Workday's "Posted Today", "Posted Yesterday", "Posted 3 Days Ago", counted
    back from when the answer was fetched; "Posted 30+ Days Ago" says no date, so None."""
    text = str(value or "").lower()
    today = _date(fetched_at) if fetched_at else None
    if not text or not today or "+" in text:
        return _date(value)
    from datetime import date, timedelta

    if "today" in text or "heute" in text:
        days = 0
    elif "yesterday" in text or "gestern" in text:
        days = 1
    else:
        # The look-behind starts a number where its digits start: a long run is tried once.
        match = re.search(r"(?<!\d)(\d+)\s*(?:days?|tage?n?)", text)
        if not match:
            return _date(value)
        if len(match.group(1)) > 5:  # "Posted 1000000 Days Ago": no date to trust
            return None
        days = int(match.group(1))
    try:
        return (date.fromisoformat(today) - timedelta(days=days)).isoformat()
    except (OverflowError, ValueError):  # "Posted 99999 Days Ago": before year 1
        return None


def workday_site_path(search_url: str, board: str, link: str) -> str:
    """The job site's own URL on the host of its search (SEARCH_URL): BASE/SITE/, or
    BASE/recruiting/TENANT/SITE/ on myworkdaysite.com. A tenant's robots.txt names its job sites
    (`Allow: /External/`, `Disallow: /Internal_Research/`)."""
    tenant, _, site_name = board.partition("/")
    base = search_url.split("/wday/cxs/", 1)[0]
    if "myworkdaysite." in urlsplit(link).netloc.lower():
        return f"{base}/recruiting/{quote(tenant, safe='')}/{quote(site_name, safe='')}/"
    return f"{base}/{quote(site_name, safe='')}/"


def _workday_site_url(link: str, site_name: str) -> str:
    """The job site's own address in LINK (its language and /recruiting/TENANT prefix kept)."""
    parts = urlsplit(link)
    match = re.search(rf"/{re.escape(site_name)}(?=/|$)", parts.path, re.IGNORECASE)
    if not match or parts.scheme not in {"http", "https"}:
        return ""
    return f"{parts.scheme}://{parts.netloc}{parts.path[: match.end()]}"


def _workday(board: str, doc: dict[str, Any], source: str, link: str, fetched_at: str | None
             ) -> list[Role]:
    """Workday's job search answer (BOARDS["workday"]): {total, jobPostings: [{title,
    externalPath, locationsText, postedOn, remoteType?}]}. Each role's `detail` is its posting's
    API URL."""
    site_url = _workday_site_url(link, board.partition("/")[2])
    api = source[: -len("/jobs")] if source.endswith("/jobs") else ""
    roles = []
    for job in doc["jobPostings"]:
        path = job.get("externalPath", "")
        path = path if path.startswith("/") else ""
        location = _s(job.get("locationsText"))
        if re.fullmatch(r"\d+ \w+", location or ""):  # "2 Locations": their names are in the posting
            location = None
        roles.append(
            Role(
                title=_s(job.get("title"), 160) or "",
                url=site_url + path if site_url and path else "",
                provider="workday",
                location=location,
                posted=_workday_posted(job.get("postedOn"), fetched_at),
                source=source,
                remote=_mode(job.get("remoteType")) or (
                    "Remote" if re.search(r"\bremote\b", location or "", re.I) else None),
                detail=api + path if api and path else "",
            )
        )
    return [r for r in roles if r.title]


def workday_detail(role: Role, text: str, fetched_at: str | None = None,
                   notes: list[str] | None = None) -> None:
    """Fill ROLE from its Workday posting (WORKDAY_POSTING): {jobPostingInfo: {title, location,
    additionalLocations, startDate, postedOn, jobDescription, timeType, remoteType, externalUrl}}.
    Raises BadAnswer when the answer is not of that shape."""
    doc = decode_json(text, WORKDAY_POSTING, source=f"Workday posting {role.title!r}", notes=notes)
    info = doc["jobPostingInfo"]
    places = [info.get("location"), *info.get("additionalLocations", [])]
    location = _s(", ".join(dict.fromkeys(p for p in places if p)))
    role.title = _s(info.get("title"), 160) or role.title
    role.location = location or role.location
    role.posted = (_date(info.get("startDate"))
                   or _workday_posted(info.get("postedOn"), fetched_at) or role.posted)
    role.remote = _mode(info.get("remoteType")) or role.remote
    role.employment_type = _s(info.get("timeType")) or role.employment_type
    role.url = _http(info.get("externalUrl")) or role.url
    role.text = _plain(info.get("jobDescription")) or role.text


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
    text = page_text(str(value), limit) if value not in (None, "") else ""
    return text or None


def _http(url: Any) -> str:
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""


def _plain(html_text: Any) -> str:
    """Text of an HTML fragment (Greenhouse's escaped `content`, Ashby's descriptionHtml)."""
    import html as htmllib

    if not isinstance(html_text, str) or not html_text:
        return ""
    raw = htmllib.unescape(html_text) if "&lt;" in html_text else html_text
    return page_text(re.sub(r"<[^>]+>", " ", raw), 20_000)


def _mode(value: Any) -> str | None:
    """Remote | Hybrid | On-site from an ATS's workplace field (`remote`, `OnSite`, `hybrid`…)."""
    text = re.sub(r"[^a-z]", "", str(value or "").lower())
    return {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", "inoffice": "On-site",
            "telecommute": "Remote", "fullyremote": "Remote"}.get(text)


def money_range(low: Any, high: Any, currency: Any = "", period: Any = "") -> str | None:
    """ "USD 120,000–150,000 a year" from an ATS's or JSON-LD's numbers."""
    def num(v: Any) -> str:
        try:
            f = float(v)
        except (TypeError, ValueError):
            return ""
        return f"{f:,.0f}" if f >= 100 else f"{f:g}"

    a, b = num(low), num(high)
    if not a and not b:
        return None
    amount = f"{a}–{b}" if a and b and a != b else a or b
    # YEAR, yearly, per-year-salary (Lever), annual, HOUR, hourly…
    said = str(period or "").lower()
    unit = next((text for word, text in (("year", "a year"), ("annual", "a year"),
                                         ("month", "a month"), ("week", "a week"),
                                         ("day", "a day"), ("hour", "an hour"))
                 if word in said), "")
    cur = page_text(str(currency or ""), 8)
    return " ".join(x for x in (cur, amount, unit) if x)


# ------------------------------------------------------------------ the boards' answers
# Each API's shape, only the fields its reader takes (decode.py leaves out the rest and says so).
_TEXT = OneOf(Str(), Num())  # a name or a number sent as one
_NAMED = OneOf(_TEXT, Obj({"name": _TEXT, "label": _TEXT, "value": _TEXT}))  # "x" or {"name": "x"}
_NAMES = OneOf(_NAMED, List(_NAMED))
_WHEN = OneOf(Str(), Num())  # an ISO date or epoch milliseconds
_SALARY = Obj({"min": _TEXT, "max": _TEXT, "currency": Str(), "interval": Str(), "period": Str()})


def _jobs(key: str, job: dict[str, Shape]) -> Obj:
    """{KEY: [JOB, …]} with at most MAX_ROLES jobs kept."""
    return Obj({key: List(Obj(job), max_items=MAX_ROLES)}, required=(key,))


BOARDS: dict[str, Shape] = {
    # developers.greenhouse.io/job-board.html (…/jobs?content=true)
    "greenhouse": _jobs("jobs", {
        "title": _TEXT, "absolute_url": Str(), "departments": List(Obj({"name": _TEXT})),
        "location": _NAMED, "first_published": _WHEN, "updated_at": _WHEN, "content": Str(),
    }),
    # github.com/lever/postings-api (?mode=json): a list of postings
    "lever": List(Obj({
        "text": _TEXT, "hostedUrl": Str(), "createdAt": _WHEN, "workplaceType": Str(),
        "categories": Obj({"team": _NAMES, "department": _NAMES, "location": _NAMES,
                           "allLocations": _NAMES, "commitment": _NAMES}),
        "salaryRange": _SALARY, "descriptionPlain": Str(), "additionalPlain": Str(),
        "lists": List(Obj({"content": Str()})),
    }), max_items=MAX_ROLES),
    # developers.ashbyhq.com: posting-api/job-board/BOARD
    "ashby": _jobs("jobs", {
        "isListed": Bool(), "title": _TEXT, "jobUrl": Str(), "team": _NAMED, "department": _NAMED,
        "location": _NAMES, "isRemote": Bool(), "publishedAt": _WHEN, "updatedAt": _WHEN,
        "workplaceType": Str(), "employmentType": _NAMED,
        "compensation": Obj({"compensationTierSummary": _TEXT}),
        "descriptionPlain": Str(), "descriptionHtml": Str(),
    }),
    # apply.workable.com's widget API
    "workable": _jobs("jobs", {
        "title": _TEXT, "url": Str(), "shortlink": Str(), "department": _NAMES, "city": _TEXT,
        "country": _TEXT, "telecommuting": Bool(), "published_on": _WHEN, "created_at": _WHEN,
        "employment_type": _NAMED, "description": Str(),
    }),
    # docs.recruitee.com/reference/offers
    "recruitee": _jobs("offers", {
        "title": _TEXT, "careers_url": Str(), "department": _NAMES, "city": _TEXT, "country": _TEXT,
        "location": _NAMES, "remote": Bool(), "hybrid": Bool(), "published_at": _WHEN,
        "created_at": _WHEN, "close_at": _WHEN, "employment_type_code": _NAMED, "salary": _SALARY,
        "description": Str(), "requirements": Str(),
    }),
    # developers.smartrecruiters.com: v1/companies/BOARD/postings
    "smartrecruiters": _jobs("content", {
        "id": Scalar(), "name": _TEXT, "department": _NAMED, "releasedDate": _WHEN,
        "typeOfEmployment": _NAMED,
        "location": Obj({"city": _TEXT, "country": _TEXT, "remote": Bool(), "hybrid": Bool()}),
    }),
    # Workday's job search: POST …/wday/cxs/TENANT/SITE/jobs
    "workday": _jobs("jobPostings", {
        "title": _TEXT, "externalPath": Str(), "locationsText": _TEXT, "postedOn": _WHEN,
        "remoteType": Str(),
    }),
}
# One Workday posting: GET …/wday/cxs/TENANT/SITE/job/PATH
WORKDAY_POSTING = Obj({"jobPostingInfo": Obj({
    "title": _TEXT, "location": Str(), "additionalLocations": List(Str()), "startDate": _WHEN,
    "postedOn": _WHEN, "jobDescription": Str(), "timeType": _NAMED, "remoteType": Str(),
    "externalUrl": Str(),
})}, required=("jobPostingInfo",))


def board_name(provider: str, board: str) -> str:
    """How notes name a board: "Greenhouse board 'acme'"."""
    return f"{provider.capitalize()} board {board!r}"


def parse_roles(
    provider: str, board: str, text: str, source: str, *, link: str = "",
    fetched_at: str | None = None, notes: list[str] | None = None,
) -> list[Role]:
    """Roles from one ATS answer (at most MAX_ROLES); raises BadAnswer (a ValueError) when the
    answer is not that API's shape. Values left out or cut are said in NOTES.

    LINK is where the board was seen; FETCHED_AT when the answer was fetched (Workday dates its
    postings relative to then)."""
    name = board_name(provider, board)
    if provider == "personio":
        return _personio(board, text, source, name, notes)
    if provider == "teamtailor":
        return _teamtailor(text, source, name, notes)
    if provider not in BOARDS:
        raise ValueError(provider)
    doc = decode_json(text, BOARDS[provider], source=name, notes=notes)
    if provider == "workday":
        return _workday(board, doc, source, link, fetched_at)
    read: Callable[[dict[str, Any]], Role | None] = {
        "greenhouse": _greenhouse, "lever": _lever, "ashby": _ashby, "workable": _workable,
        "recruitee": _recruitee,
        "smartrecruiters": lambda job: _smartrecruiters(job, board),
    }[provider]
    roles = []
    for job in doc if isinstance(doc, list) else next(iter(doc.values())):
        role = read(job)
        if role is not None and role.title:
            role.provider, role.source = provider, source
            roles.append(role)
    return roles


def _greenhouse(job: dict[str, Any]) -> Role:
    location = _s(job.get("location"))
    return Role(
        title=_s(job.get("title"), 160) or "",
        url=_http(job.get("absolute_url")),
        provider="greenhouse",
        team=_s([d.get("name") for d in job.get("departments", [])]),
        location=location,
        posted=_date(job.get("first_published")),
        updated=_date(job.get("updated_at")),
        remote="Remote" if re.search(r"\bremote\b", location or "", re.I) else None,
        text=_plain(job.get("content")),
    )


def _lever(job: dict[str, Any]) -> Role:
    cats = job.get("categories", {})
    return Role(
        title=_s(job.get("text"), 160) or "",
        url=_http(job.get("hostedUrl")),
        provider="lever",
        team=_s(cats.get("team") or cats.get("department")),
        location=_s(cats.get("location") or cats.get("allLocations")),
        posted=_date(job.get("createdAt")),
        remote=_mode(job.get("workplaceType")),
        employment_type=_s(cats.get("commitment")),
        salary=_salary_obj(job.get("salaryRange")),
        text=" ".join(
            [job.get("descriptionPlain", "")]
            + [_plain(x.get("content")) for x in job.get("lists", [])]
            + [job.get("additionalPlain", "")]
        ),
    )


def _ashby(job: dict[str, Any]) -> Role | None:
    if job.get("isListed") is False:
        return None
    return Role(
        title=_s(job.get("title"), 160) or "",
        url=_http(job.get("jobUrl")),
        provider="ashby",
        team=_s(job.get("team") or job.get("department")),
        location=_s(job.get("location")) or ("Remote" if job.get("isRemote") else None),
        posted=_date(job.get("publishedAt")),
        updated=_date(job.get("updatedAt")),
        remote=_mode(job.get("workplaceType")) or ("Remote" if job.get("isRemote") else None),
        employment_type=_s(job.get("employmentType")),
        salary=_s(job.get("compensation", {}).get("compensationTierSummary")),
        text=job.get("descriptionPlain") or _plain(job.get("descriptionHtml")),
    )


def _workable(job: dict[str, Any]) -> Role:
    place = _s([job.get("city"), job.get("country")])
    return Role(
        title=_s(job.get("title"), 160) or "",
        url=_http(job.get("url") or job.get("shortlink")),
        provider="workable",
        team=_s(job.get("department")),
        location=place or ("Remote" if job.get("telecommuting") else None),
        posted=_date(job.get("published_on") or job.get("created_at")),
        remote="Remote" if job.get("telecommuting") else None,
        employment_type=_s(job.get("employment_type")),
        text=_plain(job.get("description")),
    )


def _recruitee(job: dict[str, Any]) -> Role:
    place = _s([job.get("city"), job.get("country")]) or _s(job.get("location"))
    return Role(
        title=_s(job.get("title"), 160) or "",
        url=_http(job.get("careers_url")),
        provider="recruitee",
        team=_s(job.get("department")),
        location=place or ("Remote" if job.get("remote") else None),
        posted=_date(job.get("published_at") or job.get("created_at")),
        closes=_date(job.get("close_at")),
        remote="Remote" if job.get("remote") else "Hybrid" if job.get("hybrid") else None,
        employment_type=_s(job.get("employment_type_code")),
        salary=_salary_obj(job.get("salary")),
        text=_plain(job.get("description")) + " " + _plain(job.get("requirements")),
    )


def _smartrecruiters(job: dict[str, Any], board: str) -> Role:
    loc = job.get("location", {})
    return Role(
        title=_s(job.get("name"), 160) or "",
        url=f"https://jobs.smartrecruiters.com/{quote(board)}/{quote(job.get('id', ''))}",
        provider="smartrecruiters",
        team=_s(job.get("department")),
        location=_s([loc.get("city"), loc.get("country")]),
        posted=_date(job.get("releasedDate")),
        remote="Remote" if loc.get("remote") else "Hybrid" if loc.get("hybrid") else None,
        employment_type=_s(job.get("typeOfEmployment")),
    )


def _salary_obj(value: Any) -> str | None:
    """Lever's salaryRange {min, max, currency, interval}; Recruitee's salary {min, max, …}."""
    if not isinstance(value, dict):
        return None
    return money_range(value.get("min"), value.get("max"), value.get("currency"),
                       value.get("interval") or value.get("period"))


def _teamtailor(text: str, source: str, name: str, notes: list[str] | None) -> list[Role]:
    """A Teamtailor career site's jobs.rss: <item> title, link, pubDate, description, and its
    own elements (department, locations, remoteStatus) in the Teamtailor namespace."""
    from email.utils import parsedate_to_datetime

    from lxml import etree

    root = decode_xml(text, roots={"rss"}, source=name)
    roles = []
    for item in _capped(root.iter("item"), name, notes):
        fields: dict[str, list[str]] = {}
        for child in item.iter():
            if isinstance(child.tag, str) and child is not item:
                key = etree.QName(child).localname.lower()
                value = page_text(child.text or "", 20_000)
                if value:
                    fields.setdefault(key, []).append(value)
        first = {k: v[0] for k, v in fields.items()}
        posted = None
        if first.get("pubdate"):
            try:
                posted = parsedate_to_datetime(first["pubdate"]).date().isoformat()
            except (TypeError, ValueError, OverflowError):
                posted = None
        place = fields.get("city") or fields.get("name") or fields.get("location") or []
        roles.append(
            Role(
                title=_s(first.get("title"), 160) or "",
                url=_http(first.get("link")),
                provider="teamtailor",
                team=_s(first.get("department")),
                location=_s(", ".join(dict.fromkeys(place))),
                posted=posted,
                source=source,
                remote=_mode(first.get("remotestatus")),
                text=_plain(first.get("description")),
            )
        )
    return [r for r in roles if r.title]


def _capped(items: Any, name: str, notes: list[str] | None) -> list[Any]:
    """The first MAX_ROLES of a feed's ITEMS; a note says how many more there were."""
    kept: list[Any] = []
    more = 0
    for item in items:
        if len(kept) < MAX_ROLES:
            kept.append(item)
        else:
            more += 1
    if more and notes is not None:
        notes.append(f"{name}: kept the first {MAX_ROLES:,} of {MAX_ROLES + more:,} roles "
                     "(a cap on what one answer may hold)")
    return kept


def _personio(board: str, text: str, source: str, name: str, notes: list[str] | None) -> list[Role]:
    """Personio's XML feed: <workzag-jobs><position><id/><name/><office/><department/>…"""
    root = decode_xml(text, roots={"workzag-jobs"}, source=name)
    roles = []
    for position in _capped(root.iter("position"), name, notes):
        def field(key: str, node: Any = position) -> str | None:
            found = node.find(key)
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
                remote="Remote" if remote else None,
                salary=_jsonld_salary(item.get("baseSalary") or item.get("estimatedSalary")),
                employment_type=_s(item.get("employmentType")),
                text=_plain(_s(item.get("description"), 20_000) or ""),
            )
        )
    return roles


def _jsonld_salary(value: Any) -> str | None:
    """schema.org MonetaryAmount: {currency, value: {minValue, maxValue, value, unitText}}."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return _s(value)
    inner = value.get("value")
    if isinstance(inner, dict):
        low = inner.get("minValue", inner.get("value"))
        return money_range(low, inner.get("maxValue"), value.get("currency"),
                           inner.get("unitText"))
    return money_range(value.get("minValue", inner), value.get("maxValue"), value.get("currency"),
                       value.get("unitText"))


def role_matches(role: Role, keywords: str | None) -> bool:
    """True when every word of KEYWORDS appears in the role's title or team (case-insensitive)."""
    if not keywords:
        return False
    haystack = f"{role.title} {role.team or ''}".lower()
    words = [w for w in re.split(r"[\s,]+", keywords.lower()) if w]
    return bool(words) and all(re.search(rf"\b{re.escape(w)}", haystack) for w in words)


def sort_roles(roles: list[Role]) -> list[Role]:
    """One entry per role across sources (the careers page, its job pages, the ATS boards), then
    matches first, newest posting first, by title."""
    # Postings marked up on one careers page all link that page: the title tells them apart.
    unique = {(r.provider, r.url or r.title, r.title if r.provider == "site" else ""): r
              for r in roles}
    merged = dedupe(list(unique.values()))
    for role in merged:
        role.url = role.url or role.source  # a role a careers page lists without its own page
    return sorted(
        merged,
        key=lambda r: (not r.match, "~" if r.posted is None else neg(r.posted), r.title),
    )


def title_key(title: str) -> str:
    from anyascii import anyascii

    text = anyascii(title).lower()
    text = re.sub(r"\((?:m|f|w|d|x|h|mwd|gn|all genders?)(?:/[mfwdxh])*\)", " ", text)
    return " ".join(re.findall(r"[a-z0-9+#]+", text))


def dedupe(roles: list[Role]) -> list[Role]:
    """Merge the same role seen on several sources: same title, and the same place when both say.
    An ATS's entry (it has the apply link) absorbs a careers page's; blanks are filled from the
    other. Near-linear: each role looks only at the earlier entries it could be a twin of."""
    twins = _Twins()
    # ATS entries first, then job pages, then careers pages' own lists (a role linking its page).
    for role in sorted(roles, key=lambda r: (r.provider == "site", not r.url)):
        title, place = title_key(role.title), _place(role.location)
        twin = twins.find(role, title, place)
        if twin is None:
            twins.add(role, title, place)
            continue
        for name in ("team", "location", "posted", "updated", "closes", "salary", "remote",
                     "employment_type", "hiring_manager"):
            if not getattr(twin, name) and getattr(role, name):
                setattr(twin, name, getattr(role, name))
        twin.text = twin.text or role.text
        twin.match = twin.match or role.match
        for link in (role.url, *role.also_listed):
            if link and link != twin.url and link not in twin.also_listed:
                twin.also_listed.append(link)
        twins.placed(twin)
    return twins.out


def _place(location: str | None) -> tuple[str, str] | None:
    """A location's (whole key, city key) for comparing places; None when it says no place or a
    remote one, which is the same place as any ("Rotterdam" is "Rotterdam, NL": same city)."""
    if not location:
        return None
    whole = title_key(location)
    if "remote" in whole:
        return None
    return whole, title_key(location.split(",")[0])


class _Twins:
    """The roles kept so far, indexed so a new role finds its twin among few: an earlier entry with
    the same title key, a place that matches (the same whole or city key, or either says none), and
    another provider, or the same link, or both from careers pages. Entries are checked in the
    order they were kept, so the first twin wins as a plain scan would find it."""

    def __init__(self) -> None:
        self.out: list[Role] = []
        self._keys: list[tuple[str, tuple[str, str] | None]] = []  # (title key, place) per entry
        # (title key, place class, provider[, url]) -> a heap of entries' indices (the oldest on
        # top); a class is "any", "none" (no place said) or ("whole"|"city", key).
        self._index: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        self._providers: dict[str, set[str]] = defaultdict(set)  # title key -> providers kept
        self._at: dict[int, int] = {}  # id(role) -> its entry

    def add(self, role: Role, title: str, place: tuple[str, str] | None) -> None:
        """Keep ROLE (of TITLE key and PLACE, as _place gives it)."""
        at = len(self.out)
        self.out.append(role)
        self._at[id(role)] = at
        self._keys.append((title, place))
        self._providers[title].add(role.provider)
        for cls in ("any", *self._classes(place)):
            self._register(at, role, cls)

    def placed(self, role: Role) -> None:
        """A kept ROLE's place may have been filled in by a twin: file it under its new classes."""
        at = self._at[id(role)]
        title, before = self._keys[at]
        place = _place(role.location)
        if place != before:
            self._keys[at] = (title, place)
            for cls in self._classes(place):
                self._register(at, role, cls)

    @staticmethod
    def _classes(place: tuple[str, str] | None) -> list[Any]:
        return ["none"] if place is None else [("whole", place[0]), ("city", place[1])]

    def _register(self, at: int, role: Role, cls: Any) -> None:
        title = self._keys[at][0]
        heapq.heappush(self._index[(title, cls, role.provider)], at)
        heapq.heappush(self._index[(title, cls, role.provider, role.url)], at)

    def find(self, role: Role, title: str, place: tuple[str, str] | None) -> Role | None:
        """The first kept twin of ROLE (of TITLE key and PLACE), or None."""
        classes = ["any"] if place is None else self._classes(None) + self._classes(place)
        best: int | None = None
        for cls in classes:
            for provider in self._providers.get(title, ()):
                if provider != role.provider or provider == "site":
                    key: tuple[Any, ...] = (title, cls, provider)
                else:
                    key = (title, cls, provider, role.url)
                at = self._first(key, cls)
                if at is not None and (best is None or at < best):
                    best = at
        return None if best is None else self.out[best]

    def _first(self, key: tuple[Any, ...], cls: Any) -> int | None:
        """The oldest entry filed under KEY that still belongs to its class (an entry with no
        place that has since been given one has moved out of "none")."""
        heap = self._index.get(key)
        while heap:
            if cls != "none" or self._keys[heap[0]][1] is None:
                return heap[0]
            heapq.heappop(heap)  # a place has been filled in since (entries only gain one)
        return None


def neg(date: str) -> str:
    """DATE mapped so that an ascending sort puts the newest first (each digit d becomes 9-d)."""
    return "".join(str(9 - int(ch)) if ch.isdigit() else ch for ch in date)
