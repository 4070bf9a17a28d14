"""Senders at the domain in a public-inbox mailing-list archive (lore.kernel.org and others).

public-inbox answers a search as an Atom feed when asked with `x=A` (its WWW search help:
`/INBOX/?q=QUERY&x=A`); the `f:` prefix matches within the From header, so `f:acme.com` finds the
messages sent from the domain, newest first. Each entry's `<author>` holds the sender's name and
address (RFC 4287 §4.2.1), its `<updated>` the message's date and its `<link href>` the message.
A search that finds nothing is HTTP 404 with an HTML page ("[No results found]",
lib/PublicInbox/SearchView.pm), even with `x=A`: that is no note, as the keyserver's 404 is none.
When the From header has no display name, public-inbox puts the address's local part in `<name>`
(PublicInbox::Address::names): such a "name" is the address itself, not a person's name, and is
left out (it would only echo the address's format back to the learner). A From header of several
senders gives one `<name>` of their names joined by ", " and the first one's `<email>`
(PublicInbox::WwwAtomStream, `join(', ', @n)`): only the first name is that address's.
The archive's base URL (an inbox, or an /all/ index) is configurable: `--source-url mailarchive=URL`.
Its search is a website's page, not a published API: the archive's robots.txt is obeyed (RFC 9309),
as the site crawler obeys a company's, and a search it disallows is not asked.
"""

from __future__ import annotations

from urllib.parse import urlencode

from reachout.decode import decode_xml
from reachout.errors import BadAnswer
from reachout.evidence.hits import Hit, SourceRun, iso_date
from reachout.http import XML_TYPES

NAME = "mailarchive"
_ATOM = "{http://www.w3.org/2005/Atom}"
MAX_ENTRIES = 500  # public-inbox pages its search by 200; more is a hostile answer


def gather(run: SourceRun) -> list[Hit]:
    """The senders at RUN's domain in the archive's search (its robots.txt, then one request)."""
    base = run.endpoints.mailarchive.rstrip("/")
    url = f"{base}/?{urlencode({'q': f'f:{run.domain}', 'x': 'A'})}"
    refusal = run.robots_refusal(url)
    if refusal:
        run.note(f"The mail archive was not searched: {refusal}.")
        return []
    response = run.get(url, accept=XML_TYPES, robots=True)
    if response.status == 404:  # public-inbox's "[No results found]"
        return []
    if not response.ok:
        run.note(f"The mail archive did not answer the search: {response.error}.")
        return []
    try:
        return parse_atom(response.content or response.text.encode("utf-8"), response.final_url)
    except BadAnswer as exc:
        run.note(str(exc))
        return []


def parse_atom(body: bytes | str, url: str) -> list[Hit]:
    """The (sender, address, date, message link) of each entry of a public-inbox Atom answer."""
    feed = decode_xml(body, roots={"feed"}, source="Mail archive")
    hits = []
    for index, entry in enumerate(feed.iterfind(f"{_ATOM}entry")):
        if index >= MAX_ENTRIES:
            break
        author = entry.find(f"{_ATOM}author")
        if author is None:
            continue
        name = _first_sender((author.findtext(f"{_ATOM}name") or "").strip())
        address = (author.findtext(f"{_ATOM}email") or "").strip()
        if not name or "@" not in address or _is_local_part(name, address):
            continue
        link = entry.find(f"{_ATOM}link")
        href = (link.get("href") or "").strip() if link is not None else ""
        updated = entry.findtext(f"{_ATOM}updated") or entry.findtext(f"{_ATOM}published")
        hits.append(Hit(name[:200], address[:320], NAME, href[:500] or url, iso_date(updated)))
    return hits


def _first_sender(name: str) -> str:
    """The first of several senders' names joined by ", " ("Ana Lima, Raj Patel" → "Ana Lima"): each
    part of two words or more is a whole name; "Lima, Ana" and "Ana Lima, PhD" stay one name."""
    parts = name.split(", ")
    if len(parts) > 1 and all(len(part.split()) > 1 for part in parts):
        return parts[0]
    return name


def _is_local_part(name: str, address: str) -> bool:
    """True when NAME is ADDRESS's local part: public-inbox's stand-in for a From without a name."""
    return name.casefold() == address.rsplit("@", 1)[0].casefold()
