"""Read one company page: title, descriptions, structured data, links, feeds, addresses, people."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from reachout.data import load_toml
from reachout.decode import MAX_DEPTH, Anything, List, Map, check, decode_json
from reachout.errors import BadAnswer
from reachout.guessing.namedata import name_data
from reachout.guessing.namewords import without_titles

JSONLD = List(Map(Anything()))  # one <script type="application/ld+json"> block's items
APP_DATA_DEPTH = 256  # a client-rendered app's state nests deeper than an API's answer


@functools.lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """patterns/research.toml: page keywords, social hosts, ATS link patterns, role inboxes."""
    return load_toml("research")


@dataclass
class Link:
    url: str
    text: str
    chrome: bool = False  # inside the site's navigation, header or footer


@dataclass
class PersonSeen:
    name: str
    title: str
    url: str
    address: str | None = None
    profile: str | None = None  # their own LinkedIn (or other) profile, linked from their card


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
    lang: str | None = None  # <html lang>
    site_name: str | None = None  # og:site_name, else <meta name=application-name>, else WebSite
    postings: list[dict[str, Any]] = field(default_factory=list)  # schema.org JobPosting items
    posts: list[tuple[str, str, str]] = field(default_factory=list)  # (title, url, ISO date)
    legal: dict[str, Any] = field(default_factory=dict)  # what a legal notice states
    legal_people: list[PersonSeen] = field(default_factory=list)  # its managing directors
    lines: list[str] = field(default_factory=list)  # the main content's text, one block a line
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text) in page order
    offerings: list[str] = field(default_factory=list)  # JSON-LD Product/Service names
    org_types: list[str] = field(default_factory=list)  # the organisation's schema.org @types


def page_text(text: str | None, limit: int = 500) -> str:
    """Collapse whitespace, drop control characters, cut to LIMIT characters at a word."""
    if not text:
        return ""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in str(text))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def parse_page(
    html: str,
    url: str,
    domain: str,
    *,
    people: bool = True,
    posts: bool = False,
    legal: bool = False,
    footer: bool = False,
) -> Page:
    """Parse HTML at URL for a company on DOMAIN.

    PEOPLE reads name/title pairs from markup, POSTS dated items of a press or news list, LEGAL
    the entity, address and register of a legal notice (Impressum, mentions légales); FOOTER only
    what a footer states unmistakably (a register entry, a labelled registered office, a VAT ID).
    """
    import lxml.html
    from lxml.etree import ParserError

    page = Page(url=url)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        page.notes.append(f"{url}: not parseable as HTML ({exc})")
        return page
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    page.lang = lang[:20] if re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", lang) else None
    # Nothing inside <script>/<style> is page text; JSON-LD, app data (Next.js __NEXT_DATA__) and
    # embed URLs (ATS widgets load from <script src> and <iframe src>) are read before they go.
    app_items, app_links, app_strings, app_people = _app_data(tree, url)
    embeds = _embed_urls(tree, url)
    page.organization, jsonld_people, ld_notes, page.postings = _structured(
        tree, html, url, app_items
    )
    page.notes.extend(ld_notes)
    website_name = page.organization.pop("website_name", None)
    title = tree.find(".//title")
    page.title = page_text(title.text_content(), 200) if title is not None else None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = page_text(meta.get("content"), 600)
        if not content:
            continue
        if key == "description" and not page.description:
            page.description = content
        elif key.startswith("og:") and key not in page.og:
            page.og[key[3:]] = content
        elif key == "application-name" and not page.site_name:
            page.site_name = page_text(content, 120)
    page.site_name = page.og.get("site_name") or page.site_name or website_name
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES and link.get("href"):
            href = urljoin(url, link.get("href").strip())
            # WordPress also advertises comment feeds (site-wide and per post): not news.
            title = (link.get("title") or "").lower()
            if "/comments/" in urlsplit(href).path or re.search(r"comment|kommentar", title):
                continue
            page.feeds.append(href)
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        text = page_text(anchor.text_content(), 120)
        if href.lower().startswith("mailto:"):
            address = unquote(href[7:].split("?", 1)[0]).strip().lower()
            if EMAIL.fullmatch(address):
                page.addresses.append(address)
            continue
        absolute = urljoin(url, href)
        if urlsplit(absolute).scheme not in {"http", "https"}:
            continue
        cf = _cf_href(absolute)
        if cf is not None:
            if cf:
                page.addresses.append(cf)
            continue
        page.links.append(Link(absolute.split("#", 1)[0], text, _in_chrome(anchor)))
    for element in tree.xpath("//*[@data-cfemail]"):
        decoded = decode_cfemail(element.get("data-cfemail") or "")
        if decoded:
            page.addresses.append(decoded)
    known = {link.url for link in page.links}
    page.links.extend(link for link in app_links if link.url not in known)
    body = tree.find("body")
    # Block elements end lines: minified markup would otherwise glue "Founder" to "jane@…".
    lines = text_lines(body if body is not None else tree, limit=100_000)
    page.addresses.extend(find_addresses("\n".join(lines)))
    for value in app_strings:
        page.addresses.extend(a.lower() for a in EMAIL.findall(value))
    # Structured Person entries may carry their address (schema.org `email`): it is seen here too.
    page.addresses.extend(p.address for p in jsonld_people + app_people if p.address)
    page.addresses = list(dict.fromkeys(a for a in page.addresses if _on_domain(a, domain)))
    links = [link.url for link in page.links]
    # Profiles come from links; an embed (a video, a tweet, a widget script) names no profile.
    # The company's own are in its header, navigation or footer (or its JSON-LD sameAs); a link in
    # the body (a staff member's X or GitHub on a post or a job page) is someone's own, unless its
    # handle spells the company's name.
    own = [link.url for link in page.links if link.chrome or _handle_is(link.url, domain)]
    page.social = social_links(list(page.organization.get("same_as", [])) + own)
    page.offerings = page.organization.pop("offerings", [])
    page.org_types = page.organization.pop("types", [])
    headings = [(int(h.tag[1]), node_text(h, 200), h) for h in tree.xpath("//h1|//h2|//h3|//h4")]
    page.headings = [(level, text) for level, text, h in headings if text and not _in_chrome(h)]
    page.lines = _content_lines(body if body is not None else tree)
    page.ats = ats_links(links + embeds)
    page.people = jsonld_people + app_people + (_people_from_html(tree, url) if people else [])
    if legal or footer:
        from reachout.research.legal import parse_notice

        notice = parse_notice(lines, footer=not legal)
        page.legal = notice.facts()
        page.legal_people = [PersonSeen(name, title, url) for name, title in notice.directors]
    page.people = _dedupe_people(page.people)
    _pair_people_with_links(tree, page)
    if posts:
        page.posts = dated_items(tree, url)
    return page


_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "address", "section", "article", "header", "footer", "dd", "dt", "dl", "blockquote", "main",
    "aside", "nav", "pre", "figure", "figcaption", "form",
}


def text_lines(root: Any, *, limit: int = 400) -> list[str]:
    """The text of ROOT as lines: each block element and each <br> starts a new one."""
    from lxml import etree

    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                parts.append("\n")
            elif tag:
                parts.append("\x00")
            if tag and element.text:
                parts.append(element.text)
        else:
            parts.append("\n" if tag in _BLOCKS else "\x00")
            if element is not root and element.tail:
                parts.append(element.tail)
    # Inline elements glued together ("<b>Holdgraf</b><span>Executive") are separate words when a
    # lower-case letter meets a capital; otherwise the boundary adds nothing (Hol<b>d</b>graf).
    text = _GLUED.sub(" ", "".join(parts)).replace("\x00", "")
    return [page_text(line, limit) for line in text.split("\n") if line.strip()]


_GLUED = re.compile(r"(?<=[a-z\u00df-\u00ff.,:;!?)])\x00+(?=[A-Z\u00c0-\u00de(])")


_CHROME_MARK = re.compile(r"(?:^|[\s_-])(?:site-?)?(?:footer|header|masthead|navbar|nav|menu)(?:$|[\s_-])")


def _in_chrome(element: Any) -> bool:
    """Inside the site's chrome: <nav>, <header>, <footer>, or a block whose class or id says so
    (a <header> inside an <article> is the article's own and does not count)."""
    for node in element.iterancestors():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"nav", "footer"}:
            return True
        if tag == "header" and not any(
            a.tag in {"article", "main", "section"} for a in node.iterancestors()
        ):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if tag in {"div", "section", "aside", "ul"} and _CHROME_MARK.search(marks):
            return True
    return False


