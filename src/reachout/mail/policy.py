"""What a domain's DNS says about its mail: MX provider, SPF senders, DMARC policy."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

from reachout.data import load_toml

PathLike = str | os.PathLike[str] | None


def _key(patterns: PathLike) -> str | None:
    return os.fspath(patterns) if patterns is not None else None


@dataclass(frozen=True)
class SpfService:
    """A service allowed to send mail for the domain, found through an SPF include."""

    name: str
    kind: str
    include: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "include": self.include}


@dataclass(frozen=True)
class Dmarc:
    """A domain's DMARC record (RFC 7489) and the policy it asks receivers to apply."""

    policy: str
    subdomain_policy: str
    percent: int
    record: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "subdomain_policy": self.subdomain_policy,
            "pct": self.percent,
            "record": self.record,
            "source": self.source,
        }


def _suffix_match(host: str, table: dict[str, Any]) -> Any:
    """The value of the longest key of TABLE that is HOST or a parent of HOST."""
    labels = host.lower().rstrip(".").split(".")
    for start in range(len(labels)):
        hit = table.get(".".join(labels[start:]))
        if hit is not None:
            return hit
    return None


@functools.lru_cache(maxsize=8)
def _providers(patterns: str | None) -> dict[str, str]:
    return dict(load_toml("providers", patterns).get("providers", {}))


@functools.lru_cache(maxsize=8)
def _services(patterns: str | None) -> dict[str, dict[str, str]]:
    return dict(load_toml("spf_services", patterns).get("services", {}))


def provider_for(mx_hosts: list[str], domain: str, *, patterns: PathLike = None) -> str | None:
    """The provider of the first MX host we recognise; "self-hosted" for the domain's own."""
    table = _providers(_key(patterns))
    for host in mx_hosts:
        hit = _suffix_match(host, table)
        if hit:
            return str(hit)
    for host in mx_hosts:
        host = host.lower()
        if host == domain or host.endswith("." + domain) or _same_site(host, domain):
            return "self-hosted"
    return None


def _same_site(host: str, domain: str) -> bool:
    from reachout.domains import registrable_domain
    from reachout.errors import BadInput

    try:
        return registrable_domain(host, allow_private=True) == registrable_domain(
            domain, allow_private=True
        )
    except BadInput:
        return False


def find_spf(txt_records: tuple[str, ...] | list[str]) -> str | None:
    """The domain's SPF record (RFC 7208 §4.5: the one TXT record starting with "v=spf1")."""
    spf = [t for t in txt_records if t.lower().split(" ", 1)[0] == "v=spf1"]
    return spf[0] if len(spf) == 1 else None


def spf_includes(record: str) -> list[str]:
    """The domains named by include: mechanisms and the redirect= modifier, in order."""
    out: list[str] = []
    for term in record.split()[1:]:
        term = term.lstrip("+-~?")
        lower = term.lower()
        if lower.startswith("include:"):
            out.append(term[len("include:") :].rstrip(".").lower())
        elif lower.startswith("redirect="):
            out.append(term[len("redirect=") :].rstrip(".").lower())
    return [d for d in out if d and "%" not in d]  # macros (RFC 7208 §7) name no fixed service


def spf_services(includes: list[str], *, patterns: PathLike = None) -> list[SpfService]:
    """The known services among INCLUDES, one entry per service name."""
    table = _services(_key(patterns))
    found: dict[str, SpfService] = {}
    for include in includes:
        hit = _suffix_match(include, table)
        if hit and hit["name"] not in found:
            found[hit["name"]] = SpfService(hit["name"], hit.get("kind", "other"), include)
    return list(found.values())


def parse_dmarc(txt_records: tuple[str, ...] | list[str], source: str) -> Dmarc | None:
    """The DMARC record among TXT_RECORDS (RFC 7489 §6.6.3: exactly one starting with v=DMARC1)."""
    records = [t for t in txt_records if t.replace(" ", "").upper().startswith("V=DMARC1")]
    if len(records) != 1:
        return None
    tags: dict[str, str] = {}
    for part in records[0].split(";"):
        key, sep, value = part.partition("=")
        if sep:
            tags[key.strip().lower()] = value.strip()
    policy = tags.get("p", "").lower()
    if policy not in {"none", "quarantine", "reject"}:
        # RFC 7489 §6.6.3: an invalid p= with a valid rua is treated as "none"; otherwise no record.
        if "rua" not in tags:
            return None
        policy = "none"
    sub = tags.get("sp", policy).lower()
    if sub not in {"none", "quarantine", "reject"}:
        sub = policy
    try:
        percent = max(0, min(100, int(tags.get("pct", "100"))))
    except ValueError:
        percent = 100
    return Dmarc(policy, sub, percent, records[0], source)
