"""The brief: a sourced, dated one-pager about a company, as Markdown, JSON or one HTML page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from reachout.output import terminal_text
from reachout.research.feeds import Post
from reachout.research.jobs import Role

SCHEMA = "reachout.brief/1"

# Fact keys in the order "At a glance" shows them, with their labels. A `mail` fact kind is the hook
# for the verify engine's mail setup (provider, SPF services) once `reachout.mail.dnscheck` lands.
GLANCE = {
    "name": "Name",
    "legal_name": "Legal name",
    "org_type": "Type",
    "website": "Website",
    "founded": "Founded",
    "founders": "Founders",
    "ceo": "CEO",
    "headquarters": "Headquarters",
    "work_mode": "Where people work",
    "address": "Address",
    "employees": "Employees",
    "register": "Register",
    "vat_id": "VAT ID",
    "managing_directors": "Managing directors",
    "industry": "Industry",
    "offerings": "Products and services",
    "mission": "Mission",
    "funding": "Funding, parent or sponsor",
    "language": "Language",
    "wikidata": "Wikidata",
    "mail_provider": "Mail provider",
    "spf_services": "Sends mail through",
}
ABOUT_KEYS = (
    "wikipedia_summary",
    "description",
    "about_sentence",  # "X is a non-profit that…" on the about page
    "og_description",
    "meta_description",
    "wikidata_description",
)


@dataclass
class Fact:
    """One statement about the company and the URL that says it."""

    key: str
    value: str
    source: str
    kind: str = "site"  # site | wikidata | wikipedia | mail
    quote: str | None = None  # the company's own sentence that states it

    def to_dict(self) -> dict[str, Any]:
        data = {"key": self.key, "value": self.value, "source": self.source, "kind": self.kind}
        if self.quote:
            data["quote"] = self.quote
        return data


@dataclass
class Hiring:
    """Someone who hires: a recruiting, talent or HR person, or a job post's hiring manager."""

    name: str
    title: str
    department: str
    source: str
    hires_for: str | None = None  # the role whose post names them
    address: str | None = None
    address_kind: str | None = None  # seen on the site | guessed
    confidence: float | None = None  # the guesser's, for a guessed address

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "department": self.department,
            "hires_for": self.hires_for,
            "address": self.address,
            "address_kind": self.address_kind,
            "confidence": self.confidence,
            "source": self.source,
        }


@dataclass
class Person:
    name: str
    title: str
    source: str
    address: str | None = None
    profile: str | None = None  # their own profile (LinkedIn /in/…) linked from their card

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "address": self.address,
            "profile": self.profile,
            "source": self.source,
        }


@dataclass
class Address:
    """An address seen on the site: a person's (paired by name when possible) or a role inbox."""

    address: str
    kind: str  # personal | role
    source: str
    person: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "kind": self.kind,
            "person": self.person,
            "source": self.source,
        }


@dataclass
class TalkingPoint:
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source}


@dataclass
class Source:
    """A URL the brief read (or tried to), when, and how it went."""

    url: str
    kind: str  # robots | page | sitemap | feed | ats | wikidata | wikipedia
    retrieved_at: str
    status: int | None = None
    from_cache: bool = False
    error: str | None = None
    # The URL asked for when the answer came from another after redirects (URL is where it came
    # from, the one the brief's items cite).
    redirected_from: str | None = None
    # For a page cited but not fetched itself (a Wikidata item's page): the answer it was read from.
    read_via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "kind": self.kind,
            "retrieved_at": self.retrieved_at,
            "status": self.status,
            "from_cache": self.from_cache,
            "error": self.error,
            "redirected_from": self.redirected_from,
            "read_via": self.read_via,
        }


