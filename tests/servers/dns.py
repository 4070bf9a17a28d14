"""Real DNS on loopback for tests and benchmarks: NSD serving zones generated from Python specs.

Also a UDP relay that can add a round-trip delay or drop chosen names (so a lookup times out),
and a UDP sink (a nameserver that never answers). Everything binds 127.0.0.1 at free ports and is
stopped by its owner; nothing is left running.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers.lifeline import lifeline

NSD = "/usr/sbin/nsd"
KNOTD = "/usr/sbin/knotd"


class ServerMissing(RuntimeError):
    """A Debian server binary the tests need is not installed."""


@dataclass
class Zone:
    """One zone: records as (owner, type, data); owner "@" is the apex, others are relative."""

    name: str
    records: list[tuple[str, str, str]] = field(default_factory=list)
    ttl: int = 300

    def text(self) -> str:
        origin = self.name.rstrip(".") + "."
        lines = [
            f"$ORIGIN {origin}",
            f"$TTL {self.ttl}",
            f"@ IN SOA ns.{origin} hostmaster.{origin} 1 3600 600 86400 {self.ttl}",
            f"@ IN NS ns.{origin}",
            "ns IN A 127.0.0.1",
        ]
        for owner, rtype, data in self.records:
            if rtype.upper() == "TXT" and not data.startswith('"'):
                data = _txt(data)
            lines.append(f"{owner} IN {rtype} {data}")
        return "\n".join(lines) + "\n"


def _txt(value: str) -> str:
    # TXT character-strings hold at most 255 octets each (RFC 1035 §3.3.14).
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    chunks = [escaped[i : i + 200] for i in range(0, len(escaped), 200)] or [""]
    return " ".join(f'"{c}"' for c in chunks)


def free_port() -> int:
    """A port that is free for both UDP and TCP on 127.0.0.1 right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return int(port)
    raise RuntimeError("no free port for both UDP and TCP on 127.0.0.1")


def query_once(port: int, name: str, rdtype: str = "SOA", timeout: float = 0.3) -> object | None:
    """One UDP query to 127.0.0.1:PORT (for readiness checks); None on timeout."""
    import dns.exception
    import dns.message
    import dns.query

    try:
        return dns.query.udp(
            dns.message.make_query(name, rdtype), "127.0.0.1", timeout=timeout, port=port
        )
    except (dns.exception.Timeout, OSError):
        return None


class _DnsDaemon:
    """A DNS server binary run in the foreground from a scratch folder; stop() ends it by PID."""

    program = "DNS server"

    def __init__(self, zones: Sequence[Zone], workdir: str | os.PathLike[str]) -> None:
        if not zones:
            raise ValueError(f"{self.program} needs at least one zone")
        self.zones = list(zones)
        self.workdir = Path(workdir)
        self.port = 0
        self.pid: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, ready_timeout: float = 30.0) -> _DnsDaemon:
        raise NotImplementedError

    def stop(self) -> None:
        """End the server (its main process takes its children down) and reap it."""
        process, self.process, self.pid = self.process, None, None
        if process is None:
            return
        atexit.unregister(self.stop)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        lifeline().forget_group(process.pid)

    def __enter__(self) -> _DnsDaemon:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_or_fail(server: Any) -> Any:
    """Start SERVER (NSD, Knot, Postfix…) for a pytest fixture: a missing Debian package fails the
    test with the command that installs it."""
    import pytest

    try:
        return server.start()
    except ServerMissing as exc:
        pytest.fail(str(exc))