def _handle_is(url: str, domain: str) -> bool:
    """Whether URL's profile handle spells the company's name (x.com/kilnstudio for kiln.test)."""
    label = re.sub(r"[^a-z0-9]", "", domain.split(".", 1)[0].lower())
    handle = re.sub(r"[^a-z0-9]", "", urlsplit(url).path.strip("/").split("/")[-1].lower())
    return len(label) >= 3 and label in handle


def _content_lines(root: Any) -> list[str]:
    """The page's own text, without its navigation, header and footer, one block a line."""
    import copy

    tree = copy.deepcopy(root)
    for node in tree.xpath(".//nav|.//footer|.//header[not(ancestor::article)]"):
        node.drop_tree()
    return text_lines(tree, limit=2000)[:2000]


def node_text(element: Any, limit: int = 500) -> str:
    """ELEMENT's text with its parts kept apart: `<b>Chris Holdgraf</b><span>Executive
    Director</span>` reads "Chris Holdgraf Executive Director", not "Chris HoldgrafExecutive"."""
    return page_text(" ".join(text_lines(element, limit=limit)), limit)


def _cf_href(url: str) -> str | None:
    """Cloudflare rewrites mailto links to /cdn-cgi/l/email-protection#HEX: the address, or ""."""
    parts = urlsplit(url)
    if not parts.path.startswith("/cdn-cgi/l/email-protection"):
        return None
    return decode_cfemail(parts.fragment) or ""