@dataclass
class Brief:
    """Everything gathered about one company; every item names its source."""

    domain: str
    origin: str
    generated_at: str
    name: str | None = None
    role_keywords: str | None = None
    facts: list[Fact] = field(default_factory=list)
    social: dict[str, str] = field(default_factory=dict)  # network -> profile URL
    social_sources: dict[str, str] = field(default_factory=dict)  # network -> where it was seen
    posts: list[Post] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    address_format: dict[str, Any] | None = None
    talking_points: list[TalkingPoint] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    hiring: list[Hiring] = field(default_factory=list)
    tech_stack: list[dict[str, Any]] = field(default_factory=list)  # {name, kind, posts, sources}
    roles_searched: list[str] = field(default_factory=list)  # where open roles were looked for

    # ------------------------------------------------------------------ queries
    def facts_for(self, key: str) -> list[Fact]:
        """Facts with KEY, one per distinct value (the first source that said it)."""
        seen: dict[str, Fact] = {}
        for fact in self.facts:
            if fact.key == key:
                seen.setdefault(_norm(fact.value), fact)
        return list(seen.values())

    def about(self) -> list[Fact]:
        """What they do: the descriptions, best source first, near-duplicates dropped."""
        out: list[Fact] = []
        for key in ABOUT_KEYS:
            for fact in self.facts_for(key):
                if not any(_similar(fact.value, other.value) for other in out):
                    out.append(fact)
        # A tagline that only spells out a name ("RC: Research Commons.") says nothing of what
        # they do when a sentence does.
        said = [f for f in out if len(f.value) >= 40 and not _only_a_name(f.value)]
        return (said or out)[:3]

    def likely_formats(self) -> list[dict[str, Any]]:
        """Up to three formats worth naming (5% or more), else the most likely one."""
        formats = (self.address_format or {}).get("formats") or []
        return [f for f in formats if f.get("probability", 0) >= 0.05][:3] or formats[:1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "company": {"domain": self.domain, "name": self.name, "origin": self.origin},
            "generated_at": self.generated_at,
            "role_keywords": self.role_keywords,
            "facts": [f.to_dict() for f in self.facts],
            "social": [
                {"network": k, "url": v, "source": self.social_sources.get(k, "")}
                for k, v in self.social.items()
            ],
            "posts": [p.to_dict() for p in self.posts],
            "roles": [r.to_dict() for r in self.roles],
            "people": [p.to_dict() for p in self.people],
            "addresses": [a.to_dict() for a in self.addresses],
            "address_format": self.address_format,
            "talking_points": [t.to_dict() for t in self.talking_points],
            "sources": [s.to_dict() for s in self.sources],
            "notes": list(self.notes),
            "stats": dict(self.stats),
            # Added in reachout.brief/1 without a version change (new keys only):
            "hiring": [h.to_dict() for h in self.hiring],
            "tech_stack": [dict(t) for t in self.tech_stack],
            "roles_searched": list(self.roles_searched),
            "sections": [section.to_dict() for section in self.sections()],
        }

    # ------------------------------------------------------------------ sections
    def sections(self) -> list[Section]:
        """The brief as sections of items: the one model the Markdown, HTML and JSON share."""
        out: list[Section] = []
        glance = self._glance()
        if glance or self.social:
            items = []
            for label, facts in glance:
                spans = [Span(f"{label}:", style="strong")]
                for index, f in enumerate(facts):
                    spans += [Span("; " if index else " "), *_fact_spans(f)]
                items.append(Item(spans))
            if self.social:
                spans = [Span("Profiles:", style="strong"), Span(" ")]
                for index, (network, url) in enumerate(self.social.items()):
                    spans += [Span(", ")] * bool(index) + [Span(network, url)]
                items.append(Item(spans))
            out.append(Section("glance", "At a glance", items))
        about = self.about()
        if about:
            out.append(Section("about", "What they do", [
                Item([Span(f.value), Span(_host(f.source), f.source, "attribution")], "quote")
                for f in about
            ]))
        if self.posts:
            items = []
            for post in self.posts[:5]:
                items.append(Item([Span(f"{post.published or 'undated'} — "),
                                   Span(post.title, post.url)]))
            out.append(Section("posts", self._news_title(), items))
        out.append(self._roles_section())
        if self.hiring or self.tech_stack:
            items = []
            for hirer in self.hiring:
                spans = [Span(hirer.name, style="strong"),
                         Span(f" — {hirer.title} · {hirer.department}")]
                if hirer.hires_for:
                    spans.append(Span(f" · hires for {hirer.hires_for}"))
                if hirer.address:
                    spans += [Span(" · "), Span(hirer.address, style="code"),
                              Span(f" ({hirer.address_kind}"
                                   + (f", confidence {hirer.confidence:.0%}"
                                      if hirer.confidence is not None else "") + ")")]
                spans.append(Span("source", hirer.source, "source"))
                items.append(Item(spans))
            if self.tech_stack:
                posts = len([r for r in self.roles if r.text])
                named = ", ".join(f"{t['name']} ({t['posts']})" for t in self.tech_stack[:15])
                items.append(Item([Span("Tech stack named in job posts:", style="strong"),
                                   Span(f" {named} — across {posts} post(s)")]))
            out.append(Section("hiring", "Who hires", items))
        if self.people or self.addresses:
            items = []
            for person in self.people[:30]:
                spans = [Span(person.name, style="strong"), Span(f" — {person.title}")]
                if person.address:
                    spans.append(Span(f" · {person.address}"))
                if person.profile and safe_url(person.profile):
                    spans += [Span(" · "), Span("profile", person.profile)]
                spans.append(Span("source", person.source, "source"))
                items.append(Item(spans))
            shown = {p.address for p in self.people if p.address}
            for addr in self.addresses:
                if addr.kind == "personal" and addr.address not in shown:
                    who = f" ({addr.person})" if addr.person else ""
                    items.append(Item([Span(addr.address + who),
                                       Span("source", addr.source, "source")]))
            roles = [a for a in self.addresses if a.kind == "role"]
            if roles:
                spans = [Span("Role inboxes: ")]
                for index, a in enumerate(roles):
                    spans += [Span(", ")] * bool(index) + [Span(a.address),
                                                            Span("source", a.source, "source")]
                items.append(Item(spans))
            out.append(Section("people", "People and inboxes", items))
        if self.likely_formats():
            items = []
            for fmt in self.likely_formats():
                support = ", ".join(str(x) for x in fmt.get("support", [])[:5])
                items.append(Item([
                    Span(str(fmt.get("pattern", "")).replace("`", ""), style="code"),
                    Span(f" — probability {float(fmt.get('probability', 0)):.0%}"
                         + (f"; evidence: {support}" if support else "")),
                ]))
            out.append(Section("format", "The likely address format", items))
        if self.talking_points:
            out.append(Section("points", "Talking points", [
                Item([Span(p.text), Span("source", p.source, "source")])
                for p in self.talking_points
            ]))
        if self.notes:
            out.append(Section("notes", "What could not be gathered",
                               [Item([Span(n)]) for n in self.notes]))
        items = []
        for src in self.sources:
            state = f"HTTP {src.status}" if src.status else "no answer"
            if src.error:
                state += f", {src.error}"
            cached = ", from cache" if src.from_cache else ""
            if src.redirected_from:
                cached += f", redirected from {src.redirected_from}"
            if src.read_via:
                cached += f", read through {src.read_via}"
            items.append(Item([Span(src.url, src.url, "bare"),
                               Span(f" — {src.kind}, retrieved {src.retrieved_at} "
                                    f"({state}{cached})")]))
        out.append(Section("sources", "Sources", items, ordered=True))
        return out

    def _news_title(self) -> str:
        """ "Recent news and posts", unless the newest dated post is older than six months."""
        from reachout.research.pagedates import STALE_DAYS, age_days, day_of, month_year

        today = day_of(self.generated_at)
        dated = [p.published for p in self.posts if p.published and day_of(p.published)]
        newest = max(dated) if dated else None
        age = age_days(newest, today) if today and newest else None
        if newest and age is not None and age > STALE_DAYS:
            day = day_of(newest)
            assert day is not None
            return f"News and posts (stale: the latest is from {month_year(day)})"
        return "Recent news and posts"

    def _roles_section(self) -> Section:
        """Open roles; when there are none the section stays and says where the brief looked."""
        title = "Open roles"
        if self.role_keywords and self.roles:
            title += f" (matching “{self.role_keywords}” marked ★)"
        items = []
        for role in self.roles[:25]:
            spans = [Span("★ ")] * role.match + [Span(role.title, role.url or role.source)]
            meta = ", ".join(x for x in (role.team, role.location) if x)
            if role.remote and role.remote.lower() not in (role.location or "").lower():
                meta = ", ".join(x for x in (meta, role.remote) if x)
            if role.salary:
                meta = ", ".join(x for x in (meta, role.salary) if x)
            if meta:
                spans.append(Span(f" — {meta}"))
            dates = _role_dates(role)
            if dates:
                spans.append(Span(f" ({dates})"))
            spans.append(Span(f" · {role.provider}", style="small"))
            if role.hiring_manager:
                spans.append(Span(f" · reports to {role.hiring_manager}"))
            items.append(Item(spans, "match" if role.match else ""))
        if len(self.roles) > 25:
            items.append(Item([Span(f"… and {len(self.roles) - 25} more (see the JSON output)")]))
        if not self.roles:
            where = "; ".join(self.roles_searched) or "the pages read"
            items.append(Item([Span(f"No open roles found. Looked at: {where}.")]))
        return Section("roles", title, items)

    def _glance(self) -> list[tuple[str, list[Fact]]]:
        rows = []
        for key, label in GLANCE.items():
            facts = self.facts_for(key)
            if facts:
                rows.append((label, facts))
        return rows

    # ------------------------------------------------------------------ renderers
    def to_markdown(self) -> str:
        """The brief as Markdown; scraped text is escaped so it cannot add links or markup."""
        out: list[str] = [f"# {md(self.name or self.domain)} — company brief", ""]
        out.append(
            f"*{md(self.domain)} · generated {self.generated_at} · every item links its source*"
        )
        out.append("")
        for section in self.sections():
            out += [f"## {md(section.title)}", ""]
            for item in section.items:
                if item.block == "quote":
                    body, attribution = item.spans[:-1], item.spans[-1]
                    out.append("> " + "".join(_md_span(x) for x in body))
                    out.append(f"> — [{md(attribution.text)}]({md_url(attribution.url or '')})")
                    out.append("")
                else:
                    out.append("- " + "".join(_md_span(x) for x in item.spans))
            if not section.items or section.items[-1].block != "quote":
                out.append("")
        return "\n".join(out).rstrip() + "\n"

    def to_html(self) -> str:
        """One self-contained page (inline CSS, no scripts, nothing remote); all text escaped."""
        e = _esc
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">",
            '<meta name="referrer" content="no-referrer">',
            f"<title>{e(self.name or self.domain)} — company brief</title>",
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
            "padding:0 1rem;color:#222}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;"
            "border-bottom:1px solid #ddd}small,.meta{color:#666}blockquote{margin:.5rem 0;"
            "padding-left:1rem;border-left:3px solid #ccc}li{margin:.2rem 0}"
            ".match{font-weight:bold}"
            "</style></head><body>",
            f"<h1>{e(self.name or self.domain)} — company brief</h1>",
            f'<p class="meta">{e(self.domain)} · generated {e(self.generated_at)}</p>',
        ]
        for section in self.sections():
            parts.append(f'<h2 id="{e(section.key)}">{e(section.title)}</h2>')
            quotes = [i for i in section.items if i.block == "quote"]
            for item in quotes:
                parts.append(f"<blockquote>{''.join(_html_span(x) for x in item.spans)}"
                             "</blockquote>")
            listed = [i for i in section.items if i.block != "quote"]
            if listed:
                tag = "ol" if section.ordered else "ul"
                parts.append(f"<{tag}>")
                for item in listed:
                    cls = f' class="{e(item.cls)}"' if item.cls else ""
                    parts.append(f"<li{cls}>{''.join(_html_span(x) for x in item.spans)}</li>")
                parts.append(f"</{tag}>")
        parts.append("</body></html>")
        # _esc leaves control and bidi characters (HTML has no escape for them): a page printed to a
        # terminal must not retitle or clear it.
        return terminal_text("\n".join(parts) + "\n")


