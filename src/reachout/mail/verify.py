"""Address verdicts: syntax, role/webmail/disposable, the domain's mail route, an opt-in probe."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import os
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass, field
from typing import Any

from reachout.aio import run_sync
from reachout.cache import TTLCache
from reachout.data import load_lines, load_toml
from reachout.domains import UNKNOWN_TLD
from reachout.mail.dnscheck import (
    DEFAULT_TIMEOUT,
    SKIPPED_LOOKUP,
    DomainReport,
    check_domain_async,
    dns_client,
)
from reachout.mail.dnsclient import DnsClient
from reachout.mail.lookalikes import address_problems
from reachout.mail.smtpprobe import MxPacer, ProbeSettings, SmtpResult, probe_domain
from reachout.textinput import displayable, undecodable

VERDICTS = ("valid", "risky", "invalid", "unknown")
PathLike = str | os.PathLike[str] | None


@dataclass
class AddressReport:
    """The verdict on one address and everything it rests on."""

    address: str
    normalized: str | None
    verdict: str
    reasons: list[str] = field(default_factory=list)
    role: bool = False
    webmail: bool = False
    disposable: bool = False
    domain: DomainReport | None = None
    smtp: SmtpResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "normalized": self.normalized,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "role": self.role,
            "webmail": self.webmail,
            "disposable": self.disposable,
            "domain": self.domain.to_dict() if self.domain else None,
            "smtp": self.smtp.to_dict() if self.smtp else None,
        }


@functools.lru_cache(maxsize=8)
def _roles(patterns: str | None) -> frozenset[str]:
    return frozenset(_squash(r) for r in load_toml("role_accounts", patterns).get("roles", []))


def _squash(local: str) -> str:
    return local.lower().split("+", 1)[0].replace(".", "").replace("-", "").replace("_", "")


def is_role(local_part: str, *, patterns: PathLike = None) -> bool:
    """True if LOCAL_PART names a function or team (info, careers, hr…), not one person."""
    key = os.fspath(patterns) if patterns is not None else None
    return _squash(local_part) in _roles(key)


def is_webmail(domain: str, *, patterns: PathLike = None) -> bool:
    """True if DOMAIN is a free webmail provider anyone can sign up to."""
    return domain.lower() in load_lines("webmail.txt", patterns)


def is_disposable(domain: str) -> bool:
    """True if DOMAIN (or a parent of it) is on the maintained disposable-email-domains list."""
    from disposable_email_domains import blocklist

    labels = domain.lower().split(".")
    return any(".".join(labels[i:]) in blocklist for i in range(len(labels) - 1))


@dataclass
class _Parsed:
    original: str
    normalized: str
    local: str
    ascii_domain: str
    smtp_address: str | None
    domain: str = ""  # the Unicode form


# RFC 5321 §4.5.3.1.1: a local part holds at most 64 octets (email-validator only checks this when
# it also checks deliverability, which is ours).
MAX_LOCAL_OCTETS = 64


def bare_address(text: str) -> str:
    """The address in TEXT as people paste it: 'Bob Li <bob@acme.com>', 'mailto:bob@acme.com'."""
    from urllib.parse import unquote

    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = unquote(text[7:].split("?", 1)[0])
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1]
    return text.strip()


def _parse(address: str, allow_private: bool) -> _Parsed | str:
    from email_validator import EmailNotValidError, validate_email

    bad_bytes = undecodable(address)
    if bad_bytes:
        return f"{bad_bytes}; give the address in UTF-8"
    try:
        # Deliverability is ours (the DNS step); email-validator checks syntax and normalises.
        valid = validate_email(bare_address(address), check_deliverability=False,
                               test_environment=allow_private)
    except EmailNotValidError as exc:
        return str(exc)
    ascii_domain = valid.ascii_domain
    # RCPT needs the ASCII domain; a non-ASCII local part would need SMTPUTF8 (RFC 6531).
    smtp_address = f"{valid.local_part}@{ascii_domain}" if valid.local_part.isascii() else None
    return _Parsed(address, valid.normalized, valid.local_part, ascii_domain, smtp_address, valid.domain)


def _verdict(report: AddressReport, smtp_asked: bool, parsed: _Parsed | None = None) -> None:
    _decide(report, smtp_asked)
    if report.domain is not None:
        report.reasons.extend(n for n in report.domain.notes if n.startswith(SKIPPED_LOOKUP))
        # A mistyped top-level domain (exmaple.cmo) explains whatever DNS said: it comes first.
        report.reasons[:0] = [n for n in report.domain.notes if UNKNOWN_TLD in n]
    if parsed is None or report.verdict == "invalid":
        return
    doubts = address_problems(parsed.local, parsed.domain or parsed.ascii_domain)
    octets = len(parsed.local.encode("utf-8"))
    if octets > MAX_LOCAL_OCTETS:
        doubts.insert(
            0,
            f"the part before the @ is {octets} octets long; RFC 5321 §4.5.3.1.1 allows "
            f"{MAX_LOCAL_OCTETS}, so many mail servers refuse it",
        )
    if doubts:
        # At least risky: a valid route does not make a look-alike or over-long address usable.
        report.verdict = "risky" if report.verdict == "valid" else report.verdict
        report.reasons[:0] = doubts


def _decide(report: AddressReport, smtp_asked: bool) -> None:
    reasons = report.reasons
    domain = report.domain
    assert domain is not None
    if domain.accepts_mail is False:
        report.verdict = "invalid"
        reasons.insert(0, domain.reason)
        return
    if domain.accepts_mail is None:
        report.verdict = "unknown"
        reasons.insert(0, domain.reason)
        return
    verdict = "valid"
    if domain.status == "implicit_mx":
        verdict = "risky"
        reasons.append(f"no MX record: {domain.reason}")
    smtp = report.smtp
    if smtp is not None:
        said = f"{smtp.code} {smtp.message}".strip() if smtp.code else smtp.message
        if smtp.result == "deliverable":
            reasons.append(f"the mail server accepts this mailbox ({said})")
            if smtp.catch_all is None:
                reasons.append("whether the server accepts any address could not be told")
        elif smtp.result == "undeliverable":
            report.verdict = "invalid"
            reasons.insert(0, f"the mail server rejects this mailbox ({said})")
            return
        elif smtp.result == "catch_all":
            verdict = "risky"
            reasons.append("the mail server accepts any address here (catch-all), so this one may not exist")
        elif smtp.result == "greylisted":
            verdict = "unknown"
            reasons.append(f"the mail server deferred the check (greylisting or a limit: {said})")
        elif smtp.result == "blocked":
            verdict = "unknown"
            reasons.append(f"the mail server refused the probe by policy ({said})")
        else:
            verdict = "unknown"
            reasons.append(f"the probe could not tell: {said}")
    elif not smtp_asked:
        reasons.append(
            f"{domain.domain} accepts mail; the mailbox itself was not checked "
            "(pass --smtp to ask its mail server)"
        )
    if report.disposable:
        verdict = "risky" if verdict == "valid" else verdict
        reasons.append("disposable-address domain")
    if report.role:
        verdict = "risky" if verdict == "valid" else verdict
        reasons.append("role account: it reaches a team or function, not one person")
    if report.webmail:
        reasons.append("free webmail address: a personal address, not a company one")
    report.verdict = verdict


# Addresses verified together: one DNS check and one SMTP session serve each domain in a chunk, and a
# chunk's reports are all that is held (with the next chunk's in flight), so memory stays flat.
CHUNK = 1000


@dataclass
class _Run:
    """What every chunk of one verification run shares: the resolver, the probe settings, pacing."""

    client: DnsClient
    settings: ProbeSettings
    pacer: MxPacer
    smtp: bool
    allow_private: bool
    concurrency: int
    patterns: PathLike


def _report(address: str, parsed: _Parsed | str, patterns: PathLike) -> AddressReport:
    shown = displayable(address)
    if isinstance(parsed, str):
        return AddressReport(shown, None, "invalid", [f"not a valid address: {parsed}"])
    return AddressReport(
        shown,
        parsed.normalized,
        "unknown",
        role=is_role(parsed.local, patterns=patterns),
        webmail=is_webmail(parsed.ascii_domain, patterns=patterns),
        disposable=is_disposable(parsed.ascii_domain),
    )


async def _verify_chunk(items: list[str], run: _Run) -> list[AddressReport]:
    parsed = [_parse(address, run.allow_private) for address in items]
    reports = [_report(address, p, run.patterns) for address, p in zip(items, parsed, strict=True)]
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(parsed):
        if not isinstance(item, str):
            groups.setdefault(item.ascii_domain, []).append(index)
    sem = asyncio.Semaphore(max(1, run.concurrency))

    async def one_domain(ascii_domain: str, indexes: list[int]) -> None:
        async with sem:
            domain = await check_domain_async(ascii_domain, run.client, allow_private=run.allow_private)
            for i in indexes:
                reports[i].domain = domain
            if run.smtp and domain.accepts_mail:
                probe_for = {i: parsed[i].smtp_address for i in indexes}  # type: ignore[union-attr]
                targets = [a for a in probe_for.values() if a]
                results = await probe_domain(
                    ascii_domain,
                    targets,
                    [m.host for m in domain.mx],
                    client=run.client,
                    settings=run.settings,
                    pacer=run.pacer,
                )
                for i, smtp_address in probe_for.items():
                    if smtp_address is None:
                        reports[i].smtp = SmtpResult(
                            "unknown", None, "a non-ASCII local part needs SMTPUTF8; not probed"
                        )
                    else:
                        reports[i].smtp = results[smtp_address]
            for i in indexes:
                _verdict(reports[i], run.smtp, parsed[i])  # type: ignore[arg-type]

    await asyncio.gather(*(one_domain(d, idx) for d, idx in groups.items()))
    return reports


async def verify_stream(
    addresses: Iterable[str],
    *,
    smtp: bool = False,
    nameservers: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    concurrency: int = 16,
    smtp_port: int = 25,
    helo: str | None = None,
    sender: str = "",
    smtp_timeout: float = 15.0,
    smtp_interval: float = 1.0,
    greylist_wait: float = 0.0,
    catch_all_probes: int = 2,
    cache: TTLCache | bool | None = True,
    patterns: PathLike = None,
    client: DnsClient | None = None,
    pacer: MxPacer | None = None,
    chunk: int = CHUNK,
) -> AsyncGenerator[AddressReport, None]:
    """Verify ADDRESSES as they are read, yielding one report per address in input order.

    The input is read lazily, CHUNK addresses at a time, the next chunk checked while the last one's
    reports go out: memory stays flat however long the input. Pass `pacer` to share one MxPacer
    across calls (a batch), so each mail server still sees one session at a time.
    """
    settings = ProbeSettings(
        port=smtp_port,
        helo=helo,
        sender=sender,
        timeout=smtp_timeout,
        connect_timeout=min(smtp_timeout, 10.0),
        allow_private=allow_private,
        catch_all_probes=catch_all_probes,
        interval=smtp_interval,
        greylist_wait=greylist_wait,
    )
    source = iter(addresses)
    first = list(itertools.islice(source, max(1, chunk)))
    if not first:
        return
    if all(isinstance(_parse(a, allow_private), str) for a in first) and len(first) < chunk:
        # Nothing to look up: no resolver is needed (nor opened).
        for address in first:
            yield _report(address, _parse(address, allow_private), patterns)
        return
    async with dns_client(client, nameservers=nameservers, timeout=timeout, cache=cache) as client:
        run = _Run(client, settings, pacer or MxPacer(smtp_interval), smtp, allow_private, concurrency,
                   patterns)
        running: asyncio.Future[list[AddressReport]] | None = asyncio.ensure_future(
            _verify_chunk(first, run)
        )
        try:
            while running is not None:
                following = list(itertools.islice(source, max(1, chunk)))
                upcoming = asyncio.ensure_future(_verify_chunk(following, run)) if following else None
                try:
                    reports = await running
                except BaseException:
                    if upcoming is not None:
                        upcoming.cancel()
                    raise
                running = upcoming
                for report in reports:
                    yield report
        finally:
            if running is not None:
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)


async def verify_addresses_async(addresses: Iterable[str], **options: Any) -> list[AddressReport]:
    """The async form of verify_addresses (for callers that already run an event loop)."""
    stream = verify_stream(addresses, **options)
    async with contextlib.aclosing(stream):
        return [report async for report in stream]


def verify_addresses(addresses: Iterable[str], **options: Any) -> list[AddressReport]:
    """Verify ADDRESSES (in input order). One DNS check and one SMTP session serve each domain.

    Options: smtp (opt-in probe), nameservers, timeout, allow_private, concurrency, smtp_port (tests
    only; real servers listen on 25), helo, sender, smtp_timeout, smtp_interval, greylist_wait,
    catch_all_probes, cache, patterns, client, pacer, chunk. For long inputs use verify_stream.
    """
    return run_sync(verify_addresses_async(addresses, **options))


def verify_address(address: str, *, smtp: bool = False, **options: Any) -> AddressReport:
    """Verify one address; see verify_addresses for the options."""
    return verify_addresses([address], smtp=smtp, **options)[0]


@dataclass
class VerifiedGuess:
    """A guess whose candidates were checked: verdicts attached, undeliverable ones ruled out.

    `guess.candidates` is re-ranked: a candidate the mail server rejects leaves the personal
    ranking and the others' confidences are renormalised (P(c) / (1 - P(rejected))). A catch-all
    server changes nothing (it accepts every guess alike). `ruled_out` keeps the rejected ones.
    """

    guess: Any
    reports: dict[str, AddressReport]
    domain: DomainReport | None
    ruled_out: list[Any] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def verdict_of(self, address: str) -> AddressReport | None:
        return self.reports.get(address)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.guess.to_dict()

        def with_check(candidate: Any) -> dict[str, Any]:
            entry: dict[str, Any] = candidate.to_dict()
            report = self.reports.get(candidate.address)
            entry["verification"] = _brief(report) if report else None
            return entry

        data["candidates"] = [with_check(c) for c in self.guess.candidates]
        data["ruled_out"] = [with_check(c) for c in self.ruled_out]
        data["mail_domain"] = self.domain.to_dict() if self.domain else None
        data["notices"] = list(data.get("notices", [])) + list(self.notices)
        return data


def _brief(report: AddressReport) -> dict[str, Any]:
    return {
        "verdict": report.verdict,
        "reasons": list(report.reasons),
        "smtp": report.smtp.to_dict() if report.smtp else None,
    }


def verify_guess(guess: Any, **options: Any) -> VerifiedGuess:
    """Check a reachout.guessing.Guess's candidates and re-rank them (same options as verify_addresses).

    All candidates share one domain, so one DNS check and (with smtp=True) one SMTP session serve
    them all.
    """
    import dataclasses

    candidates = list(guess.candidates)
    reports = {r.address: r for r in verify_addresses([c.address for c in candidates], **options)}
    domain = next((r.domain for r in reports.values() if r.domain is not None), None)
    notices: list[str] = []
    if domain is not None and domain.accepts_mail is False:
        notices.append(
            f"{domain.domain} takes no mail: {domain.reason}. None of these addresses can receive anything."
        )
        return VerifiedGuess(guess, reports, domain, [], notices)
    if domain is not None and domain.accepts_mail is None:
        notices.append(f"Could not tell whether {domain.domain} takes mail: {domain.reason}.")

    def rejected(candidate: Any) -> bool:
        smtp = reports[candidate.address].smtp
        return smtp is not None and smtp.result == "undeliverable"

    ruled_out = [c for c in candidates if rejected(c)]
    kept = [c for c in candidates if not rejected(c)]
    dropped_mass = sum(c.confidence for c in ruled_out if c.kind == "personal")
    if dropped_mass:
        # Condition on "not the rejected ones": P(c | not rejected) = P(c) / (1 - P(rejected)).
        scale = 1 / max(1e-9, 1 - min(dropped_mass, 0.999999))
        kept = [
            dataclasses.replace(
                c,
                confidence=min(1.0, c.confidence * scale),
                reasons=(
                    *c.reasons,
                    "re-ranked after the mail server rejected "
                    f"{len([r for r in ruled_out if r.kind == 'personal'])} "
                    "other candidate(s)",
                ),
            )
            if c.kind == "personal"
            else c
            for c in kept
        ]
        personal = sorted((c for c in kept if c.kind == "personal"), key=lambda c: -c.confidence)
        kept = personal + [c for c in kept if c.kind != "personal"]
    if any(r.smtp is not None and r.smtp.result == "catch_all" for r in reports.values()):
        notices.append(
            f"{guess.domain}'s mail server accepts any address (catch-all): the probe "
            "cannot tell the guesses apart, so the ranking is unchanged."
        )
    if ruled_out:
        notices.append(
            f"The mail server rejected {len(ruled_out)} candidate(s): "
            + ", ".join(c.address for c in ruled_out)
            + "."
        )
    return VerifiedGuess(dataclasses.replace(guess, candidates=kept), reports, domain, ruled_out, notices)