_URL_IN_SCRIPT = re.compile(r"https?:(?://|\\/\\/)[^\s\"'<>`)]+")


def _embed_urls(tree: Any, url: str) -> list[str]:
    """URLs an embed loads (script, iframe, object) or an inline script names: ATS widgets."""
    found: list[str] = []
    for element in tree.xpath("//script[@src]|//iframe[@src]|//iframe[@data-src]|//embed[@src]"):
        src = (element.get("src") or element.get("data-src") or "").strip()
        if src:
            found.append(urljoin(url, src))
    inline = [
        (re.compile(spec["inline"]), spec["board_url"])
        for spec in settings()["ats"].values()
        if spec.get("inline") and spec.get("board_url")
    ]
    for script in tree.xpath("//script[not(@src)]"):
        body = (script.text or "")[:200_000]
        found.extend(m.replace("\\/", "/") for m in _URL_IN_SCRIPT.findall(body))
        # Widgets configured by account name rather than URL (SmartRecruiters, Lever's embed).
        for pattern, board_url in inline:
            found.extend(board_url.format(board=m) for m in pattern.findall(body)[:5])
    return found[:500]


FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/x-rss+xml",
}
# An address starts where a run of its characters starts (the look-behind): a long run without
# an "@" is read once, not once from each of its characters.
EMAIL = re.compile(
    r"(?<![a-z0-9!#$%&'*+/=?^_`{|}~.-])"
    r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", re.IGNORECASE
)
# "at"/"dot" in English, "arobase"/"point" in French, "ät"/"punkt" in German.
_AT_WORD = r"(?:at|arobase|ät)"
_DOT_WORD = r"(?:dot|point|punkt)"
_AT = (
    rf"\s*(?:@|\[\s*{_AT_WORD}\s*\]|\(\s*{_AT_WORD}\s*\)|\{{\s*{_AT_WORD}\s*\}}|"
    rf"<\s*{_AT_WORD}\s*>|\s+at\s+(?=[\w-]+\s+dot\s))\s*"
)
_DOT = (
    rf"(?:\s*(?:\[\s*{_DOT_WORD}\s*\]|\(\s*{_DOT_WORD}\s*\)|\{{\s*{_DOT_WORD}\s*\}}|"
    rf"<\s*{_DOT_WORD}\s*>)\s*|\.|\s+dot\s+)"
)
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


_NOT_PROFILES = {
    "embed", "watch", "widgets.js", "i", "hashtag", "search", "explore", "p", "reel", "reels",
    "plugins", "dialog", "sharing", "feed", "results", "playlist", "shorts", "tr", "v", "video",
    "videos", "events", "groups", "posts", "pulse", "jobs", "oauth", "signup",
}


