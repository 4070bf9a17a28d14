"""Does a domain take mail? Its MX (null, implicit), provider, SPF senders and DMARC policy."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reachout.aio import run_sync
from reachout.cache import TTLCache
from reachout.errors import BadInput, StoreError
from reachout.mail.dnsclient import AAAA, MX, TXT, A, Answer, DnsClient, fits_dns, resolve_nameservers
from reachout.mail.policy import (
    Dmarc,
    SpfService,
    find_spf,
    parse_dmarc,
    provider_for,
    spf_includes,
    spf_services,
)
from reachout.textinput import displayable

T = TypeVar("T")
DEFAULT_TIMEOUT = 5.0
# ok, implicit_mx: the domain takes mail; null_mx, no_mail, nxdomain: it does not;
# servfail, refused, timeout: unknown (never "invalid"); invalid: the input is not a domain name.
STATUSES = (
    "ok",
    "null_mx",
    "implicit_mx",
    "no_mail",
    "nxdomain",
    "servfail",
    "refused",
    "timeout",
    "invalid",
)
_ACCEPTS = {"ok": True, "implicit_mx": True, "null_mx": False, "no_mail": False, "nxdomain": False}
# Own domains under the registrable one followed through SPF includes, to find the services behind
# them.
_SPF_FOLLOW_LIMIT = 4
# How a note about a lookup that could not be made starts (verify repeats these in its reasons).
SKIPPED_LOOKUP = "DMARC not looked up"


@dataclass(frozen=True)
class MxRecord:
    """One mail exchanger: lower preference is tried first (RFC 5321 §5.1)."""

    preference: int
    host: str

    def to_dict(self) -> dict[str, Any]:
        return {"preference": self.preference, "host": self.host}


@dataclass
class DomainReport:
    """What DNS says about a domain's mail."""

    domain: str
    status: str
    mx: list[MxRecord] = field(default_factory=list)
    provider: str | None = None
    spf_services: list[SpfService] = field(default_factory=list)
    dmarc: Dmarc | None = None
    reason: str = ""
    input: str = ""
    canonical: str | None = None
    spf: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def accepts_mail(self) -> bool | None:
        """True if the domain takes mail, False if it does not, None if DNS could not tell."""
        return _ACCEPTS.get(self.status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "status": self.status,
            "accepts_mail": self.accepts_mail,
            "mx": [m.to_dict() for m in self.mx],
            "provider": self.provider,
            "spf_services": [s.to_dict() for s in self.spf_services],
            "dmarc": self.dmarc.to_dict() if self.dmarc else None,
            "reason": self.reason,
            "input": self.input,
            "canonical": self.canonical,
            "spf": self.spf,
            "notes": list(self.notes),
        }


def _ascii_domain(text: str, allow_private: bool = False) -> tuple[str, str, str]:
    """TEXT (a domain, URL or address, as `guess` takes it) as its mail domain: (Unicode form,
    A-label form, a warning when its top-level domain looks mistyped). A bare domain is kept
    whole (www.example.com is asked about as typed); a URL's web-only host is dropped."""
    from reachout.domains import mail_domain, tld_warning, to_ascii, validate_domain

    if "@" in text or "/" in text:
        chosen = mail_domain(text, allow_private=allow_private)
        return chosen.domain, to_ascii(chosen.domain), chosen.warning
    domain = validate_domain(text, allow_private=allow_private)
    ascii_form = to_ascii(domain)
    return domain, ascii_form, tld_warning(domain, ascii_form)


def _routable(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address)
    return allow_private or ip.is_global


def _not_routable(addresses: list[str]) -> str:
    """The reason a route to ADDRESSES is refused without --allow-private (one wording for the MX and
    the implicit-MX routes)."""
    many = len(addresses) > 1
    return (f"its only address{'es' if many else ''} ({', '.join(addresses)}) "
            f"{'are' if many else 'is'} not globally routable; pass --allow-private to use "
            f"{'them' if many else 'it'}")


