"""A stub DNS client for many lookups at once: one UDP socket per nameserver, queries matched by ID.

dnspython's asyncresolver spends most of its time on per-query sockets and tasks (about 3,400
lookups/s on two cores, whatever the concurrency). Here every query to a nameserver shares one
connected UDP socket, a query is a few bytes built by hand, and a reply is read by a small parser
of its answer section (a full dnspython parse costs several times more: see bench/mx.py). Each
query has a total time budget split over its attempts (failing over between nameservers), falls
back to TCP when the answer is truncated, and follows CNAMEs the server did not follow itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import os
import random
import socket
import struct
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reachout.cache import TTLCache
from reachout.errors import BadInput, LookupFailed

ENV_NAMESERVER = "REACHOUT_NAMESERVER"

# Query types this client understands (RFC 1035, RFC 3596).
A, CNAME, SOA, MX, TXT, AAAA = 1, 5, 6, 15, 16, 28
TYPE_NAMES = {A: "A", CNAME: "CNAME", SOA: "SOA", MX: "MX", TXT: "TXT", AAAA: "AAAA"}

# RFC 2308: negative answers are cached for min(SOA TTL, SOA MINIMUM); cap everything at a day.
NEGATIVE_TTL_DEFAULT = 300
MAX_TTL = 86_400
MAX_CNAME_HOPS = 8
# RFC 6891 EDNS(0) with a 1232-byte UDP payload (the DNS Flag Day 2020 value): MX and TXT sets of
# big
# companies rarely need TCP then.
_EDNS_OPT = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)


@dataclass(frozen=True)
class Answer:
    """The outcome of one lookup.

    status: ok (records hold the data), nodata (the name exists without that type), nxdomain,
    servfail, refused, timeout, or error (a malformed or unusable reply). records: MX → (preference,
    host), TXT → the joined strings, A/AAAA → the address text. canonical: the name after CNAMEs.
    """

    status: str
    records: tuple[Any, ...] = ()
    canonical: str = ""
    ttl: int = 0
    reason: str = ""

    def to_cache(self) -> list[Any]:
        return [
            self.status,
            [list(r) if isinstance(r, tuple) else r for r in self.records],
            self.canonical,
            self.ttl,
            self.reason,
        ]

    @classmethod
    def from_cache(cls, value: list[Any]) -> Answer:
        status, records, canonical, ttl, reason = value
        return cls(
            status,
            tuple(tuple(r) if isinstance(r, list) else r for r in records),
            canonical,
            ttl,
            reason,
        )


def parse_nameserver(text: str) -> tuple[str, int]:
    """'IP', 'IP:PORT', '[IPv6]:PORT' or a bare IPv6 address → (ip, port)."""
    raw = text.strip()
    host, port = raw, 53
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise BadInput(f"Nameserver {text!r} is malformed; write [IPv6]:PORT, e.g. [::1]:5353.")
        if rest:
            port = _port(rest[1:], text)
    elif raw.count(":") == 1:
        host, _, port_text = raw.partition(":")
        port = _port(port_text, text)
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise BadInput(
            f"Nameserver {text!r} is not an IP address; pass IP or IP:PORT, e.g. 127.0.0.1:5353."
        ) from None
    return str(ip), port


def _port(text: str, original: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise BadInput(f"Nameserver {original!r} has no valid port; use a number from 1 to 65535.")
    return int(text)


def resolve_nameservers(nameservers: Iterable[str] | None) -> list[tuple[str, int]]:
    """The nameservers given, else REACHOUT_NAMESERVER (comma-separated), else the system's."""
    chosen = list(nameservers or ())
    if any(not n.strip() for n in chosen):
        # Never fall back to the system's resolver because an option came out empty.
        raise BadInput("--nameserver is empty; pass IP or IP:PORT, e.g. 127.0.0.1:5353.")
    if not chosen:
        env = os.environ.get(ENV_NAMESERVER, "")
        chosen = [part for part in env.replace(" ", ",").split(",") if part.strip()]
    if chosen:
        return [parse_nameserver(n) for n in chosen]
    import dns.resolver

    try:
        system = dns.resolver.Resolver(configure=True)
    except dns.resolver.NoResolverConfiguration:
        system = None
    if system is None or not system.nameservers:
        raise BadInput(
            "No nameserver is configured on this system; pass --nameserver IP[:PORT] "
            f"or set {ENV_NAMESERVER}."
        )
    return [(str(ns), int(system.port)) for ns in system.nameservers]