def social_links(urls: list[str], *, people: bool = False) -> dict[str, str]:
    """The first profile link per network (LinkedIn, X, GitHub, …) among URLS.

    A LinkedIn /in/ link is a person's profile (a team card's), not the company's: it counts only
    with PEOPLE.
    """
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
        # A share button or the network's own home page is not a profile; nor is an embedded
        # video, a post, a search or a widget script (blog posts embed those).
        if not network or not path or re.search(r"(share|intent|sharer|login|home)", path, re.I):
            continue
        if path.split("/", 1)[0].lower() in _NOT_PROFILES:
            continue
        if network == "linkedin":
            personal = path.lower().startswith(("in/", "pub/"))
            if personal != people or not (
                personal or path.lower().startswith(("company/", "school/", "showcase/"))
            ):
                continue
        out.setdefault(network, url)
    return out


_NOT_BOARDS = {"embed", "api", "v0", "v1", "jobs", "j", "js", "www", "assets", "static", "widget"}


def ats_links(urls: list[str]) -> list[tuple[str, str, str]]:
    """(provider, board token, link) for each applicant-tracking board linked among URLS."""
    found: dict[tuple[str, str], str] = {}
    for provider, spec in settings()["ats"].items():
        links = spec["link"] if isinstance(spec["link"], list) else [spec["link"]]
        patterns = [re.compile(link, re.IGNORECASE) for link in links]
        for url in urls:
            match = next((m for m in (p.search(url) for p in patterns) if m), None)
            if not match:
                continue
            groups = match.groupdict()
            board = groups.get("board") or groups.get("sub")
            if groups.get("tenant") and groups.get("site"):  # Workday: one tenant, many job sites
                board = f"{groups['tenant']}/{groups['site']}"
            if provider == "workable" and match.groupdict().get("sub") not in (None, "apply"):
                board = match.group("sub")
            if board and board.lower() not in _NOT_BOARDS:
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
    "collegeoruniversity",
    "researchorganization",
    "project",
    "researchproject",
    "fundingagency",
    "consortium",
    "cooperative",
    "medicalorganization",
    "sportsorganization",
    "workersunion",
    "performinggroup",
}


def _structured(
    tree: Any, html: str, url: str, extra: list[Any] | None = None
) -> tuple[dict[str, Any], list[PersonSeen], list[str], list[dict[str, Any]]]:
    """Organization facts, people and job postings from JSON-LD (each block on its own),
    microdata and EXTRA schema.org items (found in app data)."""
    import extruct
    from extruct.jsonld import JsonLdExtractor

    notes: list[str] = []
    items: list[Any] = []
    extractor = JsonLdExtractor()
    blocks = tree.xpath(
        "//script[contains(translate(@type,'LDJSON','ldjson'),'application/ld+json')]"
    )
    for index, node in enumerate(blocks, start=1):
        try:
            block = list(extractor._extract_items(node))
        except Exception:  # one malformed block must not cost the others
            notes.append(f"{url}: JSON-LD block {index} is malformed and was skipped")
            continue
        try:  # schema.org items are free-form: objects of anything, within the depth limit
            items.extend(check(block, JSONLD, source=f"{url}: JSON-LD block {index}", notes=notes,
                               max_depth=MAX_DEPTH))
        except BadAnswer as exc:
            notes.append(str(exc))
    try:
        micro = extruct.extract(
            tree, base_url=url, syntaxes=["microdata"], errors="ignore", uniform=True
        )
        items.extend(micro.get("microdata", []))
    except Exception:
        notes.append(f"{url}: microdata could not be read")
    items.extend(extra or [])
    org: dict[str, Any] = {}
    people: list[PersonSeen] = []
    postings: list[dict[str, Any]] = []
    for item in _walk(items):
        kinds = {str(t).rsplit("/", 1)[-1].lower() for t in _as_list(item.get("@type"))}
        if kinds & ORG_TYPES:
            for key, value in organization_facts(item).items():
                org.setdefault(key, value)
            org.setdefault("types", sorted(kinds & ORG_TYPES))
            for offer in _walk_offers(item):
                org.setdefault("offerings", []).append(offer)
        elif kinds & {"product", "service", "softwareapplication", "webapplication"}:
            name = page_text(_text(item.get("name")), 120)
            if name and name not in org.setdefault("offerings", []):
                org["offerings"].append(name)
        elif "person" in kinds:
            name = page_text(_text(item.get("name")), 80)
            title = page_text(_text(item.get("jobTitle")), 120)
            if name and title:
                profiles = [_text(s) for s in [*_as_list(item.get("sameAs")), item.get("url")]]
                people.append(
                    PersonSeen(name, title, url, _mail(item.get("email")), _profile(profiles))
                )
        elif "jobposting" in kinds and len(postings) < 200:
            postings.append(item)
        elif "website" in kinds and _text(item.get("name")):
            org.setdefault("website_name", page_text(_text(item.get("name")), 120))
    return org, people, notes, postings


