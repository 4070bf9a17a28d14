"""Recent posts: RSS/Atom (feedparser), JSON Feed, and sitemap `lastmod` dates."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from reachout.decode import List, Obj, Str, decode_json
from reachout.errors import BadAnswer
from reachout.research.site import page_text

MAX_POSTS = 100  # per feed: the brief shows the newest few

# JSON Feed 1.1 (jsonfeed.org/version/1.1): only the fields read.
JSON_FEED = Obj({"items": List(Obj({
    "title": Str(), "url": Str(), "external_url": Str(), "date_published": Str(),
    "date_modified": Str(),
}), max_items=MAX_POSTS)}, required=("items",))


@dataclass
class Post:
    """One dated (when the source gives a date) post or news item."""

    title: str
    url: str
    published: str | None  # ISO date YYYY-MM-DD
    source: str  # the feed or sitemap it came from
    kind: str = "feed"  # feed | sitemap (news title, else one made from the URL slug) | page
    # (a dated entry of a press or news page)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "kind": self.kind,
            "source": self.source,
        }


def _iso_date(parsed: Any) -> str | None:
    try:
        y, mo, d, h, mi, sec = (int(x) for x in parsed[:6])
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC).date().isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes, feed_url: str) -> tuple[list[Post], str | None]:
    """Posts of an RSS/Atom/RDF or JSON Feed document; the second item says what went wrong."""
    stripped = data.lstrip()
    if stripped.startswith(b"{"):
        return _parse_json_feed(data, feed_url)
    import feedparser

    # A stream, never a string: feedparser fetches a string that looks like a URL itself.
    parsed = feedparser.parse(io.BytesIO(data))
    if parsed.bozo and not parsed.entries:
        return [], f"{feed_url}: not a readable feed ({type(parsed.bozo_exception).__name__})"
    posts = []
    for entry in parsed.entries[:MAX_POSTS]:
        link = entry.get("link") or ""
        link = urljoin(feed_url, link) if link else ""
        title = page_text(entry.get("title"), 200)
        if not title or not link.startswith(("http://", "https://")):
            continue
        date = _iso_date(
            entry.get("published_parsed")
            or entry.get("updated_parsed")
            or entry.get("created_parsed")
        )
        posts.append(Post(title, link, date, feed_url))
    return posts, None


def _parse_json_feed(data: bytes, feed_url: str) -> tuple[list[Post], str | None]:
    try:
        doc = decode_json(data, JSON_FEED, source=f"{feed_url}: JSON feed")
    except BadAnswer as exc:
        return [], str(exc)
    posts = []
    for item in doc["items"]:
        title = page_text(item.get("title"), 200)
        link = item.get("url") or item.get("external_url") or ""
        if not title or not link.startswith(("http://", "https://")):
            continue
        date = (item.get("date_published") or item.get("date_modified") or "")[:10] or None
        posts.append(Post(title, link, date if date and _valid_date(date) else None, feed_url))
    return posts, None


def _valid_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


@dataclass
class SitemapEntry:
    url: str
    lastmod: str | None
    title: str | None = None  # Google News sitemap <news:title>
    published: str | None = None  # <news:publication_date>


def parse_sitemap(data: bytes) -> tuple[list[SitemapEntry], list[str]]:
    """(page entries, child sitemap URLs) of a sitemap or sitemap index; no DTDs, no entities."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    entries: list[SitemapEntry] = []
    children: list[str] = []
    for node in root:
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        loc = mod = title = published = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                mod = (child.text or "").strip()[:10] or None
            elif name == "news":  # https://www.google.com/schemas/sitemap-news/0.9
                for part in child.iter():
                    if not isinstance(part.tag, str):
                        continue
                    local = etree.QName(part).localname
                    if local == "title":
                        title = page_text(part.text, 200) or None
                    elif local == "publication_date":
                        day = (part.text or "").strip()[:10]
                        published = day if _valid_date(day) else None
        if not loc or not loc.startswith(("http://", "https://")):
            continue
        if tag == "sitemap":
            children.append(loc)
        elif tag == "url":
            entries.append(
                SitemapEntry(loc, mod if mod and _valid_date(mod) else None, title, published)
            )
    return entries[:50_000], children[:50]


_NEWSY = re.compile(
    r"/(blog|news|press|newsroom|posts?|articles?|updates|announcements)/.+", re.IGNORECASE
)


# Sitemaps that list posts whatever their permalinks look like: Yoast's post-sitemap.xml, WordPress
# core's wp-sitemap-posts-post-1.xml, and news sitemaps by name.
_POST_SITEMAP = re.compile(r"(?:^|[/_-])(?:post|posts|news|blog)(?:-sitemap|sitemap)?\d*\.xml$|"
                           r"wp-sitemap-posts-post-\d+\.xml$", re.IGNORECASE)


_INDEX_PAGES = {"", "blog", "news", "press", "newsroom", "posts", "articles", "updates"}


def posts_from_sitemap(entries: list[SitemapEntry], sitemap_url: str) -> list[Post]:
    """Dated posts named in a sitemap: news entries with their own title and publication date,
    then news/blog/press pages (or any page of a post sitemap) titled from their URL slug."""
    posts = []
    post_sitemap = bool(_POST_SITEMAP.search(urlsplit(sitemap_url).path))
    for entry in entries:
        path = urlsplit(entry.url).path
        if entry.title and (entry.published or entry.lastmod):
            posts.append(
                Post(entry.title, entry.url, entry.published or entry.lastmod, sitemap_url,
                     "sitemap")
            )
            continue
        # A post sitemap also lists the posts page itself (/blog/): an index, not a post.
        index = path.strip("/").rsplit("/", 1)[-1].lower() in _INDEX_PAGES
        if entry.lastmod and not index and (_NEWSY.search(path) or (post_sitemap and path.strip("/"))):
            slug = path.rstrip("/").rsplit("/", 1)[-1]
            slug = re.sub(r"\.(html?|php|aspx?)$", "", slug)
            title = page_text(re.sub(r"[-_]+", " ", slug), 120).capitalize()
            if title:
                posts.append(Post(title, entry.url, entry.lastmod, sitemap_url, "sitemap"))
    return posts


_RANK = {"feed": 0, "page": 1, "sitemap": 2}  # whose title to keep when several name one URL


def newest_first(posts: list[Post], dates: dict[str, str] | None = None) -> list[Post]:
    """Posts deduplicated by URL, undated ones filled from DATES (sitemap lastmod), newest first."""
    out: dict[str, Post] = {}
    for post in posts:
        key = post.url.rstrip("/")
        if not post.published and dates:
            post.published = dates.get(key) or dates.get(key + "/")
        known = out.get(key)
        if known is None:
            out[key] = post
        elif _RANK.get(post.kind, 9) < _RANK.get(known.kind, 9):
            # The feed's own title beats one made from a slug; keep the sitemap's date if needed.
            post.published = post.published or known.published
            out[key] = post
        elif post.published and not known.published:
            known.published = post.published
    return sorted(out.values(), key=lambda p: (p.published or "", p.title), reverse=True)
