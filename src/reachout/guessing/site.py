"""Named addresses a saved `reachout brief` found on a company's site: the best public evidence of
its format. Read from disk here, never inside the ranking itself; guess(site_addresses=True) calls it."""

from __future__ import annotations

from reachout.errors import BadInput
from reachout.guessing.known import KnownAddress, normalize_address


def saved_site_addresses(
    domain: str, *, exclude: frozenset[str] | set[str] = frozenset()
) -> tuple[list[KnownAddress], str]:
    """The personal, named addresses of DOMAIN's last saved brief (less EXCLUDE), and a notice saying
    where they came from ("" when there are none)."""
    from reachout.briefstore import saved_brief_addresses

    found, when = saved_brief_addresses(domain)
    pairs = []
    for person, address in found:
        try:
            normalized = normalize_address(address, allow_private=True)
        except BadInput:  # a brief of an older reachout may hold one its checks would now refuse
            continue
        if normalized not in exclude:
            pairs.append(KnownAddress(person, normalized))
    if not pairs:
        from reachout.briefstore import unread_reason

        reason = unread_reason(domain)
        return [], reason[:1].upper() + reason[1:]
    return pairs, (
        f"Also learned from {len(pairs)} address(es) that `reachout brief` found on {domain}'s site "
        f"({when or 'date unknown'}); --no-site-addresses ignores them."
    )
