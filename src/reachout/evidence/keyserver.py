"""OpenPGP key user IDs at the domain on an HKP keyserver (keyserver.ubuntu.com and others).

The machine-readable index (draft-gallagher-openpgp-hkp §3.1.1 and §5.2: `GET /pks/lookup?op=index&
options=mr&search=TEXT`) answers one `pub:` line per key and one `uid:` line per user ID:

    info:1:2
    pub:0123456789ABCDEF0123456789ABCDEF01234567:1:4096:1514764800::
    uid:Jane%20Doe%20%3Cjane.doe%40acme.com%3E:1514764800::

The draft percent-escapes the user ID (RFC 3986); Hockeypuck, which keyserver.ubuntu.com runs, writes
it as it is and escapes only its colons as `%3a` (src/hockeypuck/hkp/writers.go, MRFormat):

    uid:Jane Doe <jane.doe@acme.com>:1514764800::

Unescaping reads both. Fields after it are its creation and expiry times (Unix seconds; empty when
unknown, and a time of 0 is taken as unknown too) and flags (r revoked, d disabled, e expired). A
revoked user ID, or any user ID of a revoked key, is not used; an expired one is old evidence and
weighs as its date says. Hockeypuck matches a bare domain against each user ID's domain part (its
keyword index, src/hockeypuck/openpgp/userid.go), so `search=acme.com` finds the keys with an
address at exactly acme.com, at most 100 of them; no match is HTTP 404.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import unquote

from reachout.decode import decode_text
from reachout.errors import BadAnswer
from reachout.evidence.hits import Hit, SourceRun, iso_date
from reachout.http import TEXT_TYPES

NAME = "keyserver"
MAX_LINES = 20_000  # a key index this long is not an answer to one domain


def gather(run: SourceRun) -> list[Hit]:
    """User IDs at RUN's domain (one request). A 404 is the protocol's "no keys found"."""
    url = f"{run.endpoints.keyserver.rstrip('/')}/pks/lookup"
    response = run.get(url, accept=TEXT_TYPES,
                       params={"op": "index", "options": "mr", "search": run.domain})
    if response.status == 404:
        return []
    if not response.ok:
        run.note(f"The keyserver did not answer the search: {response.error}.")
        return []
    try:
        return parse_index(response.content or response.text, response.final_url or url)
    except BadAnswer as exc:
        run.note(str(exc))
        return []


def parse_index(body: str | bytes, url: str) -> list[Hit]:
    """Named user IDs of a machine-readable index answer (read by the one decoder); lines of another
    shape are skipped. Raises BadAnswer for an answer that is not text."""
    hits: list[Hit] = []
    key_date: str | None = None
    key_revoked = False
    for line in decode_text(body, source="Keyserver", max_lines=MAX_LINES):
        fields = line.strip().split(":")
        if fields[0] == "pub":
            key_date = iso_date(_seconds(fields[4] if len(fields) > 4 else ""))
            key_revoked = "r" in (fields[6] if len(fields) > 6 else "")
        elif fields[0] == "uid" and len(fields) >= 2 and not key_revoked:
            flags = fields[4] if len(fields) > 4 else ""
            if "r" in flags:
                continue
            name, address = parseaddr(unquote(fields[1])[:400])
            if name and "@" in address:
                created = iso_date(_seconds(fields[2] if len(fields) > 2 else "")) or key_date
                hits.append(Hit(name, address, NAME, url, created))
    return hits


def _seconds(value: str) -> int | None:
    # None for an empty or negative time (Go's zero time); iso_date reads 0 as unknown too
    return int(value) if re.fullmatch(r"\d{1,11}", value.strip()) else None
