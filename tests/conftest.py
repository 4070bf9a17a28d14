"""Shared fixtures: a private REACHOUT_HOME per test, and a guard that keeps traffic on loopback."""

from __future__ import annotations

import ipaddress
import socket

import pytest

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
    monkeypatch.delenv("REACHOUT_NAMESERVER", raising=False)
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
    for name in ("greenhouse", "lever", "ashby", "workable", "smartrecruiters", "wikipedia"):
        monkeypatch.setenv(f"REACHOUT_{name.upper()}_URL", http_server.api(name))
    monkeypatch.setenv("REACHOUT_WIKIDATA_URL", http_server.api("wikidata"))
    monkeypatch.delenv("REACHOUT_RESOLVE", raising=False)
    monkeypatch.delenv("REACHOUT_ALLOW_PRIVATE", raising=False)
    yield http_server
    http_server.reset()


@pytest.fixture(autouse=True)
def _no_system_resolver(monkeypatch):
    """Names the tests did not --resolve must never reach the system resolver (it is off-box)."""
    import reachout.http

    def refuse(host, port):
        raise OSError(f"test tried to resolve {host!r} through the system resolver")

    monkeypatch.setattr(reachout.http, "_system_resolve", refuse)
# --- end company brief ----------------------------------------------------------------------
