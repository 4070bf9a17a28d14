"""The opt-in SMTP probe: ask a domain's mail server whether it would take mail for some addresses.

One session per domain serves several candidates: EHLO with an honest name, STARTTLS when offered,
MAIL FROM:<> (or a configured sender), one RCPT TO per address plus random look-alike addresses that
reveal a catch-all server, then RSET and QUIT. The probe never sends DATA: no message is ever sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import random
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reachout.errors import BadInput
from reachout.mail.dnsclient import DnsClient

RESULTS = ("deliverable", "undeliverable", "catch_all", "greylisted", "blocked", "unknown")
_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_BLOCK_WORDS = re.compile(
    r"block|spam|policy|blacklist|blocklist|denylist|reputation|rbl|spamhaus|relay access denied|"
    r"not permitted|access denied|rejected due to|authentication required",
    re.IGNORECASE,
)
_NO_USER_WORDS = re.compile(
    r"user unknown|unknown user|no such|does not exist|doesn't exist|not exist|not found|"
    r"invalid recipient|"
    r"recipient rejected|mailbox unavailable|mailbox not found|no mailbox|address rejected|"
    r"disabled|inactive|unrouteable|undeliverable",
    re.IGNORECASE,
)
# Look-alike local parts for the catch-all test: realistic shapes, vanishingly unlikely to exist.
_FIRST = (
    "amara",
    "bodhi",
    "cosmin",
    "delphine",
    "eskil",
    "farrah",
    "gideon",
    "halvard",
    "ines",
    "jorun",
    "kasimir",
    "leontine",
    "maelis",
    "nikodem",
    "oriane",
    "peregrin",
    "quilla",
    "rasmus",
)
_LAST = (
    "abernethy",
    "brennholt",
    "castellane",
    "dunmore",
    "eberwein",
    "fairweather",
    "grimsditch",
    "hollingworth",
    "ivanescu",
    "jessup",
    "kettleborough",
    "lindqvist",
    "moncrieff",
    "nethercott",
)


@dataclass
class SmtpResult:
    """What the mail server said about one address."""

    result: str
    code: int | None = None
    message: str = ""
    transcript: list[str] = field(default_factory=list)
    mx: str | None = None
    catch_all: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "code": self.code,
            "message": self.message,
            "mx": self.mx,
            "catch_all": self.catch_all,
            "transcript": list(self.transcript),
        }


@dataclass
class ProbeSettings:
    """How to probe. `port` other than 25 exists for tests against local servers only."""

    port: int = 25
    helo: str | None = None
    sender: str = ""
    timeout: float = 15.0
    connect_timeout: float = 10.0
    starttls: bool = True
    allow_private: bool = False
    catch_all_probes: int = 2
    max_recipients: int = 20
    max_errors: int = 8
    interval: float = 1.0
    greylist_wait: float = 0.0

    def __post_init__(self) -> None:
        # RFC 5321 §2.3.8: a command line ends at CRLF, so a CR or LF inside the EHLO name or the
        # sender would smuggle in a command of its own (DATA, which the probe never sends).
        if self.helo is not None and not re.fullmatch(r"[!-~]{1,255}", self.helo):
            raise BadInput(
                f"EHLO name {self.helo[:60]!r} is not a host name; pass --helo with this machine's "
                "fully qualified name (letters, digits, dots; no spaces or line breaks)."
            )
        if self.sender and (
            not re.fullmatch(r"[!-~]{1,254}", self.sender) or any(ch in self.sender for ch in "<>")
        ):
            raise BadInput(
                f"Sender {self.sender[:60]!r} is not an address; pass --sender such as "
                "me@example.org (no spaces, angle brackets or line breaks), or leave it out for <>."
            )


class MxPacer:
    """At most one session at a time per mail server, INTERVAL seconds between session starts."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._locks: dict[Any, asyncio.Lock] = {}
        self._last: dict[Any, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, key: Any) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            wait = self._last.get(key, -1e9) + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._last[key] = time.monotonic()


def classify(code: int, text: str) -> str:
    """The probe result a RCPT reply means (RFC 5321 codes, RFC 3463 enhanced status codes)."""
    if code in (250, 251):
        return "deliverable"
    if 400 <= code < 500:
        return "greylisted"
    if code < 500:
        return "unknown"  # 252: cannot verify, will try; anything else unexpected
    enhanced = _ENHANCED.match(text)
    if enhanced:
        subject, detail = int(enhanced.group(2)), int(enhanced.group(3))
        if subject == 7:
            return "blocked"  # 5.7.x: security or policy status, not a verdict on the mailbox
        if subject == 1 and detail == 8:
            return "blocked"  # bad sender's address: our probe, not the mailbox
        if subject in (1, 2):
            return "undeliverable"  # 5.1.x addressing, 5.2.x mailbox status
        return "unknown"  # 5.3 system, 5.4 network/routing, 5.5 protocol, 5.6 content
    if _BLOCK_WORDS.search(text):
        return "blocked"
    if _NO_USER_WORDS.search(text) or code in (550, 551, 552, 553):
        return "undeliverable"
    if code in (530, 535, 554):
        return "blocked"
    return "unknown"


