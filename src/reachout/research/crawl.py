"""Gather a company brief: the site, its feeds and sitemap, its ATS boards, Wikidata and Wikipedia.

Fetches that do not depend on each other run concurrently: a small event loop in the calling thread
hands independent fetches to a thread pool and reacts to each answer as it arrives (a page names
more pages, a careers page names an ATS board, Wikidata names a Wikipedia page).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

import requests

from reachout import domains
from reachout.errors import BadAnswer, BadInput, LookupFailed
from reachout.http import (
    HTML_TYPES,
    JSON_TYPES,
    TEXT_TYPES,
    XML_TYPES,
    Fetcher,
    HttpConfig,
    Response,
    build_session,
    network_requests,
    now_iso,
)
from reachout.research import feeds, jobs, pages, people, profile, publicdata, site
from reachout.research.brief import Brief, Fact, Hiring, Person, Source
from reachout.research.endpoints import Endpoints
from reachout.research.points import talking_points

FEED_ACCEPT = (*XML_TYPES, *JSON_TYPES, "text/html", *TEXT_TYPES)  # feeds are often mislabelled
MAX_FEEDS = 3
MAX_CHILD_SITEMAPS = 3
MAX_FALLBACK_FEEDS = 4


@dataclass
class Options:
    """How far and how to look; see build_brief."""

    role: str | None = None
    max_pages: int = 12
    name: str | None = None
    endpoints: Endpoints = field(default_factory=Endpoints.from_env)
    workers: int = 24  # threads mostly wait on the network; per-host limits keep it polite
    mail_facts: Callable[[str], list[Fact]] | None = None


def parse_company(company: str, *, allow_private: bool = False) -> tuple[str, str | None]:
    """(registrable domain, explicit origin or None) for a domain, URL or address.

    Special-use names (.test, .internal…) pass only with ALLOW_PRIVATE, like private addresses.
    """
    text = (company or "").strip()
    domain = domains.company_domain(text, allow_private=allow_private)
    if re.match(r"^https?://", text, re.IGNORECASE):
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            raise BadInput(
                f"{text!r} has an invalid port; pass a URL such as http://acme.test:8080/."
            ) from None
        host = (parts.hostname or "").lower()
        netloc = f"{domains.to_ascii(host)}:{port}" if port else domains.to_ascii(host)
        return domain, f"{parts.scheme.lower()}://{netloc}"
    return domain, None


@dataclass
class _Task:
    kind: str
    url: str
    depth: int
    data: dict[str, Any] = field(default_factory=dict)


class _Crawl:
    def __init__(self, domain: str, origin: str | None, fetcher: Fetcher, options: Options):
        self.domain = domain
        self.ascii_domain = domains.to_ascii(domain)
        self.fetcher = fetcher
        self.options = options
        self.endpoints = options.endpoints
        self.api_hosts: tuple[str, ...] = tuple(self.endpoints.hosts())
        self.explicit_origin = origin
        self.origin = origin or f"https://{self.ascii_domain}"
        self.brief = Brief(
            domain=domain,
            origin=self.origin,
            generated_at=now_iso(),
            name=options.name,
            role_keywords=options.role,
        )
        self.seen_urls: set[str] = set()
        self.pages_budget = max(1, options.max_pages)
        self.pages_taken = 0
        self.home_ok = False
        self.home_tried: list[str] = []
        self.feeds_seen: set[str] = set()
        self.boards_seen: set[tuple[str, str]] = set()
        self.addresses: list[tuple[str, str]] = []
        self.people: dict[str, Person] = {}
        self.sightings: list[site.PersonSeen] = []
        self.dates: dict[str, str] = {}
        self.sitemap_candidates: list[str] = []
        self.fallbacks_tried = False
        self.max_depth = 0
        self.page_order: list[str] = []  # home first, then pages in the order they were chosen
        self.public_ok = False
        self._answering = ""  # the URL of the answer being handled (see _cite)
        self._unread = 0  # answers that arrived after the run's time was up
        limits = site.settings()["roles"]
        self.roles_per_source = int(limits.get("max_roles_per_source", 1000))
        self.posts_per_source = int(limits.get("max_posts_per_source", 300))
        self._read_via: dict[str, str] = {}  # a cited URL -> the answer it was read from
        self.said: list[tuple[int, str, profile.Said]] = []  # (page kind's rank, page, what)
        self.job_budget = int(site.settings()["roles"].get("max_job_pages", 15))
        self.job_pages: list[str] = []
        self.careers_pages: list[str] = []
        self.boards_asked: list[str] = []
        self.workday_postings: set[str] = set()  # API URLs of the Workday postings listed
        self.workday_details = 0  # Workday postings read in full
        self.titles: list[tuple[str, str]] = []  # (page, <title>), the home page's first

    # ------------------------------------------------------------------ driver
    def run(self) -> Brief:
        started = time.monotonic()
        pending: dict[Future[Response], _Task] = {}
        with ThreadPoolExecutor(
            max_workers=self.options.workers, thread_name_prefix="reachout-brief"
        ) as pool:

            def submit(task: _Task) -> None:
                self.max_depth = max(self.max_depth, task.depth)
                pending[pool.submit(self._fetch, task)] = task

            self._submit = submit
            submit(_Task("robots", self.origin + "/robots.txt", 1))
            # Start the pool's threads while robots.txt is in flight, not when pages are due.
            for _ in range(self.options.workers):
                pool.submit(time.sleep, 0)
            if "wikidata" not in self.endpoints.disabled:
                query = publicdata.sparql_query(self.ascii_domain, self.explicit_origin)
                submit(
                    _Task(
                        "wikidata-search",
                        self.endpoints.wikidata_sparql,
                        1,
                        {"params": {"query": query, "format": "json"}},
                    )
                )
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    try:
                        response = future.result()
                    except Exception as exc:
                        # A source that fails in a way nobody foresaw costs only itself: a note.
                        error = f"could not be read ({type(exc).__name__}: {exc})"[:300]
                        response = Response(task.url, error=error, fetched_at=now_iso())
                    if self._time_up() and response.ok:
                        # --max-time bounds the whole run, reading included, not only fetches:
                        # an answer to read is listed, not read (a failure is still noted).
                        self._source(task, response)
                        self._unread += 1
                        continue
                    self._handle(task, response)
                if not pending and not self._time_up():
                    self._after_quiet()
        self._finish(time.monotonic() - started)
        return self.brief

    def _time_up(self) -> bool:
        """The run's --max-time is spent: what is still arriving is listed, not read."""
        return time.monotonic() >= self.fetcher.run_until

    def _fetch(self, task: _Task) -> Response:
        if task.kind == "robots":
            rules = self.fetcher.robots(task.url)
            assert rules.response is not None
            return rules.response
        site_kinds = {"home", "page", "sitemap", "feed"}
        accept: tuple[str, ...] | None = {
            "home": HTML_TYPES,
            "page": HTML_TYPES,
            "sitemap": (*XML_TYPES, *TEXT_TYPES),
            "feed": FEED_ACCEPT,
        }.get(task.kind, JSON_TYPES)
        headers = {"Accept": "application/json"} if task.kind not in site_kinds else None
        api_hosts = self.api_hosts
        # The company's pages and feeds, and a board that is a career site's page or feed rather
        # than a documented API (Teamtailor's jobs.rss), obey robots.txt (RFC 9309).
        website = task.kind in site_kinds
        if task.kind in {"ats", "workday-job"}:
            # The URL came from the endpoints (a Personio or Recruitee account has its own host).
            api_hosts = (*api_hosts, (urlsplit(task.url).hostname or "").lower())
            website = not jobs.documented_api(task.data.get("provider", ""))
            if task.data.get("provider") in {"personio", "teamtailor"}:  # XML feeds
                accept, headers = (*XML_TYPES, *TEXT_TYPES), None
        if task.data.get("provider") == "workday" and task.kind == "ats":
            # A Workday job site is the employer's website, not a published API (no api_docs).
            # The search is a POST (cached like a GET: see reachout.http.build_session). Its path
            # is seldom named in robots.txt, but the job site often is: a site the tenant keeps
            # robots out of is not searched either.
            job_site = jobs.workday_site_path(task.url, task.data["board"], task.data["link"])
            rules = self.fetcher.robots(task.url)
            if not rules.allowed(job_site, self.fetcher.config.user_agent):
                return Response(task.url, error=rules.refusal(job_site), fetched_at=now_iso())
            return self.fetcher.post(
                task.url,
                json_body=jobs.workday_search(task.data.get("search", "")),
                robots=website,
                allow_hosts=api_hosts,
                headers=headers,
            )
        response = self.fetcher.fetch(
            task.url,
            accept=accept,
            robots=website,
            allow_hosts=() if task.kind in site_kinds else api_hosts,
            params=task.data.get("params"),
            headers=headers,
        )
        if task.kind in {"home", "page"} and response.ok:
            # Parse here, in the worker, so the next fetches go out as soon as possible.
            url = response.final_url or response.url
            task.data["page"] = self._parse(task, response.text, url)
        return response

    def _parse(self, task: _Task, text: str, url: str) -> site.Page:
        home = task.kind == "home"
        if task.data.get("job"):
            return site.parse_page(text, url, self.ascii_domain, people=False)
        return site.parse_page(
            text,
            url,
            self.ascii_domain,
            # Team pages, and careers pages (their recruiters), name people.
            people=home
            or _page_is(task.url, task.data, "people_keywords")
            or "careers" in pages.page_roles(task.url, str(task.data.get("text", "")))
            or pages.careers_host(task.url),
            posts=_page_is(task.url, task.data, "posts_keywords"),
            legal=_page_is(task.url, task.data, "legal_keywords"),
            footer=home,  # "Registered in England and Wales, company number …" and the like
        )

    def _source(self, task: _Task, response: Response) -> None:
        kind = {
            "home": "page",
            "wikidata-search": "wikidata",
            "wikidata-item": "wikidata",
            "wikidata-labels": "wikidata",
            "workday-job": "ats",
        }.get(task.kind, task.kind)
        # The URL the answer came from (after redirects) is the one the brief's items cite.
        final = response.final_url or response.url
        self.brief.sources.append(
            Source(
                final,
                kind,
                response.fetched_at,
                response.status,
                response.from_cache,
                response.error,
                redirected_from=response.url if final != response.url else None,
            )
        )

    def _note(self, text: str) -> None:
        if text not in self.brief.notes:
            self.brief.notes.append(text)

    def _cite(self, url: str) -> str:
        """URL, cited for what the answer being handled says: when it is not that answer's own
        URL (a Wikidata item's page for its API answer), the sources list it as read through it."""
        if url != self._answering and self._answering:
            self._read_via.setdefault(url, self._answering)
        return url

    def _fact(self, key: str, value: Any, source: str, kind: str = "site") -> None:
        source = self._cite(source)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        text = site.page_text(str(value), 1200) if value not in (None, "") else ""
        if text:
            self.brief.facts.append(Fact(key, text, source, kind))

    # ------------------------------------------------------------------ handlers
    def _handle(self, task: _Task, response: Response) -> None:
        self._source(task, response)
        if response.ok and response.final_url and task.kind not in {"robots", "home"}:
            # What it says is cited by the URL that said it, as the sources list holds it.
            task = replace(task, url=response.final_url)
        handler = getattr(self, "_on_" + task.kind.replace("-", "_"))
        self._answering = response.final_url or response.url
        try:
            handler(task, response)
        except BadAnswer as exc:  # the answer is not in its API's shape: says which source
            self._note(str(exc)[:300])
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError) as exc:
            # A source that answers in an unexpected shape costs only itself (its answers are
            # decoded with limits; this is the net under what reads them).
            self._note(f"{task.url}: unexpected answer ({type(exc).__name__}: {exc})"[:300])
        finally:
            self._answering = ""

    def _on_robots(self, task: _Task, response: Response) -> None:
        # robots.txt first (RFC 9309); then the home page and the sitemaps it names, side by side.
        self._submit(_Task("home", self.origin + "/", task.depth + 1))
        rules = self.fetcher.robots(task.url)
        if rules.answered and not rules.disallow_all:
            for url in self._robots_sitemaps():
                self._submit(_Task("sitemap", url, task.depth + 1))

    def _on_home(self, task: _Task, response: Response) -> None:
        if not response.ok:
            self.home_tried.append(f"{task.url} ({response.error})")
            # A bare domain: try www. and plain http before giving up, as a browser would.
            rules = self.fetcher.robots(task.url)
            # Worth another origin unless robots.txt answered and forbids the page.
            refused = rules.answered and not rules.allowed(task.url, self.fetcher.config.user_agent)
            unreachable = response.status is None and not refused
            if self.explicit_origin is None and unreachable:
                options = [f"https://www.{self.ascii_domain}", f"http://{self.ascii_domain}"]
                for candidate in options:
                    if candidate + "/" not in {t.split(" ")[0] for t in self.home_tried}:
                        self._submit(_Task("home", candidate + "/", task.depth))
                        return
            self._note(f"Home page: {response.error}")
            return
        self.home_ok = True
        final = response.final_url or response.url
        parts = urlsplit(final)
        self.origin = self.brief.origin = f"{parts.scheme}://{parts.netloc}"
        self.seen_urls.add(_key(final))
        self.seen_urls.add(_key(task.url))
        self.pages_taken += 1
        self.page_order.insert(0, final)
        page = self._read_page(task, response)
        # Pages first (a careers page leads on to an ATS), then the leaves: feeds.
        self._take_pages(self._rank_links(page), task.depth + 1)
        self._take_jobs(page, task, task.depth + 1)
        self._take_feeds(page, task.depth + 1)

    def _on_page(self, task: _Task, response: Response) -> None:
        if not response.ok:
            self._note(f"{task.url}: {response.error}")
            return
        page = self._read_page(task, response)
        if task.data.get("job"):
            return  # a job page's links lead to its application form, not to more of the site
        # Pages linked from an about/team page (e.g. /company/leadership) are worth a look too.
        self._take_pages(self._rank_links(page), task.depth + 1)
        self._take_jobs(page, task, task.depth + 1)
        self._take_feeds(page, task.depth + 1)

    def _kind(self, task: _Task, url: str) -> str:
        """The part this page plays on the site: home, job, careers, about, mission…"""
        if task.kind == "home":
            return "home"
        if task.data.get("job"):
            return "job"
        if pages.careers_host(url) and not urlsplit(url).path.strip("/"):
            return "careers"
        kinds = pages.page_roles(url, str(task.data.get("text", "")))
        return kinds[0] if kinds else "other"

    def _take_jobs(self, page: site.Page, task: _Task, depth: int) -> None:
        """Job pages linked from PAGE: below a careers path at any depth, or, from a careers
        page, links whose text says nothing ("Learn more and Apply") to a deeper page."""
        careers = self._kind(task, page.url) == "careers"
        for link in pages.job_links(page, from_careers=careers):
            if self.job_budget <= 0:
                self._note("More job pages are linked than the brief reads; see the careers page.")
                return
            key = _key(link.url)
            if key in self.seen_urls or not self.fetcher.host_allowed(link.url):
                continue
            rules = self.fetcher.robots(link.url)
            if not rules.allowed(link.url, self.fetcher.config.user_agent):
                continue
            self.seen_urls.add(key)
            self.job_budget -= 1
            self.job_pages.append(link.url)
            self.page_order.append(link.url)
            self._submit(_Task("page", link.url, depth, {"text": link.text, "job": True}))

    def _read_page(self, task: _Task, response: Response) -> site.Page:
        url = response.final_url or response.url
        if response.headers.get("X-Reachout-Charset-Note"):
            self._note(f"{url}: {response.headers['X-Reachout-Charset-Note']}")
        page = task.data.get("page") or self._parse(task, response.text, url)
        for note in page.notes:
            self._note(note)
        if task.kind == "home":
            self._fact("website", self.origin + "/", url)
            if page.site_name and not self.brief.name:
                self._fact("name", page.site_name, url)
            if page.lang:
                self._fact("language", page.lang, url)
        for key, value in (
            ("meta_description", page.description),
            ("og_description", page.og.get("description")),
        ):
            if value and task.kind == "home":
                self._fact(key, value, url)
        org = page.organization
        for key in ("name", "legal_name", "founded", "founders", "address", "employees", "logo"):
            if org.get(key):
                self._fact(key, org[key], url)
        if org.get("description"):
            self._fact("description", org["description"], url)
        # A legal notice states the entity as registered: the surest legal name and address.
        for key, value in page.legal.items():
            if key == "register":
                for entry in value:
                    self._fact(key, entry, url)
            else:
                self._fact(key, value, url)
        for title, link, date in page.posts:
            self.brief.posts.append(feeds.Post(title, link, date, url, "page"))
        kind = self._kind(task, url)
        if kind == "home":
            self.titles.insert(0, (url, page.title or ""))
        elif kind != "job":
            self.titles.append((url, page.title or ""))
        if kind == "careers" and url not in self.careers_pages:
            self.careers_pages.append(url)
        rank = _KIND_RANK.get(kind, len(_KIND_RANK))
        self.said.extend((rank, url, said) for said in profile.said_on(page, kind))
        roles = jobs.roles_from_jsonld(page.postings, url) if page.postings else []
        if not roles and kind == "job":
            found = pages.role_from_page(page)
            if found:
                roles = [jobs.Role(provider="site", url=url, source=url, **found)]
        if not roles and kind == "careers":
            # The careers page's own list: merged with its job pages' and boards' entries later.
            # No URL of their own: `source` (the careers page) is where they are listed.
            roles = [jobs.Role(provider="site", url="", source=url, **found)
                     for found in pages.listed_roles(page)]
        for role in roles:
            role.match = jobs.role_matches(role, self.options.role)
            manager = profile.hiring_manager(role.text)
            if manager and not role.hiring_manager:
                role.hiring_manager = ", ".join(x for x in manager if x)
        self.brief.roles.extend(roles)
        for network, link in page.social.items():
            if network not in self.brief.social:
                self.brief.social[network] = link
                self.brief.social_sources[network] = url
        for address in page.addresses:
            self.addresses.append((address, url))
        # Merged in _finish, in crawl order: pages answer in any order, the brief must not vary.
        self.sightings.extend(page.people + page.legal_people)
        for provider, board, link in page.ats:
            if provider in self.endpoints.disabled or (provider, board) in self.boards_seen:
                continue
            self.boards_seen.add((provider, board))
            self.boards_asked.append(jobs.board_name(provider, board))
            api = jobs.api_url(provider, board, self.endpoints, link=link)
            data = {"provider": provider, "board": board, "link": link}
            self._submit(_Task("ats", api, task.depth + 1, data))
            if provider == "workday" and self.options.role:
                # A Workday site of a large employer lists thousands of roles, 20 per answer:
                # also ask its search for --role, as a visitor would.
                self._submit(_Task("ats", api, task.depth + 1, {**data, "search": self.options.role}))
        return page

    def _take_feeds(self, page: site.Page, depth: int) -> None:
        for feed_url in page.feeds:
            self._take_feed(feed_url, depth)

    def _take_feed(self, url: str, depth: int, *, fallback: bool = False) -> None:
        if len([f for f in self.feeds_seen]) >= MAX_FEEDS and not fallback:
            return
        key = _key(url)
        if key in self.feeds_seen or not self.fetcher.host_allowed(url):
            return
        self.feeds_seen.add(key)
        self._submit(_Task("feed", url, depth, {"fallback": fallback}))

    def _rank_links(self, page: site.Page) -> list[tuple[str, str]]:
        keywords = [str(k) for k in site.settings()["pages"]["keywords"]]
        ranked: list[tuple[float, str, str]] = []
        for link in page.links:
            if not self.fetcher.host_allowed(link.url) or _key(link.url) in self.seen_urls:
                continue
            path = pages.fold(unquote(urlsplit(link.url).path))
            if re.search(r"\.(pdf|jpe?g|png|gif|svg|zip|mp4|docx?|xlsx?)$", path):
                continue
            segments = [s for s in path.split("/") if s]
            if len(segments) > 3 or pages.is_job_url(link.url):
                continue  # job pages are taken on their own budget (_take_jobs)
            # The last segment names the page (/company/leadership, /de/ueber-uns); an earlier one
            # only its section: /presse/werk-in-leipzig is one release, not the press page.
            last = segments[-1] if segments else ""
            words = set(re.split(r"[^a-z]+", last + " " + pages.fold(link.text)))
            words |= {re.sub(r"\.(html?|php|aspx?)$", "", last)}
            joined = "/".join(segments)
            score: float | None = next(
                (i for i, k in enumerate(keywords) if k in words or k == joined), None
            )
            if score is None:
                # The wider word lists (mission, values, products, services… in several
                # languages), or a careers subdomain's home.
                kinds = pages.page_roles(link.url, link.text)
                if pages.careers_host(link.url) and not segments:
                    kinds = ["careers"]
                if kinds:
                    score = len(keywords) + _KIND_RANK.get(kinds[0], 9)
            elif len(segments) > 2:
                score += len(keywords)  # deep pages after the top-level ones
            if score is not None:
                # The site's own navigation says what its main pages are: those first.
                ranked.append((score - (0.5 if link.chrome else 0), link.url, link.text))
        ranked.sort(key=lambda r: r[0])
        return [(url, text) for _, url, text in ranked]

    def _take_pages(self, links: list[tuple[str, str]], depth: int) -> None:
        chosen: list[tuple[str, str]] = []
        for url, text in links:
            if self.pages_taken >= self.pages_budget:
                break
            key = _key(url)
            if key in self.seen_urls:
                continue
            self.seen_urls.add(key)
            # robots.txt is known by now (the home page needed it): a disallowed page costs nothing.
            rules = self.fetcher.robots(url)
            if not rules.allowed(url, self.fetcher.config.user_agent):
                self._note(f"Skipped {url}: {rules.refusal(url)}")
                continue
            self.pages_taken += 1
            chosen.append((url, text))
        # Chosen by interest; fetched careers-first, since those pages lead on to ATS boards.
        leads = re.compile(r"career|job|join|work-with-us|hiring", re.IGNORECASE)
        chosen.sort(key=lambda link: not leads.search(link[0] + " " + link[1]))
        self.page_order.extend(url for url, _ in chosen)
        for url, text in chosen:
            self._submit(_Task("page", url, depth, {"text": text}))

    def _robots_sitemaps(self) -> list[str]:
        rules = self.fetcher.robots(self.origin + "/")
        listed = [u for u in rules.sitemaps() if self.fetcher.host_allowed(u)]
        return listed[:MAX_CHILD_SITEMAPS] or [self.origin + "/sitemap.xml"]

    def _on_sitemap(self, task: _Task, response: Response) -> None:
        if not response.ok:
            if response.status != 404:
                self._note(f"Sitemap {task.url}: {response.error}")
            return
        entries, children = feeds.parse_sitemap(response.content or response.text.encode())
        for entry in entries:
            if entry.lastmod:
                self.dates[entry.url.rstrip("/")] = entry.lastmod
        self.brief.posts.extend(
            self._few_posts(feeds.posts_from_sitemap(entries, task.url), f"Sitemap {task.url}")
        )
        if task.data.get("child", 0) < 1:
            # A big site's index lists dozens (products, tags, authors…): news, posts and pages
            # first, since those name what the brief needs.
            children = sorted(children, key=_sitemap_rank)
            for child in children[:MAX_CHILD_SITEMAPS]:
                if self.fetcher.host_allowed(child) and _key(child) not in self.seen_urls:
                    self.seen_urls.add(_key(child))
                    self._submit(_Task("sitemap", child, task.depth + 1, {"child": 1}))
        keywords = [str(k) for k in site.settings()["pages"]["keywords"]]
        for entry in entries:
            segments = [s for s in pages.fold(unquote(urlsplit(entry.url).path)).split("/") if s]
            if 0 < len(segments) <= 1 and segments[0] in keywords:
                self.sitemap_candidates.append(entry.url)

    def _on_feed(self, task: _Task, response: Response) -> None:
        if not response.ok:
            if not task.data.get("fallback"):
                self._note(f"Feed {task.url}: {response.error}")
            return
        posts, problem = feeds.parse_feed(response.content or response.text.encode(), task.url)
        if problem and not task.data.get("fallback"):
            self._note(problem)
        self.brief.posts.extend(self._few_posts(posts, f"Feed {task.url}"))

    def _on_ats(self, task: _Task, response: Response) -> None:
        provider, board = task.data["provider"], task.data["board"]
        if not response.ok:
            self._note(f"{jobs.board_name(provider, board)}: {response.error}")
            return
        roles = jobs.parse_roles(provider, board, response.text, task.url,
                                 link=task.data.get("link", ""), fetched_at=response.fetched_at,
                                 notes=self.brief.notes)
        roles = self._few_roles(roles, jobs.board_name(provider, board))
        if provider == "workday":
            # The search for --role finds postings the plain search found too: the same posting
            # (its API URL) is one role.
            roles = [r for r in roles if not r.detail or r.detail not in self.workday_postings]
            self.workday_postings.update(r.detail for r in roles)
        for role in roles:
            self._describe_role(role)
        self.brief.roles.extend(roles)
        if provider == "workday":
            self._take_workday_details(task, roles)

    def _few_roles(self, roles: list[jobs.Role], where: str) -> list[jobs.Role]:
        """At most max_roles_per_source of one answer's ROLES, those matching --role first, in
        the source's order: the work on one source stays bounded whatever it lists."""
        if len(roles) <= self.roles_per_source:
            return roles
        for role in roles:
            role.match = jobs.role_matches(role, self.options.role)
        kept = sorted(roles, key=lambda role: not role.match)[: self.roles_per_source]
        self._note(f"{where}: {len(roles):,} roles listed; the first {len(kept):,} were read.")
        return kept

    def _few_posts(self, posts: list[feeds.Post], where: str) -> list[feeds.Post]:
        """At most max_posts_per_source of one answer's POSTS, the newest (a brief names a few)."""
        if len(posts) <= self.posts_per_source:
            return posts
        kept = feeds.newest_first(posts, {})[: self.posts_per_source]
        self._note(f"{where}: {len(posts):,} posts listed; the newest {len(kept):,} were read.")
        return kept

    def _describe_role(self, role: jobs.Role) -> None:
        role.match = jobs.role_matches(role, self.options.role)
        manager = profile.hiring_manager(role.text)
        if manager:
            role.hiring_manager = ", ".join(x for x in manager if x)

    def _take_workday_details(self, task: _Task, roles: list[jobs.Role]) -> None:
        """Read the full posting of the first few roles (matches, then newest), within the job
        pages' budget: Workday's search answer has no team, description or employment type."""
        limit = int(site.settings()["roles"].get("max_workday_details", 5))
        chosen = sorted((r for r in roles if r.detail),
                        key=lambda r: (not r.match, "~" if r.posted is None else jobs.neg(r.posted)))
        for role in chosen[: max(0, min(limit - self.workday_details, self.job_budget))]:
            self.workday_details += 1
            self.job_budget -= 1
            self._submit(_Task("workday-job", role.detail, task.depth + 1,
                               {"provider": "workday", "board": task.data["board"], "role": role}))

    def _on_workday_job(self, task: _Task, response: Response) -> None:
        role: jobs.Role = task.data["role"]
        if not response.ok:
            self._note(f"Workday posting {role.title!r}: {response.error}")
            return
        jobs.workday_detail(role, response.text, response.fetched_at, self.brief.notes)
        self._describe_role(role)

    def _on_wikidata_search(self, task: _Task, response: Response) -> None:
        if not response.ok:
            self._note(f"Wikidata: {response.error}")
            return
        items = publicdata.items_from_sparql(response.text, self.brief.notes)
        if not items:
            return
        if len(items) > 1:
            self._note(
                f"Wikidata has {len(items)} items with this website ({', '.join(items)}); "
                f"using {items[0]}"
            )
        qid = items[0]
        self._submit(
            _Task(
                "wikidata-item",
                self.endpoints.wikidata_api,
                task.depth + 1,
                {
                    "qid": qid,
                    "params": {
                        "action": "wbgetentities",
                        "ids": qid,
                        "format": "json",
                        "props": "labels|descriptions|claims|sitelinks",
                        "languages": "en",
                        "sitefilter": "enwiki",
                    },
                },
            )
        )

    def _on_wikidata_item(self, task: _Task, response: Response) -> None:
        if not response.ok:
            self._note(f"Wikidata item {task.data['qid']}: {response.error}")
            return
        item = publicdata.parse_entity(response.text, task.data["qid"], self.brief.notes)
        self.public_ok = True
        page_url = f"https://www.wikidata.org/wiki/{item.qid}"
        self._wikidata_url = page_url
        self._fact("wikidata", item.qid, page_url, "wikidata")
        if item.label:
            self._fact("name", item.label, page_url, "wikidata")
        if item.description:
            self._fact("wikidata_description", item.description, page_url, "wikidata")
        self._wikidata_item = item
        for network, link in item.social.items():
            if network not in self.brief.social:
                self.brief.social[network] = link
                self.brief.social_sources[network] = self._cite(page_url)
        ids = item.referenced_ids()
        if ids:
            self._submit(
                _Task(
                    "wikidata-labels",
                    self.endpoints.wikidata_api,
                    task.depth + 1,
                    {
                        "params": {
                            "action": "wbgetentities",
                            "ids": "|".join(ids[:50]),
                            "format": "json",
                            "props": "labels",
                            "languages": "en",
                        }
                    },
                )
            )
        else:
            self._wikidata_facts({})
        if item.enwiki and "wikipedia" not in self.endpoints.disabled:
            self._submit(
                _Task(
                    "wikipedia",
                    publicdata.summary_url(self.endpoints.wikipedia, item.enwiki),
                    task.depth + 1,
                )
            )

    def _on_wikidata_labels(self, task: _Task, response: Response) -> None:
        labels: dict[str, str] = {}
        if not response.ok:
            self._note(f"Wikidata labels: {response.error}")
        else:
            try:
                labels = publicdata.labels_from_entities(response.text, self.brief.notes)
            except BadAnswer as exc:  # the item's own facts (dates, counts) still count
                self._note(str(exc))
        self._wikidata_facts(labels)

    def _wikidata_facts(self, labels: dict[str, str]) -> None:
        item = self._wikidata_item
        for key, values in item.claims.items():
            named = [labels.get(v, "") if re.fullmatch(r"Q\d+", str(v)) else str(v) for v in values]
            named = [n for n in named if n]
            if named:
                self._fact(
                    key,
                    named if key in {"founders", "industry"} else named[0],
                    self._wikidata_url,
                    "wikidata",
                )

    def _on_wikipedia(self, task: _Task, response: Response) -> None:
        if not response.ok:
            self._note(f"Wikipedia: {response.error}")
            return
        summary = publicdata.parse_summary(response.text, task.url, self.brief.notes)
        if summary:
            self.public_ok = True
            self._fact("wikipedia_summary", summary.extract, summary.url, "wikipedia")

    def _learn_format_and_mail(self) -> None:
        brief = self.brief
        try:
            brief.address_format = people.likely_format(
                self.domain, people.known_pairs(brief.addresses)
            )
        except (
            Exception
        ) as exc:  # the guesser is another module: its failure must not cost the brief
            self._note(f"Address format could not be learnt: {exc}")
        if self.options.mail_facts is not None:
            try:
                brief.facts.extend(self.options.mail_facts(self.domain))
            except Exception as exc:
                self._note(f"Mail setup could not be checked: {exc}")

    def _list_read_through(self) -> None:
        """Every URL the brief cites is in its sources: one cited for an answer read from another
        URL (a Wikidata or Wikipedia page, read through their APIs) is listed as read through it."""
        listed = {source.url: source for source in self.brief.sources}
        for cited, through in self._read_via.items():
            answer = listed.get(through)
            if cited not in listed and answer is not None:
                listed[cited] = replace(answer, url=cited, redirected_from=None, read_via=through)
                self.brief.sources.append(listed[cited])

    def _after_quiet(self) -> None:
        """Nothing in flight: spend what is left on sitemap pages, then try common feed paths."""
        if self.home_ok and self.sitemap_candidates and self.pages_taken < self.pages_budget:
            candidates, self.sitemap_candidates = self.sitemap_candidates, []
            self._take_pages([(u, "") for u in candidates], self.max_depth + 1)
            return
        if (
            self.home_ok
            and not self.fallbacks_tried
            and not any(
                p.source in self.feeds_seen or _key(p.source) in self.feeds_seen
                for p in self.brief.posts
            )
            and not self._feed_found()
        ):
            self.fallbacks_tried = True
            for path in site.settings()["pages"]["feed_fallbacks"][:MAX_FALLBACK_FEEDS]:
                self._take_feed(self.origin + path, self.max_depth + 1, fallback=True)

    def _feed_found(self) -> bool:
        return any(
            s.kind == "feed" and s.error is None and s.status == 200 for s in self.brief.sources
        )

    # ------------------------------------------------------------------ the brief
    def _roles_searched(self) -> list[str]:
        """Where the brief looked for open roles, so that "none found" says where."""
        places = [f"careers page {u}" for u in self.careers_pages]
        if self.job_pages:
            places.append(f"{len(self.job_pages)} job page(s) linked from them")
        places += self.boards_asked
        if self.home_ok:
            places.append(f"home page {self.page_order[0] if self.page_order else self.origin}")
        if not self.careers_pages:
            places.append("no careers page was linked from the pages read")
        return places

    def _glance_facts(self) -> None:
        """The best statement per key: about and mission pages over the home page over careers;
        offerings and funding keep every distinct one (a few)."""
        rank = {url: i for i, url in enumerate(self.page_order)}
        # The most specific type stated anywhere wins: a non-profit may also call itself a company.
        specific = list(site.settings()["glance"]["org_type"])
        ordered = sorted(self.said, key=lambda x: (
            specific.index(x[2].value) if x[2].key == "org_type" and x[2].value in specific else 0,
            x[0],
            rank.get(x[1], len(rank)),
        ))
        taken: dict[str, int] = {}
        for _, url, said in ordered:
            limit = 8 if said.key == "offerings" else 3 if said.key == "funding" else 1
            if taken.get(said.key, 0) >= limit:
                continue
            if any(f.key == said.key and f.value == said.value for f in self.brief.facts):
                continue
            taken[said.key] = taken.get(said.key, 0) + 1
            self.brief.facts.append(Fact(said.key, said.value, url, "site", said.quote))

    def _hiring(self) -> list[Hiring]:
        """People in recruiting, talent or HR, and each job post's named hiring manager, with the
        likely address of each from the guesser (which learns from the site's own addresses)."""
        found: dict[str, Hiring] = {}
        for person in self.brief.people:
            if profile.is_hiring_title(person.title):
                found.setdefault(person.name.lower(), Hiring(
                    person.name, person.title, profile.department(person.title), person.source,
                    address=person.address,
                ))
        for role in self.brief.roles:
            if not role.hiring_manager:
                continue
            name, _, title = role.hiring_manager.partition(", ")
            if name.lower() not in found:
                known_person = next(
                    (p for p in self.brief.people if p.name.lower() == name.lower()), None
                )
                found[name.lower()] = Hiring(
                    name, title or (known_person.title if known_person else "Hiring manager"),
                    role.team or "—", role.url or role.source, hires_for=role.title,
                    address=known_person.address if known_person else None,
                )
        known = people.known_pairs(self.brief.addresses)
        for hirer in list(found.values())[:20]:  # a big recruiting team: the first twenty
            if hirer.address:
                hirer.address_kind = "seen on the site"
                continue
            guessed = _guess_address(hirer.name, self.domain, known,
                                     self.fetcher.config.allow_private)
            if guessed:
                hirer.address, hirer.confidence = guessed
                hirer.address_kind = "guessed"
        return list(found.values())[:20]

    def _finish(self, elapsed: float) -> None:
        brief = self.brief
        self._list_read_through()
        if not self.home_ok:
            if self.home_tried:
                self._note("Home page unreachable: " + "; ".join(self.home_tried))
            # "Nothing reachable": no source gave any HTTP answer at all (a 500 or a robots.txt
            # that forbids everything is an answer: the brief then says what failed).
            if (
                not self.public_ok
                and not any(s.status for s in brief.sources)
                and not self.fetcher.robots_answered()
            ):
                raise LookupFailed(
                    f"Nothing about {self.domain} could be fetched: "
                    + ("; ".join(self.home_tried) or "no source answered")
                    + ". Check the domain, or use --offline only after a successful run."
                )
        if not brief.facts_for("name") and self.titles:
            home_url, home_title = self.titles[0]
            named = pages.name_from_titles(home_title, [t for _, t in self.titles[1:] if t])
            if named:
                self._fact("name", named, home_url)
        if not brief.name:
            names = brief.facts_for("name")
            brief.name = names[0].value if names else None
        brief.roles = jobs.sort_roles(brief.roles)
        # A job post is not news: a sitemap or a feed may list the job pages among its entries.
        role_urls = {_key(u) for r in brief.roles for u in (r.url, *r.also_listed) if u}
        role_titles = {jobs.title_key(r.title) for r in brief.roles}
        brief.posts = [
            p for p in brief.posts
            if _key(p.url) not in role_urls
            and not pages.is_job_url(p.url)
            and not pages.job_post_title(p.title, role_titles)
        ]
        brief.posts = feeds.newest_first(brief.posts, self.dates)
        brief.roles_searched = self._roles_searched()
        self._glance_facts()
        # Answers arrive in any order; the brief must not. Site pages in crawl order, then the rest.
        rank = {url: i for i, url in enumerate(self.page_order)}
        for seen in sorted(self.sightings, key=lambda p: rank.get(p.url, len(rank))):
            known = self.people.get(seen.name.lower())
            if known is None:
                self.people[seen.name.lower()] = Person(
                    seen.name, seen.title, seen.url, seen.address, seen.profile
                )
            else:
                known.address = known.address or seen.address
                known.profile = known.profile or seen.profile
        brief.people = sorted(self.people.values(), key=lambda p: rank.get(p.source, len(rank)))
        found = sorted(enumerate(self.addresses), key=lambda x: (rank.get(x[1][1], len(rank)), x[0]))
        brief.addresses = people.classify([pair for _, pair in found], brief.people)
        kinds = ["site", "wikidata", "wikipedia", "mail"]
        brief.facts.sort(key=lambda f: (kinds.index(f.kind) if f.kind in kinds else len(kinds),
                                        rank.get(f.source, len(rank))))
        networks = list(dict.fromkeys(site.settings()["social"].values()))
        order = sorted(brief.social, key=lambda n: networks.index(n) if n in networks else 99)
        brief.social = {n: brief.social[n] for n in order}
        if self._unread:
            self._note(f"The run's {self.fetcher.config.run_deadline:g} s (--max-time) were up: "
                       f"{self._unread} answer(s) that arrived later were not read.")
        # Stages past this point are skipped once the time is up: the brief is printed as it is.
        if self._time_up():
            self._note("Address format and mail setup were skipped: the run's time was up.")
        else:
            self._learn_format_and_mail()
        brief.hiring = self._hiring()
        brief.tech_stack = profile.tech_stack(
            [(r.text, r.url or r.source) for r in brief.roles if r.text]
        )
        brief.talking_points = talking_points(brief)
        brief.stats = {
            "requests": self.fetcher.requests,
            "network_requests": network_requests(self.fetcher.session),
            "pages": self.pages_taken,
            "critical_path": self.max_depth,
            "elapsed_s": round(elapsed, 3),
        }


