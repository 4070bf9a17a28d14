"""Addresses the company's own pages show: staff, contact, press and newsroom pages (media contacts).

A saved `reachout brief` of the domain already holds them (its people and addresses, with the page
each came from): then nothing is fetched. Otherwise the home page and the few pages whose links say
press, newsroom, media, contact, team or about are read (robots.txt obeyed), and each address at the
domain is paired with the person the page names for it: by the page's people (schema.org, staff
cards), else by a name next to it that its local part spells (a press release's "Media contact:
Jane Doe, jane.doe@acme.com").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from reachout.evidence.hits import Hit, SourceRun, iso_date

if TYPE_CHECKING:
    from reachout.http import Response
    from reachout.research.brief import Person
    from reachout.research.site import Link, Page

NAME = "site"
# Words of a page's link (its last path segment or its text) that lead to named addresses, most
# promising first (several languages' press and contact pages).
_PAGE_WORDS = (
    "press", "presse", "prensa", "stampa", "newsroom", "media", "medien", "contact", "contacts",
    "kontakt", "contacto", "contatti", "team", "people", "staff", "leadership", "management",
    "about", "impressum", "imprint", "legal",
)
_NAME_NEAR = re.compile(r"\b([A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|van|von|de|da|del|der|la|le)){1,3})")


@dataclass
class SiteFindings:
    """The hits of the site and the GitHub organisation it links to, if any."""

    hits: list[Hit] = field(default_factory=list)
    github_org: str | None = None


def gather(run: SourceRun, *, pages: int = 3) -> SiteFindings:
    """Named addresses on RUN's domain: from its saved brief, else from its home page and PAGES more."""
    saved = from_saved_brief(run.domain)
    if saved is not None:
        run.note("Read from the saved brief of the domain (nothing fetched).")
        return saved
    return _crawl(run, pages)


def from_saved_brief(domain: str) -> SiteFindings | None:
    """The named personal addresses and GitHub link of DOMAIN's saved brief; None without one."""
    from reachout.briefstore import load_brief
    from reachout.evidence.github import org_from_link

    data = load_brief(domain)
    if data is None:
        return None
    when = iso_date(str(data.get("generated_at") or ""))
    found = SiteFindings()
    for item in data.get("addresses") or []:
        if isinstance(item, dict) and item.get("kind") == "personal" and item.get("person"):
            found.hits.append(Hit(str(item["person"]), str(item.get("address", "")), NAME,
                                  str(item.get("source") or ""), when))
    for item in data.get("social") or []:
        if isinstance(item, dict) and item.get("network") == "github":
            found.github_org = org_from_link(str(item.get("url") or ""))
    return found


def _crawl(run: SourceRun, pages: int) -> SiteFindings:
    from reachout.evidence.github import org_from_link
    from reachout.http import HTML_TYPES

    found = SiteFindings()
    home = (run.origin or f"https://{run.domain}").rstrip("/") + "/"
    page = _read(run, home, run.get(home, accept=HTML_TYPES, site=True), found)
    if page is None:
        return found
    github = page.social.get("github")
    found.github_org = org_from_link(github) if github else None
    # robots.txt is known by now: the promising pages are asked at once.
    links = [(url, None) for url in _promising(page.links, run.domain, home)[:pages]]
    for url, response in run.get_many(links, accept=HTML_TYPES, site=True):
        _read(run, url, response, found)
    return found


def _read(run: SourceRun, url: str, response: Response, found: SiteFindings) -> Page | None:
    """The page RESPONSE holds, its named addresses added to FOUND; None (and a note) without one."""
    from reachout.research.site import parse_page

    if not response.ok:
        run.note(f"{url}: {response.error or 'no answer'}")
        return None
    final = response.final_url or url
    page = parse_page(response.text, final, run.domain)
    found.hits += named_addresses(page, final, run.today or iso_date(response.fetched_at))
    return page


def named_addresses(page: Page, url: str, day: str | None) -> list[Hit]:
    """The personal addresses PAGE (read from URL on DAY) pairs with a person's name."""
    from reachout.research.people import classify

    hits = []
    for item in classify([(a, url) for a in page.addresses], _people(page)):
        person = item.person or _name_near(item.address, page.lines)
        if item.kind == "personal" and person:
            hits.append(Hit(person, item.address, NAME, url, day))
    return hits


def _people(page: Page) -> list[Person]:
    from reachout.research.brief import Person

    return [Person(p.name, p.title, p.url, p.address, p.profile) for p in page.people]


def _promising(links: list[Link], domain: str, home: str) -> list[str]:
    """The page links most likely to show named addresses, best first (on the domain only)."""
    ranked: list[tuple[int, str]] = []
    for link in links:
        parts = urlsplit(link.url)
        host = (parts.hostname or "").lower()
        if host != domain and not host.endswith("." + domain):
            continue
        segments = [s for s in unquote(parts.path).lower().split("/") if s]
        if not segments or len(segments) > 2:
            continue
        words = set(re.split(r"[^a-z]+", segments[-1] + " " + link.text.lower()))
        rank = next((i for i, w in enumerate(_PAGE_WORDS) if w in words), None)
        if rank is not None and link.url.split("#")[0] != home:
            ranked.append((rank, link.url.split("#")[0]))
    return list(dict.fromkeys(url for _, url in sorted(ranked)))


def _name_near(address: str, lines: list[str]) -> str | None:
    """The name on the line of ADDRESS, or the line before, that its local part spells strongly."""
    from reachout.research.people import name_matches

    local = address.split("@", 1)[0]
    for index, line in enumerate(lines):
        if address not in line.lower():
            continue
        for text in (line, lines[index - 1] if index else ""):
            for match in _NAME_NEAR.finditer(text):
                if name_matches(match.group(1), local) == 2:
                    return match.group(1)
    return None