def random_local_parts(count: int, rng: random.Random | None = None) -> list[str]:
    """COUNT distinct realistic-looking local parts (first.last + digits) for catch-all probes."""
    rng = rng or random.SystemRandom()
    out: list[str] = []
    while len(out) < count:
        part = f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randint(10, 9999)}"
        if part not in out:
            out.append(part)
    return out


class SessionError(Exception):
    """The SMTP conversation broke off (closed, timed out, garbled)."""


class SmtpSession:
    """A minimal SMTP client over asyncio streams that keeps a transcript."""

    def __init__(self, transcript: list[str], timeout: float) -> None:
        self.transcript = transcript
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.extensions: set[str] = set()
        self.last_lines: list[str] = []

    async def connect(self, ip: str, port: int, connect_timeout: float) -> tuple[int, str]:
        self.transcript.append(f"-- connect {ip}:{port}")
        try:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection(ip, port, limit=65536), connect_timeout
            )
        except TimeoutError:
            raise ConnectionError(f"connection to {ip}:{port} timed out") from None
        except OSError as exc:
            raise ConnectionError(
                f"connection to {ip}:{port} failed: {exc.strerror or exc}"
            ) from None
        return await self.reply(what="banner")

    async def reply(self, what: str = "reply") -> tuple[int, str]:
        assert self.reader is not None
        lines: list[str] = []
        while True:
            try:
                raw = await asyncio.wait_for(self.reader.readline(), self.timeout)
            except TimeoutError:
                self.transcript.append(f"-- no {what} within {self.timeout:g} s")
                raise SessionError(f"no {what} within {self.timeout:g} s") from None
            except (OSError, ValueError) as exc:
                raise SessionError(f"connection lost: {exc}") from None
            if not raw:
                self.transcript.append("-- connection closed by the server")
                raise SessionError("the server closed the connection")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.transcript.append(f"S: {line}")
            if len(line) < 3 or not line[:3].isdigit():
                raise SessionError(f"garbled reply {line[:80]!r}")
            lines.append(line[4:])
            if len(line) == 3 or line[3] != "-":
                self.last_lines = lines
                return int(line[:3]), " ".join(lines).strip()

    async def command(self, line: str, what: str = "reply") -> tuple[int, str]:
        assert self.writer is not None
        if "\r" in line or "\n" in line:  # never send two commands where one was meant
            raise SessionError(f"refused to send a command with a line break: {line[:60]!r}")
        self.transcript.append(f"C: {line}")
        try:
            self.writer.write(line.encode("utf-8") + b"\r\n")
            await asyncio.wait_for(self.writer.drain(), self.timeout)
        except (TimeoutError, OSError) as exc:
            raise SessionError(f"could not send {line.split()[0]}: {exc}") from None
        return await self.reply(what)

    async def ehlo(self, name: str) -> tuple[int, str]:
        code, text = await self.command(f"EHLO {name}")
        if code == 250:
            # The first line greets; each later line names an extension (RFC 5321 §4.1.1.1).
            self.extensions = {line.split(" ")[0].upper() for line in self.last_lines[1:] if line}
            return code, text
        if code >= 500:
            # RFC 5321 §4.1.4: fall back to HELO when EHLO is not understood.
            self.extensions = set()
            return await self.command(f"HELO {name}")
        return code, text

    async def starttls(self, server_hostname: str) -> bool:
        assert self.writer is not None
        code, _ = await self.command("STARTTLS")
        if code != 220:
            return False
        # Opportunistic TLS (RFC 7435): encrypt, but accept any certificate: MX
        # certificates often do not
        # match, and the probe sends no message content to protect.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            await asyncio.wait_for(
                self.writer.start_tls(context, server_hostname=server_hostname), self.timeout
            )
        except (TimeoutError, OSError, ssl.SSLError) as exc:
            self.transcript.append(f"-- TLS handshake failed: {exc}")
            raise SessionError(f"TLS handshake failed: {exc}") from None
        ssl_object = self.writer.get_extra_info("ssl_object")
        self.transcript.append(
            f"-- TLS established ({ssl_object.version() if ssl_object else 'TLS'})"
        )
        return True

    def local_address(self) -> str:
        assert self.writer is not None
        sockname = self.writer.get_extra_info("sockname")
        return str(sockname[0]) if sockname else "127.0.0.1"

    async def quit(self, *, rset: bool = True) -> None:
        if self.writer is None:
            return
        with contextlib.suppress(SessionError, OSError, TimeoutError):
            if rset:
                await self.command("RSET")
            await asyncio.wait_for(self.command("QUIT"), 2)
        await self.close()

    async def close(self) -> None:
        if self.writer is None:
            return
        writer, self.writer = self.writer, None
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, asyncio.TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 2)


