"""The project's one HTTP layer: a polite, guarded, cached requests Session and a `fetch`.

Polite: User-Agent `reachout.USER_AGENT`, connect/read timeouts, retries with exponential backoff
on 429/5xx that honour Retry-After, robots.txt (RFC 9309) with Crawl-delay, a per-host limit;
the limit and the Crawl-delay hold for the whole process (HostLimits), across all its fetchers.
Safe: a response size cap and a total deadline per body, content-type and charset checks,
redirects followed one hop at a time within limits and within the allowed domains, and every
connection made to an address checked first (private, loopback, link-local and reserved
addresses are refused unless allowed). The check runs inside the connection on the address the
name resolves to, so a name that resolves differently between check and connect (DNS rebinding)
cannot slip through.
Cached: requests-cache with SQLite under `reachout.paths.user_dir()`, a TTL, offline/refresh.
GET, and POST for searches (`Fetcher.post`): every guarantee above holds for both.
"""

from __future__ import annotations

import contextlib
import email.utils
import heapq
import http.client
import ipaddress
import itertools
import json
import math
import os
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as u3conn

from reachout import USER_AGENT
from reachout.errors import BadInput

ENV_RESOLVE = "REACHOUT_RESOLVE"
ENV_ALLOW_PRIVATE = "REACHOUT_ALLOW_PRIVATE"
ENV_RESOLVE_ONLY = "REACHOUT_RESOLVE_ONLY"  # refuse every name not given with --resolve

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ERROR_TEXT_BYTES = 2_000  # how much of an error answer's body Response.text keeps
# Cached statuses: successes, redirects (so an offline run can follow them) and definite absences.
CACHED_STATUSES = (200, 203, 300, 301, 302, 303, 307, 308, 404, 410)
# RFC 9110 §15.5.5, §15.5.11: the page is not there (410: for good). Nothing in such an answer is
# read, so it is kept for the run's TTL whatever its body or headers: see GuardedAdapter.send.
ABSENT_STATUSES = frozenset({404, 410})
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
)
JSON_TYPES = (
    "application/json",
    "application/feed+json",
    "application/ld+json",
    "application/sparql-results+json",
)
TEXT_TYPES = ("text/plain",)


class BlockedAddress(OSError):
    """A connection was refused before it was made: the address is not one we may reach."""


class NameNotResolved(BlockedAddress):
    """A host's name did not resolve: offline, or no such host. Asking again at once will not help."""


_NOT_RESOLVED = "its name does not resolve (no network?)"


def name_not_resolved(error: str | None) -> bool:
    """True when a Response's ERROR says its host's name did not resolve (NameNotResolved)."""
    return bool(error) and str(error).startswith("cannot reach ") and _NOT_RESOLVED in str(error)


class Unreachable(requests.exceptions.ConnectionError):
    """A host this run already failed to reach: not asked again (Fetcher's per-run memory)."""


class TooLarge(requests.RequestException):
    """A response body went past the size cap."""


class TooSlow(requests.RequestException):
    """A response body took longer than the total deadline to arrive."""


class BrokenBody(requests.RequestException):
    """A response body could not be read to its end: cut short, or its encoding undecodable."""


# Everything a read from the network can raise below requests: these are one source's failure.
NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
                  OSError)


@dataclass
class HttpConfig:
    """Everything that shapes how reachout talks HTTP; one per run, shared by all fetches."""

    timeout: tuple[float, float] = (5.0, 10.0)  # (connect, read) seconds
    deadline: float = 30.0  # a whole answer (headers and body) must arrive within this many seconds
    # Every fetch of one run (a Fetcher: one brief) ends by then: 12 pages one Crawl-delay (capped
    # at max_crawl_delay) apart fit, and a site that answers slowly everywhere cannot hold a run.
    run_deadline: float = 180.0
    # When the run began (time.monotonic()), if before its first fetch: a brief's name lookup
    # counts towards its --max-time. None: when the Fetcher is made.
    run_started: float | None = None
    max_bytes: int = 3_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5  # seconds; doubles each retry, with jitter
    max_retry_wait: float = 10.0  # a Retry-After longer than this is not waited for
    # Requests in flight to one host from the whole process (all its fetchers: reachout.http.
    # HostLimits), this one's included: no more than a browser opens.
    per_host: int = 6
    max_crawl_delay: float = 10.0  # a robots.txt Crawl-delay above this is capped
    allow_private: bool = False
    resolve: dict[tuple[str, int], str] = field(default_factory=dict)  # curl --resolve
    resolve_only: bool = False  # names outside `resolve` are refused (sandboxes, test kernels)
    cache_ttl: float | None = 86_400.0  # seconds; None disables the cache
    cache_path: str | None = None  # SQLite file; default user_dir()/http-cache.sqlite
    offline: bool = False
    refresh: bool = False
    user_agent: str = USER_AGENT

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpConfig:
        """A config with REACHOUT_RESOLVE / REACHOUT_ALLOW_PRIVATE applied (explicit ones win)."""
        config = cls(**overrides)
        env = os.environ.get(ENV_RESOLVE, "")
        if env.strip():
            merged = parse_resolve(re.split(r"[,\s]+", env.strip()))
            merged.update(config.resolve)
            config.resolve = merged
        if os.environ.get(ENV_ALLOW_PRIVATE, "").lower() in {"1", "true", "yes"}:
            config.allow_private = True
        if os.environ.get(ENV_RESOLVE_ONLY, "").lower() in {"1", "true", "yes"}:
            config.resolve_only = True
        return config


