"""The brief: a sourced, dated one-pager about a company, as Markdown, JSON or one HTML page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from reachout.research.feeds import Post
from reachout.research.jobs import Role

SCHEMA = "reachout.brief/1"

# Fact keys in the order "At a glance" shows them, with their labels. A `mail` fact kind is the hook
# for the verify engine's mail setup (provider, SPF services) once `reachout.dnscheck` lands.
GLANCE = {
    "name": "Name",
    "legal_name": "Legal name",
    "website": "Website",
    "founded": "Founded",
    "founders": "Founders",
    "ceo": "CEO",
    "headquarters": "Headquarters",
    "address": "Address",
    "employees": "Employees",
    "register": "Register",
    "vat_id": "VAT ID",
    "managing_directors": "Managing directors",
    "industry": "Industry",
    "language": "Language",
    "wikidata": "Wikidata",
    "mail_provider": "Mail provider",
    "spf_services": "Sends mail through",
}
ABOUT_KEYS = (
    "wikipedia_summary",
    "description",
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

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "source": self.source, "kind": self.kind}


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "kind": self.kind,
            "retrieved_at": self.retrieved_at,
            "status": self.status,
            "from_cache": self.from_cache,
            "error": self.error,
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
        return out[:3]

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
        }

    # ------------------------------------------------------------------ Markdown
    def to_markdown(self) -> str:
        """The brief as Markdown; scraped text is escaped so it cannot add links or markup."""
        out: list[str] = [f"# {md(self.name or self.domain)} — company brief", ""]
        out.append(
            f"*{md(self.domain)} · generated {self.generated_at} · every item links its source*"
        )
        out.append("")
        glance = self._glance()
        if glance:
            out += ["## At a glance", ""]
            for label, facts in glance:
                values = "; ".join(f"{md(f.value)} ([source]({md_url(f.source)}))" for f in facts)
                out.append(f"- **{label}:** {values}")
            if self.social:
                links = ", ".join(f"[{md(k)}]({md_url(v)})" for k, v in self.social.items())
                out.append(f"- **Profiles:** {links}")
            out.append("")
        about = self.about()
        if about:
            out += ["## What they do", ""]
            for fact in about:
                out.append(f"> {md(fact.value)}")
                out.append(f"> — [{md(_host(fact.source))}]({md_url(fact.source)})")
                out.append("")
        if self.posts:
            out += ["## Recent news and posts", ""]
            for post in self.posts[:5]:
                date = post.published or "undated"
                out.append(f"- {date} — [{md(post.title)}]({md_url(post.url)})")
            out.append("")
        if self.roles:
            heading = "## Open roles"
            if self.role_keywords:
                heading += f" (matching “{md(self.role_keywords)}” marked ★)"
            out += [heading, ""]
            for role in self.roles[:25]:
                star = "★ " if role.match else ""
                meta = ", ".join(md(x) for x in (role.team, role.location) if x)
                dates = _role_dates(role)
                out.append(
                    f"- {star}[{md(role.title)}]({md_url(role.url or role.source)})"
                    + (f" — {meta}" if meta else "")
                    + (f" ({dates})" if dates else "")
                    + f" · {md(role.provider)}"
                )
            if len(self.roles) > 25:
                out.append(f"- … and {len(self.roles) - 25} more (see the JSON output)")
            out.append("")
        if self.people or self.addresses:
            out += ["## People and inboxes", ""]
            for person in self.people[:30]:
                mail = f" · {md(person.address)}" if person.address else ""
                if person.profile and safe_url(person.profile):
                    mail += f" · [profile]({md_url(person.profile)})"
                out.append(
                    f"- **{md(person.name)}** — {md(person.title)}{mail} "
                    f"([source]({md_url(person.source)}))"
                )
            roles = [a for a in self.addresses if a.kind == "role"]
            personal = [
                a
                for a in self.addresses
                if a.kind == "personal" and not any(p.address == a.address for p in self.people)
            ]
            for addr in personal:
                who = f" ({md(addr.person)})" if addr.person else ""
                out.append(f"- {md(addr.address)}{who} ([source]({md_url(addr.source)}))")
            if roles:
                out.append(
                    "- Role inboxes: "
                    + ", ".join(f"{md(a.address)} ([source]({md_url(a.source)}))" for a in roles)
                )
            out.append("")
        if self.likely_formats():
            out += ["## The likely address format", ""]
            for fmt in self.likely_formats():
                support = ", ".join(md(str(s)) for s in fmt.get("support", [])[:5])
                pattern = str(fmt.get("pattern", "")).replace("`", "")
                out.append(
                    f"- `{pattern}` — probability {float(fmt.get('probability', 0)):.0%}"
                    + (f"; evidence: {support}" if support else "")
                )
            out.append("")
        if self.talking_points:
            out += ["## Talking points", ""]
            for point in self.talking_points:
                out.append(f"- {md(point.text)} ([source]({md_url(point.source)}))")
            out.append("")
        if self.notes:
            out += ["## What could not be gathered", ""]
            out += [f"- {md(note)}" for note in self.notes]
            out.append("")
        out += ["## Sources", ""]
        for src in self.sources:
            state = f"HTTP {src.status}" if src.status else "no answer"
            if src.error:
                state += f", {md(src.error)}"
            cached = ", from cache" if src.from_cache else ""
            out.append(
                f"- <{md_url(src.url)}> — {src.kind}, retrieved {src.retrieved_at} "
                f"({state}{cached})"
            )
        return "\n".join(out).rstrip() + "\n"

    def _glance(self) -> list[tuple[str, list[Fact]]]:
        rows = []
        for key, label in GLANCE.items():
            facts = self.facts_for(key)
            if facts:
                rows.append((label, facts))
        return rows

    # ------------------------------------------------------------------ HTML
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
        glance = self._glance()
        if glance or self.social:
            parts.append("<h2>At a glance</h2><ul>")
            for label, facts in glance:
                values = "; ".join(f"{e(f.value)} {_src(f.source)}" for f in facts)
                parts.append(f"<li><strong>{e(label)}:</strong> {values}</li>")
            if self.social:
                links = ", ".join(_a(url, network) for network, url in self.social.items())
                parts.append(f"<li><strong>Profiles:</strong> {links}</li>")
            parts.append("</ul>")
        about = self.about()
        if about:
            parts.append("<h2>What they do</h2>")
            for fact in about:
                parts.append(f"<blockquote>{e(fact.value)} {_src(fact.source)}</blockquote>")
        if self.posts:
            parts.append("<h2>Recent news and posts</h2><ul>")
            for post in self.posts[:5]:
                parts.append(
                    f"<li>{e(post.published or 'undated')} — {_a(post.url, post.title)}</li>"
                )
            parts.append("</ul>")
        if self.roles:
            parts.append("<h2>Open roles</h2><ul>")
            for role in self.roles[:25]:
                meta = ", ".join(x for x in (role.team, role.location) if x)
                dates = _role_dates(role)
                cls = ' class="match"' if role.match else ""
                parts.append(
                    f"<li{cls}>{'★ ' if role.match else ''}"
                    f"{_a(role.url or role.source, role.title)}"
                    f"{' — ' + e(meta) if meta else ''}{' (' + e(dates) + ')' if dates else ''}"
                    f" <small>{e(role.provider)}</small></li>"
                )
            parts.append("</ul>")
        if self.people or self.addresses:
            parts.append("<h2>People and inboxes</h2><ul>")
            for person in self.people[:30]:
                mail = f" · {e(person.address)}" if person.address else ""
                if person.profile and safe_url(person.profile):
                    mail += " · " + _a(person.profile, "profile")
                parts.append(
                    f"<li><strong>{e(person.name)}</strong> — {e(person.title)}{mail} "
                    f"{_src(person.source)}</li>"
                )
            for addr in self.addresses:
                if any(p.address == addr.address for p in self.people):
                    continue
                label = "role inbox" if addr.kind == "role" else (addr.person or "personal")
                parts.append(
                    f"<li>{e(addr.address)} <small>({e(label)})</small> {_src(addr.source)}</li>"
                )
            parts.append("</ul>")
        if self.likely_formats():
            parts.append("<h2>The likely address format</h2><ul>")
            for fmt in self.likely_formats():
                support = ", ".join(str(s) for s in fmt.get("support", [])[:5])
                parts.append(
                    f"<li><code>{e(str(fmt.get('pattern')))}</code> — "
                    f"{float(fmt.get('probability', 0)):.0%}"
                    f"{'; evidence: ' + e(support) if support else ''}</li>"
                )
            parts.append("</ul>")
        if self.talking_points:
            parts.append("<h2>Talking points</h2><ul>")
            for point in self.talking_points:
                parts.append(f"<li>{e(point.text)} {_src(point.source)}</li>")
            parts.append("</ul>")
        if self.notes:
            parts.append("<h2>What could not be gathered</h2><ul>")
            parts += [f"<li>{e(note)}</li>" for note in self.notes]
            parts.append("</ul>")
        parts.append("<h2>Sources</h2><ol>")
        for src in self.sources:
            state = f"HTTP {src.status}" if src.status else "no answer"
            if src.error:
                state += f", {src.error}"
            parts.append(
                f"<li>{_a(src.url, src.url)} <small>{e(src.kind)}, retrieved "
                f"{e(src.retrieved_at)} ({e(state)}{', from cache' if src.from_cache else ''})"
                f"</small></li>"
            )
        parts.append("</ol></body></html>")
        return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------- helpers
def _norm(value: str) -> str:
    return re.sub(r"\W+", " ", value.lower()).strip()


def _similar(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    return na == nb or (len(na) > 20 and (na in nb or nb in na))


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
