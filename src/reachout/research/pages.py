"""What part a page plays on a company's site (about, mission, careers, a job page…), told by its
URL's words, the link to it and where that link sits; and a job page read from its structure."""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from reachout.research.site import Link, Page, is_title, page_text, settings

# The order pages are worth reading in: careers first (they lead on to job pages and ATS boards).
ROLE_ORDER = ("careers", "about", "mission", "team", "products", "legal", "press", "contact")
_FILE_SUFFIX = re.compile(r"\.(html?|php|aspx?)$")
_NOT_PAGES = re.compile(r"\.(pdf|jpe?g|png|gif|svg|webp|zip|mp4|docx?|xlsx?|pptx?|ics)$")


def fold(text: str) -> str:
    """Lower-case ASCII, so `Über uns`, `/ueber-uns` and `Équipe` meet the word lists."""
    from anyascii import anyascii

    return anyascii(text).lower()


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    roles = settings()["roles"]
    return {role: frozenset(str(w) for w in roles[role]) for role in ROLE_ORDER}


def _segments(url: str) -> list[str]:
    path = fold(unquote(urlsplit(url).path))
    return [_FILE_SUFFIX.sub("", s) for s in path.split("/") if s]


def _tokens(text: str) -> set[str]:
    """A segment or link text's words, and its hyphenated whole (`work-with-us`)."""
    folded = fold(text).strip()
    return {w for w in re.split(r"[^a-z0-9]+", folded) if w} | {
        re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    }


def page_roles(url: str, text: str = "") -> list[str]:
    """The roles a link names, best first: from its last path segment and its text."""
    segments = _segments(url)
    last = _tokens(segments[-1]) if segments else set()
    said = _tokens(text) if text and len(text) <= 60 else set()
    return [role for role in ROLE_ORDER if (last | said) & _words()[role]]


def careers_host(url: str) -> bool:
    """A careers subdomain: jobs.acme.org, careers.acme.org, karriere.acme.de."""
    label = (urlsplit(url).hostname or "").split(".", 1)[0].lower()
    return label in _words()["careers"]


def is_job_url(url: str) -> bool:
    """A page below a careers page (`/jobs/2023/data-engineer/`, `/karriere/stellen/koch`, any path
    of a careers subdomain) that is not itself a list (a careers word, a page number)."""
    segments = _segments(url)
    careers = _words()["careers"]
    start = 0 if careers_host(url) else None
    for index, segment in enumerate(segments):
        if _tokens(segment) & careers and start is None:
            start = index + 1
    if start is None or start >= len(segments):
        return False
    last = segments[-1]
    if _tokens(last) & careers or re.fullmatch(r"(?:page|p|seite|pagina)?-?\d{0,4}", last):
        return False
    # /careers/benefits, /careers/culture, /jobs/faq: pages about working there, not a job.
    if re.sub(r"[^a-z0-9]+", "-", last).strip("-") in _not_job_words():
        return False
    return not _NOT_PAGES.search(last)


@functools.lru_cache(maxsize=1)
def _not_job_words() -> frozenset[str]:
    words = {str(w) for w in settings()["roles"]["not_job_pages"]}
    for role in ("about", "mission", "team", "press", "contact", "legal"):
        words |= _words()[role]
    return frozenset(words)


def generic_text(text: str) -> bool:
    """Link text that says nothing of its target ("Learn more and Apply", "Mehr erfahren")."""
    words = [w for w in re.split(r"[^a-z]+", fold(text)) if w]
    generic = {str(w) for w in settings()["roles"]["generic_link_words"]} | {
        "and", "und", "et", "y", "the", "this", "role", "job", "here", "about", "us",
    }
    return not words or all(w in generic for w in words)


_APPLY = re.compile(r"\b(?:apply|bewerben|postular|postulate|postuler|solliciteer|aplicar|candidatar)")


def job_links(page: Page, *, from_careers: bool) -> list[Link]:
    """Links of PAGE to job pages: under a careers path, or, from a careers page, a link with
    generic text ("Learn more and Apply") to a deeper page of the same section."""
    found: dict[str, Link] = {}
    base = urlsplit(page.url).path.rstrip("/")
    from_careers = from_careers and bool(base)  # below "/" is the whole site, not a section
    for link in page.links:
        if link.chrome or _NOT_PAGES.search(urlsplit(link.url).path.lower()):
            continue
        target = urlsplit(link.url).path
        deeper = from_careers and target.rstrip("/").startswith(base + "/") and target != base
        # "Apply", "Bewerben", "Postular": from a careers page, a link that says it takes an
        # application leads to a job wherever the site keeps it (/2023/05/grant-writer/).
        apply = from_careers and generic_text(link.text) and bool(_APPLY.search(fold(link.text)))
        if is_job_url(link.url) or (deeper and generic_text(link.text)) or apply:
            found.setdefault(link.url.rstrip("/"), link)
    return list(found.values())


def job_post_title(title: str, role_titles: set[str]) -> bool:
    """Whether a post's TITLE announces a job: it says so ("We are hiring…", "Wir suchen…") or
    it is, or names, one of the open roles (ROLE_TITLES as jobs.title_key gives them)."""
    from reachout.research.jobs import title_key

    if re.search(str(settings()["roles"]["job_post_title"]), title, re.I):
        return True
    key = f" {title_key(title)} "
    return any(f" {role} " in key for role in role_titles if len(role) >= 6)