def _walk_offers(item: dict[str, Any]) -> list[str]:
    """Names in an organisation's `hasOfferCatalog`, `makesOffer` or `owns` (its products)."""
    names: list[str] = []
    stack = [item.get(k) for k in ("hasOfferCatalog", "makesOffer", "owns", "brand")]
    budget = 200
    while stack and budget:
        budget -= 1
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            kinds = {str(t).lower() for t in _as_list(node.get("@type"))}
            if kinds & {"product", "service", "offer", "brand", "softwareapplication"}:
                name = page_text(_text(node.get("name")), 120)
                if name and name not in names:
                    names.append(name)
            stack.extend(node.get(k) for k in ("itemListElement", "itemOffered", "item"))
    return names


def _profile(urls: list[str]) -> str | None:
    """A person's own profile among URLS: LinkedIn /in/ first, then other social profiles."""
    urls = [u for u in urls if isinstance(u, str) and u.startswith(("http://", "https://"))]
    linkedin = [u for u in urls if re.search(r"linkedin\.com/in/[^/?#]+", u, re.I)]
    if linkedin:
        return linkedin[0]
    return next(iter(social_links(urls, people=True).values()), None)


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
                "founder",
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
        text = page_text(_text(item.get(key)), 400)
        if text:
            facts[target] = text
    founders = [
        page_text(_text(f), 80) for f in _as_list(item.get("founder") or item.get("founders"))
    ]
    if any(founders):
        facts["founders"] = [f for f in founders if f]
    address = item.get("address")
    if isinstance(address, list):  # several offices: the first is the one named first
        address = next((a for a in address if isinstance(a, dict | str)), None)
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
        text = page_text(", ".join(p for p in parts if p), 200)
        if text:
            facts["address"] = text
    elif isinstance(address, str) and address.strip():
        facts["address"] = page_text(address, 200)
    employees = item.get("numberOfEmployees")
    if isinstance(employees, dict):
        value = employees.get("value")
        low, high = employees.get("minValue"), employees.get("maxValue")
        text = str(value) if value not in (None, "") else (f"{low}–{high}" if low and high else "")
        if text:
            facts["employees"] = page_text(text, 40)
    elif employees not in (None, ""):
        facts["employees"] = page_text(str(employees), 40)
    for key, target in (
        ("parentOrganization", "parent"),
        ("funder", "funder"),
        ("sponsor", "sponsor"),
        ("industry", "industry"),
        ("knowsAbout", "knows_about"),
        ("nonprofitStatus", "nonprofit_status"),
    ):
        names = [page_text(_text(v), 120) for v in _as_list(item.get(key))][:5]
        if any(names):
            facts[target] = [n for n in names if n]
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
    r"developer|analyst|marketing|sales|operations|product|people|hr|technician|specialist|"
    r"coordinator|consultant|assistant|associate|administrator|accountant|controller|intern|"
    r"apprentice|executive|researcher|strategist|producer|writer|representative|supervisor|"
    # German and French titles (Geschäftsführerin, Gründer, Leiterin, directrice, fondateur…)
    r"gesch[äa]ftsf[üu]hr\w*|gr[üu]nder\w*|mitgr[üu]nder\w*|leiter\w*|leitung|vorstand\w*|"
    r"inhaber\w*|entwickler\w*|prokurist\w*|directeur|directrice|fondat\w+|cofondat\w+|"
    r"co-fondat\w+|pr[ée]sident\w*|g[ée]rant\w*|responsable|associ[ée]\w*|ing[ée]nieur\w*|"
    # Spanish and Dutch (directora, fundador, gerente, jefa; oprichter, eigenaar)
    r"director[ae]?s?|fundador\w*|cofundador\w*|gerente|jef[ae]|oprichter|eigenaar|"
    r"medeoprichter)\b",
    re.IGNORECASE,
)
_PARTICLES = {"van", "von", "de", "da", "del", "der", "la", "le", "di", "bin", "al", "du", "dos"}


