"""The company's mail setup as brief facts: provider and the services its SPF record lets send mail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reachout.errors import LookupFailed
from reachout.research.brief import Fact


def dns_uri(domain: str, rdtype: str) -> str:
    """An RFC 4501 DNS URI, the source of a fact read from DNS (dns:acme.com?type=MX)."""
    return f"dns:{domain}?type={rdtype}"


def mail_facts(report: Any) -> list[Fact]:
    """Facts from a reachout.mail.dnscheck.DomainReport; nothing when the lookup was inconclusive."""
    domain = report.canonical or report.domain
    facts = []
    if report.status in {"null_mx", "no_mail", "nxdomain"}:
        facts.append(Fact("mail_status", report.reason or report.status, dns_uri(domain, "MX"), "mail"))
    if report.provider:
        facts.append(Fact("mail_provider", report.provider, dns_uri(domain, "MX"), "mail"))
    services = [f"{s.name} ({s.kind})" for s in report.spf_services or ()]
    if services:
        facts.append(Fact("spf_services", ", ".join(services), dns_uri(domain, "TXT"), "mail"))
    return facts


def dns_mail_facts(
    *, nameservers: Iterable[str] | None = None, timeout: float = 5.0, allow_private: bool = False
) -> Callable[[str], list[Fact]]:
    """A `build_brief(mail_facts=…)` hook that checks the domain over DNS (reachout.mail.dnscheck)."""
    chosen = list(nameservers or ())

    def lookup(domain: str) -> list[Fact]:
        from reachout.mail.dnscheck import check_domain

        report = check_domain(domain, nameservers=chosen or None, timeout=timeout,
                              allow_private=allow_private)
        if report.accepts_mail is None:  # timeout, SERVFAIL…: unknown, said as such in the brief
            raise LookupFailed(f"DNS gave no answer for {domain} ({report.status}: {report.reason})")
        return mail_facts(report)

    return lookup