def fits_dns(name: str) -> bool:
    """True when NAME can be sent in a DNS query (labels of 1-63 octets, 255 octets in all)."""
    try:
        encode_name(name)
    except BadInput:
        return False
    return True


def encode_name(name: str) -> bytes:
    """The wire form of an ASCII domain name (RFC 1035 §3.1)."""
    out = bytearray()
    try:
        raw = name.rstrip(".").encode("ascii")
    except UnicodeEncodeError:
        from reachout.domains import to_ascii

        raw = to_ascii(name.rstrip(".")).encode("ascii")
    for label in raw.split(b"."):
        if not label or len(label) > 63:
            raise BadInput(f"{name!r} is not a valid domain name (empty or over-long label).")
        out.append(len(label))
        out += label
    out.append(0)
    if len(out) > 255:
        raise BadInput(f"{name!r} is longer than DNS allows (255 octets).")
    return bytes(out)


def _grow_receive_buffer(sock: Any, size: int = 4 << 20) -> None:
    """Ask for a large receive buffer: a burst of hundreds of answers overflows the default
    (the kernel charges each small datagram about 1 KiB) and dropped answers cost a retry."""
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)


class _Pending:
    __slots__ = ("attempt", "deadline", "future", "ns_index", "qname", "qtype", "reason", "wire")

    def __init__(self, future: asyncio.Future[Any], wire: bytearray, qname: str, qtype: int) -> None:
        self.future = future
        self.wire = wire
        self.qname = qname
        self.qtype = qtype
        self.attempt = 0
        self.ns_index = 0
        self.deadline = 0.0
        self.reason = ""


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, client: DnsClient, index: int) -> None:
        self.client = client
        self.index = index

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.client._received(data, self.index)

    def error_received(self, exc: Exception) -> None:
        # A connected UDP socket hears ICMP "port unreachable": fail over now rather than
        # at the deadline.
        self.client._unreachable(self.index, exc)