def parse_resolve(entries: Iterable[str]) -> dict[tuple[str, int], str]:
    """Parse curl-style `HOST:PORT:ADDRESS` entries (IPv6 addresses in brackets)."""
    out: dict[tuple[str, int], str] = {}
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        match = re.fullmatch(r"([^:\s]+):(\d{1,5}):(\S+)", entry)
        if not match:
            raise BadInput(f"--resolve {entry!r} is not HOST:PORT:ADDRESS, e.g. acme.test:8080:127.0.0.1.")
        host, port, address = match.groups()
        address = address.strip("[]")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise BadInput(f"--resolve {entry!r}: {address!r} is not an IP address.") from None
        out[(host.lower().rstrip("."), int(port))] = address
    return out


@dataclass
class Response:
    """What a fetch gave: the final URL, status, headers and decoded text, or an error."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""
    error: str | None = None
    content_type: str = ""
    final_url: str = ""
    fetched_at: str = ""
    from_cache: bool = False
    redirects: list[str] = field(default_factory=list)
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url or self.url,
            "status": self.status,
            "content_type": self.content_type,
            "fetched_at": self.fetched_at,
            "from_cache": self.from_cache,
            "error": self.error,
        }


# When an answer arrived, stamped on it before the cache stores it, so a cached copy says when it was
# first fetched: requests-cache's own created_at is taken again after its store, and the two straddle a
# second under load.
ARRIVED_HEADER = "X-Reachout-Arrived"
_ISO_SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _stamp_arrival(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    """The hook runs once as the answer arrives and again as requests-cache hands it (or a cached copy)
    back: only the first, on a fresh answer, stamps; a server's own header of that name is overwritten."""
    if not getattr(response, "from_cache", False) and not getattr(response, "reachout_stamped", False):
        response.headers[ARRIVED_HEADER] = now_iso()
        response.reachout_stamped = True  # type: ignore[attr-defined]
    return response


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ------------------------------------------------------------------------------------ addresses
def address_problem(address: str, *, allow_private: bool) -> str | None:
    """Why ADDRESS may not be reached, or None. Link-local (cloud metadata) is never allowed."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast or ip.is_unspecified or (ip.is_reserved and not ip.is_private):
        return f"{ip} is not a unicast public address"
    if ip.is_loopback and not allow_private:
        return f"{ip} is a loopback address (pass --allow-private to reach it)"
    if (ip.is_private or not ip.is_global) and not ip.is_loopback and not allow_private:
        return f"{ip} is a private address (pass --allow-private to reach it)"
    return None


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Resolver:
    """Name → checked addresses, with --resolve overrides first and the system resolver after."""

    def __init__(self, config: HttpConfig, system: Callable[[str, int], list[str]] | None = None):
        self.config = config
        self.system = system or _system_resolve

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to; raises BlockedAddress when none may be reached."""
        host = host.lower().rstrip(".").strip("[]")
        override = self.config.resolve.get((host, port))
        try:
            ipaddress.ip_address(host)
            candidates = [host]
        except ValueError:
            if override:
                candidates = [override]
            elif self.config.resolve_only:
                raise BlockedAddress(
                    f"refused {host}: not among the --resolve names (REACHOUT_RESOLVE_ONLY)"
                ) from None
            else:
                try:
                    candidates = self.system(host, port)
                except OSError:
                    raise NameNotResolved(
                        f"cannot reach {host}: {_NOT_RESOLVED}"
                    ) from None
        allowed: list[str] = []
        problems: list[str] = []
        for address in candidates:
            problem = address_problem(address, allow_private=self.config.allow_private)
            (problems if problem else allowed).append(problem or address)
        if not allowed:
            raise BlockedAddress(f"refused {host}: {problems[0] if problems else 'no address'}")
        return allowed


class Deadline(tuple[float, float]):
    """(connect, read) timeouts as requests takes them, plus `until`: the time.monotonic() by
    which the whole answer must be in (the run's end, when that comes before the body's own limit).
    """

    until: float

    def __new__(cls, connect: float, read: float, until: float) -> Deadline:
        self = super().__new__(cls, (connect, read))
        self.until = until
        return self


@dataclass(eq=False)
class _Watch:
    sock: socket.socket
    cancelled: bool = False
    fired: bool = False


