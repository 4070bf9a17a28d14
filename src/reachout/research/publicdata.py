"""Public facts from Wikidata (found by official website, P856) and the Wikipedia page summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from reachout.decode import Anything, Int, List, Map, Obj, OneOf, Scalar, Shape, Str, decode_json
from reachout.errors import BadAnswer
from reachout.research.site import page_text

# Wikidata properties read for a company, and the fact key each becomes.
ITEM_PROPERTIES = {
    "P571": "founded",  # inception
    "P159": "headquarters",
    "P452": "industry",
    "P1128": "employees",
    "P169": "ceo",
    "P112": "founders",
    "P1448": "legal_name",  # official name
}
SOCIAL_PROPERTIES = {
    "P2002": ("x", "https://x.com/{}"),
    "P4264": ("linkedin", "https://www.linkedin.com/company/{}"),
    "P2037": ("github", "https://github.com/{}"),
    "P2397": ("youtube", "https://www.youtube.com/channel/{}"),
    "P2013": ("facebook", "https://www.facebook.com/{}"),
    "P2003": ("instagram", "https://www.instagram.com/{}"),
}


def website_variants(domain: str, origin: str | None = None) -> list[str]:
    """The spellings of a company's home page that Wikidata's P856 values use in practice."""
    hosts = [domain, f"www.{domain}"]
    out = []
    for scheme in ("https", "http"):
        for host in hosts:
            out.extend([f"{scheme}://{host}", f"{scheme}://{host}/"])
    if origin:
        out.extend([origin.rstrip("/"), origin.rstrip("/") + "/"])
    return list(dict.fromkeys(out))


def sparql_query(domain: str, origin: str | None = None) -> str:
    """SPARQL for items whose official website (P856) is one of the home page's spellings."""
    values = " ".join(f"<{u}>" for u in website_variants(domain, origin) if _iri_safe(u))
    return (
        f"SELECT DISTINCT ?item WHERE {{ VALUES ?site {{ {values} }} ?item wdt:P856 ?site . }} "
        "LIMIT 5"
    )


def _iri_safe(url: str) -> bool:
    return not re.search(r"[<>\"{}|\\^`\s]", url)


# ---------------------------------------------------------------- the answers' shapes
# Only the fields the parsers read. Wikibase JSON: www.wikidata.org/wiki/Help:Wikidata_datamodel,
# the action API's errors: www.mediawiki.org/wiki/API:Errors_and_warnings.
_IN_LANGUAGE = Map(Obj({"value": Str()}, required=("value",)))  # labels, descriptions
_SNAK = Obj({
    "snaktype": Str(),
    "datavalue": Obj({"value": OneOf(Str(), Obj({
        "id": Str(), "time": Str(), "precision": Int(), "amount": Scalar(), "text": Str(),
    }))}),
})
CLAIM = Obj({"rank": Str(), "mainsnak": _SNAK, "qualifiers": Map(List(_SNAK))},
             required=("mainsnak",))
ENTITY = Obj({
    "missing": Anything(),
    "labels": _IN_LANGUAGE,
    "descriptions": _IN_LANGUAGE,
    "aliases": Map(List(Obj({"value": Str()}, required=("value",)))),
    "claims": Map(List(CLAIM)),
    "sitelinks": Map(Obj({"title": Str()}, required=("title",))),
})
ENTITIES = Obj({"entities": Map(ENTITY)}, required=("entities",))  # action=wbgetentities
LABELS = Obj({"entities": Map(Obj({"labels": _IN_LANGUAGE}))}, required=("entities",))
SPARQL = Obj({"results": Obj({"bindings": List(Obj({"item": Obj({"value": Str()})}))},
                             required=("bindings",))}, required=("results",))
SUMMARY = Obj({  # Wikipedia REST page/summary
    "type": Str(), "title": Str(), "extract": Str(), "description": Str(),
    "content_urls": Obj({"desktop": Obj({"page": Str()})}),
})
_API_ERROR = Obj({"error": OneOf(Obj({"code": Str(), "info": Str()}), Str())}, required=("error",))


def mediawiki_json(text: str | bytes, shape: Shape, *, source: str, notes: list[str] | None = None) -> Any:
    """A MediaWiki action API answer (Wikidata, Wikipedia) of SHAPE; BadAnswer("SOURCE: …") when it
    is not, saying the service's own error (`{"error": {"code", "info"}}`) when it sent one."""
    try:
        return decode_json(text, shape, source=source, notes=notes)
    except BadAnswer as wrong:
        error = api_error(text, source=source)
        if error is None:
            raise
        raise BadAnswer(f"{source}: the service answered an error: {error[1] or error[0]}") from wrong


def api_error(text: str | bytes, *, source: str) -> tuple[str, str] | None:
    """(code, info) of a MediaWiki error answer; None when TEXT is not one."""
    try:
        error = decode_json(text, _API_ERROR, source=source)["error"]
    except BadAnswer:
        return None
    if isinstance(error, str):
        return "", page_text(error, 200)
    return page_text(error.get("code"), 80), page_text(error.get("info"), 200)


def items_from_sparql(text: str | bytes, notes: list[str] | None = None) -> list[str]:
    """Q-ids from a SPARQL JSON result, lowest number first (the older, canonical item)."""
    doc = decode_json(text, SPARQL, source="Wikidata SPARQL", notes=notes)
    ids = []
    for binding in doc["results"]["bindings"]:
        value = binding.get("item", {}).get("value", "")
        match = re.search(r"/(Q\d+)$", value)
        if match:
            ids.append(match.group(1))
    # Numeric order without int(): a Q-id of 5,000 digits is past Python's int-from-text limit.
    return sorted(set(ids), key=lambda q: (len(q), q))