def default_helo(local_ip: str) -> str:
    """This machine's own name if it is fully qualified, else its address literal (RFC 5321 §4.1.3).

    Never a name that is not ours: no reverse lookup (that would use the system resolver) and no
    borrowed domain.
    """
    name = socket.gethostname()
    if "." in name and not name.startswith("localhost"):
        return name
    ip = ipaddress.ip_address(local_ip)
    return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"


def _address_literal_ok(ip: str, allow_private: bool) -> bool:
    return allow_private or ipaddress.ip_address(ip).is_global


@dataclass
class _Target:
    mx: str
    ip: str


async def _targets(
    mx_hosts: Sequence[str], client: DnsClient, settings: ProbeSettings, notes: list[str]
) -> list[_Target]:
    from reachout.mail.dnscheck import host_addresses

    targets: list[_Target] = []
    for host in mx_hosts:
        addresses, why = await host_addresses(client, host)
        if not addresses:
            notes.append(f"{host}: {why}")
            continue
        for ip in addresses:
            if _address_literal_ok(ip, settings.allow_private):
                targets.append(_Target(host, ip))
            else:
                notes.append(
                    f"{host} has the private address {ip}; pass --allow-private to probe it"
                )
    return targets


async def probe_domain(
    domain: str,
    addresses: Sequence[str],
    mx_hosts: Sequence[str],
    *,
    client: DnsClient,
    settings: ProbeSettings | None = None,
    pacer: MxPacer | None = None,
    rng: random.Random | None = None,
) -> dict[str, SmtpResult]:
    """Probe ADDRESSES (all at DOMAIN, ASCII form) at the MX_HOSTS in preference order.

    Returns a result per address. Sessions are shared by the addresses and split only where the
    server's limits demand it (too many recipients, too many rejections).
    """
    settings = settings or ProbeSettings()
    pacer = pacer or MxPacer(settings.interval)
    transcript: list[str] = []
    notes: list[str] = []
    unique = list(dict.fromkeys(addresses))
    probes = [f"{lp}@{domain}" for lp in random_local_parts(settings.catch_all_probes, rng)]
    targets = await _targets(mx_hosts, client, settings, notes)
    if not targets:
        why = "; ".join(notes) or "no MX host has an address"
        return {
            a: SmtpResult("unknown", None, f"nothing to probe: {why}", [f"-- {n}" for n in notes])
            for a in unique
        }

    replies = await _run_sessions(unique + probes, targets, settings, pacer, transcript)
    if settings.greylist_wait > 0:
        again = [a for a, r in replies.items() if r[0] is not None and 400 <= r[0] < 500]
        if again:
            transcript.append(f"-- greylisted: trying again in {settings.greylist_wait:g} s")
            await asyncio.sleep(settings.greylist_wait)
            replies.update(await _run_sessions(again, targets, settings, pacer, transcript))

    catch_all = _catch_all([replies[p] for p in probes])
    out: dict[str, SmtpResult] = {}
    for address in unique:
        code, text, mx = replies[address]
        if code is None:
            out[address] = SmtpResult("unknown", None, text, transcript, mx, catch_all)
            continue
        result = classify(code, text)
        if result == "deliverable" and catch_all:
            result = "catch_all"
        out[address] = SmtpResult(result, code, text, transcript, mx, catch_all)
    return out


def _catch_all(replies: list[tuple[int | None, str, str | None]]) -> bool | None:
    """True if every random address was accepted, False if any was refused as unknown, else None."""
    results = [classify(code, text) if code is not None else "unknown" for code, text, _ in replies]
    if results and all(r == "deliverable" for r in results):
        return True
    if any(r == "undeliverable" for r in results):
        return False
    return None