class _Watchdog:
    """One daemon thread that shuts down sockets whose answer ran past its wall-clock deadline.

    A read timeout counts per recv(): a server that drips a byte every half second never trips it,
    and a read of a 16 KB chunk waits for 16 KB. Shutting the socket down wakes the blocked read at
    once, whatever it waits for, in the headers or the body.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket, until: float) -> _Watch:
        entry = _Watch(sock)
        with self._cond:
            heapq.heappush(self._heap, (until, next(self._order), entry))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="reachout-http-deadline",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        return entry

    def cancel(self, entry: _Watch) -> None:
        with self._cond:
            entry.cancelled = True

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2].cancelled:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                entry = heapq.heappop(self._heap)[2]
                entry.fired = True
                # The plain socket's shutdown (not SSLSocket's, which drops its TLS state).
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(entry.sock, socket.SHUT_RDWR)


_WATCHDOG = _Watchdog()
# The answer this thread is reading: its deadline and the sockets watched for it (set by
# GuardedAdapter.send, read by the guarded connection when it waits for the response).
_ANSWER = threading.local()


def _guarded_classes(
    resolver: Resolver,
) -> tuple[type[HTTPConnectionPool], type[HTTPSConnectionPool]]:
    def new_conn(self: HTTPConnection) -> socket.socket:
        last: Exception | None = None
        for address in resolver.addresses(self._dns_host, self.port):
            try:
                return u3conn.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                last = ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
                last.__cause__ = exc
            except OSError as exc:
                last = NewConnectionError(self, f"Failed to establish a new connection: {exc}")
        assert last is not None
        raise last

    def watched(base: type[HTTPConnection]) -> Callable[..., Any]:
        def getresponse(self: HTTPConnection, *args: Any, **kwargs: Any) -> Any:
            until = getattr(_ANSWER, "until", None)
            if until is not None and self.sock is not None:
                _ANSWER.watches.append(_WATCHDOG.watch(self.sock, until))
            return base.getresponse(self, *args, **kwargs)

        return getresponse

    conn = type("GuardedHTTPConnection", (HTTPConnection,),
                {"_new_conn": new_conn, "getresponse": watched(HTTPConnection)})
    sconn = type("GuardedHTTPSConnection", (HTTPSConnection,),
                 {"_new_conn": new_conn, "getresponse": watched(HTTPSConnection)})
    pool = type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": conn})
    spool = type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": sconn})
    return pool, spool


class GuardedAdapter(HTTPAdapter):
    """Connects only to checked addresses; reads bodies within the size cap and deadline."""

    def __init__(self, config: HttpConfig, resolver: Resolver):
        self.settings = config
        self.resolver = resolver
        self.network_requests = 0
        self._count_lock = threading.Lock()
        # Origins this run could not reach (the name did not resolve, the connection failed), with
        # the reason: a run stops asking them rather than waiting out the same failure per request.
        self.unreachable: dict[str, str] = {}
        super().__init__(pool_connections=32, pool_maxsize=max(4, config.per_host * 2), max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        pool, spool = _guarded_classes(self.resolver)
        self.poolmanager.pool_classes_by_scheme = {"http": pool, "https": spool}

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        down = self.unreachable.get(_origin(request.url or ""))
        if down:
            raise Unreachable(down)
        with self._count_lock:
            self.network_requests += 1
        started = time.monotonic()
        until = min(started + self.settings.deadline, getattr(kwargs.get("timeout"), "until", math.inf))
        slow = TooSlow(
            f"the answer took longer than {self.settings.deadline:g} s"
            if until >= started + self.settings.deadline
            else f"not finished when the run's {self.settings.run_deadline:g} s were up"
        )
        _ANSWER.until, _ANSWER.watches = until, []
        try:
            response = super().send(request, stream=True, **kwargs)
            if response.status_code in ABSENT_STATUSES:
                # Read as any body (so the connection is reused), but a failure to read it does
                # not make the answer a failure: the body is dropped either way.
                with contextlib.suppress(*NETWORK_ERRORS):
                    self._read_body(response, until, slow)
                return _absent(response)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > self.settings.max_bytes:
                response.close()
                raise TooLarge(
                    f"body of {int(length):,} bytes exceeds the {self.settings.max_bytes:,}-byte cap"
                )
            response._content = self._read_body(response, until, slow)
            response._content_consumed = True
            return response
        except (TooLarge, TooSlow):
            raise
        except NETWORK_ERRORS as exc:
            if any(watch.fired for watch in _ANSWER.watches) or time.monotonic() >= until:
                raise slow from exc
            if isinstance(exc, requests.RequestException):
                raise
            raise _body_error(exc) from exc
        finally:
            for watch in _ANSWER.watches:
                _WATCHDOG.cancel(watch)
            _ANSWER.until, _ANSWER.watches = None, []

    def _read_body(self, response: requests.Response, until: float, slow: TooSlow) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            # The watchdog cuts a read that outlives UNTIL; the clock is checked between reads too.
            for chunk in response.raw.stream(16_384, decode_content=True):
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise TooLarge(f"body exceeds the {self.settings.max_bytes:,}-byte cap")
                if time.monotonic() >= until:
                    raise slow
                chunks.append(chunk)
        finally:
            response.close()
        return b"".join(chunks)


def _absent(response: requests.Response) -> requests.Response:
    """A 404 or 410 as the cache keeps it: no body (one over the size cap, slow or cut short
    would have made it a failure, asked again next run) and no Vary (a `Vary: *` or `Cookie`
    would make the cache ask again each run, though the answer is the same)."""
    response.close()
    response._content = b""
    response._content_consumed = True
    response.headers.pop("Vary", None)
    return response


def _body_error(exc: BaseException) -> requests.RequestException:
    """A urllib3/http.client failure while reading an answer, as one readable requests error."""
    text = str(exc)
    cut = re.search(r"(\d+) bytes read, (\d+) more expected", text)
    if cut:
        got, more = int(cut.group(1)), int(cut.group(2))
        return BrokenBody(f"the body was cut short ({got:,} of {got + more:,} bytes arrived)")
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return requests.exceptions.ReadTimeout("timed out waiting for the server")
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return BrokenBody("the body's Content-Encoding could not be decoded")
    if isinstance(exc, urllib3.exceptions.ProtocolError | http.client.HTTPException):
        return BrokenBody("the connection broke before the answer was complete")
    return BrokenBody(f"the answer could not be read ({type(exc).__name__})")


def build_session(
    config: HttpConfig | None = None,
    *,
    system_resolver: Callable[[str, int], list[str]] | None = None,
) -> requests.Session:
    """The one requests Session reachout uses: guarded adapter, User-Agent, SQLite cache."""
    config = config or HttpConfig.from_env()
    resolver = Resolver(config, system_resolver)
    session: requests.Session
    if config.cache_ttl is not None:
        import sqlite3

        import requests_cache

        from reachout.errors import StoreError
        from reachout.paths import user_dir

        settings: dict[str, Any] = dict(
            expire_after=config.cache_ttl,
            allowable_codes=CACHED_STATUSES,
            # POST too: the only POSTs reachout sends are searches (Fetcher.post: Workday's job
            # search), which change nothing on the server, so their answer is as cacheable as a
            # GET's. requests-cache keys a POST on its URL *and* its body (JSON bodies normalised),
            # so two different searches never share an entry, and a warm brief sends no request.
            allowable_methods=("GET", "HEAD", "POST"),
            stale_if_error=False,
        )
        try:
            path = config.cache_path or str(user_dir() / "http-cache.sqlite")
            from pathlib import Path

            from reachout.paths import private_file

            private_file(Path(path))  # which companies you looked into is yours alone: 0600, -wal too
            session = requests_cache.CachedSession(path, backend="sqlite", wal=True, **settings)
        except (StoreError, sqlite3.Error, OSError) as exc:
            # The cache only saves requests: a broken one must not stop the run.
            import logging

            logging.getLogger(__name__).warning(
                "HTTP cache unavailable (%s); caching in memory only for this run.", exc
            )
            session = requests_cache.CachedSession(backend="memory", **settings)
    else:
        session = requests.Session()
    adapter = GuardedAdapter(config, resolver)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = config.user_agent
    session.headers["Accept-Language"] = "en;q=1.0, *;q=0.5"
    session.hooks["response"].append(_stamp_arrival)
    session.max_redirects = config.max_redirects
    session.reachout_config = config  # type: ignore[attr-defined]
    session.reachout_adapter = adapter  # type: ignore[attr-defined]
    return session


def network_requests(session: requests.Session) -> int:
    """How many requests went over the network (not answered by the cache) on SESSION."""
    adapter = getattr(session, "reachout_adapter", None)
    return adapter.network_requests if adapter else 0


# ------------------------------------------------------------------------------------ decoding
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_LATIN = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return match.group(1).lower() if match else None


def decode_body(body: bytes, content_type: str) -> tuple[str, str | None]:
    """Decode BODY: declared charset (header, then meta/XML prolog), else UTF-8, else detection.

    Returns the text and a note when the declared charset was wrong.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace"), None
    declared = _charset_of(content_type)
    if not declared:
        head = body[:4096]
        found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        declared = found.group(1).decode("ascii").lower() if found else None
    non_ascii = any(b > 127 for b in body)
    if declared:
        # A page labelled Latin-1 whose bytes are valid UTF-8 is UTF-8 (the common mislabel).
        if declared in _LATIN and non_ascii:
            try:
                return body.decode("utf-8"), f"declared charset {declared} but the body is UTF-8"
            except UnicodeDecodeError:
                pass
        try:
            return body.decode(declared), None
        except LookupError:
            pass
        except UnicodeDecodeError:
            note = f"declared charset {declared} does not decode the body"
            text = _detect(body)
            return text, note
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError:
        return _detect(body), None