@dataclass
class Span:
    """A run of text in a brief's item: plain, a link, or styled (strong, code, small), or a
    citation (`source`: "([source](url))"), a quote's attribution, a bare URL."""

    text: str
    url: str | None = None
    style: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "url": self.url, "style": self.style or None}


@dataclass
class Item:
    spans: list[Span]
    block: str = "li"  # li | quote
    cls: str = ""  # match: it matches --role

    @property
    def text(self) -> str:
        return "".join(
            f" ({s.text}: {s.url})" if s.style == "source" else s.text for s in self.spans
        ).strip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "links": [s.to_dict() for s in self.spans if s.url],
            "match": self.cls == "match",
        }


@dataclass
class Section:
    key: str
    title: str
    items: list[Item]
    ordered: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "items": [i.to_dict() for i in self.items]}


def _fact_spans(fact: Fact) -> list[Span]:
    spans = [Span(fact.value)]
    if fact.quote and fact.quote != fact.value:
        spans.append(Span(f" — “{fact.quote}”"))
    elif fact.quote:
        spans = [Span(f"“{fact.value}”")]
    return [*spans, Span("source", fact.source, "source")]


def _md_span(span: Span) -> str:
    if span.style == "source":
        return _md_source(span.text, span.url or "")
    if span.style == "bare":
        return f"<{md_url(span.url or '')}>"
    if span.url:
        return f"[{md(span.text)}]({md_url(span.url)})"
    if span.style == "strong":
        return f"**{md(span.text)}**"
    if span.style == "code":
        return f"`{span.text.replace('`', '')}`"
    return md(span.text)


