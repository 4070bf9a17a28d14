"""Shared fixtures: a private REACHOUT_HOME per test, and a guard that keeps traffic on loopback."""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from hypothesis import settings

# CI runs the same examples every time (derandomize): a red CI then means a change broke something,
# not that a new random example turned up. Local runs keep exploring new examples.
# No run is timed (speed lives in bench/): Hypothesis' per-example deadline is off in both profiles, as a
# loaded machine otherwise fails a correct test.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("local", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto


def _is_loopback(address: object) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX paths
        return True
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _guard(address: object) -> None:
    if not _is_loopback(address):
        raise OSError(f"test tried to reach {address!r}: tests may only use loopback addresses")


def _connect(self, address):  # type: ignore[no-untyped-def]
    _guard(address)
    return _real_connect(self, address)


def _connect_ex(self, address):  # type: ignore[no-untyped-def]
    _guard(address)
    return _real_connect_ex(self, address)


def _sendto(self, data, *args):  # type: ignore[no-untyped-def]
    _guard(args[-1])
    return _real_sendto(self, data, *args)


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
socket.socket.sendto = _sendto  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def reachout_home(tmp_path, monkeypatch):
    """Every test gets its own user directory; none touches the real one."""
    home = tmp_path / "reachout-home"
    monkeypatch.setenv("REACHOUT_HOME", str(home))
    monkeypatch.delenv("REACHOUT_PATTERNS", raising=False)
    # A resolver that refuses at once: a test that forgets its nameserver fails fast, never off-box.
    monkeypatch.setenv("REACHOUT_NAMESERVER", "127.0.0.1:9")
    return home


# --- company brief (issue 4): the local HTTP server of fixture sites and mock public APIs ---------
@pytest.fixture(scope="session")
def http_server():
    """One threaded HTTP server on 127.0.0.1 for the whole session (tests/servers/http.py)."""
    try:
        from servers.http import FixtureServer  # tests/ on sys.path (no tests/__init__.py)
    except ImportError:
        from tests.servers.http import FixtureServer

    server = FixtureServer().start()
    yield server
    server.stop()


@pytest.fixture
def site(http_server, monkeypatch):
    """The fixture server, reset, with the environment pointing every public source at it."""
    http_server.reset()
    for name in (
        "greenhouse", "lever", "ashby", "workable", "smartrecruiters", "personio", "recruitee",
        "teamtailor", "workday", "wikipedia", "github", "mailarchive", "keyserver", "europepmc",
    ):
        monkeypatch.setenv(f"REACHOUT_{name.upper()}_URL", http_server.api(name))
    monkeypatch.setenv("REACHOUT_WIKIDATA_URL", http_server.api("wikidata"))
    monkeypatch.delenv("REACHOUT_RESOLVE", raising=False)
    monkeypatch.delenv("REACHOUT_ALLOW_PRIVATE", raising=False)
    yield http_server
    http_server.reset()


@pytest.fixture(autouse=True)
def _fresh_host_limits(monkeypatch):
    """Per-host limits and Crawl-delay hold for a whole process: each test is a process of its own
    (a fake sleep leaves a host's next start in the future for the next test otherwise)."""
    import reachout.http

    monkeypatch.setattr(reachout.http, "HOST_LIMITS", reachout.http.HostLimits())


@pytest.fixture(autouse=True)
def _no_system_resolver(monkeypatch):
    """Names the tests did not --resolve must never reach the system resolver (it is off-box)."""
    import reachout.http

    def refuse(host, port):
        raise OSError(f"test tried to resolve {host!r} through the system resolver")

    monkeypatch.setattr(reachout.http, "_system_resolve", refuse)
# --- end company brief ----------------------------------------------------------------------


# --- real DNS and SMTP servers on loopback (issue 3: mx, verify, the SMTP probe) ---------------
# Session-scoped: one NSD serving tests/servers/world.py's zones, a relay in front of it that never
# answers for blackhole.test (a timeout), a dead nameserver, aiosmtpd servers and Postfix. Reuse
# them: add zones to world.py, or start your own NsdServer(zones, tmp_path) for a private set.


@pytest.fixture(scope="session")
def nsd(tmp_path_factory):
    """NSD on 127.0.0.1 serving the test world's zones."""
    from tests.servers.dns import NsdServer, start_or_fail
    from tests.servers.world import zones

    server = start_or_fail(NsdServer(zones(), tmp_path_factory.mktemp("nsd")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nameserver(nsd):
    """'127.0.0.1:PORT' of the test NSD."""
    return nsd.nameserver


@pytest.fixture(scope="session")
def lossy_nameserver(nsd):
    """A relay to the test NSD that never answers for blackhole.test (so those lookups time out)."""
    from tests.servers.dns import DnsRelay

    relay = DnsRelay(nsd.port, drop=["blackhole.test"]).start()
    yield relay.nameserver
    relay.stop()


@pytest.fixture(scope="session")
def dead_nameserver():
    """A nameserver on 127.0.0.1 that reads queries and never answers."""
    from tests.servers.dns import UdpSink

    sink = UdpSink()
    yield sink.nameserver
    sink.stop()


@pytest.fixture(scope="session")
def smtp_server():
    """aiosmtpd playing the test world's mail servers (behaviour by recipient domain)."""
    from tests.servers.smtp import SmtpServer
    from tests.servers.world import behaviour

    server = SmtpServer(behaviour()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_tls_server():
    """The same behaviours behind STARTTLS (certificate from a throwaway CA)."""
    from tests.servers.smtp import SmtpServer
    from tests.servers.world import behaviour

    server = SmtpServer(behaviour(), starttls=True).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postfix():
    """Debian's Postfix on 127.0.0.1 with the test world's virtual users; it never delivers."""
    from tests.servers.dns import start_or_fail
    from tests.servers.smtp import PostfixServer
    from tests.servers.world import POSTFIX_CATCH_ALL, POSTFIX_USERS

    server = start_or_fail(PostfixServer(POSTFIX_USERS, POSTFIX_CATCH_ALL))
    yield server
    server.stop()


# --- end of DNS and SMTP servers -----------------------------------------------------------------


# --- batch (issue 5): one NSD serving the `example.` zone of tests/servers/batch_world.py --------


@pytest.fixture(scope="session")
def batch_nsd(tmp_path_factory):
    """NSD on 127.0.0.1 with the batch test companies (acme.example, globex.example, …)."""
    from tests.servers.batch_world import zone
    from tests.servers.dns import NsdServer, start_or_fail

    server = start_or_fail(NsdServer([zone()], tmp_path_factory.mktemp("batch-nsd")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def batch_ns(batch_nsd):
    """A relay to the batch NSD that never answers for blackhole.example (its lookups time out)."""
    from tests.servers.dns import DnsRelay

    relay = DnsRelay(batch_nsd.port, drop=["blackhole.example"]).start()
    yield relay.nameserver
    relay.stop()


# --- end of batch ---------------------------------------------------------------------------------