# ------------------------------------------------------------------------------ a job page
@functools.lru_cache(maxsize=1)
def _labels() -> list[tuple[str, re.Pattern[str]]]:
    return [(key, re.compile(rx, re.I)) for key, rx in settings()["glance"]["job_labels"]]


@functools.lru_cache(maxsize=1)
def salary_pattern() -> re.Pattern[str]:
    return re.compile(settings()["glance"]["salary"], re.I)


_SECTIONS = re.compile(
    r"\b(responsibilit|requirement|qualification|what you.ll|about the role|about you|the role|"
    r"you will|we.re looking|your profile|dein profil|ihr profil|deine aufgaben|ihre aufgaben|"
    r"aufgaben|anforderungen|requisitos|responsabilidades|funciones|tu perfil|ofrecemos|"
    r"missions|profil recherch|what we offer|how to apply)",
    re.I,
)


def role_from_page(page: Page) -> dict[str, Any] | None:
    """A job page's role from its structure: its <h1>, labelled facts (Location:, Salary:,
    Standort:, Ubicación:), a salary range and a work mode in its text. None when the page does
    not read as one job post (no title, or none of a post's sections, salary or location)."""
    from reachout.research.pagedates import text_date

    title = next((text for level, text in page.headings if level == 1), "")
    if not title and page.og.get("title"):
        title = page.og["title"]
    title = page_text(re.split(r"(?<!\s)\s+[|–—]\s+", title)[0], 160)
    if not title or len(title) < 3:
        return None
    found: dict[str, Any] = {"title": title}
    lines = page.lines[:400]
    for index, line in enumerate(lines):
        # "Location: Remote" on one line, or a table's or definition list's "Location" | "Remote".
        following = lines[index + 1] if index + 1 < len(lines) else ""
        for candidate in (line, f"{line.rstrip(':')}: {following}" if len(line) <= 30 else ""):
            for key, pattern in _labels():
                match = pattern.match(candidate) if candidate else None
                if match and key not in found and 0 < len(match.group("v")) <= 160:
                    found[key] = page_text(match.group("v"), 160)
    text = "\n".join(page.lines)
    if "salary" not in found:
        money = salary_pattern().search(text)
        if money:
            found["salary"] = page_text(money.group(0), 80)
    if "posted" in found:
        found["posted"] = text_date(found["posted"]) or None
    from reachout.research.profile import work_mode

    mode = work_mode(found.get("location", "") + " " + text[:6000])
    if mode:
        found["remote"] = mode[0]
    sections = any(_SECTIONS.search(h) for _, h in page.headings) or _SECTIONS.search(text[:8000])
    if not (sections or "salary" in found or "location" in found):
        return None
    if "type" in found:
        found["employment_type"] = found.pop("type")
    found["text"] = text[:20_000]
    return found


def listed_roles(page: Page) -> list[dict[str, Any]]:
    """Roles a careers page lists itself: the headings below its "Open positions" heading (down to
    the next heading of that level) that read as job titles, each with the location, salary and
    work mode of the lines under it."""
    from reachout.research.profile import work_mode

    opening = re.compile(str(settings()["roles"]["openings_heading"]), re.I)
    found: list[dict[str, Any]] = []
    under: int | None = None
    titles: list[str] = []
    for level, text in page.headings:
        if under is not None and level <= under:
            under = None
        if under is None:
            if opening.search(text) and len(text) <= 60:
                under = level
            continue
        if is_title(text) and len(text) <= 100 and not opening.search(text):
            titles.append(text)
    for index, title in enumerate(titles):
        role: dict[str, Any] = {"title": page_text(title, 160)}
        try:
            start = page.lines.index(title) + 1
        except ValueError:
            found.append(role)
            continue
        stop = page.lines.index(titles[index + 1]) if index + 1 < len(titles) else start + 6
        block = [line for line in page.lines[start:stop][:6] if line not in titles]
        text = "\n".join(block)
        role["text"] = text
        money = salary_pattern().search(text)
        if money:
            role["salary"] = page_text(money.group(0), 80)
        mode = work_mode(text)
        if mode:
            role["remote"] = mode[0]
        for line in block:
            for key, pattern in _labels():
                match = pattern.match(line)
                if match and key in {"location", "team"} and key not in role:
                    role[key] = page_text(match.group("v"), 160)
        found.append(role)
    return found[:50]


# A separator's spaces are matched from where their run starts (the look-behind): tried from
# every space of a long run, `\s+` would be quadratic.
_TITLE_SEPARATORS = re.compile(r"(?<!\s)\s+[|–—·:-]\s+")


def name_from_titles(home: str | None, others: list[str]) -> str | None:
    """The site's name as its page titles repeat it: "Quill Press | Open textbooks" on the home
    page and "About | Quill Press" elsewhere give "Quill Press"."""
    if not home:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(home) if p.strip()]
    if len(parts) < 2:
        return None
    for part in parts:
        repeated = sum(part in [q.strip() for q in _TITLE_SEPARATORS.split(t)] for t in others)
        if repeated >= 1 and 2 <= len(part) <= 60:
            return part
    return None