def _detect(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", errors="replace")


def looks_binary(body: bytes) -> bool:
    """True when BODY is clearly not text (NUL bytes or many control bytes near the start)."""
    head = body[:2048]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.1


# ------------------------------------------------------------------------------------ politeness
@dataclass
class RobotsRules:
    """robots.txt of one origin as parsed by protego, or an RFC 9309 default."""

    url: str
    parser: Any = None  # protego.Protego
    disallow_all: bool = False
    note: str | None = None
    answered: bool = True
    response: Response | None = None  # the robots.txt answer itself, for the sources list

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, user_agent))

    def refusal(self, url: str) -> str:
        """Why URL is not fetched, naming the host whose robots.txt decided it."""
        host = urlsplit(self.url).hostname or self.url
        return self.note or f"robots.txt of {host} disallows {urlsplit(url).path or '/'}"

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay else 0.0

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


class _HostGate:
    """One host's requests in flight and the earliest time the next may start (Crawl-delay)."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self.in_flight = 0
        self.next_start = 0.0
        self.users = 0  # callers holding or awaiting a turn (counted under HostLimits' lock)

    @contextlib.contextmanager
    def turn(self, limit: int, until: float) -> Iterator[bool]:
        """Hold one of LIMIT places while the block runs; False (and no place) when none came free
        before UNTIL (time.monotonic()). Each caller counts every request to the host, its own and
        others', against its own limit."""
        with self._turn:
            while self.in_flight >= max(1, limit):
                left = until - time.monotonic()
                if left <= 0:
                    break
                # A finite but far deadline (--max-time 1e12) is more than a lock may wait at once.
                self._turn.wait(min(left, threading.TIMEOUT_MAX))
            entered = self.in_flight < max(1, limit)
            if entered:
                self.in_flight += 1
        try:
            yield entered
        finally:
            if entered:
                with self._turn:
                    self.in_flight -= 1
                    self._turn.notify_all()  # waiters' limits differ: each checks its own

    def pace(self, delay: float, until: float) -> float | None:
        """Take the next start, DELAY seconds after the previous one's; how long to wait for it, or
        None (and no start taken) when it comes after UNTIL: a run that gives up must not keep a
        turn, or every run that times out pushes the host's next start later for all the others."""
        with self._turn:
            now = time.monotonic()
            start = max(self.next_start, now)
            if start > until:
                return None
            self.next_start = start + delay
            return start - now