_KIND_RANK = {
    kind: i
    for i, kind in enumerate(("about", "mission", "home", "careers", "team", "products", "job"))
}


def _sitemap_rank(url: str) -> int:
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    for rank, word in enumerate(("news", "post", "blog", "press", "page")):
        if word in name:
            return rank
    return 9


def _key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/') or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _page_is(url: str, data: dict[str, Any], kind: str) -> bool:
    """Whether URL (and the text of the link to it) names a page of KIND (research.toml)."""
    path = pages.fold(unquote(urlsplit(url).path))
    text = path + " " + pages.fold(str(data.get("text", "")))
    words = set(re.split(r"[^a-z]+", text)) | {s for s in path.split("/") if s}
    words |= {re.sub(r"\.(html?|php|aspx?)$", "", s) for s in path.split("/") if s}
    return bool(words & {str(k) for k in site.settings()["pages"][kind]})


def _guess_address(
    name: str, domain: str, known: list[tuple[str, str]], allow_private: bool
) -> tuple[str, float] | None:
    """The guesser's best address for NAME at DOMAIN, learning from KNOWN (name, address) pairs;
    None when it cannot say (the guesser is another module: its failure costs only this line)."""
    try:
        import reachout

        result = reachout.guess(name, domain, known=known, top=1, roles=False,
                                allow_private=allow_private, site_addresses=False)
    except Exception:
        return None
    best = result.personal[:1]
    return (best[0].address, round(best[0].confidence, 2)) if best else None