def _name_shape(text: str) -> bool:
    """A capitalised word, then one to three capitalised words or particles (any script's
    capitals: Łukasz, Ólafur, Đorđe)."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not words[0][:1].isupper():
        return False
    for index, word in enumerate(words):
        if index and word in _PARTICLES:
            continue
        if len(word) < 2 or not word[0].isupper():
            return False
        if not all(ch.isalpha() or ch in "'’.-" for ch in word):
            return False
    return True


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words, no digits, no title words: a person's name on a team page, once
    the titles, honours and degrees around it are set aside (Prof. Dr. med. Anna Schmidt, Jane Doe PhD)."""
    text = text.strip()
    core = without_titles(text, name_data()) if 3 < len(text) <= 80 else text
    stop = {str(w) for w in settings()["people"]["not_name_words"]}
    if any(word.lower() in stop for word in core.split()):
        return False
    return (
        3 < len(core) <= 60
        and not any(ch.isdigit() for ch in text)
        and _name_shape(core)
        and not _TITLE_WORDS.search(core)
    )


def is_title(text: str) -> bool:
    return bool(text) and len(text) <= 100 and bool(_TITLE_WORDS.search(text)) and not EMAIL.search(
        text
    )


def _people_from_html(tree: Any, url: str) -> list[PersonSeen]:
    """Name + title pairs: a heading (or <strong>) with a name and its next sibling with a title;
    a heading `Name – Title` / `Name, Title`; a short block of two lines, `Name<br>Title` (the
    classic editor's `<p><strong>Name</strong><br>Title</p>`, a `<figcaption>`)."""
    people: list[PersonSeen] = []
    # (markup, person, doubtful): a doubtful card is kept when a sure one shares its markup.
    cards: list[tuple[tuple[Any, ...], PersonSeen, bool]] = []
    for element in tree.xpath("//h2|//h3|//h4|//h5|//strong|//*[contains(@class,'name')]"):
        if _in_chrome(element):
            continue  # navigation and footers name sections, not people
        name = node_text(element, 80)
        if not looks_like_name(name):
            parts = re.split(r"(?<!\s)\s+[–—|·-]\s+|,\s+", name, maxsplit=1)
            if len(parts) == 2 and looks_like_name(parts[0]) and is_title(parts[1]):
                people.append(PersonSeen(parts[0], parts[1], url))
            continue
        # The title follows the name: as its sibling (<h3>Name</h3><p>Title</p>), or, in card
        # builders' nested wrappers (Webflow, Squarespace), as the sibling of a wrapper.
        holder, sibling = element, None
        for _ in range(3):
            sibling = holder.getnext()
            while sibling is not None and not page_text(sibling.text_content()):
                sibling = sibling.getnext()
            if sibling is not None or holder.getparent() is None:
                break
            holder = holder.getparent()
            if page_text(holder.text_content(), 200) != name:
                break  # the wrapper holds more than the name: not a name-only wrapper
        if sibling is None:
            continue
        lines = text_lines(sibling, limit=120)
        if not lines or (len(lines) > 1 and looks_like_name(lines[0])):
            continue  # a section heading over cards: the next block is someone else's card
        title = lines[0] if len(lines) > 1 else node_text(sibling, 120)
        if is_title(title):
            doubtful = _names_someone_inside(sibling, title)
            cards.append((_markup(element, sibling), PersonSeen(name, title, url), doubtful))
    sure = {markup for markup, _, doubtful in cards if not doubtful}
    people += [person for markup, person, doubtful in cards if not doubtful or markup in sure]
    for block in tree.xpath("//figcaption|//p[br]|//li[br]|//div[br]|//td[br]"):
        if len(block.text_content()) > 200:
            continue
        if _in_chrome(block):
            continue
        lines = text_lines(block, limit=120)
        if 2 <= len(lines) <= 3 and looks_like_name(lines[0]) and is_title(lines[1]):
            people.append(PersonSeen(lines[0], lines[1], url))
    return people