class HostLimits:
    """The one owner of per-host politeness for the whole process: every Fetcher (each brief, each
    evidence source of each domain a batch gathers at once, each name lookup) takes its turn here,
    so a host never sees more requests at once than the limit, nor starts closer together than its
    Crawl-delay, however many fetchers of one run ask it."""

    # A long batch asks tens of thousands of hosts (~1.5 kB a gate): once this many gates are kept,
    # those nobody is using and whose Crawl-delay has passed are dropped (again at twice as many as
    # were left), so memory follows the hosts being asked, not every host the process ever asked.
    SWEEP = 1024

    def __init__(self) -> None:
        self._gates: dict[str, _HostGate] = {}
        self._lock = threading.Lock()
        self._sweep_at = self.SWEEP

    def __len__(self) -> int:
        """How many hosts' gates are kept."""
        with self._lock:
            return len(self._gates)

    @contextlib.contextmanager
    def turn(self, url: str, limit: int, until: float) -> Iterator[_HostGate | None]:
        """Hold one of LIMIT places at URL's host (one gate per host name, whatever the scheme or
        port) while the block runs: its gate, or None (and no place) when none came free before
        UNTIL (time.monotonic())."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                if len(self._gates) >= self._sweep_at:
                    self._sweep()
                gate = self._gates[host] = _HostGate()
            gate.users += 1
        try:
            with gate.turn(limit, until) as entered:
                yield gate if entered else None
        finally:
            with self._lock:
                gate.users -= 1

    def _sweep(self) -> None:
        """Drop the gates nobody holds or awaits whose next start has come (under the lock)."""
        now = time.monotonic()
        self._gates = {h: g for h, g in self._gates.items() if g.users or g.next_start > now}
        self._sweep_at = max(self.SWEEP, 2 * len(self._gates))


HOST_LIMITS = HostLimits()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def retry_after_seconds(value: str | None) -> float | None:
    """The seconds a Retry-After header (RFC 9110 §10.2.3: seconds or an HTTP-date) asks to wait."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short_error(exc: BaseException) -> str:
    """One readable line for a requests/urllib3 failure."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, BlockedAddress):
            return str(cur)
        for arg in getattr(cur, "args", ()):
            if isinstance(arg, BaseException):
                inner = _short_error(arg)
                if "refused " in inner and "address" in inner:
                    return inner
        cur = cur.__cause__ or cur.__context__ or getattr(cur, "reason", None)
    if isinstance(exc, Unreachable):
        return str(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "timed out waiting for the server"
    if isinstance(exc, TooLarge | TooSlow | BrokenBody):
        return str(exc)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return _short_error(_body_error(exc))
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "the body's Content-Encoding could not be decoded"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "BlockedAddress" in text or "refused " in text:
            match = re.search(r"refused [^'\")]+", text)
            if match:
                return match.group(0).rstrip(". ")
        if "Connection refused" in text:
            return "connection refused"
        if "Name or service not known" in text or "NameResolution" in text:
            return "the name does not resolve"
        return "connection failed"
    return f"{type(exc).__name__}: {exc}"[:200]


def _unreachable(exc: BaseException, error: str) -> bool:
    """True when EXC means the host could not be reached at all (not: it answered badly or slowly,
    or reachout refused the address)."""
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    if isinstance(exc, TooSlow | requests.exceptions.ReadTimeout):
        return False
    return error.startswith("cannot reach") or error in {
        "connection refused", "connection timed out", "connection failed"}


class Fetcher:
    """Polite, guarded GETs (and search POSTs) over one Session: robots.txt, per-host limits,
    retries, redirects."""

    def __init__(
        self,
        session: requests.Session | None = None,
        config: HttpConfig | None = None,
        *,
        allowed_domains: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        hosts: HostLimits | None = None,
    ):
        self.config = config or getattr(session, "reachout_config", None) or HttpConfig.from_env()
        # Per-host limits and Crawl-delay are the process's, not this fetcher's (HostLimits).
        self.hosts = hosts or HOST_LIMITS
        self.session = session or build_session(self.config)
        self._owns_session = session is None
        self.allowed_domains = [d.lower() for d in allowed_domains]
        self.sleep = sleep
        self._robots: dict[str, RobotsRules] = {}
        self._robots_lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}
        self.requests = 0  # fetch attempts including cache hits
        self.log: list[Response] = []  # every final response, for the sources list
        self._log_lock = threading.Lock()
        started = self.config.run_started
        # No fetch of this run ends later.
        self.run_until = (time.monotonic() if started is None else started) + self.config.run_deadline

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- policy
    def host_allowed(self, url: str, extra_hosts: Iterable[str] = ()) -> bool:
        """True when URL's host is on an allowed registrable domain (or one of EXTRA_HOSTS)."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        if not host:
            return False
        if host in {h.lower() for h in extra_hosts}:
            return True
        if not self.allowed_domains:
            return True
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules for URL's origin, fetched once (RFC 9309 defaults on failure)."""
        origin = _origin(url)
        with self._robots_lock:
            if origin in self._robots:
                return self._robots[origin]
            lock = self._origin_locks.setdefault(origin, threading.Lock())
        with lock:
            with self._robots_lock:
                if origin in self._robots:
                    return self._robots[origin]
            rules = self._load_robots(origin + "/robots.txt")
            with self._robots_lock:
                self._robots[origin] = rules
            return rules

    def _load_robots(self, robots_url: str) -> RobotsRules:
        # Asked only for a host already allowed (the site, or an API host a fetch was allowed).
        host = (urlsplit(robots_url).hostname or "").lower()
        response = self._request(robots_url, accept=None, robots=False, allow_hosts=(host,), delay=0.0)
        rules = self._robots_rules(robots_url, response)
        rules.response = response
        return rules

    def _robots_rules(self, robots_url: str, response: Response) -> RobotsRules:
        # RFC 9309 §2.3.1: 4xx means no rules; 5xx or unreachable means complete disallow.
        host = urlsplit(robots_url).hostname or robots_url
        if response.status is None:
            return RobotsRules(
                robots_url,
                disallow_all=True,
                answered=False,
                note=f"robots.txt of {host} could not be reached ({response.error}), so nothing "
                f"on {host} is crawled",
            )
        if response.status >= 500 or response.status == 429:
            return RobotsRules(
                robots_url,
                disallow_all=True,
                note=f"robots.txt of {host} answered {response.status}, so nothing on {host} is crawled",
            )
        if response.status >= 300:
            return RobotsRules(robots_url)
        if response.error:  # a 200 that is binary or oversized: unusable, so no rules
            return RobotsRules(robots_url, note=f"robots.txt unusable ({response.error})")
        from protego import Protego

        try:
            parser = Protego.parse(response.text[:500_000])
        except Exception as exc:  # protego on garbage: treat as no rules, but say so
            return RobotsRules(robots_url, note=f"robots.txt unparseable ({exc}); no rules applied")
        return RobotsRules(robots_url, parser=parser)

    def robots_answered(self) -> bool:
        """True when some origin's robots.txt gave an HTTP answer (the site is up)."""
        with self._robots_lock:
            return any(rules.answered for rules in self._robots.values())

    # ---- fetching
    def fetch(
        self,
        url: str,
        *,
        accept: Sequence[str] | None = HTML_TYPES,
        robots: bool = True,
        allow_hosts: Iterable[str] = (),
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """GET URL politely; never raises for network trouble (the Response carries `error`)."""
        allow_hosts = tuple(allow_hosts)
        if params:
            prepared = requests.Request("GET", url, params=params).prepare()
            url = prepared.url or url
        response = self._request(
            url, accept=accept, robots=robots, allow_hosts=allow_hosts, delay=None, headers=headers
        )
        with self._log_lock:
            self.log.append(response)
        return response

    def post(
        self,
        url: str,
        *,
        json_body: Any,
        accept: Sequence[str] | None = JSON_TYPES,
        robots: bool = True,
        allow_hosts: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST JSON_BODY to URL with every guarantee of `fetch` (robots.txt, per-host limits and
        Crawl-delay, retries, caps, checked addresses, the cache); never raises for network trouble.

        Only for requests that change nothing on the server (a search): they are retried after a
        failed connection or a 429/5xx, and their answers cached (keyed by URL and body).
        """
        body = json.dumps(json_body, sort_keys=True, separators=(",", ":")).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        response = self._request(
            url, accept=accept, robots=robots, allow_hosts=tuple(allow_hosts), delay=None,
            headers=sent, method="POST", body=body,
        )
        with self._log_lock:
            self.log.append(response)
        return response

    def _request(
        self,
        url: str,
        *,
        accept: Sequence[str] | None,
        robots: bool,
        allow_hosts: tuple[str, ...],
        delay: float | None,
        headers: Mapping[str, str] | None = None,
        method: str = "GET",
        body: bytes | None = None,
    ) -> Response:
        result = Response(url=url, fetched_at=now_iso())
        current = url
        for _hop in range(self.config.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in {"http", "https"}:
                result.error = f"refused {current}: only http and https are fetched"
                return result
            if not self.host_allowed(current, allow_hosts):
                allowed = ", ".join(self.allowed_domains)
                result.error = f"refused redirect to {parts.hostname}: outside {allowed}"
                return result
            crawl_delay = 0.0 if delay is None else delay
            if robots:
                # RFC 9309 §2.2.2: the rules match the URL's path, whatever the request's method.
                rules = self.robots(current)
                if not rules.allowed(current, self.config.user_agent):
                    result.error = rules.refusal(current)
                    result.status = None
                    return result
                crawl_delay = min(rules.crawl_delay(self.config.user_agent), self.config.max_crawl_delay)
            raw, error = self._send(current, crawl_delay, headers, method, body)
            if error or raw is None:
                result.error = error
                result.final_url = current
                return result
            result.from_cache = bool(getattr(raw, "from_cache", False))
            created = getattr(raw, "created_at", None)
            if _ISO_SECONDS.fullmatch(raw.headers.get(ARRIVED_HEADER, "")):
                result.fetched_at = raw.headers[ARRIVED_HEADER]
            elif isinstance(created, datetime):
                # When the answer arrived (for a cached one: when it was first fetched, not now).
                created = created if created.tzinfo else created.replace(tzinfo=UTC)
                result.fetched_at = created.astimezone(UTC).replace(microsecond=0).isoformat()
                result.fetched_at = result.fetched_at.replace("+00:00", "Z")
            if raw.is_redirect and "location" in raw.headers:
                target = urljoin(current, raw.headers["location"])
                if target in result.redirects or target == url:
                    result.error = f"redirect loop at {target}"
                    result.status = raw.status_code
                    return result
                result.redirects.append(target)
                current = target
                if method == "POST" and raw.status_code in {301, 302, 303}:
                    # RFC 9110 §15.4.2-4: after a 303 (and, as browsers do, a 301 or 302) the
                    # target is fetched with GET and no body; a 307 or 308 repeats the POST.
                    method, body = "GET", None
                    headers = {k: v for k, v in (headers or {}).items()
                               if k.lower() != "content-type"}
                continue
            return self._finish(result, raw, current, accept)
        result.error = f"more than {self.config.max_redirects} redirects"
        return result

    def _send(
        self,
        url: str,
        crawl_delay: float,
        headers: Mapping[str, str] | None,
        method: str = "GET",
        body: bytes | None = None,
    ) -> tuple[requests.Response | None, str | None]:
        kwargs: dict[str, Any] = {"allow_redirects": False}
        if headers:
            kwargs["headers"] = dict(headers)
        if body is not None:
            kwargs["data"] = body
        if hasattr(self.session, "cache"):
            if self.config.offline:
                kwargs["only_if_cached"] = True
            elif self.config.refresh:
                kwargs["force_refresh"] = True
        attempt = 0
        while True:
            with self._log_lock:
                self.requests += 1
            with self.hosts.turn(url, self.config.per_host, self.run_until) as gate:
                if gate is None:
                    return None, f"not fetched: the run's {self.config.run_deadline:g} s were up"
                wait = gate.pace(crawl_delay, self.run_until) if crawl_delay else 0.0
                if wait is None:
                    return None, f"not fetched: the run's {self.config.run_deadline:g} s were up"
                if wait > 0:
                    self.sleep(wait)
                left = self.run_until - time.monotonic()
                if left <= 0:
                    return None, f"not fetched: the run's {self.config.run_deadline:g} s were up"
                connect, read = self.config.timeout
                kwargs["timeout"] = Deadline(min(connect, left), min(read, left), self.run_until)
                try:
                    raw = self.session.request(method, url, **kwargs)
                except NETWORK_ERRORS as exc:
                    error = _short_error(exc)
                    unreachable = _unreachable(exc, error)
                    # Connection failures are retried; a server slow to answer is not asked again,
                    # nor a name that did not resolve (offline: the next try fails the same way).
                    retryable = unreachable and not error.startswith("cannot reach")
                    if retryable and attempt < self.config.retries:
                        attempt += 1
                        if self._ends_in_time(self._backoff(attempt)):
                            continue
                    if unreachable:
                        error = self._remember_unreachable(url, error)
                    return None, error
            if self.config.offline and raw.status_code == 504 and raw.reason == "Not Cached":
                return None, "not in the cache (offline)"
            if raw.status_code in RETRY_STATUSES:
                retry_after = retry_after_seconds(raw.headers.get("Retry-After"))
                if attempt >= self.config.retries:
                    return raw, None
                if retry_after is not None and retry_after > self.config.max_retry_wait:
                    return raw, None
                attempt += 1
                if self._ends_in_time(max(retry_after or 0.0, self._backoff(attempt))):
                    continue
            return raw, None

    def _ends_in_time(self, wait: float) -> bool:
        """Sleep WAIT seconds before a retry, unless that would pass the run's deadline (then the
        answer or error in hand is the result: --max-time is a promise)."""
        if time.monotonic() + wait >= self.run_until:
            return False
        self.sleep(wait)
        return True

    def _remember_unreachable(self, url: str, error: str) -> str:
        """Record URL's origin as unreachable for the rest of the run; the error, naming its host."""
        if not error.startswith("cannot reach"):
            error = f"cannot reach {urlsplit(url).netloc}: {error}"
        adapter = getattr(self.session, "reachout_adapter", None)
        if adapter is not None:
            adapter.unreachable.setdefault(_origin(url), error)
        return error

    def _backoff(self, attempt: int) -> float:
        base = self.config.backoff * (2 ** (attempt - 1))
        return base * (0.75 + random.random() / 2)  # jitter: retries from many clients spread out

    def _finish(
        self, result: Response, raw: requests.Response, url: str, accept: Sequence[str] | None
    ) -> Response:
        result.final_url = url
        result.status = raw.status_code
        result.headers = {k: v for k, v in raw.headers.items()}
        ctype = raw.headers.get("Content-Type", "")
        result.content_type = ctype.split(";", 1)[0].strip().lower()
        body = raw.content or b""
        if not 200 <= raw.status_code < 300:
            reason = raw.reason or ""
            result.error = f"HTTP {raw.status_code}{' ' + reason if reason else ''}"
            if raw.status_code in RETRY_STATUSES and raw.headers.get("Retry-After"):
                result.error += f" (Retry-After {raw.headers['Retry-After']})"
            # The start of an error answer, for a caller that reads its message (GitHub says
            # "secondary rate limit" only there); never parsed as the answer itself.
            result.text = body[:ERROR_TEXT_BYTES].decode("utf-8", "replace")
            return result
        if (
            accept is not None
            and result.content_type
            and not any(
                result.content_type == a
                or (result.content_type.endswith("+xml") and a.endswith("xml"))
                or (result.content_type.endswith("+json") and a.endswith("json"))
                for a in accept
            )
        ):
            result.error = f"unexpected content type {result.content_type}"
            return result
        if looks_binary(body):
            result.error = f"binary content served as {result.content_type or 'unknown type'}"
            return result
        result.content = body
        result.text, note = decode_body(body, ctype)
        if note:
            result.headers["X-Reachout-Charset-Note"] = note
        return result


def fetch(
    url: str,
    *,
    session: requests.Session | None = None,
    accept: Sequence[str] | None = HTML_TYPES,
    robots: bool = True,
    allowed_domains: Sequence[str] = (),
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """One polite GET of URL (robots.txt, retries, caps, checked addresses); never raises for
    network trouble: the Response's `error` says what went wrong. For many fetches, keep a Fetcher.
    """
    with Fetcher(session, allowed_domains=allowed_domains) as fetcher:
        return fetcher.fetch(url, accept=accept, robots=robots, params=params, headers=headers)
