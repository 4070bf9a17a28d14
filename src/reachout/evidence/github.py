"""Commit authors of the company's public GitHub repositories (REST API v3, keyless).

The organisation comes from the saved brief's GitHub link, else Wikidata's "GitHub username" (P2037)
of the item whose official website (P856) is the domain. Then its most recently pushed repositories
(GET /orgs/{org}/repos?sort=pushed; /users/{username}/repos when the name is a user's account) and
their latest commits (GET /repos/{owner}/{repo}/commits),
whose `commit.author` holds the name, address and date git recorded.

Unauthenticated, GitHub allows 60 requests an hour from one address (docs.github.com/en/rest/using-
the-rest-api/rate-limits-for-the-rest-api), so the budget is small, and the `x-ratelimit-remaining`
/ `x-ratelimit-reset` headers are obeyed: once spent, the source says when it resets and the others
go on. A secondary rate limit is a 403 or 429 "You have exceeded a secondary rate limit" answer,
perhaps with `retry-after`: GitHub is then not asked again for that many seconds (a minute when the
header is absent), as the same page asks. A GITHUB_TOKEN in the environment is sent when present
(5,000 an hour), never required.

`commit.author` is a nullable git user (the OpenAPI description's `nullable-git-user`, whose name and
email are optional): a commit without one is skipped without a note. An empty repository answers
its commits with 409 "Git Repository is empty." (github/rest-api-description#385): no note either.
"""

from __future__ import annotations

import os
import re
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from reachout.decode import Bool, List, Obj, Str, decode_json
from reachout.errors import BadAnswer
from reachout.evidence.hits import Hit, SourceRun, iso_date
from reachout.http import JSON_TYPES, Response, retry_after_seconds

NAME = "github"
REPOS_PER_ORG = 5  # one page of the most recently pushed
COMMITS_PER_REPO = 100  # GitHub's largest page
_LOGIN = r"[A-Za-z0-9][A-Za-z0-9-]{0,38}"
_REPO = r"[A-Za-z0-9._-]{1,100}"

# docs.github.com/en/rest/repos/repos#list-organization-repositories: the fields read.
REPOS = List(Obj({
    "name": Str(pattern=_REPO),
    "full_name": Str(pattern=f"{_LOGIN}/{_REPO}"),
    "fork": Bool(),
    "archived": Bool(),
    "pushed_at": Str(max_len=40),
}, required=("name", "full_name")), max_items=100)

# docs.github.com/en/rest/commits/commits#list-commits: `commit.author` is git's own record.
COMMITS = List(Obj({
    "html_url": Str(max_len=500),
    "commit": Obj({
        "author": Obj({"name": Str(max_len=200), "email": Str(max_len=320), "date": Str(max_len=40)}),
    }),
}, required=("commit",)), max_items=COMMITS_PER_REPO)


_SPENT_LOCK = threading.Lock()
# API base -> (when its rate limit resets, Unix time; whether it is a secondary limit), in this run
_SPENT_UNTIL: dict[str, tuple[float, bool]] = {}
SECONDARY_WAIT = 60.0  # seconds: "wait for at least one minute" without a retry-after header


def gather(run: SourceRun, org: str | None, *, guessed: bool = False) -> list[Hit]:
    """Commit authors of ORG's recently pushed repositories on GitHub (see `organisation`). A GUESSED
    organisation (the domain's name) that GitHub does not know is no note: most are not there."""
    base = run.endpoints.github
    if _spent(base, run):
        return []
    if not org:
        run.report.skipped = "no GitHub organisation found (Wikidata P2037 or a github.com link)"
        return []
    repos_url = f"{base}/orgs/{quote(org, safe='')}/repos"
    response = run.get(repos_url, accept=JSON_TYPES, headers=_headers(),
                       params={"sort": "pushed", "direction": "desc", "type": "public",
                               "per_page": str(REPOS_PER_ORG)})
    if guessed and response.status == 404:
        run.report.skipped = (f"no GitHub organisation found (Wikidata P2037, a github.com link, "
                              f"or one named {org})")
        return []
    if response.status == 404 and run.left >= 1 and not _spent(base, run):
        # P2037 is a GitHub *username*, and a github.com link may name a user too: /orgs/ does not
        # know a user's account, GET /users/{username}/repos does (docs.github.com/en/rest/repos/
        # repos#list-repositories-for-a-user: type owner, the same sort and paging).
        response = run.get(f"{base}/users/{quote(org, safe='')}/repos", accept=JSON_TYPES,
                           headers=_headers(), params={"sort": "pushed", "direction": "desc",
                                                       "type": "owner",
                                                       "per_page": str(REPOS_PER_ORG)})
    if not _answered(run, response, f"the repositories of {org}"):
        return []
    if guessed:
        run.note(f"Tried the GitHub organisation named like the domain ({org}): only commits with "
                 "addresses at the domain are kept.")
    try:
        chosen = parse_repos(response.content or response.text, run.report.notes)
    except BadAnswer as exc:
        run.note(str(exc))
        return []
    if _spent(base, run):  # the repositories' answer used the hour's last request
        return []
    hits: list[Hit] = []
    # One after another, not at once: GitHub asks clients to "make requests serially instead of
    # concurrently" to stay clear of its secondary rate limits (docs.github.com/en/rest/using-the-
    # rest-api/best-practices-for-using-the-rest-api), and each answer's x-ratelimit-remaining is
    # then read before the next request is sent.
    for repo in chosen:
        if run.left < 1 or _spent(base, run):
            break
        response = run.get(f"{base}/repos/{repo['full_name']}/commits", accept=JSON_TYPES,
                           headers=_headers(), params={"per_page": str(COMMITS_PER_REPO)})
        if _answered(run, response, f"the commits of {repo['full_name']}"):
            hits += _commit_hits(run, response, repo["full_name"])
    return hits


