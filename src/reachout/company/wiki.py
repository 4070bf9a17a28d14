"""Read Wikidata's entity search and entities, and Wikipedia's infobox website, for a company name.

Shapes as the live APIs answer: `action=wbsearchentities` (search[].id/label/match/aliases),
`action=wbgetentities` (entities.Q….labels/aliases/descriptions/claims/sitelinks, claims as
mainsnak.datavalue), and `action=parse&prop=wikitext` (parse.wikitext, formatversion=2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from reachout.decode import List, Obj, OneOf, Str
from reachout.errors import BadAnswer
from reachout.research.publicdata import ENTITIES, api_error, best_values, mediawiki_json

# The claims a candidate needs, and the key each becomes.
CLAIMS = {
    "P856": "website",
    "P17": "country",
    "P159": "headquarters",
    "P452": "industry",
    "P1128": "employees",
    "P571": "inception",
    "P749": "parent",
    "P31": "instance_of",
}


@dataclass
class SearchHit:
    """One answer of wbsearchentities: the item, its label, and what the search matched."""

    qid: str
    label: str
    description: str
    matched: str  # the label or alias text that matched the search
    match_type: str  # "label" or "alias"
    rank: int


@dataclass
class Entity:
    """What a Wikidata item says that helps find its domain."""

    qid: str
    label: str = ""
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    claims: dict[str, list[str]] = field(default_factory=dict)
    enwiki: str | None = None

    def first(self, key: str) -> str | None:
        values = self.claims.get(key) or []
        return values[0] if values else None

    @property
    def url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.qid}"


def search_params(name: str, language: str, limit: int) -> dict[str, str]:
    """wbsearchentities parameters: items whose label or alias in LANGUAGE starts with NAME."""
    return {
        "action": "wbsearchentities",
        "search": name,
        "language": language,
        "uselang": language,
        "type": "item",
        "limit": str(limit),
        "format": "json",
    }


# action=wbsearchentities: only the fields parse_search reads.
SEARCH = Obj({"search": List(Obj({
    "id": Str(pattern=r"Q\d+"), "label": Str(), "description": Str(),
    "match": Obj({"text": Str(), "type": Str()}),
}, required=("id",)))}, required=("search",))


def parse_search(text: str, notes: list[str] | None = None) -> list[SearchHit]:
    """The hits of a wbsearchentities answer, in the search's order."""
    doc = mediawiki_json(text, SEARCH, source="Wikidata search", notes=notes)
    hits = []
    for rank, item in enumerate(doc["search"]):
        match = item.get("match", {})
        label = item.get("label") or ""
        hits.append(
            SearchHit(
                qid=item["id"],
                label=label,
                description=item.get("description") or "",
                matched=match.get("text") or label,
                match_type=match.get("type") or "label",
                rank=rank,
            )
        )
    return hits


def entities_params(ids: list[str], languages: list[str]) -> dict[str, str]:
    """wbgetentities parameters for IDS at once: labels, aliases, descriptions, claims, enwiki."""
    return {
        "action": "wbgetentities",
        "ids": "|".join(ids),
        "props": "labels|aliases|descriptions|claims|sitelinks",
        "languages": "|".join(dict.fromkeys(languages)),
        "sitefilter": "enwiki",
        "format": "json",
    }


def parse_entities(text: str, languages: list[str], notes: list[str] | None = None
                   ) -> dict[str, Entity]:
    """The items of a wbgetentities answer (missing ones left out), labels in LANGUAGES' order."""
    doc = mediawiki_json(text, ENTITIES, source="Wikidata entities", notes=notes)
    out: dict[str, Entity] = {}
    for qid, raw in doc["entities"].items():
        if "missing" in raw or not re.fullmatch(r"Q\d+", qid):
            continue
        entity = Entity(qid)
        entity.label = _in_language(raw.get("labels", {}), languages)
        entity.description = _in_language(raw.get("descriptions", {}), languages)
        for language in languages:
            entity.aliases.extend(a["value"] for a in raw.get("aliases", {}).get(language, [])
                                  if a["value"])
        entity.enwiki = raw.get("sitelinks", {}).get("enwiki", {}).get("title") or None
        claims = raw.get("claims", {})
        for prop, key in CLAIMS.items():
            kept = [v for v in best_values(claims.get(prop, [])) if isinstance(v, str) and v]
            if kept:
                entity.claims[key] = kept
        out[qid] = entity
    return out


