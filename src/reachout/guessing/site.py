"""Named addresses a saved `reachout brief` found on a company's site: the best public evidence of
its format. Read from disk here, never inside the ranking itself; guess(site_addresses=True) calls it."""

from __future__ import annotations

from reachout.errors import BadInput
from reachout.guessing.learn import KnownAddress, normalize_address


def saved_site_addresses(
    domain: str, *, exclude: frozenset[str] | set[str] = frozenset()
) -> tuple[list[KnownAddress], str]:
    """The personal, named addresses of DOMAIN's last saved brief (less EXCLUDE), and a notice saying
    where they came from ("" when there are none)."""
    from reachout.research import load_saved_brief

    try:
        data = load_saved_brief(domain)
    except BadInput:
        return [], ""
    if not data:
        return [], ""
    pairs = []
    for item in data.get("addresses") or []:
        if not isinstance(item, dict) or item.get("kind") != "personal" or not item.get("person"):
            continue
        try:
            address = normalize_address(str(item.get("address", "")), allow_private=True)
        except BadInput:
            continue
        if address not in exclude:
            pairs.append(KnownAddress(str(item["person"]), address))
    if not pairs:
        return [], ""
    when = str(data.get("generated_at") or "")[:10] or "date unknown"
    return pairs, (
        f"Also learned from {len(pairs)} address(es) that `reachout brief` found on {domain}'s site "
        f"({when}); --no-site-addresses ignores them."
    )
