"""Read one company page: title, descriptions, structured data, links, feeds, addresses, people."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from reachout.data import load_toml


@functools.lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """patterns/research.toml: page keywords, social hosts, ATS link patterns, role inboxes."""
    return load_toml("research")


@dataclass
class Link:
    url: str
    text: str


@dataclass
class PersonSeen:
    name: str
    title: str
    url: str
    address: str | None = None


@dataclass
class Page:
    """What one HTML page says, before it is merged into a brief."""

    url: str
    title: str | None = None
    description: str | None = None
    og: dict[str, str] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    organization: dict[str, Any] = field(default_factory=dict)
    people: list[PersonSeen] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    social: dict[str, str] = field(default_factory=dict)
    ats: list[tuple[str, str, str]] = field(default_factory=list)  # (provider, board, link)
    notes: list[str] = field(default_factory=list)


def clean_text(text: str | None, limit: int = 500) -> str:
    """Collapse whitespace, drop control characters, cut to LIMIT characters at a word."""
    if not text:
        return ""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in str(text))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def parse_page(html: str, url: str, domain: str, *, people: bool = True) -> Page:
    """Parse HTML at URL for a company on DOMAIN; PEOPLE reads name/title pairs from markup."""
    import lxml.html
    from lxml.etree import ParserError

    page = Page(url=url)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        page.notes.append(f"{url}: not parseable as HTML ({exc})")
        return page
    # Nothing inside <script>/<style> is page text; JSON-LD is read before they go.
    page.organization, jsonld_people, ld_notes = _structured(tree, html, url)
    page.notes.extend(ld_notes)
    title = tree.find(".//title")
    page.title = clean_text(title.text_content(), 200) if title is not None else None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = clean_text(meta.get("content"), 600)
        if not content:
            continue
        if key == "description" and not page.description:
            page.description = content
        elif key.startswith("og:") and key not in page.og:
            page.og[key[3:]] = content
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES and link.get("href"):
            page.feeds.append(urljoin(url, link.get("href").strip()))
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        text = clean_text(anchor.text_content(), 120)
        if href.lower().startswith("mailto:"):
            address = unquote(href[7:].split("?", 1)[0]).strip().lower()
            if EMAIL.fullmatch(address):
                page.addresses.append(address)
            continue
        absolute = urljoin(url, href)
        if urlsplit(absolute).scheme not in {"http", "https"}:
            continue
        page.links.append(Link(absolute.split("#", 1)[0], text))
    for element in tree.xpath("//*[@data-cfemail]"):
        decoded = decode_cfemail(element.get("data-cfemail") or "")
        if decoded:
            page.addresses.append(decoded)
    body = tree.find("body")
    text = body.text_content() if body is not None else tree.text_content()
    page.addresses.extend(find_addresses(text))
    page.addresses = list(dict.fromkeys(a for a in page.addresses if _on_domain(a, domain)))
    page.social = social_links(
        [link.url for link in page.links] + list(page.organization.get("same_as", []))
    )
    page.ats = ats_links([link.url for link in page.links])
    page.people = jsonld_people + (_people_from_html(tree, url) if people else [])
    page.people = _dedupe_people(page.people)
    _pair_people_with_mailtos(tree, page)
    return page


FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/x-rss+xml",
}
EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", re.IGNORECASE
)
_AT = r"\s*(?:@|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>|\s+at\s+(?=[\w-]+\s+dot\s))\s*"
_DOT = r"(?:\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>)\s*|\.|\s+dot\s+)"
_OBFUSCATED = re.compile(
    rf"(?<![\w.+-])([a-z0-9][a-z0-9._%+-]*(?:{_DOT}[a-z0-9._%+-]+)*){_AT}"
    rf"((?:[a-z0-9-]+{_DOT})+[a-z]{{2,}})(?![\w-])",
    re.IGNORECASE,
)


def find_addresses(text: str) -> list[str]:
    """Addresses in running text, including `name [at] domain [dot] com` style obfuscations."""
    found: list[str] = []
    for match in _OBFUSCATED.finditer(text):
        local = re.sub(_DOT, ".", match.group(1), flags=re.IGNORECASE)
        domain = re.sub(_DOT, ".", match.group(2), flags=re.IGNORECASE)
        address = f"{local}@{domain}".lower().strip(".")
        if EMAIL.fullmatch(address):
            found.append(address)
    return list(dict.fromkeys(found))


def decode_cfemail(encoded: str) -> str | None:
    """Cloudflare's e-mail protection: hex bytes XORed with the first byte."""
    try:
        data = bytes.fromhex(encoded)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    address = bytes(b ^ data[0] for b in data[1:]).decode("utf-8", errors="replace").lower()
    return address if EMAIL.fullmatch(address) else None