class DnsClient:
    """Many DNS queries in flight over one UDP socket per nameserver; use `async with`."""

    def __init__(
        self,
        nameservers: Sequence[tuple[str, int]],
        *,
        timeout: float = 5.0,
        attempts: int = 3,
        cache: TTLCache | None = None,
    ) -> None:
        if not nameservers:
            raise BadInput("No nameserver given; pass --nameserver IP[:PORT].")
        self.nameservers = list(nameservers)
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.cache = cache
        self._cache_prefix = ",".join(f"{ip}:{port}" for ip, port in self.nameservers) + "|"
        self._transports: list[asyncio.DatagramTransport | None] = [None] * len(self.nameservers)
        self._pending: dict[int, _Pending] = {}
        self._inflight: dict[tuple[str, int], asyncio.Future[Answer]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.sent = 0
        self.received = 0

    async def __aenter__(self) -> DnsClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Open the sockets and start the timeout sweeper."""
        self._loop = asyncio.get_running_loop()
        failures = []
        for index, (ip, port) in enumerate(self.nameservers):
            try:
                transport, _ = await self._loop.create_datagram_endpoint(
                    functools.partial(_Protocol, self, index), remote_addr=(ip, port)
                )
            except OSError as exc:
                # One unusable nameserver (no route, no IPv6) leaves the others to answer.
                failures.append(f"{self.describe(index)}: {exc.strerror or exc}")
                continue
            self._transports[index] = transport
            _grow_receive_buffer(transport.get_extra_info("socket"))
        if len(failures) == len(self.nameservers):
            raise LookupFailed(
                f"Cannot reach any nameserver ({'; '.join(failures)}); "
                "pass --nameserver IP[:PORT] with one this machine can reach."
            )
        self._sweeper = self._loop.create_task(self._sweep())

    async def close(self) -> None:
        """Stop the sweeper, close the sockets, fail whatever is still waiting, flush the cache."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        for index, transport in enumerate(self._transports):
            if transport is not None:
                transport.close()
            self._transports[index] = None
        await asyncio.sleep(0)  # let the transports' close callbacks run before the loop may end
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_result(Answer("timeout", reason="the lookup was cancelled"))
        self._pending.clear()
        if self.cache is not None:
            self.cache.flush()

    @property
    def attempt_timeout(self) -> float:
        return self.timeout / self.attempts

    def describe(self, index: int) -> str:
        ip, port = self.nameservers[index]
        host = f"[{ip}]" if ":" in ip else ip
        return f"{host}:{port}"

    # -- public lookups --------------------------------------------------------------------------

    async def query(self, name: str, qtype: int) -> Answer:
        """Look NAME up for QTYPE, following CNAMEs; cached for the answer's TTL."""
        name = name.rstrip(".").lower()
        try:
            encode_name(name)
        except BadInput as exc:
            # A name DNS cannot carry is this lookup's answer, never an error for the whole run.
            return Answer("error", reason=str(exc))
        seen = {name}
        current = name
        for _ in range(MAX_CNAME_HOPS):
            answer = await self._query_one(current, qtype)
            if answer.status != "cname":
                if current != name and not answer.canonical:
                    answer = Answer(answer.status, answer.records, current, answer.ttl, answer.reason)
                return answer
            current = answer.canonical
            if current in seen:
                return Answer("servfail", canonical=current, reason=f"CNAME loop at {current}")
            seen.add(current)
        return Answer("servfail", canonical=current, reason="more than 8 CNAMEs in a row")

    async def _query_one(self, name: str, qtype: int) -> Answer:
        key = (name, qtype)
        cache_key = f"{self._cache_prefix}{name}|{qtype}"
        if self.cache is not None:
            cached = self.cache.get(cache_key)
            if cached is not None:
                return Answer.from_cache(cached)
        inflight = self._inflight.get(key)
        if inflight is not None:
            return await asyncio.shield(inflight)
        assert self._loop is not None, "DnsClient used before start()"
        future: asyncio.Future[Answer] = self._loop.create_future()
        self._inflight[key] = future
        try:
            answer = await self._send(name, qtype)
            future.set_result(answer)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: a waiter may or may not exist
            raise
        finally:
            del self._inflight[key]
        if self.cache is not None and answer.status in {"ok", "nodata", "nxdomain", "cname"}:
            self.cache.set(cache_key, answer.to_cache(), answer.ttl)
        return answer

    # -- UDP machinery ---------------------------------------------------------------------------

    async def _send(self, name: str, qtype: int) -> Answer:
        assert self._loop is not None
        qid = random.getrandbits(16)
        while qid in self._pending:
            qid = random.getrandbits(16)
        # RFC 1035 header: ID, flags (RD), QDCOUNT 1, ARCOUNT 1 (the EDNS OPT record).
        wire = bytearray(struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1))
        wire += encode_name(name) + struct.pack("!HH", qtype, 1) + _EDNS_OPT
        pending = _Pending(self._loop.create_future(), wire, name, qtype)
        self._pending[qid] = pending
        self._transmit(pending)
        first: Answer | None = None
        asked = 1
        while True:
            try:
                data = await pending.future
            finally:
                self._pending.pop(qid, None)
            if isinstance(data, Answer):
                return first or data
            answer = await self._interpret(data, name, qtype, pending)
            if answer.status not in {"servfail", "refused"} or asked >= len(self.nameservers):
                return answer if first is None or answer.status == "ok" else first
            # A resolver that fails or refuses is not the last word: ask the next one.
            first = first or answer
            asked += 1
            while qid in self._pending:
                qid = random.getrandbits(16)
            struct.pack_into("!H", pending.wire, 0, qid)
            pending.future = self._loop.create_future()
            self._pending[qid] = pending
            self._transmit(pending)

    def _transmit(self, pending: _Pending) -> None:
        pending.ns_index = pending.attempt % len(self.nameservers)
        pending.attempt += 1
        pending.deadline = time.monotonic() + self.attempt_timeout
        transport = self._transports[pending.ns_index]
        if transport is None or transport.is_closing():
            pending.deadline = 0.0
            return
        transport.sendto(bytes(pending.wire))
        self.sent += 1

    def _received(self, data: bytes, index: int) -> None:
        self.received += 1
        if len(data) < 12:
            return
        qid = (data[0] << 8) | data[1]
        pending = self._pending.get(qid)
        if pending is None or pending.future.done():
            return
        # The question must echo ours (RFC 5452: match ID *and* question).
        if (
            data[12 : 12 + len(pending.wire) - 12 - len(_EDNS_OPT)].lower()
            != bytes(pending.wire[12 : len(pending.wire) - len(_EDNS_OPT)]).lower()
        ):
            return
        pending.reason = self.describe(index)
        pending.future.set_result(data)

    def _unreachable(self, index: int, exc: Exception) -> None:
        now = time.monotonic()
        why = getattr(exc, "strerror", None) or exc
        for pending in self._pending.values():
            if pending.ns_index == index and not pending.future.done():
                pending.reason = f"{self.describe(index)} is unreachable ({why})"
                pending.deadline = min(pending.deadline, now)

    async def _sweep(self) -> None:
        tick = min(0.05, self.attempt_timeout / 4)
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            for pending in list(self._pending.values()):
                if pending.deadline > now or pending.future.done():
                    continue
                if pending.attempt < self.attempts:
                    self._transmit(pending)
                else:
                    servers = ", ".join(self.describe(i) for i in range(len(self.nameservers)))
                    why = pending.reason or f"no answer from {servers}"
                    pending.future.set_result(
                        Answer(
                            "timeout",
                            reason=f"{why} after {self.timeout:g} s for {pending.qname} "
                            f"{TYPE_NAMES.get(pending.qtype, pending.qtype)}",
                        )
                    )

    async def _tcp(self, pending: _Pending) -> bytes | None:
        ip, port = self.nameservers[pending.ns_index]
        wire = bytes(pending.wire)
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(ip, port), self.timeout)
        except (TimeoutError, OSError):
            return None
        try:
            writer.write(struct.pack("!H", len(wire)) + wire)
            length = struct.unpack("!H", await asyncio.wait_for(reader.readexactly(2), self.timeout))[0]
            return await asyncio.wait_for(reader.readexactly(length), self.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            return None
        finally:
            writer.close()

    async def _interpret(self, data: bytes, name: str, qtype: int, pending: _Pending) -> Answer:
        parsed = parse_wire(data, qtype)
        if parsed is None or parsed.truncated:
            if parsed is None and not (len(data) > 3 and data[2] & 0x02):
                return Answer("error", reason=f"malformed reply from {pending.reason}")
            # RFC 7766: a truncated UDP answer is retried over TCP.
            full = await self._tcp(pending)
            if full is None:
                return Answer("timeout", reason=f"{pending.reason} truncated the answer and TCP failed")
            parsed = parse_wire(full, qtype)
            if parsed is None:
                return Answer("error", reason=f"malformed TCP reply from {pending.reason}")
        return decide(parsed, name, qtype, pending.reason)


@dataclass
class Parsed:
    """The parts of a DNS reply a lookup needs: rcode, TC, answer records, negative TTL."""

    rcode: int
    truncated: bool
    answers: list[tuple[str, int, int, Any]]  # (owner, type, ttl, value)
    negative_ttl: int


NOERROR, SERVFAIL, NXDOMAIN, REFUSED = 0, 2, 3, 5
_RCODE_TEXT = {1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def _read_name(data: bytes, offset: int) -> tuple[str, int]:
    """A possibly compressed name at OFFSET (RFC 1035 §4.1.4) and the offset just after it."""
    labels: list[bytes] = []
    end = -1
    jumps = 0
    while True:
        length = data[offset]
        if length == 0:
            offset += 1
            break
        if length & 0xC0 == 0xC0:
            if end < 0:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            jumps += 1
            if jumps > 64:
                raise ValueError("compression loop")
            continue
        if length & 0xC0:
            raise ValueError("bad label type")
        labels.append(data[offset + 1 : offset + 1 + length])
        offset += 1 + length
    name = b".".join(labels).decode("ascii", "replace").lower() or "."
    return name, (end if end >= 0 else offset)


def parse_wire(data: bytes, qtype: int) -> Parsed | None:
    """Parse a reply without building a full message object; None if it is malformed.

    Only the answer section (and the SOA of the authority section, for negative caching) is read:
    that is all a lookup needs, and skipping the rest makes a reply several times cheaper than
    dnspython's full parse.
    """
    try:
        _, flags, qdcount, ancount, nscount, _ = struct.unpack_from("!HHHHHH", data, 0)
        offset = 12
        for _ in range(qdcount):
            _, offset = _read_name(data, offset)
            offset += 4
        answers: list[tuple[str, int, int, Any]] = []
        for _ in range(ancount):
            owner, offset = _read_name(data, offset)
            rtype, _, ttl, rdlength = struct.unpack_from("!HHIH", data, offset)
            offset += 10
            rdata_end = offset + rdlength
            if rdata_end > len(data):
                raise ValueError("rdata past the end")
            value: Any = None
            if rtype in (qtype, CNAME):
                value = _rdata(data, offset, rdlength, rtype)
                answers.append((owner, rtype, ttl, value))
            offset = rdata_end
        negative = NEGATIVE_TTL_DEFAULT
        if not any(rtype == qtype for _, rtype, _, _ in answers):
            for _ in range(nscount):
                _, offset = _read_name(data, offset)
                rtype, _, ttl, rdlength = struct.unpack_from("!HHIH", data, offset)
                offset += 10
                if rtype == SOA:
                    _, at = _read_name(data, offset)
                    _, at = _read_name(data, at)
                    minimum = struct.unpack_from("!IIIII", data, at)[4]
                    negative = max(0, min(ttl, minimum, MAX_TTL))
                    break
                offset += rdlength
        return Parsed(flags & 0x000F, bool(flags & 0x0200), answers, negative)
    except (IndexError, ValueError, struct.error):
        return None


def _rdata(data: bytes, offset: int, length: int, rtype: int) -> Any:
    if rtype == MX:
        preference = struct.unpack_from("!H", data, offset)[0]
        host, _ = _read_name(data, offset + 2)
        return (preference, host)
    if rtype == CNAME:
        return _read_name(data, offset)[0]
    if rtype == TXT:
        parts, at, end = [], offset, offset + length
        while at < end:
            size = data[at]
            parts.append(data[at + 1 : at + 1 + size])
            at += 1 + size
        return b"".join(parts).decode("utf-8", "replace")
    if rtype == A and length == 4:
        return str(ipaddress.IPv4Address(data[offset : offset + 4]))
    if rtype == AAAA and length == 16:
        return str(ipaddress.IPv6Address(data[offset : offset + 16]))
    raise ValueError(f"unexpected rdata for type {rtype}")


def interpret(message: Any, name: str, qtype: int, server: str = "the nameserver") -> Answer:
    """Turn a parsed dnspython message into an Answer for (NAME, QTYPE), following its CNAMEs."""
    answers: list[tuple[str, int, int, Any]] = []
    for rrset in message.answer:
        owner = rrset.name.to_text(omit_final_dot=True).lower()
        if rrset.rdtype == CNAME:
            target = rrset[0].target.to_text(omit_final_dot=True).lower()
            answers.append((owner, CNAME, rrset.ttl, target))
        elif rrset.rdtype == qtype:
            answers += [(owner, qtype, rrset.ttl, _value(rd, qtype)) for rd in rrset]
    negative = NEGATIVE_TTL_DEFAULT
    for rrset in message.authority:
        if rrset.rdtype == SOA:
            negative = max(0, min(rrset.ttl, rrset[0].minimum, MAX_TTL))
            break
    parsed = Parsed(message.rcode(), False, answers, negative)
    return decide(parsed, name, qtype, server)


def decide(parsed: Parsed, name: str, qtype: int, server: str = "the nameserver") -> Answer:
    """The Answer a reply gives for (NAME, QTYPE), following the CNAME chain inside it."""
    rcode = parsed.rcode
    if rcode == SERVFAIL:
        return Answer("servfail", reason=f"{server} answered SERVFAIL for {name}")
    if rcode == REFUSED:
        return Answer("refused", reason=f"{server} refused to answer for {name}")
    if rcode not in (NOERROR, NXDOMAIN):
        text = _RCODE_TEXT.get(rcode, f"rcode {rcode}")
        return Answer("error", reason=f"{server} answered {text} for {name}")
    cnames: dict[str, str] = {}
    data: dict[str, list[Any]] = {}
    ttls: list[int] = []
    for owner, rtype, ttl, value in parsed.answers:
        if rtype == CNAME:
            cnames[owner] = value
        else:
            data.setdefault(owner, []).append(value)
        ttls.append(ttl)
    current, seen = name, {name}
    while current in cnames:
        current = cnames[current]
        if current in seen or len(seen) > MAX_CNAME_HOPS:
            return Answer("servfail", (), current, 0, f"CNAME loop at {current}")
        seen.add(current)
    ttl = min(min(ttls, default=MAX_TTL), MAX_TTL)
    alias = current if current != name else ""
    if current in data:
        return Answer("ok", tuple(data[current]), alias, ttl)
    if rcode == NXDOMAIN:
        return Answer("nxdomain", (), alias, parsed.negative_ttl, f"{current} does not exist (NXDOMAIN)")
    if alias:
        # The server gave the alias but not its target's data (an authoritative server does
        # this when the target lies in another zone): ask again for the target.
        return Answer("cname", (), current, ttl)
    return Answer("nodata", (), "", parsed.negative_ttl, f"{name} has no {TYPE_NAMES.get(qtype)} record")


def _value(rd: Any, qtype: int) -> Any:
    if qtype == MX:
        return (int(rd.preference), rd.exchange.to_text(omit_final_dot=True).lower())
    if qtype == TXT:
        return b"".join(rd.strings).decode("utf-8", "replace")
    if qtype in (A, AAAA):
        return str(rd.address)
    return rd.to_text()