async def _refuse_private_mx(report: DomainReport, domain: str, client: DnsClient) -> None:
    """An MX whose hosts have only loopback or private addresses takes no mail from here, as an
    implicit MX at such an address does not: the same rule for both routes (RFC 6890 special-purpose
    addresses). Hosts are asked in preference order, stopping at the first with a public address."""
    seen: list[str] = []
    for record in sorted(report.mx, key=lambda m: (m.preference, m.host)):
        addresses, _ = await host_addresses(client, record.host)
        if any(_routable(a, False) for a in addresses):
            return
        seen += [a for a in addresses if a not in seen]
    if seen:  # every host that has an address has only unroutable ones (none: the probe will tell)
        report.status = "no_mail"
        hosts = ", ".join(m.host for m in report.mx)
        report.reason = f"{domain}'s MX ({hosts}): {_not_routable(seen)}"


async def host_addresses(client: DnsClient, host: str) -> tuple[list[str], str]:
    """A then AAAA addresses of HOST, and a reason when there are none."""
    a, aaaa = await asyncio.gather(client.query(host, A), client.query(host, AAAA))
    addresses = list(a.records) + list(aaaa.records)
    if addresses:
        return addresses, ""
    unknown = [x for x in (a, aaaa) if x.status in {"timeout", "servfail", "refused", "error"}]
    if unknown:
        return [], unknown[0].reason
    return [], f"{host} has no A or AAAA record"


async def check_domain_async(
    text: str,
    client: DnsClient,
    *,
    allow_private: bool = False,
    policy: bool = True,
    patterns: str | os.PathLike[str] | None = None,
) -> DomainReport:
    """Check one domain with CLIENT; a malformed domain gets status "invalid", not an error."""
    try:
        domain, ascii_domain, warning = _ascii_domain(text, allow_private)
    except BadInput as exc:
        shown = displayable(text)
        return DomainReport(domain=shown.strip(), status="invalid", reason=str(exc), input=shown)
    report = DomainReport(domain=domain, status="timeout", input=text)
    if warning:
        report.notes.append(warning)
    dmarc_name = f"_dmarc.{ascii_domain}"
    if policy and not fits_dns(dmarc_name):
        # A domain of 247+ octets fits DNS, its _dmarc name does not: skip that lookup, say why.
        report.notes.append(
            f"{SKIPPED_LOOKUP}: {dmarc_name[:40]}… would be {len(dmarc_name) + 2} octets, longer "
            "than DNS allows (255)"
        )
    if policy:
        mx_answer, txt_answer, dmarc_answer = await asyncio.gather(
            client.query(ascii_domain, MX),
            client.query(ascii_domain, TXT),
            client.query(dmarc_name, TXT) if fits_dns(dmarc_name) else _skipped(),
        )
    else:
        mx_answer = await client.query(ascii_domain, MX)
    await _mail_route(report, ascii_domain, mx_answer, client, allow_private)
    if policy and report.status not in {"nxdomain", "invalid"}:
        await _policy(report, ascii_domain, txt_answer, dmarc_answer, client, patterns)
    if report.mx and report.status == "ok":
        report.provider = provider_for(
            [m.host for m in report.mx], report.canonical or ascii_domain, patterns=patterns
        )
    return report


async def _skipped() -> Answer:
    return Answer("skipped")