async def _run_sessions(
    recipients: list[str],
    targets: list[_Target],
    settings: ProbeSettings,
    pacer: MxPacer,
    transcript: list[str],
) -> dict[str, tuple[int | None, str, str | None]]:
    """RCPT replies (code, text, mx) per recipient, over as many sessions as limits need."""
    replies: dict[str, tuple[int | None, str, str | None]] = {}
    todo = list(recipients)
    index = 0
    failures: list[str] = []
    while todo and index < len(targets):
        target = targets[index]
        async with pacer.slot((target.ip, settings.port)):
            outcome = await _session(todo, target, settings, transcript, replies)
        if outcome.kind == "connect":
            # RFC 5321 §5.1: try the next address or MX host when one cannot be reached.
            failures.append(outcome.reason)
            index += 1
            continue
        if outcome.kind in {"banner", "fatal"}:
            for address in todo:
                replies[address] = (outcome.code, outcome.text, target.mx)
            todo = []
            break
        left = [a for a in todo if a not in replies]
        if outcome.kind == "more" and len(left) == len(todo):
            # The server took no recipient at all in that session: do not loop on it.
            for address in left:
                replies[address] = (
                    None,
                    "unknown: the server accepted no recipient in a session",
                    target.mx,
                )
            left = []
        todo = left
        if outcome.kind == "broken":
            for address in todo:
                replies[address] = (None, f"unknown: {outcome.reason}", target.mx)
            todo = []
    if todo:
        port = f"port {settings.port}"
        reason = f"unknown: {port} unreachable on every MX ({'; '.join(failures)})"
        for address in todo:
            replies[address] = (None, reason, None)
    return replies


@dataclass
class _Outcome:
    kind: str  # done, connect, banner, fatal, broken, more
    reason: str = ""
    code: int | None = None
    text: str = ""


async def _session(
    todo: list[str],
    target: _Target,
    settings: ProbeSettings,
    transcript: list[str],
    replies: dict[str, tuple[int | None, str, str | None]],
) -> _Outcome:
    session = SmtpSession(transcript, settings.timeout)
    try:
        try:
            code, text = await session.connect(target.ip, settings.port, settings.connect_timeout)
        except ConnectionError as exc:
            transcript.append(f"-- {exc}")
            return _Outcome("connect", f"{target.mx}: {exc}")
        except SessionError as exc:
            return _Outcome("connect", f"{target.mx}: {exc}")
        if code != 220:
            # A 554 banner refuses us outright (policy); a 421 is "busy": try the next MX.
            # RFC 5321 §3.1: either way the client should still say QUIT.
            await session.quit(rset=False)
            if code >= 500:
                return _Outcome("banner", f"banner {code} {text}", code, text)
            return _Outcome("connect", f"{target.mx}: banner {code} {text}")
        helo = settings.helo or default_helo(session.local_address())
        code, text = await session.ehlo(helo)
        if code != 250:
            return _fatal(code, text, "EHLO")
        if settings.starttls and "STARTTLS" in session.extensions:
            try:
                if await session.starttls(target.mx):
                    code, text = await session.ehlo(helo)
                    if code != 250:
                        return _fatal(code, text, "EHLO after STARTTLS")
            except SessionError as exc:
                # Retry this server without TLS rather than give up on it.
                await session.close()
                plain = ProbeSettings(**{**settings.__dict__, "starttls": False})
                transcript.append(f"-- retrying without STARTTLS after: {exc}")
                return await _session(todo, target, plain, transcript, replies)
        code, text = await session.command(f"MAIL FROM:<{settings.sender}>")
        if code != 250:
            return _fatal(code, text, "MAIL FROM")
        errors = 0
        for sent, address in enumerate(todo):
            if sent >= settings.max_recipients or errors >= settings.max_errors:
                # Stay inside the server's limits (Postfix: smtpd_soft_error_limit 10; many cap
                # recipients per message): continue in a fresh session.
                transcript.append("-- ending this session to stay within the server's limits")
                await session.quit()
                return _Outcome("more")
            code, text = await session.command(f"RCPT TO:<{address}>")
            if code == 452 or (code == 451 and "too many" in text.lower()):
                # RFC 5321 §4.5.3.1.10: too many recipients; the rest go in the next session.
                await session.quit()
                return _Outcome("more")
            replies[address] = (code, text, target.mx)
            if code >= 500:
                errors += 1
            if code == 421:
                return _Outcome("broken", f"the server is closing the session: {text}")
        await session.quit()
        return _Outcome("done")
    except SessionError as exc:
        return _Outcome("broken", f"{target.mx}: {exc}")
    finally:
        await session.close()


def _fatal(code: int, text: str, step: str) -> _Outcome:
    return _Outcome("fatal", f"{step} refused: {code} {text}", code, text)