@dataclass
class WikidataItem:
    """What one Wikidata item says about the company (label ids still to be named)."""

    qid: str
    label: str | None = None
    description: str | None = None
    claims: dict[str, list[Any]] = field(default_factory=dict)  # fact key -> values (Q-ids or text)
    social: dict[str, str] = field(default_factory=dict)
    enwiki: str | None = None

    def referenced_ids(self) -> list[str]:
        return sorted(
            {
                v
                for vs in self.claims.values()
                for v in vs
                if isinstance(v, str) and re.fullmatch(r"Q\d+", v)
            }
        )


def parse_entity(text: str, qid: str, notes: list[str] | None = None) -> WikidataItem:
    """An item from a wbgetentities answer (claims, English label/description, enwiki sitelink)."""
    doc = mediawiki_json(text, ENTITIES, source=f"Wikidata item {qid}", notes=notes)
    entity = doc["entities"].get(qid)
    if entity is None or "missing" in entity:
        raise BadAnswer(f"Wikidata item {qid}: missing from the answer")
    item = WikidataItem(qid)
    item.label = page_text(entity.get("labels", {}).get("en", {}).get("value"), 200) or None
    item.description = (
        page_text(entity.get("descriptions", {}).get("en", {}).get("value"), 300) or None
    )
    item.enwiki = entity.get("sitelinks", {}).get("enwiki", {}).get("title") or None
    claims = entity.get("claims", {})
    for prop, key in ITEM_PROPERTIES.items():
        values = [_claim_value(c) for c in _ranked(claims.get(prop, []))]
        if prop == "P1128":  # a head count is for a date: its "point in time" (P585) qualifier
            values = [
                f"{v} ({year})" if v and (year := _point_in_time(c)) else v
                for v, c in zip(values, _ranked(claims.get(prop, [])), strict=True)
            ]
        values = [v for v in values if v not in (None, "")]
        if values:
            item.claims[key] = values
    for prop, (network, template) in SOCIAL_PROPERTIES.items():
        values = [_claim_value(c) for c in _ranked(claims.get(prop, []))]
        first = next(
            (v for v in values if isinstance(v, str) and re.fullmatch(r"[\w.@-]+", v)), None
        )
        if first:
            item.social[network] = template.format(quote(first))
    return item


def best_values(claims: list[dict[str, Any]]) -> list[Any]:
    """The values of a property's statements (of the checked shape in ENTITY) of best rank
    (Q-ids, times, amounts, text)."""
    return [_claim_value(c) for c in _ranked(claims)]


def _point_in_time(claim: dict[str, Any]) -> str | None:
    """The year of a statement's P585 ("point in time") qualifier, if it has one."""
    for qualifier in claim.get("qualifiers", {}).get("P585", []):
        value = _claim_value({"mainsnak": qualifier})
        if isinstance(value, str) and re.match(r"\d{4}", value):
            return value[:4]
    return None


def _ranked(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Preferred statements only when there are some (Wikidata's 'best rank'), never deprecated.
    CLAIMS are of the checked shape (CLAIM)."""
    claims = [c for c in claims if c.get("rank") != "deprecated"]
    preferred = [c for c in claims if c.get("rank") == "preferred"]
    return preferred or claims


def _claim_value(claim: dict[str, Any]) -> Any:
    """A checked claim's value (CLAIM): a Q-id, a date as precise as stated, an amount or text."""
    snak = claim["mainsnak"]
    if snak.get("snaktype") != "value":
        return None
    value = snak.get("datavalue", {}).get("value")
    if isinstance(value, dict):
        if "id" in value:
            return value["id"]
        if "time" in value:  # "+1998-09-04T00:00:00Z" with a precision: 9 year, 10 month, 11 day
            match = re.match(r"[+-]?(\d{4})-(\d{2})-(\d{2})", value["time"])
            if not match:
                return None
            precision = value.get("precision", 11)
            year, month, day = match.groups()
            return (
                year
                if precision <= 9
                else f"{year}-{month}"
                if precision == 10
                else f"{year}-{month}-{day}"
            )
        if "amount" in value:
            return str(value["amount"]).lstrip("+")
        if "text" in value:
            return value["text"]
    return value if isinstance(value, str) else None


def labels_from_entities(text: str, notes: list[str] | None = None) -> dict[str, str]:
    """English labels of the items in a wbgetentities answer."""
    doc = mediawiki_json(text, LABELS, source="Wikidata labels", notes=notes)
    out = {}
    for qid, entity in doc["entities"].items():
        label = entity.get("labels", {}).get("en", {}).get("value")
        if label:
            out[qid] = page_text(label, 120)
    return out


@dataclass
class WikipediaSummary:
    title: str
    extract: str
    url: str
    description: str | None = None


def summary_url(base: str, title: str) -> str:
    """The REST summary endpoint for TITLE (spaces as underscores, path-escaped)."""
    return f"{base}/api/rest_v1/page/summary/{quote(title.replace(' ', '_'), safe='')}"


def parse_summary(
    text: str, fallback_url: str, notes: list[str] | None = None
) -> WikipediaSummary | None:
    """Title, first paragraph and page URL of a page/summary answer (None: disambiguation)."""
    doc = decode_json(text, SUMMARY, source="Wikipedia summary", notes=notes)
    if doc.get("type") == "disambiguation":
        return None
    extract = page_text(doc.get("extract"), 1200)
    if not extract:
        return None
    page = doc.get("content_urls", {}).get("desktop", {}).get("page")
    url = (
        page if isinstance(page, str) and page.startswith(("http://", "https://")) else fallback_url
    )
    return WikipediaSummary(
        page_text(doc.get("title"), 200),
        extract,
        url,
        page_text(doc.get("description"), 200) or None,
    )