def _names_someone_inside(block: Any, text: str) -> bool:
    """True when BLOCK is a person's whole card read as one line ("Chris Holloway Executive
    Director": an element inside it holds just the name), so the heading above it ("Steering
    Council") is a section's. A title that is one run of text ("Technical Content Developer") is
    not: words that merely look like a name do not make it a card."""
    return any(
        child is not block
        and isinstance(child.tag, str)
        and looks_like_name(part := node_text(child, 80))
        and text.startswith(part + " ")
        and is_title(text[len(part):])
        for child in block.iter()
    )


def _markup(name: Any, title: Any) -> tuple[Any, ...]:
    """What a card's name and title elements look like (tags and classes): team pages repeat it."""
    return (name.tag, name.get("class"), title.tag, title.get("class"))


def _dedupe_people(people: list[PersonSeen]) -> list[PersonSeen]:
    out: dict[str, PersonSeen] = {}
    for person in people:
        key = person.name.lower()
        if key not in out:
            out[key] = person
        else:
            out[key].address = out[key].address or person.address
            out[key].profile = out[key].profile or person.profile
    return list(out.values())


def _pair_people_with_links(tree: Any, page: Page) -> None:
    """A mailto (plain or Cloudflare-protected) or a LinkedIn /in/ link inside one person's card
    (the nearest ancestor naming exactly one person) belongs to that person."""
    by_name = {p.name.lower(): p for p in page.people}
    if not by_name:
        return
    for anchor in tree.xpath("//a[@href]|//*[@data-cfemail]"):
        href = (anchor.get("href") or "").strip()
        address = profile = None
        if anchor.get("data-cfemail"):
            address = decode_cfemail(anchor.get("data-cfemail") or "")
        elif href.lower().startswith("mailto:"):
            address = unquote(href[7:].split("?", 1)[0]).strip().lower()
            address = address if EMAIL.fullmatch(address) else None
        elif "/cdn-cgi/l/email-protection" in href:
            address = _cf_href(urljoin(page.url, href)) or None
        elif re.search(r"linkedin\.com/in/[^/?#]+", href, re.I):
            profile = href
        if not address and not profile:
            continue
        card = anchor.getparent()
        for _ in range(4):
            if card is None or card.tag in {"body", "html", "main"}:
                break
            text = page_text(card.text_content(), 2000).lower()
            if len(text) > 300:  # past the person's card: the link is not clearly theirs
                break
            matches = [p for name, p in by_name.items() if name in text]
            if len(matches) == 1:
                person = matches[0]
                if address and not person.address:
                    person.address = address
                if profile and not person.profile:
                    person.profile = profile
                break
            if len(matches) > 1:
                break
            card = card.getparent()


# ------------------------------------------------------------------------------ app data
_PERSON_TITLE_KEYS = ("jobTitle", "title", "role", "position", "job_title")
_LINK_KEYS = ("href", "url", "link", "path", "slug")
_LABEL_KEYS = ("label", "text", "title", "name")