async def _mail_route(
    report: DomainReport, domain: str, answer: Answer, client: DnsClient, allow_private: bool
) -> None:
    if answer.canonical:
        report.canonical = answer.canonical
    if answer.status in {"timeout", "servfail", "refused", "error"}:
        report.status = "servfail" if answer.status == "error" else answer.status
        report.reason = f"unknown: {answer.reason}"
        return
    if answer.status == "nxdomain":
        report.status = "nxdomain"
        report.reason = f"{domain} does not exist in DNS (NXDOMAIN), so it takes no mail"
        return
    if answer.status == "ok":
        records = sorted(set(answer.records))
        null = [r for r in records if r[1] in {".", ""}]
        real = [r for r in records if r[1] not in {".", ""}]
        if null and not real:
            # RFC 7505: a null MX ("0 .") means the domain accepts no mail.
            report.status = "null_mx"
            report.reason = f"{domain} publishes a null MX (RFC 7505): it accepts no mail"
            return
        if null:
            report.notes.append("a null MX next to real MX records is ignored (RFC 7505 §3)")
        report.mx = [MxRecord(p, h) for p, h in real]
        report.status = "ok"
        via = f" (via CNAME to {answer.canonical})" if answer.canonical else ""
        report.reason = f"{len(real)} MX record{'s' if len(real) != 1 else ''}{via}"
        if not allow_private:
            await _refuse_private_mx(report, domain, client)
        return
    # RFC 5321 §5.1: no MX at all → the domain's own A/AAAA address is its implicit MX.
    target = answer.canonical or domain
    a, aaaa = await asyncio.gather(client.query(target, A), client.query(target, AAAA))
    addresses = list(a.records) + list(aaaa.records)
    if not addresses:
        failed = [x for x in (a, aaaa) if x.status in {"timeout", "servfail", "refused", "error"}]
        if failed:
            status = failed[0].status
            report.status = "servfail" if status == "error" else status
            report.reason = f"unknown: no MX, and its address lookup failed: {failed[0].reason}"
            return
        report.status = "no_mail"
        report.reason = f"{domain} has no MX and no A/AAAA record, so it takes no mail"
        return
    routable = [a for a in addresses if _routable(a, allow_private)]
    if not routable:
        report.status = "no_mail"
        report.reason = f"{domain} has no MX and {_not_routable(addresses)}"
        return
    report.status = "implicit_mx"
    report.mx = [MxRecord(0, target)]
    report.reason = (
        f"{domain} has no MX; mail goes to its own address {routable[0]} "
        "(implicit MX, RFC 5321 §5.1)"
    )


async def _policy(
    report: DomainReport,
    domain: str,
    txt: Answer,
    dmarc: Answer,
    client: DnsClient,
    patterns: str | os.PathLike[str] | None,
) -> None:
    if txt.status == "ok":
        report.spf = find_spf(txt.records)
    elif txt.status in {"timeout", "servfail", "refused", "error"}:
        report.notes.append(f"SPF unknown: {txt.reason}")
    if report.spf:
        includes = spf_includes(report.spf)
        # Follow includes that stay inside the company's own domain (e.g. _spf.acme.com):
        # the services
        # it authorises usually sit one level down. Bounded, like RFC 7208 §4.6.4's lookup limit.
        followed = 0
        base = report.canonical or domain
        queue = [i for i in includes if i == base or i.endswith("." + base)]
        while queue and followed < _SPF_FOLLOW_LIMIT:
            own = queue.pop(0)
            followed += 1
            sub = await client.query(own, TXT)
            record = find_spf(sub.records) if sub.status == "ok" else None
            for inc in spf_includes(record or ""):
                if inc not in includes:
                    includes.append(inc)
                    if inc.endswith("." + base):
                        queue.append(inc)
        report.spf_services = spf_services(includes, patterns=patterns)
    source = f"_dmarc.{domain}"
    if dmarc.status == "ok":
        report.dmarc = parse_dmarc(dmarc.records, source)
    elif dmarc.status in {"timeout", "servfail", "refused", "error"}:
        report.notes.append(f"DMARC unknown: {dmarc.reason}")
    if report.dmarc is None and dmarc.status in {"ok", "nodata", "nxdomain"}:
        # RFC 7489 §6.6.3: with no record at the domain, the organisational domain's applies.
        from reachout.domains import registrable_domain, to_ascii

        try:
            org = to_ascii(registrable_domain(domain, allow_private=True))
        except BadInput:
            org = domain
        if org != domain:
            parent = await client.query(f"_dmarc.{org}", TXT)
            if parent.status == "ok":
                report.dmarc = parse_dmarc(parent.records, f"_dmarc.{org}")


def _open_cache(cache: TTLCache | bool | None) -> tuple[TTLCache | None, bool]:
    """(cache to use, whether we opened it and must close it)."""
    if isinstance(cache, TTLCache):
        return cache, False
    if cache:
        from reachout.paths import cache_db

        try:
            path = cache_db()
        except StoreError as exc:
            # The cache only saves time: without the user directory, answer from memory.
            logging.getLogger(__name__).warning("%s Caching DNS answers in memory only.", exc)
            return TTLCache.memory(namespace="dns"), True
        return TTLCache(path, namespace="dns"), True
    return None, False


