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
            pairs.append(KnownAddress(person, normalized, source="site"))
    if not pairs:
        from reachout.briefstore import unread_reason

        reason = unread_reason(domain)
        return [], reason[:1].upper() + reason[1:]
    return pairs, (
        f"Also learned from {len(pairs)} address(es) that `reachout brief` found on {domain}'s site "
        f"({when or 'date unknown'}); --no-site-addresses ignores them."
    )


def saved_public_evidence(
    domain: str, *, exclude: frozenset[str] | set[str] = frozenset()
) -> tuple[list[KnownAddress], str, dict[str, int]]:
    """The weighted addresses of DOMAIN's saved `reachout evidence` (less EXCLUDE, which the user or
    a brief already gave), a notice saying where they came from, and how many each source gave."""
    from reachout.evidence.store import load

    data = load(domain)
    if data is None:
        return [], "", {}
    from reachout.evidence.pairs import EvidencePair

    pairs: list[KnownAddress] = []
    counts: dict[str, int] = {}
    for item in data.get("pairs") or []:
        try:
            pair = EvidencePair.from_dict(item)
            known = KnownAddress(pair.name, normalize_address(pair.address, allow_private=True),
                                 weight=min(pair.weight, _GATHERED_MAX), source=pair.source)
        except (BadInput, KeyError, TypeError, ValueError, AttributeError):
            continue  # a file of an older reachout, or edited by hand: that line only
        if known.address not in exclude:
            pairs.append(known)
            counts[pair.source] = counts.get(pair.source, 0) + 1
    if not pairs:
        return [], "", {}
    when = str(data.get("gathered_at") or "")[:10] or "date unknown"
    return pairs, (
        f"Also learned from {len(pairs)} public address(es) that `reachout evidence` found for "
        f"{domain} ({when}); each counts less than one you give with --known; --no-evidence "
        "ignores them."
    ), counts


# A gathered address never counts as much as one the user gives (weight 1).
_GATHERED_MAX = 0.95