def repositories(body: bytes | str, notes: list[str]) -> list[str]:
    """The full names of the repositories a `GET /orgs/{org}/repos` answer lists, forks and
    archived ones left out; raises BadAnswer for an answer of another shape."""
    repos = decode_json(body, REPOS, source="GitHub repositories", notes=notes)
    return [r["full_name"] for r in repos if not r.get("fork") and not r.get("archived")][:REPOS_PER_ORG]


def _commit_hits(run: SourceRun, response: Response, full_name: str) -> list[Hit]:
    try:
        return parse_commits(response.content or response.text, full_name, run.report.notes)
    except BadAnswer as exc:
        run.note(str(exc))
        return []


def parse_repos(body: str | bytes, notes: list[str]) -> list[dict[str, Any]]:
    """The public repositories worth reading (not forks, not archived) of a repositories answer,
    most recently pushed first. Raises BadAnswer."""
    repos = decode_json(body, REPOS, source="GitHub repositories", notes=notes)
    return [r for r in repos if not r.get("fork") and not r.get("archived")][:REPOS_PER_ORG]


def parse_commits(body: str | bytes, full_name: str, notes: list[str]) -> list[Hit]:
    """The author (name, address, date) of each commit of a commits answer. Raises BadAnswer."""
    commits = decode_json(body, COMMITS, source="GitHub commits", notes=notes)
    hits = []
    for item in commits:
        author = item["commit"].get("author") or {}
        if not author.get("name") or not author.get("email"):
            continue  # a nullable git user: nothing recorded to learn from
        link = item.get("html_url") or f"https://github.com/{full_name}"
        hits.append(Hit(author["name"], author["email"], NAME, link, iso_date(author.get("date"))))
    return hits


def _headers() -> dict[str, str]:
    # docs.github.com/en/rest/about-the-rest-api/api-versions: the media type and version pinned.
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _answered(run: SourceRun, response: Response, what: str) -> bool:
    """True for a usable answer; otherwise a note (and the rate limit remembered when spent)."""
    remaining = _header(response, "x-ratelimit-remaining")
    reset = _header(response, "x-ratelimit-reset")
    if remaining is not None and remaining.strip() == "0":
        try:
            until = float(reset) if reset else 0.0
        except ValueError:
            until = 0.0
        with _SPENT_LOCK:
            _SPENT_UNTIL[run.endpoints.github] = (until, False)
        if response.ok:
            _spent(run.endpoints.github, run)  # this answer is read; the next request is not sent
            return True
    if response.ok:
        return True
    if _spent(run.endpoints.github, run):
        return False
    if _secondary_limit(response):
        wait = retry_after_seconds(_header(response, "retry-after")) or SECONDARY_WAIT
        with _SPENT_LOCK:
            _SPENT_UNTIL[run.endpoints.github] = (datetime.now(UTC).timestamp() + wait, True)
        _spent(run.endpoints.github, run)
        return False
    if response.status == 404:
        run.note(f"GitHub has no {what} (HTTP 404).")
    elif response.status != 409:  # 409: an empty repository has no commits to list
        run.note(f"GitHub did not give {what}: {response.error}.")
    return False


def _secondary_limit(response: Response) -> bool:
    """A 403/429 that is GitHub's secondary rate limit: its retry-after header or its message
    (docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api); any 429 too."""
    if response.status == 429:
        return True
    return response.status == 403 and (
        _header(response, "retry-after") is not None
        or "secondary rate limit" in response.text.lower())


def _header(response: Response, name: str) -> str | None:
    return next((v for k, v in response.headers.items() if k.lower() == name), None)