def _md_source(text: str, url: str) -> str:
    """A citation: a link to a web source; a DNS URI (RFC 4501: dns:acme.com?type=MX) named, as no
    browser opens it; nothing for a source that is neither, rather than a link to nowhere."""
    if safe_url(url):
        return f" ([{md(text)}]({md_url(url)}))"
    if url.startswith("dns:") and url.isprintable() and " " not in url:
        return f" ({md(text)}: `{url.replace('`', '')}`)"
    return ""


def _html_span(span: Span) -> str:
    if span.style in {"source", "attribution"}:
        return " " + _src(span.url or "")
    if span.url:
        return _a(span.url, span.text)
    if span.style in {"strong", "code", "small"}:
        return f"<{span.style}>{_esc(span.text)}</{span.style}>"
    return _esc(span.text)


# ---------------------------------------------------------------------------------- helpers
def _norm(value: str) -> str:
    return re.sub(r"\W+", " ", value.lower()).strip()


def _similar(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    return na == nb or (len(na) > 20 and (na in nb or nb in na))


def _only_a_name(text: str) -> bool:
    """ "International Interactive Computing Collaboration": every word capitalised, no
    sentence — a name spelled out, not what the organisation does."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    small = {"of", "for", "and", "the", "in", "on", "de", "des", "du", "und", "für", "y", "&"}
    return 0 < len(words) <= 8 and all(w[0].isupper() or w.lower() in small for w in words)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _role_dates(role: Role) -> str:
    parts = []
    if role.posted:
        parts.append(f"posted {role.posted}")
    if role.updated and role.updated != role.posted:
        parts.append(f"updated {role.updated}")
    if role.closes:
        parts.append(f"closes {role.closes}")
    return ", ".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Scraped text made inert in Markdown: emphasis, link and code characters escaped, tags too."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    # A leading #, + or ! would start a heading, a list or an image.
    return re.sub(r"^([#+!-])", r"\\\1", text)


def md_url(url: str) -> str:
    """A URL safe inside Markdown link parentheses (http/https only, delimiters percent-encoded)."""
    if not safe_url(url):
        return "#"
    return (
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def safe_url(url: str) -> bool:
    return (
        isinstance(url, str)
        and urlsplit(url).scheme in {"http", "https"}
        and not any(ch.isspace() or not ch.isprintable() for ch in url)
    )


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _a(url: str, text: str) -> str:
    if not safe_url(url):
        return _esc(text)
    return f'<a href="{_esc(url)}" rel="noopener noreferrer nofollow">{_esc(text)}</a>'


def _src(url: str) -> str:
    return f"<small>[{_a(url, _host(url))}]</small>" if safe_url(url) else ""
