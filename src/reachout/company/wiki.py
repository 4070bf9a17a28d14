"""Read Wikidata's entity search and entities, and Wikipedia's infobox website, for a company name.

Shapes as the live APIs answer: `action=wbsearchentities` (search[].id/label/match/aliases),
`action=wbgetentities` (entities.Q….labels/aliases/descriptions/claims/sitelinks, claims as
mainsnak.datavalue), and `action=parse&prop=wikitext` (parse.wikitext, formatversion=2).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from reachout.research.publicdata import best_values

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


def parse_search(text: str) -> list[SearchHit]:
    """The hits of a wbsearchentities answer, in the search's order."""
    doc = json.loads(text)
    if not isinstance(doc, dict):
        return []
    if "error" in doc:
        raise ValueError(str(doc["error"].get("info") or doc["error"]))
    hits = []
    for rank, item in enumerate(doc.get("search") or []):
        if not isinstance(item, dict) or not re.fullmatch(r"Q\d+", str(item.get("id", ""))):
            continue
        raw_match = item.get("match")
        match: dict[str, Any] = raw_match if isinstance(raw_match, dict) else {}
        label = str(item.get("label") or "")
        hits.append(
            SearchHit(
                qid=item["id"],
                label=label,
                description=str(item.get("description") or ""),
                matched=str(match.get("text") or label),
                match_type=str(match.get("type") or "label"),
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


def parse_entities(text: str, languages: list[str]) -> dict[str, Entity]:
    """The items of a wbgetentities answer (missing ones left out), labels in LANGUAGES' order."""
    doc = json.loads(text)
    out: dict[str, Entity] = {}
    for qid, raw in (doc.get("entities") or {}).items():
        if not isinstance(raw, dict) or "missing" in raw or not re.fullmatch(r"Q\d+", qid):
            continue
        entity = Entity(qid)
        entity.label = _in_language(raw.get("labels"), languages)
        entity.description = _in_language(raw.get("descriptions"), languages)
        for language in languages:
            for alias in (raw.get("aliases") or {}).get(language) or []:
                if isinstance(alias, dict) and alias.get("value"):
                    entity.aliases.append(str(alias["value"]))
        entity.enwiki = ((raw.get("sitelinks") or {}).get("enwiki") or {}).get("title") or None
        claims = raw.get("claims") or {}
        for prop, key in CLAIMS.items():
            values = best_values(claims.get(prop) or [])
            kept = [str(v) for v in values if isinstance(v, str) and v]
            if kept:
                entity.claims[key] = kept
        out[qid] = entity
    return out


def _in_language(values: Any, languages: list[str]) -> str:
    if not isinstance(values, dict):
        return ""
    for language in languages:
        value = (values.get(language) or {}).get("value")
        if value:
            return str(value)
    return ""


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


def parse_wikitext(text: str) -> tuple[str, str] | None:
    """(title, lead wikitext) of an action=parse answer; None for a missing page."""
    doc = json.loads(text)
    if not isinstance(doc, dict) or "error" in doc:
        return None
    parse = doc.get("parse") or {}
    wikitext = parse.get("wikitext")
    if isinstance(wikitext, dict):  # formatversion=1: {"*": "…"}
        wikitext = wikitext.get("*")
    if not isinstance(wikitext, str):
        return None
    return str(parse.get("title") or ""), wikitext


_WEBSITE = re.compile(r"^\s*\|\s*(?:website|homepage|url)\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def infobox_website(wikitext: str) -> str | None:
    """The website an infobox states: `| website = {{URL|acme.com}}`, `[https://acme.com Acme]`
    or a bare address. `{{Official URL}}` (it only repeats Wikidata) and `{{URL|}}` give None.
    """
    for match in _WEBSITE.finditer(wikitext):
        value = match.group(1)
        value = re.sub(r"<!--.*?-->|<ref[^>]*/>|<ref[^>]*>.*?</ref>", "", value)
        template = re.search(
            r"\{\{\s*(?:URL|url|Url|Official website|official website)\s*\|\s*([^|}]+)", value
        )
        if template:
            candidate = template.group(1).strip()
        else:
            link = re.search(r"\[?((?:https?://)?[\w.-]+\.[a-z]{2,}[^\s\]|}]*)", value, re.IGNORECASE)
            candidate = link.group(1).strip() if link else ""
        if candidate and "." in candidate and " " not in candidate:
            return candidate
    return None
