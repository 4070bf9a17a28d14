"""Authors' addresses printed in research papers' affiliations (Europe PMC REST API, keyless).

`GET /search?query=AFF:"acme.com"&resultType=core&format=json` (europepmc.org/RestfulWebService)
finds papers whose author affiliations mention the domain; with `resultType=core` each result's
`authorList.author[]` carries `firstName`, `lastName` and `authorAffiliationDetailsList.
authorAffiliation[].affiliation`, where MEDLINE keeps the corresponding author's address
("… Acme Labs, Boston, USA. Electronic address: jane.doe@acme.com."). The paper's
`firstPublicationDate` dates the address.

The documentation gives no schema for the JSON author, and clients written against different
versions read it three ways: `authorAffiliationDetailsList.authorAffiliation[].affiliation` (today's
core answer), an older `authorAffiliationsList.authorAffiliation[]` of plain strings, and a single
`affiliation` string on the author; a one-item `authorAffiliation` may come as the item itself
rather than a list. All are read, and the same text once.
"""

from __future__ import annotations

import re
from typing import Any

from reachout.decode import List, Obj, OneOf, Scalar, Str, decode_json
from reachout.errors import BadAnswer
from reachout.evidence.hits import Hit, SourceRun, iso_date
from reachout.http import JSON_TYPES

NAME = "europepmc"
PAGE_SIZE = 100
_ADDRESS = r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}"

_AFFILIATION = OneOf(Obj({"affiliation": Str(max_len=2000)}), Str(max_len=2000))
_AFFILIATIONS = Obj({"authorAffiliation": OneOf(List(_AFFILIATION, max_items=20), _AFFILIATION)})
AUTHOR = Obj({
    "firstName": Str(max_len=200),
    "lastName": Str(max_len=200),
    "fullName": Str(max_len=300),
    "authorAffiliationDetailsList": _AFFILIATIONS,
    "authorAffiliationsList": _AFFILIATIONS,
    "affiliation": Str(max_len=2000),
})
SEARCH = Obj({
    "hitCount": Scalar(),
    "resultList": Obj({"result": List(Obj({
        "id": Scalar(),
        "source": Str(max_len=10),
        "pmid": Scalar(),
        "firstPublicationDate": Str(max_len=40),
        "pubYear": Scalar(),
        "authorList": Obj({"author": List(AUTHOR, max_items=500)}),
    }), max_items=PAGE_SIZE)}),
}, required=("resultList",))


def gather(run: SourceRun) -> list[Hit]:
    """Authors whose printed affiliation holds an address at RUN's domain (one request)."""
    url = f"{run.endpoints.europepmc.rstrip('/')}/search"
    response = run.get(url, accept=JSON_TYPES, params={
        "query": f'AFF:"{run.domain}"', "resultType": "core", "format": "json",
        "pageSize": str(PAGE_SIZE), "sort": "P_PDATE_D desc"})
    if not response.ok:
        run.note(f"Europe PMC did not answer the search: {response.error}.")
        return []
    try:
        return parse_search(response.content or response.text, run.domain, run.report.notes)
    except BadAnswer as exc:
        run.note(str(exc))
        return []


def parse_search(body: str | bytes, domain: str, notes: list[str]) -> list[Hit]:
    """The (author, address) pairs at DOMAIN of a search answer. Raises BadAnswer."""
    return hits_of(decode_json(body, SEARCH, source="Europe PMC", notes=notes), domain)


def hits_of(doc: dict[str, Any], domain: str) -> list[Hit]:
    """(author, address) pairs of a decoded search answer whose address is at DOMAIN or under it."""
    pattern = re.compile(_ADDRESS)
    hits = []
    for paper in doc.get("resultList", {}).get("result", []):
        date = iso_date(paper.get("firstPublicationDate") or paper.get("pubYear"))
        source, ident = paper.get("source", "MED"), paper.get("pmid") or paper.get("id")
        link = f"https://europepmc.org/article/{source}/{ident}" if ident else "https://europepmc.org/"
        for author in paper.get("authorList", {}).get("author", []):
            name = " ".join(filter(None, [author.get("firstName"), author.get("lastName")]))
            if not name:
                continue
            for affiliation in affiliations(author):
                for address in pattern.findall(affiliation):
                    address = address.rstrip(".").lower()
                    host = address.rsplit("@", 1)[1]
                    if host == domain or host.endswith("." + domain):
                        hits.append(Hit(name, address, NAME, link, date))
    return hits


def affiliations(author: dict[str, Any]) -> list[str]:
    """The affiliation texts of a decoded AUTHOR, whichever of its forms carries them, each once."""
    texts: list[str] = []
    for key in ("authorAffiliationDetailsList", "authorAffiliationsList"):
        items = author.get(key, {}).get("authorAffiliation", [])
        for item in items if isinstance(items, list) else [items]:
            texts.append(item if isinstance(item, str) else item.get("affiliation", ""))
    texts.append(author.get("affiliation", ""))
    return list(dict.fromkeys(t for t in texts if t))