def _on_domain(address: str, domain: str) -> bool:
    host = address.rsplit("@", 1)[-1]
    return host == domain or host.endswith("." + domain)


def social_links(urls: list[str]) -> dict[str, str]:
    """The first profile link per network (LinkedIn, X, GitHub, …) among URLS."""
    hosts: dict[str, str] = settings()["social"]
    out: dict[str, str] = {}
    for url in urls:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        host = host[4:] if host.startswith("www.") else host
        network = hosts.get(host) or next(
            (name for known, name in hosts.items() if host.endswith("." + known)), None
        )
        path = parts.path.strip("/")
        # A share button or the network's own home page is not a profile.
        if not network or not path or re.search(r"(share|intent|sharer|login|home)", path, re.I):
            continue
        out.setdefault(network, url)
    return out


def ats_links(urls: list[str]) -> list[tuple[str, str, str]]:
    """(provider, board token, link) for each applicant-tracking board linked among URLS."""
    found: dict[tuple[str, str], str] = {}
    for provider, spec in settings()["ats"].items():
        pattern = re.compile(spec["link"], re.IGNORECASE)
        for url in urls:
            match = pattern.search(url)
            if not match:
                continue
            board = match.groupdict().get("board") or match.groupdict().get("sub")
            if provider == "workable" and match.groupdict().get("sub") not in (None, "apply"):
                board = match.group("sub")
            if board and board.lower() not in {"embed", "api", "v1", "jobs", "j"}:
                found.setdefault((provider, board), url)
    return [(p, b, link) for (p, b), link in found.items()]


# ------------------------------------------------------------------------------ structured data
ORG_TYPES = {
    "organization",
    "corporation",
    "localbusiness",
    "ngo",
    "educationalorganization",
    "newsmediaorganization",
    "onlinebusiness",
    "onlinestore",
    "governmentorganization",
}


def _structured(
    tree: Any, html: str, url: str
) -> tuple[dict[str, Any], list[PersonSeen], list[str]]:
    """Organization facts and people from JSON-LD (each block on its own) and microdata."""
    import extruct
    from extruct.jsonld import JsonLdExtractor

    notes: list[str] = []
    items: list[Any] = []
    extractor = JsonLdExtractor()
    for index, node in enumerate(tree.xpath('//script[@type="application/ld+json"]'), start=1):
        try:
            items.extend(extractor._extract_items(node))
        except Exception:  # one malformed block must not cost the others
            notes.append(f"{url}: JSON-LD block {index} is malformed and was skipped")
    try:
        micro = extruct.extract(
            tree, base_url=url, syntaxes=["microdata"], errors="ignore", uniform=True
        )
        items.extend(micro.get("microdata", []))
    except Exception:
        notes.append(f"{url}: microdata could not be read")
    org: dict[str, Any] = {}
    people: list[PersonSeen] = []
    for item in _walk(items):
        kinds = {t.rsplit("/", 1)[-1].lower() for t in _as_list(item.get("@type"))}
        if kinds & ORG_TYPES:
            for key, value in organization_facts(item).items():
                org.setdefault(key, value)
        elif "person" in kinds:
            name = clean_text(_text(item.get("name")), 80)
            title = clean_text(_text(item.get("jobTitle")), 120)
            if name and title:
                people.append(PersonSeen(name, title, url, _mail(item.get("email"))))
    return org, people, notes


def _walk(items: Any) -> Any:
    """Every dict in a JSON-LD structure (@graph, nested employees and founders included)."""
    stack = list(_as_list(items))
    seen = 0
    while stack and seen < 2000:
        item = stack.pop(0)
        seen += 1
        if isinstance(item, dict):
            yield item
            for key in (
                "@graph",
                "employee",
                "employees",
                "member",
                "members",
                "itemListElement",
                "item",
                "mainEntity",
                "publisher",
                "author",
            ):
                if key in item:
                    stack.extend(_as_list(item[key]))
        elif isinstance(item, list):
            stack.extend(item)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or value.get("value") or "")
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return "" if value is None else str(value)


def _mail(value: Any) -> str | None:
    text = _text(value).lower().removeprefix("mailto:")
    return text if EMAIL.fullmatch(text) else None


