"""MX lookups per second for 10,000 generated domains against a local NSD, with and without latency.

Issue 3's goals: with no added latency at least 5,000 lookups/s; at 128 in flight and 30 ms round
trip at least 85 % of the limit (in flight ÷ RTT = 4,267/s). Latency is added by a delaying UDP relay
in its own process (this kernel has no netem); the relay's own ceiling (at zero delay) and its CPU
time are printed to show it is not the bottleneck. Also printed: one query at a time (dnspython), and
full domain checks (MX + SPF + DMARC) per second. No assertions: figures and ratios only.

Run: .venv/bin/python bench/mx.py [--domains 10000] [--delay 0.030] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reachout.mail.dnsclient import MX, DnsClient, parse_nameserver
from tests.servers.dns import DnsRelay, NsdServer, Zone

GOAL_RATE = 5_000
GOAL_SHARE = 0.85


def make_zones(count: int) -> list[Zone]:
    return [
        Zone(f"d{i:05d}.example", [("@", "MX", f"10 mx.d{i:05d}.example."), ("mx", "A", "127.0.0.1")])
        for i in range(count)
    ]


async def lookups(nameserver: str, names: list[str], in_flight: int) -> tuple[float, int]:
    """(seconds, failures) for MX lookups of NAMES with IN_FLIGHT queries outstanding."""
    async with DnsClient([parse_nameserver(nameserver)], timeout=5.0) as client:
        queue = iter(names)
        failures = 0

        async def worker() -> None:
            nonlocal failures
            for name in queue:
                answer = await client.query(name, MX)
                if answer.status != "ok":
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return time.perf_counter() - started, failures


def sequential(port: int, names: list[str]) -> float:
    import dns.message
    import dns.query

    started = time.perf_counter()
    for name in names:
        dns.query.udp(dns.message.make_query(name, "MX"), "127.0.0.1", port=port, timeout=5)
    return len(names) / (time.perf_counter() - started)


def full_checks(nameserver: str, names: list[str], concurrency: int, cache: bool = False) -> float:
    from reachout.mail.dnscheck import check_domains_async

    async def run() -> int:
        ok = 0
        async for report in check_domains_async(
            names, nameservers=[nameserver], concurrency=concurrency, cache=cache
        ):
            ok += report.status == "ok"
        return ok

    started = time.perf_counter()
    asyncio.run(run())
    return len(names) / (time.perf_counter() - started)


def _relay_process(upstream: int, delay: float, port_out, stop) -> None:  # type: ignore[no-untyped-def]
    relay = DnsRelay(upstream, delay=delay).start()
    port_out.send(relay.port)
    stop.wait()
    relay.stop()


class RelayProcess:
    """The delaying relay in a process of its own, so it competes with the client for no GIL."""

    def __init__(self, upstream: int, delay: float) -> None:
        ctx = multiprocessing.get_context("fork")
        self.stop = ctx.Event()
        receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_relay_process, args=(upstream, delay, send, self.stop))
        self.process.start()
        self.port = receive.recv()

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.stop.set()
        self.process.join(timeout=10)


def rate(nameserver: str, names: list[str], in_flight: int, repeat: int) -> tuple[float, int]:
    runs = [asyncio.run(lookups(nameserver, names, in_flight)) for _ in range(repeat)]
    seconds = statistics.median(r[0] for r in runs)
    return len(names) / seconds, max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=10_000)
    parser.add_argument("--delay", type=float, default=0.030, help="added round trip, seconds")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median shown)")
    args = parser.parse_args()
    names = [f"d{i:05d}.example" for i in range(args.domains)]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; {args.domains:,} zones in NSD")
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        nsd = NsdServer(make_zones(args.domains), scratch).start()
        print(f"NSD answered for the last zone {time.perf_counter() - started:.2f} s after start\n")
        try:
            seq = sequential(nsd.port, names[:2000])
            print(f"one query at a time (dnspython, no added latency): {seq:8,.0f} lookups/s")
            print("\nno added latency")
            best = 0.0
            for in_flight in (16, 64, 128, 256, 512):
                value, failed = rate(nsd.nameserver, names, in_flight, args.repeat)
                best = max(best, value)
                print(f"  {in_flight:4d} in flight: {value:8,.0f} lookups/s"
                      f"{f'  ({failed} failed)' if failed else ''}")
            print(f"  best {best:,.0f}/s = {best / GOAL_RATE:.2f} × the goal of {GOAL_RATE:,}/s")

            relay = RelayProcess(nsd.port, 0.0)
            try:
                ceiling, _ = rate(f"127.0.0.1:{relay.port}", names, 256, 1)
            finally:
                relay.close()
            print(f"\nrelay ceiling at zero delay (256 in flight): {ceiling:,.0f} lookups/s")

            relay = RelayProcess(nsd.port, args.delay)
            try:
                # The round trip is the added delay plus what the path costs without it.
                base = 1 / (seq or 1)
                rtt = args.delay + base
                print(f"\n{args.delay * 1000:.0f} ms added (round trip ≈ {rtt * 1000:.1f} ms)")
                for in_flight in (32, 128, 200, 512):
                    cpu_before = relay.cpu()
                    wall = time.perf_counter()
                    value, failed = rate(f"127.0.0.1:{relay.port}", names, in_flight, args.repeat)
                    relay_cpu = (relay.cpu() - cpu_before) / (time.perf_counter() - wall)
                    limit = in_flight / rtt
                    goal = f" (goal {GOAL_SHARE:.0%})" if in_flight == 128 else ""
                    print(f"  {in_flight:4d} in flight: {value:8,.0f} lookups/s; limit "
                          f"{limit:8,.0f}/s; {value / limit:6.1%} of the limit{goal}; relay CPU "
                          f"{relay_cpu:.0%}{f'  ({failed} failed)' if failed else ''}")
            finally:
                relay.close()

            print("\nfull domain checks (MX + SPF + DMARC, 3 queries each), no added latency")
            for concurrency in (64, 128):
                value = full_checks(nsd.nameserver, names, concurrency)
                print(f"  {concurrency:4d} domains in flight: {value:8,.0f} domains/s")
            with tempfile.TemporaryDirectory() as home:
                os.environ["REACHOUT_HOME"] = home
                cold = full_checks(nsd.nameserver, names, 128, cache=True)
                warm = full_checks(nsd.nameserver, names, 128, cache=True)
            print(f"   128 in flight, SQLite cache on: {cold:8,.0f} domains/s cold, "
                  f"{warm:,.0f}/s served from the cache")
        finally:
            nsd.stop()


if __name__ == "__main__":
    main()