def build_brief(
    company: str,
    *,
    role: str | None = None,
    max_pages: int = 12,
    name: str | None = None,
    allow_private: bool = False,
    offline: bool = False,
    refresh: bool = False,
    session: requests.Session | None = None,
    config: HttpConfig | None = None,
    endpoints: Endpoints | None = None,
    resolve: dict[tuple[str, int], str] | None = None,
    mail_facts: Callable[[str], list[Fact]] | None = None,
) -> Brief:
    """Research COMPANY (domain, URL or address) and return a sourced Brief.

    Raises BadInput for an unusable COMPANY and LookupFailed when nothing at all could be fetched.
    SESSION, when given, must come from reachout.http.build_session (its config then rules).
    """
    if max_pages < 1:
        raise BadInput("--max-pages must be at least 1.")
    if session is not None:
        config = getattr(session, "reachout_config", None) or config
    if config is None:
        config = HttpConfig.from_env(allow_private=allow_private, offline=offline, refresh=refresh)
        if resolve:
            config.resolve.update(resolve)
    domain, origin = parse_company(company, allow_private=config.allow_private)
    options = Options(
        role=_one_line(role, "--role"),
        max_pages=max_pages,
        name=_one_line(name, "--name"),
        endpoints=endpoints or Endpoints.from_env(),
        mail_facts=mail_facts,
    )
    own = session is None
    session = session or build_session(config)
    fetcher = Fetcher(session, config, allowed_domains=[domains.to_ascii(domain)])
    try:
        return _Crawl(domain, origin, fetcher, options).run()
    finally:
        if own:
            session.close()


def _one_line(text: str | None, what: str) -> str | None:
    """A user-given label on one line, without control characters; None if empty.

    Undecodable bytes (lone surrogates) are refused: no UTF-8 file can hold them.
    """
    if text is None:
        return None
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise BadInput(
            f"{what} {text[:60]!r} holds bytes that are not UTF-8; type it again, or set the "
            "terminal's encoding to UTF-8."
        )
    flat = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in text)
    return " ".join(flat.split()) or None
