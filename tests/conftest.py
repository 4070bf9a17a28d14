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


# --- batch (issue 5): one NSD serving the `example.` zone of tests/servers/batch_world.py --------


@pytest.fixture(scope="session")
def batch_nsd(tmp_path_factory):
    """NSD on 127.0.0.1 with the batch test companies (acme.example, globex.example, …)."""
    from tests.servers.batch_world import zone
    from tests.servers.dns import NsdServer, ServerMissing

    server = NsdServer([zone()], tmp_path_factory.mktemp("batch-nsd"))
    try:
        server.start()
    except ServerMissing as exc:
        pytest.fail(str(exc))
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