def _app_data(tree: Any, url: str) -> tuple[list[Any], list[Link], list[str], list[PersonSeen]]:
    """What a client-rendered page keeps in JSON (Next.js `__NEXT_DATA__`, Nuxt/Gatsby/Remix
    `application/json` blobs): schema.org items, navigation links, strings, people."""
    items: list[Any] = []
    links: list[Link] = []
    strings: list[str] = []
    people: list[PersonSeen] = []
    scripts = tree.xpath(
        "//script[@id='__NEXT_DATA__' or @id='__NUXT_DATA__' or @id='___gatsby' "
        "or translate(@type,'JSON','json')='application/json']"
    )
    budget = 20_000
    for script in scripts[:5]:
        raw = (script.text or "")[:2_000_000]
        try:
            doc = decode_json(raw, Anything(), source=f"{url}: app data", max_depth=APP_DATA_DEPTH)
        except BadAnswer:
            continue  # not JSON (a template), or nested past reading: the page's HTML still is
        stack: list[Any] = [doc]
        while stack and budget > 0:
            node = stack.pop()
            budget -= 1
            if isinstance(node, list):
                stack.extend(reversed(node))
                continue
            if isinstance(node, str):
                if "@" in node or node.startswith(("http://", "https://")):
                    strings.append(node[:2000])
                continue
            if not isinstance(node, dict):
                continue
            if "@type" in node:
                items.append(node)
                continue  # read as structured data; its strings are not loose text
            name = node.get("name") if isinstance(node.get("name"), str) else None
            title = next(
                (node[k] for k in _PERSON_TITLE_KEYS if isinstance(node.get(k), str)), None
            )
            if name and title and looks_like_name(page_text(name, 80)):
                title = page_text(title, 120)
                if title and len(title) <= 100 and _TITLE_WORDS.search(title):
                    found = _strings(node, depth=2)
                    people.append(PersonSeen(page_text(name, 80), title, url, None,
                                             _profile(found)))
            target = next((node[k] for k in _LINK_KEYS if isinstance(node.get(k), str)), None)
            label = next((node[k] for k in _LABEL_KEYS if isinstance(node.get(k), str)), None)
            if target and label and (target.startswith("/") or target.startswith("http")):
                absolute = urljoin(url, target.strip())
                if urlsplit(absolute).scheme in {"http", "https"}:
                    links.append(Link(absolute.split("#", 1)[0], page_text(label, 120)))
            stack.extend(reversed(list(node.values())))
    return items, links[:500], strings[:2000], people


def _strings(node: Any, *, depth: int) -> list[str]:
    """String values of NODE and of its nested objects down to DEPTH (a card's `links`)."""
    if isinstance(node, str):
        return [node]
    if depth < 0:
        return []
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [text for value in values for text in _strings(value, depth=depth - 1)]


# ------------------------------------------------------------------------------ dated lists
def dated_items(tree: Any, url: str) -> list[tuple[str, str, str]]:
    """(title, url, ISO date) of each dated entry in a press or news list: a `<time>` element (its
    `datetime`, else its text), or a short list item whose text writes a date out in words."""
    from reachout.research.pagedates import iso_date, text_date

    found: dict[str, tuple[str, str, str]] = {}
    times = list(tree.iter("time"))
    for element in times:
        date = iso_date(element.get("datetime")) or text_date(element.text_content())
        if not date:
            continue
        item = element.getparent()
        for _ in range(5):
            if item is None or item.tag in {"body", "html", "main"}:
                break
            if len(item.xpath(".//time")) > 1:
                break  # grew past the entry into the list
            entry = _entry(item, url)
            if entry:
                found.setdefault(entry[1], (entry[0], entry[1], date))
                break
            item = item.getparent()
    if times and found:
        return list(found.values())[:100]
    for item in tree.xpath("//article|//li|//div|//tr|//p"):
        if item.xpath("ancestor::nav|ancestor::header|ancestor::footer"):
            continue
        if len(item.text_content()) > 800:
            continue
        text = "\n".join(text_lines(item, limit=600))
        if len(text) > 400:
            continue
        date = text_date(text)
        if not date:
            continue
        entry = _entry(item, url)
        if entry:
            found[entry[1]] = (entry[0], entry[1], date)  # innermost (last in document order) wins
    return list(found.values())[:100]


def _entry(item: Any, page_url: str) -> tuple[str, str] | None:
    """(title, url) of a list entry: its heading's link, else its one link with real text."""
    anchors = [
        a
        for a in item.xpath(".//a[@href]")
        if urlsplit(urljoin(page_url, a.get("href"))).scheme in {"http", "https"}
        and urljoin(page_url, a.get("href")).split("#", 1)[0] != page_url.split("#", 1)[0]
    ]
    targets = {urljoin(page_url, a.get("href")).split("#", 1)[0] for a in anchors}
    if len(targets) != 1:
        return None
    heading = item.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")
    title = page_text(heading[0].text_content(), 200) if heading else ""
    if len(title) < 4:
        title = max((page_text(a.text_content(), 200) for a in anchors), key=len, default="")
    if len(title) < 4:
        return None
    return title, targets.pop()