class NsdServer(_DnsDaemon):
    """Debian's NSD serving ZONES on 127.0.0.1:port from a scratch folder; stop() kills by PID."""

    program = "NSD"

    def start(self, ready_timeout: float = 30.0) -> NsdServer:
        binary = shutil.which("nsd") or (NSD if os.path.exists(NSD) else None)
        if binary is None:
            raise ServerMissing(
                "NSD is not installed (the DNS tests run a real NSD on 127.0.0.1); "
                "run scripts/install-test-deps, or apt-get install nsd."
            )
        zonesdir = self.workdir / "zones"
        zonesdir.mkdir(parents=True, exist_ok=True)
        conf = [
            "server:",
            "  ip-address: 127.0.0.1@{port}",
            '  username: ""',
            '  chroot: ""',
            '  database: ""',
            f'  zonesdir: "{zonesdir}"',
            f'  pidfile: "{self.workdir}/nsd.pid"',
            f'  logfile: "{self.workdir}/nsd.log"',
            f'  zonelistfile: "{self.workdir}/zone.list"',
            f'  xfrdfile: "{self.workdir}/xfrd.state"',
            "  do-ip6: no",
            "  server-count: 1",
            "  verbosity: 1",
            "  hide-version: yes",
            # Debian builds NSD with response-rate limiting: bursts would be dropped like timeouts.
            "  rrl-ratelimit: 0",
            "  rrl-whitelist-ratelimit: 0",
            "remote-control:",
            "  control-enable: no",
        ]
        for zone in self.zones:
            filename = f"{zone.name.rstrip('.')}.zone"
            (zonesdir / filename).write_text(zone.text(), encoding="utf-8")
            conf += ["zone:", f"  name: {zone.name.rstrip('.')}.", f"  zonefile: {filename}"]
        template = "\n".join(conf) + "\n"
        last = self.zones[-1].name
        for _ in range(5):  # a port picked free can be taken by someone else before NSD binds it
            self.port = free_port()
            config = self.workdir / "nsd.conf"
            config.write_text(template.replace("{port}", str(self.port)), encoding="utf-8")
            # -d: stay in the foreground, so the PID is ours from the first instant (a daemon's
            # pidfile appears later, and a server stopped before it did would be left running).
            self.process = subprocess.Popen(
                [binary, "-d", "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.pid = self.process.pid
            lifeline().watch_group(self.pid)  # killed or hung up on, its parent still ends it
            atexit.register(self.stop)
            deadline = time.monotonic() + ready_timeout
            while time.monotonic() < deadline:
                if query_once(self.port, last) is not None:
                    return self
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
            log = (
                (self.workdir / "nsd.log").read_text(errors="replace")
                if (self.workdir / "nsd.log").exists()
                else ""
            )
            self.stop()
            if "Address already in use" not in log and "can't bind" not in log:
                raise RuntimeError(
                    f"nsd did not answer for {last} within {ready_timeout} s: {log[-500:]}"
                )
        raise RuntimeError("nsd could not bind a free port after 5 tries")



class KnotServer(_DnsDaemon):
    """Debian's Knot DNS serving ZONES on 127.0.0.1:port, in the foreground; same API as NsdServer.

    Knot opens its port before it has loaded its zones: readiness is an answer from the last zone.
    """

    program = "Knot"

    def start(self, ready_timeout: float = 30.0) -> KnotServer:
        binary = shutil.which("knotd") or (KNOTD if os.path.exists(KNOTD) else None)
        if binary is None:
            raise ServerMissing(
                "Knot DNS is not installed; run scripts/install-test-deps, or apt-get install knot."
            )
        zonesdir = self.workdir / "zones"
        zonesdir.mkdir(parents=True, exist_ok=True)
        for zone in self.zones:
            (zonesdir / f"{zone.name.rstrip('.')}.zone").write_text(zone.text(), encoding="utf-8")
        zone_lines = "".join(f"  - domain: {z.name.rstrip('.')}.\n" for z in self.zones)
        last = self.zones[-1].name
        for _ in range(5):
            self.port = free_port()
            config = self.workdir / "knot.conf"
            config.write_text(
                f"""server:
    rundir: "{self.workdir}"
    listen: 127.0.0.1@{self.port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: "{self.workdir}/knot.log"
    any: warning
database:
    storage: "{self.workdir}/db"
template:
  - id: default
    storage: "{zonesdir}"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
{zone_lines}""",
                encoding="utf-8",
            )
            self.process = subprocess.Popen(
                [binary, "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.pid = self.process.pid
            lifeline().watch_group(self.pid)  # killed or hung up on, its parent still ends it
            atexit.register(self.stop)
            deadline = time.monotonic() + ready_timeout
            while time.monotonic() < deadline:
                answer = query_once(self.port, last)
                if answer is not None and answer.rcode() == 0:  # type: ignore[attr-defined]
                    return self
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
            log_path = self.workdir / "knot.log"
            log = log_path.read_text(errors="replace") if log_path.exists() else ""
            self.stop()
            if "Address already in use" not in log:
                raise RuntimeError(f"knotd did not answer for {last} within {ready_timeout} s: "
                                   f"{log[-500:]}")
        raise RuntimeError("knotd could not bind a free port after 5 tries")



class _Thread:
    """An asyncio loop on a daemon thread, for servers written as asyncio protocols."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


class DnsRelay:
    """A UDP relay to an upstream nameserver that delays every answer and/or drops chosen names.

    Delay is added where answers arrive back towards the client (so the server's send buffer never
    overflows); due packets are released by one timer per millisecond tick, not a timer per packet.
    Names equal to or under `drop` never get an answer: they time out, like a dead nameserver.
    """

    def __init__(self, upstream_port: int, *, delay: float = 0.0, drop: Iterable[str] = ()) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.delay = delay
        self.drop = tuple(d.rstrip(".").lower().encode() for d in drop)
        self.port = 0
        self.forwarded = 0
        self.dropped = 0
        self._thread: _Thread | None = None

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _dropped(self, data: bytes) -> bool:
        if not self.drop or len(data) < 13:
            return False
        labels, i = [], 12
        while i < len(data) and data[i]:
            n = data[i]
            labels.append(data[i + 1 : i + 1 + n].lower())
            i += 1 + n
        name = b".".join(labels)
        return any(name == d or name.endswith(b"." + d) for d in self.drop)

    def start(self) -> DnsRelay:
        self._thread = _Thread()
        self._thread.run(self._start())
        return self

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        relay = self
        clients: dict[int, tuple[str, int]] = {}
        due: deque[tuple[float, bytes, tuple[str, int]]] = deque()

        class Front(asyncio.DatagramProtocol):
            def connection_made(self, transport):  # type: ignore[no-untyped-def]
                self.transport = transport

            def datagram_received(self, data, addr):  # type: ignore[no-untyped-def]
                if relay._dropped(data):
                    relay.dropped += 1
                    return
                clients[(data[0] << 8) | data[1]] = addr
                relay.forwarded += 1
                back.transport.sendto(data)

        class Back(asyncio.DatagramProtocol):
            def connection_made(self, transport):  # type: ignore[no-untyped-def]
                self.transport = transport

            def datagram_received(self, data, addr):  # type: ignore[no-untyped-def]
                client = clients.get((data[0] << 8) | data[1])
                if client is None:
                    return
                if relay.delay:
                    due.append((time.monotonic() + relay.delay, data, client))
                else:
                    front.transport.sendto(data, client)

        _, front = await loop.create_datagram_endpoint(Front, local_addr=("127.0.0.1", 0))
        _, back = await loop.create_datagram_endpoint(Back, remote_addr=self.upstream)
        for end in (front, back):
            # Hundreds of datagrams in flight overflow the default buffers (each costs ~1 KiB).
            with contextlib.suppress(OSError):
                end.transport.get_extra_info("socket").setsockopt(
                    socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20
                )
        self.port = front.transport.get_extra_info("sockname")[1]
        self._front, self._back = front, back

        async def release() -> None:
            while True:
                now = time.monotonic()
                while due and due[0][0] <= now:
                    _, data, client = due.popleft()
                    front.transport.sendto(data, client)
                await asyncio.sleep(0.001)

        self._release = loop.create_task(release())

    def stop(self) -> None:
        if self._thread is None:
            return

        async def shutdown() -> None:
            self._release.cancel()
            self._front.transport.close()
            self._back.transport.close()

        self._thread.run(shutdown())
        self._thread.close()
        self._thread = None

    def __enter__(self) -> DnsRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class UdpSink:
    """A 'nameserver' on 127.0.0.1 that reads every query and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = 0
        self._stop = threading.Event()
        self.sock.settimeout(0.05)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sock.recv(4096)
                self.received += 1
            except (TimeoutError, OSError):
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