def forget_rate_limits() -> None:
    """Forget the spent limits this process saw (tests; a long-running program after an hour)."""
    with _SPENT_LOCK:
        _SPENT_UNTIL.clear()


def _spent(base: str, run: SourceRun) -> bool:
    """True (with a note once) while BASE's hourly limit is spent."""
    with _SPENT_LOCK:
        spent = _SPENT_UNTIL.get(base)
    if spent is None:
        return False
    until, secondary = spent
    if until and until < datetime.now(UTC).timestamp():
        with _SPENT_LOCK:
            _SPENT_UNTIL.pop(base, None)
        return False
    if secondary:
        when = datetime.fromtimestamp(until, UTC).strftime("%H:%M:%S UTC")
        note = (f"GitHub asked for a pause (its secondary rate limit) until {when}; it was not "
                "asked again and the other sources went on.")
    else:
        when = datetime.fromtimestamp(until, UTC).strftime("%H:%M UTC") if until else "later"
        note = (f"GitHub's hourly request limit is spent until {when}; the other sources went on "
                "(set GITHUB_TOKEN for a larger limit).")
    if note not in run.report.notes:
        run.note(note)
    run.budget = run.report.requests  # nothing more is asked of GitHub in this run
    return True


def org_from_domain(domain: str) -> str | None:
    """The organisation name a company most often takes on GitHub: its domain's name (acme for
    acme.co.uk), when that is a valid GitHub login."""
    from reachout.domains import registrable_domain
    from reachout.errors import BadInput

    try:
        label = registrable_domain(domain, allow_private=True).split(".", 1)[0]
    except BadInput:
        return None
    return label if re.fullmatch(_LOGIN, label) else None


def org_from_link(url: str) -> str | None:
    """The organisation of a github.com/ORG link (None for anything else)."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in {"github.com", "www.github.com"}:
        return None
    first = parts.path.strip("/").split("/", 1)[0]
    return first if re.fullmatch(_LOGIN, first) and first.lower() not in _NOT_ORGS else None


_NOT_ORGS = {"orgs", "about", "features", "pricing", "login", "join", "sponsors", "topics", "apps"}


def organisation(run: SourceRun) -> str | None:
    """The GitHub organisation of RUN's domain: Wikidata's P2037 of the item whose official website
    is the domain (two requests), or None."""
    if "wikidata" in run.endpoints.disabled or run.left < 3:
        return None
    from reachout.research.publicdata import sparql_query

    response = run.get(run.endpoints.wikidata_sparql, accept=JSON_TYPES,
                       params={"query": sparql_query(run.domain), "format": "json"})
    if not response.ok:
        run.note(f"Wikidata was not asked for the GitHub organisation: {response.error}.")
        return None
    try:
        ids = parse_items(response.content or response.text, run.report.notes)
    except BadAnswer as exc:
        run.note(str(exc))
        return None
    if not ids:
        return None
    response = run.get(run.endpoints.wikidata_api, accept=JSON_TYPES, params={
        "action": "wbgetentities", "ids": ids[0], "props": "claims", "format": "json"})
    if not response.ok:
        run.note(f"Wikidata's item {ids[0]} could not be read: {response.error}.")
        return None
    try:
        return parse_github_username(response.content or response.text, ids[0], run.report.notes)
    except BadAnswer as exc:
        run.note(str(exc))
        return None


def parse_items(body: str | bytes, notes: list[str]) -> list[str]:
    """The Wikidata items (Q-ids, oldest first) of a SPARQL answer. Raises BadAnswer."""
    from reachout.research.publicdata import items_from_sparql

    return items_from_sparql(body, notes)  # one owner: Q-ids ordered without int() on remote text


def entity_shape(qid: str) -> Obj:
    """The part of a wbgetentities answer read: QID's "GitHub username" (P2037) statements, each
    with its rank and snak type (the Wikibase JSON statement, research.publicdata's CLAIM)."""
    from reachout.research.publicdata import CLAIM

    return Obj({"entities": Obj({qid: Obj({"claims": Obj({"P2037": List(CLAIM)})})})},
               required=("entities",))


def parse_github_username(body: str | bytes, qid: str, notes: list[str]) -> str | None:
    """QID's GitHub username (P2037) of best rank that is a valid login, from a wbgetentities
    answer: a preferred statement before normal ones, never a deprecated one (an account the item
    no longer uses), nor a "no value"/"unknown value" snak. Raises BadAnswer (with the API's own
    error when it sent one)."""
    from reachout.research.publicdata import best_values, mediawiki_json

    doc = mediawiki_json(body, entity_shape(qid), source="Wikidata", notes=notes)
    claims = doc["entities"].get(qid, {}).get("claims", {}).get("P2037", [])
    return next((v for v in best_values(claims) if isinstance(v, str) and re.fullmatch(_LOGIN, v)),
                None)