def organization_facts(item: dict[str, Any]) -> dict[str, Any]:
    """name, legal_name, founded, founders, address, employees, same_as, logo, url, description."""
    facts: dict[str, Any] = {}
    for key, target in (
        ("name", "name"),
        ("legalName", "legal_name"),
        ("foundingDate", "founded"),
        ("description", "description"),
        ("url", "url"),
    ):
        text = clean_text(_text(item.get(key)), 400)
        if text:
            facts[target] = text
    founders = [
        clean_text(_text(f), 80) for f in _as_list(item.get("founder") or item.get("founders"))
    ]
    if any(founders):
        facts["founders"] = [f for f in founders if f]
    address = item.get("address")
    if isinstance(address, dict):
        parts = [
            _text(address.get(k))
            for k in (
                "streetAddress",
                "postalCode",
                "addressLocality",
                "addressRegion",
                "addressCountry",
            )
        ]
        text = clean_text(", ".join(p for p in parts if p), 200)
        if text:
            facts["address"] = text
    elif isinstance(address, str) and address.strip():
        facts["address"] = clean_text(address, 200)
    employees = item.get("numberOfEmployees")
    if isinstance(employees, dict):
        value = employees.get("value")
        low, high = employees.get("minValue"), employees.get("maxValue")
        text = str(value) if value not in (None, "") else (f"{low}–{high}" if low and high else "")
        if text:
            facts["employees"] = clean_text(text, 40)
    elif employees not in (None, ""):
        facts["employees"] = clean_text(str(employees), 40)
    same_as = [
        u
        for u in (_text(s) for s in _as_list(item.get("sameAs")))
        if u.startswith(("http://", "https://"))
    ]
    if same_as:
        facts["same_as"] = same_as
    logo = item.get("logo")
    logo_url = logo.get("url") or logo.get("contentUrl") if isinstance(logo, dict) else logo
    if isinstance(logo_url, str) and logo_url.startswith(("http://", "https://", "/")):
        facts["logo"] = logo_url
    return facts


# ------------------------------------------------------------------------------------- people
_TITLE_WORDS = re.compile(
    r"\b(ceo|cto|cfo|coo|cmo|cpo|ciso|vp|svp|evp|chief|founder|co-founder|cofounder|president|"
    r"director|head|lead|manager|engineer|designer|officer|partner|principal|chair|chairman|"
    r"chairwoman|recruiter|talent|scientist|architect|counsel|editor|owner|advisor|"
    r"developer|analyst|marketing|sales|operations|product|people|hr)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|van|von|de|da|del|der|la|le|di|bin|al))"
    r"{1,3}$"
)


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words, no digits, no title words: a person's name on a team page."""
    text = text.strip()
    stop = {str(w) for w in settings()["people"]["not_name_words"]}
    if any(word.lower() in stop for word in text.split()):
        return False
    return (
        3 < len(text) <= 60
        and not any(ch.isdigit() for ch in text)
        and bool(_NAME.match(text))
        and not _TITLE_WORDS.search(text)
    )


def _people_from_html(tree: Any, url: str) -> list[PersonSeen]:
    """Name + title pairs: a heading (or <strong>) with a name, its next sibling with a title."""
    people: list[PersonSeen] = []
    for element in tree.xpath("//h2|//h3|//h4|//h5|//strong|//*[contains(@class,'name')]"):
        name = clean_text(element.text_content(), 80)
        if not looks_like_name(name):
            continue
        sibling = element.getnext()
        while sibling is not None and not clean_text(sibling.text_content()):
            sibling = sibling.getnext()
        if sibling is None:
            continue
        title = clean_text(sibling.text_content(), 120)
        if title and len(title) <= 100 and _TITLE_WORDS.search(title) and not EMAIL.search(title):
            people.append(PersonSeen(name, title, url))
    return people


def _dedupe_people(people: list[PersonSeen]) -> list[PersonSeen]:
    out: dict[str, PersonSeen] = {}
    for person in people:
        key = person.name.lower()
        if key not in out:
            out[key] = person
        elif person.address and not out[key].address:
            out[key].address = person.address
    return list(out.values())


def _pair_people_with_mailtos(tree: Any, page: Page) -> None:
    """A mailto link inside the same card (the heading's parent) belongs to that person."""
    by_name = {p.name.lower(): p for p in page.people}
    for anchor in tree.xpath("//a[starts-with(translate(@href,'MAILTO','mailto'),'mailto:')]"):
        address = unquote(anchor.get("href")[7:].split("?", 1)[0]).strip().lower()
        card = anchor.getparent()
        for _ in range(3):
            if card is None or card.tag in {"body", "html", "main"}:
                break
            text = clean_text(card.text_content(), 2000).lower()
            if len(text) > 300:  # past the person's card: the link is not clearly theirs
                break
            matches = [p for name, p in by_name.items() if name in text]
            if len(matches) == 1:
                if not matches[0].address:
                    matches[0].address = address
                break
            if len(matches) > 1:
                break
            card = card.getparent()