def _in_language(values: dict[str, dict[str, str]], languages: list[str]) -> str:
    """The first of LANGUAGES' values in a checked labels/descriptions map."""
    return next((values[lang]["value"] for lang in languages if values.get(lang, {}).get("value")),
                "")


def parse_params(title: str) -> dict[str, str]:
    """action=parse parameters for the lead section's wikitext (the infobox) of TITLE."""
    return {
        "action": "parse",
        "page": title,
        "prop": "wikitext",
        "section": "0",
        "redirects": "1",
        "format": "json",
        "formatversion": "2",
    }


def page_url(base: str, title: str) -> str:
    """A Wikipedia page's address, for the evidence."""
    return f"{base}/wiki/{quote(title.replace(' ', '_'), safe='')}"


# action=parse&prop=wikitext: formatversion=2 gives the text, formatversion=1 {"*": text}.
PARSE = Obj({"parse": Obj({
    "title": Str(), "wikitext": OneOf(Str(), Obj({"*": Str()}, required=("*",))),
}, required=("wikitext",))}, required=("parse",))


def parse_wikitext(text: str, notes: list[str] | None = None) -> tuple[str, str] | None:
    """(title, lead wikitext) of an action=parse answer; None for a missing page."""
    try:
        parse = mediawiki_json(text, PARSE, source="Wikipedia", notes=notes)["parse"]
    except BadAnswer:
        error = api_error(text, source="Wikipedia")
        if error is not None and error[0] in {"missingtitle", "invalidtitle", "nosuchsection"}:
            return None
        raise
    wikitext = parse["wikitext"]
    if isinstance(wikitext, dict):
        wikitext = wikitext["*"]
    return parse.get("title", ""), wikitext


# Patterns applied to remote wikitext run in linear time: the infobox is read line by line, and
# no pattern has two quantifiers that can share characters (a 3 MB answer must not take hours).
_WEBSITE_KEYS = {"website", "homepage", "url"}
_TEMPLATE = re.compile(r"\{\{[ \t]*(?:URL|url|Url|Official website|official website)[ \t]*\|[ \t]*([^|}]+)")
# A link starts where a run of address characters starts (the look-behind), so a long run is
# tried once, not from each of its characters.
_LINK = re.compile(r"(?<![\w.-])((?:https?://)?[\w.-]+\.[a-z]{2,}[^\s\]|}]*)", re.IGNORECASE)


def infobox_website(wikitext: str) -> str | None:
    """The website an infobox states: `| website = {{URL|acme.com}}`, `[https://acme.com Acme]`
    or a bare address. `{{Official URL}}` (it only repeats Wikidata) and `{{URL|}}` give None.
    """
    for line in wikitext.splitlines():
        key, equals, value = line.strip().partition("=")
        if not equals or not key.startswith("|") or key[1:].strip().lower() not in _WEBSITE_KEYS:
            continue
        value = without_comments_and_refs(value).strip()
        template = _TEMPLATE.search(value)
        if template:
            candidate = template.group(1).strip()
        else:
            link = _LINK.search(value)
            candidate = link.group(1).strip() if link else ""
        if candidate and "." in candidate and " " not in candidate:
            return candidate
    return None


_OPENER = re.compile(r"<!--|<ref", re.IGNORECASE)
_REF_END = re.compile(r"</ref[ \t]*>", re.IGNORECASE)


def without_comments_and_refs(text: str) -> str:
    """TEXT without `<!-- … -->` comments and `<ref …/>`, `<ref>…</ref>` footnotes (an unclosed one
    runs to the end, as MediaWiki reads it), in one pass."""
    out, at = [], 0
    while (opener := _OPENER.search(text, at)) is not None:
        out.append(text[at:opener.start()])
        if opener.group() == "<!--":
            end = text.find("-->", opener.end())
            at = end + 3 if end >= 0 else len(text)
            continue
        close = text.find(">", opener.end())
        if close < 0:
            return "".join(out)
        if text[close - 1] == "/":  # <ref name="x" />
            at = close + 1
            continue
        end_tag = _REF_END.search(text, close)
        at = end_tag.end() if end_tag else len(text)
    out.append(text[at:])
    return "".join(out)
