"""Mock public-evidence APIs for the fixture server: a world of companies whose people appear in the
sources' real answer shapes (see tests/fixtures/apis/evidence/README.md for where each shape is from).

    world = EvidenceWorld()
    world.add("acme.test", org="acme",
              people=[Person("Jane Doe", "jane.doe@acme.test", "github", "2026-10-01")])
    world.install(server)   # answers /github/…, /mailarchive/…, /keyserver/…, /europepmc/…, Wikidata
                            # look-ups of the world's domains, and each domain's home and press page

- GitHub: GET /github/orgs/ORG/repos (two repositories, most recently pushed first)
  (also GET /github/users/NAME/repos, the only one that knows a `github_user` account) and
  GET /github/repos/ORG/REPO/commits (the org's github people's commits, plus a bot's and a
  no-reply commit), with x-ratelimit-* headers from `github_limit`; a spent limit answers 403, a
  secondary limit (`github_secondary_after`) 403 with its message and retry-after, an empty
  repository (`empty_repos`) 409.
- public-inbox: GET /mailarchive/?q=f:DOMAIN&x=A, an Atom feed of the domain's mailarchive people
  (and a role sender, and a sender without a display name, whose <name> is the local part); a
  search that finds nothing is 404 with an HTML page, as public-inbox answers it.
- HKP: GET /keyserver/pks/lookup?op=index&options=mr&search=DOMAIN (404 when nothing matches).
- Europe PMC: GET /europepmc/search?query=AFF:"DOMAIN"&resultType=core&format=json.
- Wikidata: the SPARQL P856 look-up and wbgetentities P2037 for a world domain with an org.
- The company site: `/` links to github.com/ORG and /press, which names the site people as media
  contacts.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

SOURCES = ("site", "github", "mailarchive", "keyserver", "europepmc")


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    source: str  # one of SOURCES
    date: str = "2026-10-01"  # YYYY-MM-DD


@dataclass
class Company:
    domain: str
    org: str | None
    people: list[Person] = field(default_factory=list)
    qid: str = ""
    github_user: bool = False  # ORG is a user's account on GitHub: /orgs/ANY/repos answers 404


@dataclass
class EvidenceWorld:
    companies: dict[str, Company] = field(default_factory=dict)
    github_limit: int = 10_000  # requests GitHub answers before its limit is spent
    github_reset: int = 0  # Unix time the limit resets (0: an hour from now)
    github_calls: int = 0
    github_secondary_after: int | None = None  # requests answered before a secondary rate limit
    github_retry_after: str | None = "60"  # its retry-after header (None: GitHub sends none)
    empty_repos: set[str] = field(default_factory=set)  # repositories with no commits (HTTP 409)
    commits_per_person: int = 1  # many commits by one person (the cap and dedupe tests)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, domain: str, people: list[Person], org: str | None = None) -> Company:
        company = Company(domain, org, list(people), qid=f"Q{9_000_000 + len(self.companies)}")
        self.companies[domain] = company
        return company

    def install(self, server: Any) -> None:
        server.hooks.append(self.answer)

    # ------------------------------------------------------------------ dispatch
    def answer(self, handler: Any, host: str, path: str, query: dict[str, list[str]]) -> bool:
        first = path.strip("/").split("/", 1)[0]
        if host in self.companies and first not in {"github", "mailarchive", "keyserver",
                                                     "europepmc", "wikidata"}:
            return self._site(handler, self.companies[host], path)
        route = {"github": self._github, "mailarchive": self._mailarchive,
                 "keyserver": self._keyserver, "europepmc": self._europepmc,
                 "wikidata": self._wikidata}.get(first)
        return bool(route and route(handler, path, query))

    def _people(self, domain: str, source: str) -> list[Person]:
        company = self.companies.get(domain)
        return [p for p in company.people if p.source == source] if company else []

    # ------------------------------------------------------------------ GitHub REST v3
    def _github(self, handler: Any, path: str, query: dict[str, list[str]]) -> bool:
        with self._lock:
            self.github_calls += 1
            remaining = max(0, self.github_limit - self.github_calls)
            spent = self.github_calls > self.github_limit
        reset = self.github_reset or int(time.time()) + 3600
        headers = {"x-ratelimit-limit": "60", "x-ratelimit-remaining": str(remaining),
                   "x-ratelimit-reset": str(reset), "x-ratelimit-used": str(self.github_calls),
                   "x-ratelimit-resource": "core", "x-github-api-version-selected": "2022-11-28"}
        if spent:
            # docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
            body = {"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                    "Authenticated requests get a higher rate limit. Check out the documentation "
                    "for more details.)",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
            return _json(handler, body, 403, headers | {"x-ratelimit-remaining": "0"})
        if self.github_secondary_after is not None and self.github_calls > self.github_secondary_after:
            # the documented secondary-limit answer: 403, a message that says so, retry-after
            # perhaps, and x-ratelimit-remaining that is not 0
            body = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                    "before you try again. If you reach out to GitHub Support for help, please "
                    "include the request ID 8A3C:2F1B:1D2E3F:4A5B6C:6751A2B3.",
                    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/"
                    "using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"}
            retry = {"retry-after": self.github_retry_after} if self.github_retry_after else {}
            return _json(handler, body, 403, headers | retry)
        orgs = {c.org.lower(): c for c in self.companies.values() if c.org}
        match = re.fullmatch(r"/github/(orgs|users)/([\w-]+)/repos", path)
        if match:
            company = orgs.get(match.group(2).lower())
            if company is None or (match.group(1) == "orgs" and company.github_user):
                return _json(handler, _GITHUB_404, 404, headers)
            return _json(handler, [_repo(company.org or "", name, pushed)
                                   for name, pushed in _REPOS], 200, headers)
        match = re.fullmatch(r"/github/repos/([\w-]+)/([\w.-]+)/commits", path)
        if match:
            company = orgs.get(match.group(1).lower())
            names = [name for name, _ in _REPOS]
            if company is None or match.group(2) not in names:
                return _json(handler, _GITHUB_404, 404, headers)
            if match.group(2) in self.empty_repos:  # github/rest-api-description#385
                return _json(handler, {"message": "Git Repository is empty.", "documentation_url":
                                       "https://docs.github.com/rest/commits/commits#list-commits",
                                       "status": "409"}, 409, headers)
            index = names.index(match.group(2))
            people = self._people(company.domain, "github")[index :: len(names)]
            commits = []
            for person in people:
                for n in range(self.commits_per_person):
                    commits.append(_commit(company.org or "", match.group(2), person.name,
                                           person.address, person.date, n))
            if index == 0:  # automation every real repository has
                commits.append(_commit(company.org or "", match.group(2), "dependabot[bot]",
                                       "49699333+dependabot[bot]@users.noreply.github.com",
                                       "2026-11-01", 0))
                commits.append(_commit(company.org or "", match.group(2), "Release Bot",
                                       f"release-bot@{company.domain}", "2026-11-02", 0))
            per_page = int((query.get("per_page") or ["30"])[0])
            return _json(handler, commits[:per_page], 200, headers)
        return _json(handler, _GITHUB_404, 404, headers)

    # ------------------------------------------------------------------ public-inbox
    def _mailarchive(self, handler: Any, path: str, query: dict[str, list[str]]) -> bool:
        search = (query.get("q") or [""])[0]
        if (query.get("x") or [""])[0] != "A" or not search.startswith("f:"):
            return False
        domain = search[2:]
        people = self._people(domain, "mailarchive")
        if people:
            # a role sender, and one whose From has no display name: public-inbox then writes the
            # address's local part as <name> (PublicInbox::Address::names)
            people = [*people, Person("Acme Support", f"support@{domain}", "mailarchive"),
                      Person("", f"mbauer@{domain}", "mailarchive", "2026-11-03")]
        if not people:  # lib/PublicInbox/SearchView.pm: 404 and an HTML page, even for x=A
            _send(handler, 404, b"<html><head><title>" + escape(search).encode() +
                  b" - search results</title></head><body><pre>\n[No results found]</pre><hr>"
                  b"</body></html>", "text/html; charset=UTF-8")
            return True
        base = f"http://{handler.headers.get('Host', '127.0.0.1')}/mailarchive"  # as the client named it
        entries = "".join(_atom_entry(p, base) for p in sorted(people, key=lambda p: p.date,
                                                                   reverse=True))
        feed = (
            '<?xml version="1.0" encoding="us-ascii"?>\n'
            '<feed\nxmlns="http://www.w3.org/2005/Atom"\n'
            'xmlns:thr="http://purl.org/syndication/thread/1.0">'
            f"<title>{escape(search)} - search results</title>"
            f'<link rel="alternate" type="text/html" href="{base}/?q={quote(search)}"/>'
            f'<link rel="self" href="{base}/?q={quote(search)}&amp;x=A"/>'
            f"<id>urn:uuid:{_uuid(search)}</id><updated>2026-12-01T00:00:00Z</updated>"
            f"{entries}</feed>"
        )
        _send(handler, 200, feed.encode("ascii", "xmlcharrefreplace"),
              "application/atom+xml; charset=UTF-8")
        return True

    # ------------------------------------------------------------------ HKP
    def _keyserver(self, handler: Any, path: str, query: dict[str, list[str]]) -> bool:
        if path != "/keyserver/pks/lookup" or (query.get("op") or [""])[0] != "index":
            return False
        people = self._people((query.get("search") or [""])[0].lower(), "keyserver")
        if not people:  # Go's http.Error(w, "Not Found", 404)
            _send(handler, 404, b"Not Found\n", "text/plain; charset=utf-8")
            return True
        # Hockeypuck's MRFormat (src/hockeypuck/hkp/writers.go): the user ID as it is, only its
        # colons escaped as %3a; the key's expiry and flags empty when it has none
        lines = [f"info:1:{len(people)}"]
        for person in people:
            when = int(datetime.fromisoformat(person.date).replace(tzinfo=UTC).timestamp())
            fingerprint = hashlib.sha1(person.address.encode()).hexdigest().upper()
            lines.append(f"pub:{fingerprint}:1:4096:{when}::")
            uid = f"{person.name} <{person.address}>".replace(":", "%3a")
            lines.append(f"uid:{uid}:{when}::")
        _send(handler, 200, ("\n".join(lines) + "\n").encode(), "text/plain")
        return True

    # ------------------------------------------------------------------ Europe PMC
    def _europepmc(self, handler: Any, path: str, query: dict[str, list[str]]) -> bool:
        if path != "/europepmc/search":
            return False
        match = re.fullmatch(r'AFF:"([^"]+)"', (query.get("query") or [""])[0])
        people = self._people(match.group(1).lower(), "europepmc") if match else []
        results = [_paper(p, n) for n, p in enumerate(sorted(people, key=lambda p: p.date,
                                                                 reverse=True))]
        doc = {"version": "6.9", "hitCount": len(results), "nextCursorMark": "AoIIP4AAACg0MDA1",
               "request": {"queryString": (query.get("query") or [""])[0], "resultType": "core",
                           "cursorMark": "*", "pageSize": 100, "sort": "P_PDATE_D desc",
                           "synonym": False},
               "resultList": {"result": results}}
        return _json(handler, doc, 200, {})

    # ------------------------------------------------------------------ Wikidata (P856 → P2037)
    def _wikidata(self, handler: Any, path: str, query: dict[str, list[str]]) -> bool:
        if path == "/wikidata/sparql":
            sparql = (query.get("query") or [""])[0]
            hosts = {re.sub(r"^https?://(www\.)?", "", u).strip("/")
                     for u in re.findall(r"<([^>]+)>", sparql)}
            bindings = [{"item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{c.qid}"}}
                        for c in self.companies.values() if c.domain in hosts and c.org]
            if not bindings:
                return False
            doc = {"head": {"vars": ["item"]}, "results": {"bindings": bindings}}
            _send(handler, 200, json.dumps(doc).encode(),
                  "application/sparql-results+json; charset=utf-8")
            return True
        ids = (query.get("ids") or [""])[0].split("|")
        found = {c.qid: c for c in self.companies.values() if c.qid in ids}
        if path != "/wikidata/w/api.php" or not found:
            return False
        entities = {qid: {"type": "item", "id": qid, "claims": {"P2037": [{
            "mainsnak": {"snaktype": "value", "property": "P2037", "datatype": "external-id",
                         "datavalue": {"value": c.org, "type": "string"}},
            "type": "statement", "id": f"{qid}$1", "rank": "normal"}]}}
            for qid, c in found.items()}
        return _json(handler, {"entities": entities, "success": 1}, 200, {})

    # ------------------------------------------------------------------ the company's site
    def _site(self, handler: Any, company: Company, path: str) -> bool:
        if path == "/robots.txt":
            _send(handler, 200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
            return True
        github = f'<a href="https://github.com/{company.org}">GitHub</a>' if company.org else ""
        if path == "/":
            body = (f"<html><head><title>{company.domain}</title></head><body><header><nav>"
                    f'<a href="/press">Press</a> <a href="/about">About</a></nav></header>'
                    f"<main><h1>{company.domain}</h1></main><footer>{github}</footer></body></html>")
        elif path == "/press":
            contacts = "".join(
                f"<p>Media contact: {escape(p.name)}, "
                f'<a href="mailto:{p.address}">{p.address}</a></p>'
                for p in self._people(company.domain, "site"))
            body = (f"<html><head><title>Press</title></head><body><main><h1>Press</h1>"
                    f'{contacts}<p>General enquiries: <a href="mailto:press@{company.domain}">'
                    f"press@{company.domain}</a></p></main></body></html>")
        elif path == "/about":
            body = (f"<html><head><title>About</title></head><body><main><h1>About us</h1>"
                    f"<p>We make things. Write to <a href=\"mailto:hello@{company.domain}\">"
                    f"hello@{company.domain}</a>.</p></main></body></html>")
        else:
            _send(handler, 404, b"<h1>Not found</h1>", "text/html; charset=utf-8")
            return True
        _send(handler, 200, body.encode(), "text/html; charset=utf-8")
        return True


_GITHUB_404 = {"message": "Not Found",
               "documentation_url": "https://docs.github.com/rest/repos/repos#list-organization-repositories",
               "status": "404"}
_REPOS = (("platform", "2026-11-30T09:12:44Z"), ("docs", "2026-11-20T17:01:02Z"))


def _repo(org: str, name: str, pushed: str) -> dict[str, Any]:
    ident = int(hashlib.sha1(f"{org}/{name}".encode()).hexdigest()[:7], 16)
    return {
        "id": ident, "node_id": f"R_kgDO{ident:08X}", "name": name, "full_name": f"{org}/{name}",
        "private": False,
        "owner": {"login": org, "id": ident + 1, "type": "Organization",
                  "html_url": f"https://github.com/{org}", "site_admin": False},
        "html_url": f"https://github.com/{org}/{name}", "description": None, "fork": False,
        "url": f"https://api.github.com/repos/{org}/{name}",
        "created_at": "2019-04-02T08:00:00Z", "updated_at": pushed, "pushed_at": pushed,
        "homepage": None, "size": 4021, "stargazers_count": 12, "watchers_count": 12,
        "language": "Python", "forks_count": 3, "archived": False, "disabled": False,
        "open_issues_count": 4, "license": None, "topics": [], "visibility": "public",
        "default_branch": "main",
        "permissions": {"admin": False, "maintain": False, "push": False, "triage": False,
                        "pull": True},
    }


def _commit(org: str, repo: str, name: str, address: str, date: str, n: int) -> dict[str, Any]:
    sha = hashlib.sha1(f"{org}/{repo}/{address}/{n}".encode()).hexdigest()
    when = f"{date}T1{n % 10}:00:00Z"
    person = {"name": name, "email": address, "date": when}
    return {
        "sha": sha, "node_id": f"C_kwDO{sha[:12]}",
        "commit": {"author": person, "committer": dict(person), "message": "Update the docs",
                   "tree": {"sha": sha[::-1], "url": f"https://api.github.com/repos/{org}/{repo}/git/trees/{sha[::-1]}"},
                   "url": f"https://api.github.com/repos/{org}/{repo}/git/commits/{sha}",
                   "comment_count": 0,
                   "verification": {"verified": False, "reason": "unsigned", "signature": None,
                                    "payload": None, "verified_at": None}},
        "url": f"https://api.github.com/repos/{org}/{repo}/commits/{sha}",
        "html_url": f"https://github.com/{org}/{repo}/commit/{sha}",
        "comments_url": f"https://api.github.com/repos/{org}/{repo}/commits/{sha}/comments",
        "author": None, "committer": None,
        "parents": [{"sha": sha[1:] + "0", "url": f"https://api.github.com/repos/{org}/{repo}/commits/{sha[1:]}0",
                     "html_url": f"https://github.com/{org}/{repo}/commit/{sha[1:]}0"}],
    }


def _atom_entry(person: Person, base: str) -> str:
    mid = f"{_uuid(person.address)[:8]}.{person.date.replace('-', '')}@{person.address.split('@')[1]}"
    return (
        f"<entry><author><name>{escape(person.name or person.address.split('@')[0])}</name>"
        f"<email>{escape(person.address)}</email>"
        f"</author><title>Re: [PATCH v2] fix the build</title>"
        f"<updated>{person.date}T12:00:00Z</updated><link href=\"{base}/{quote(mid)}/\"/>"
        f"<id>urn:uuid:{_uuid(mid)}</id>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        f'<pre style="white-space:pre-wrap">Looks good to me.</pre></div></content></entry>'
    )


def _paper(person: Person, n: int) -> dict[str, Any]:
    pmid = str(38_000_000 + int(hashlib.sha1(person.address.encode()).hexdigest()[:5], 16))
    first, _, last = person.name.rpartition(" ")
    return {
        "id": pmid, "source": "MED", "pmid": pmid, "doi": f"10.1000/test.{pmid}",
        "title": "A study of things.", "authorString": f"{last} {first[:1]}, Roe R.",
        "authorList": {"author": [
            {"fullName": f"{last} {first[:1]}", "firstName": first, "lastName": last,
             "initials": first[:1],
             "authorAffiliationDetailsList": {"authorAffiliation": [{"affiliation":
                 f"Research Lab, Boston, MA, USA. Electronic address: {person.address}."}]}},
            {"fullName": "Roe R", "firstName": "Richard", "lastName": "Roe", "initials": "R",
             "authorAffiliationDetailsList": {"authorAffiliation": [{"affiliation":
                 "Another University, Leeds, UK. Electronic address: r.roe@another.example."}]}},
        ]},
        "journalInfo": {"journal": {"title": "Journal of Tests"}},
        "pubYear": person.date[:4], "pageInfo": "1-10", "abstractText": "…",
        "language": "eng", "pubModelList": {"pubModel": ["Print-Electronic"]},
        "firstPublicationDate": person.date, "firstIndexDate": person.date,
    }


def _uuid(text: str) -> str:
    h = hashlib.sha1(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _json(handler: Any, doc: Any, status: int, headers: dict[str, str]) -> bool:
    _send(handler, status, json.dumps(doc).encode(), "application/json; charset=utf-8", headers)
    return True


def _send(handler: Any, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
          ) -> None:
    handler._send(status, body, ctype, headers or {})


def docs_world() -> EvidenceWorld:
    """The documentation's example company, northwind.test: its people as the public sources show
    them, mostly {f}{last}, with one old {first}.{last} key and the noise real sources carry."""
    world = EvidenceWorld()
    world.add("northwind.test", org="northwind", people=[
        Person("Priya Raman", "praman@northwind.test", "site", "2026-11-20"),
        Person("Lukas Becker", "lbecker@northwind.test", "github", "2026-11-28"),
        Person("Mei Chen", "mchen@northwind.test", "github", "2026-11-02"),
        Person("Tom Okafor", "tokafor@northwind.test", "github", "2026-10-15"),
        Person("Sara Lindqvist", "slindqvist@northwind.test", "github", "2026-08-30"),
        Person("Diego Fernández", "dfernandez@northwind.test", "github", "2026-06-11"),
        Person("Anna Kowalska", "akowalska@northwind.test", "mailarchive", "2026-09-09"),
        Person("Jonas Berg", "jonas.berg@northwind.test", "keyserver", "2017-03-01"),
        Person("Grace Mensah", "gmensah@research.northwind.test", "europepmc", "2025-04-18"),
    ])
    return world


def world_from_file(path: str) -> EvidenceWorld:
    """A world saved as JSON: {domain: {"org": ORG or null, "people": [[name, address, source, date]…]}}."""
    world = EvidenceWorld()
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for domain, company in data.items():
        world.add(domain, [Person(*row) for row in company["people"]], org=company.get("org"))
    return world


def main(argv: list[str] | None = None) -> int:
    """Serve a world of companies (--world FILE, see world_from_file) through the evidence sources' mock
    APIs from a process of its own (the benchmarks keep client and server apart). Prints the port on
    the first line of stdout, then serves until stdin closes."""
    import argparse

    from servers.http import FixtureServer, serve_until_stdin_closes  # type: ignore[import-not-found]

    parser = argparse.ArgumentParser(description="Serve the evidence sources' mock APIs on 127.0.0.1.")
    parser.add_argument("--world", required=True, help="the companies and their people (JSON)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    args = parser.parse_args(argv)
    server = FixtureServer().start()
    world_from_file(args.world).install(server)
    server.latency = args.latency
    return int(serve_until_stdin_closes(server))


if __name__ == "__main__":
    raise SystemExit(main())