@contextlib.asynccontextmanager
async def dns_client(
    client: DnsClient | None = None,
    *,
    nameservers: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cache: TTLCache | bool | None = True,
) -> AsyncIterator[DnsClient]:
    """CLIENT as it is (its owner closes it); or a DnsClient on NAMESERVERS with the answer CACHE,
    opened here and closed on leaving, with the cache when it was opened here too."""
    if client is not None:
        yield client
        return
    servers = resolve_nameservers(nameservers)
    use_cache, must_close = _open_cache(cache)
    try:
        async with DnsClient(servers, timeout=timeout, cache=use_cache) as own:
            yield own
    finally:
        if must_close and use_cache is not None:
            use_cache.close()


async def _aiter(items: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def check_domains_async(
    domains: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int = 128,
    nameservers: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    cache: TTLCache | bool | None = True,
    policy: bool = True,
    patterns: str | os.PathLike[str] | None = None,
    client: DnsClient | None = None,
) -> AsyncGenerator[DomainReport, None]:
    """Check DOMAINS with at most CONCURRENCY in flight, yielding each report as it finishes.

    The input is read lazily (a generator or an async stream of a million lines is fine). A
    malformed domain yields a report with status "invalid". Pass `client` to share one DnsClient.
    """
    if concurrency < 1:
        raise BadInput("Concurrency must be at least 1.")
    async with dns_client(client, nameservers=nameservers, timeout=timeout, cache=cache) as client:
        source = _aiter(domains)
        lock = asyncio.Lock()
        results: asyncio.Queue[DomainReport | None] = asyncio.Queue(maxsize=concurrency)
        exhausted = False

        async def worker() -> None:
            nonlocal exhausted
            assert client is not None
            try:
                while True:
                    async with lock:
                        if exhausted:
                            break
                        try:
                            item = await source.__anext__()
                        except StopAsyncIteration:
                            exhausted = True
                            break
                    report = await check_domain_async(
                        item, client, allow_private=allow_private, policy=policy, patterns=patterns
                    )
                    await results.put(report)
            except Exception:
                # A failing input stream (or check) stops the run, and must not leave the reader
                # below waiting for this worker's end marker forever: the error is raised there.
                exhausted = True
                await results.put(None)
                raise
            await results.put(None)

        workers = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
        try:
            remaining = len(workers)
            while remaining:
                report = await results.get()
                if report is None:
                    remaining -= 1
                    continue
                yield report
            for task in workers:
                task.result()  # surface a worker's unexpected error
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)


def check_domains(
    domains: Iterable[str],
    *,
    concurrency: int = 128,
    nameservers: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    cache: TTLCache | bool | None = True,
    policy: bool = True,
    patterns: str | os.PathLike[str] | None = None,
) -> list[DomainReport]:
    """Check DOMAINS concurrently; reports come back in input order."""
    items = list(domains)

    async def collect() -> list[DomainReport]:
        out: list[DomainReport | None] = [None] * len(items)
        async with dns_client(nameservers=nameservers, timeout=timeout, cache=cache) as client:
            sem = asyncio.Semaphore(concurrency)

            async def one(index: int, text: str) -> None:
                async with sem:
                    out[index] = await check_domain_async(
                        text,
                        client,
                        allow_private=allow_private,
                        policy=policy,
                        patterns=patterns,
                    )

            await asyncio.gather(*(one(i, d) for i, d in enumerate(items)))
        return [r for r in out if r is not None]

    return run_sync(collect())


def check_domain(
    domain: str,
    *,
    nameservers: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    cache: TTLCache | bool | None = True,
    policy: bool = True,
    patterns: str | os.PathLike[str] | None = None,
) -> DomainReport:
    """Check one domain. Raises BadInput if DOMAIN is not a domain name."""
    _ascii_domain(domain, allow_private)
    return check_domains(
        [domain],
        nameservers=nameservers,
        timeout=timeout,
        allow_private=allow_private,
        cache=cache,
        policy=policy,
        patterns=patterns,
    )[0]
