"""Benchmark `reachout evidence`: requests and wall time per domain, cold and warm.

A world of DOMAINS companies (each with a GitHub organisation, a site with a press page, and people
in every source) is served on loopback by the evidence sources' mock APIs (tests/servers/evidence.py)
in a process of its own, with LATENCY seconds added to every response. For each domain the evidence
is gathered cold (an empty user directory and HTTP cache: every source asked, in parallel) and then
warm (the saved evidence: no request at all). Prints the requests per domain (goal ≤ 15 cold, 0 warm)
and the wall time per domain (goal ≤ 2 s with 100 ms per response), with the ratio to each goal.

    .venv/bin/python bench/evidence.py [--domains 10] [--latency 0.1] [--people 40]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_GOAL = 15
TIME_GOAL = 2.0
SOURCES = ("site", "github", "github", "github", "mailarchive", "keyserver", "europepmc")
FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eva", "Femi", "Gao", "Hana", "Ivan", "Jana", "Kofi", "Lena",
         "Mateo", "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara"]
LAST = ["Silva", "Brown", "Dubois", "Patel", "Novak", "Adeyemi", "Wei", "Sato", "Petrov", "Horvat",
        "Mensah", "Berg", "Rossi", "Khan", "Haddad", "Lund", "Walsh", "Costa", "Ek", "Nair"]


def world(domains: int, people: int) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = {}
    for d in range(domains):
        rows = []
        for p in range(people):
            first, last = FIRST[p % len(FIRST)], LAST[(p * 7 + d) % len(LAST)]
            local = f"{first[0]}{last}".lower() if d % 2 else f"{first}.{last}".lower()
            local = local.replace("é", "e")
            year = 2026 - p % 5
            rows.append([f"{first} {last}", f"{local}@co{d}.test", SOURCES[p % len(SOURCES)],
                         f"{year}-{1 + p % 12:02d}-15"])
        data[f"co{d}.test"] = {"org": f"co{d}", "people": rows}
    return data


def start_server(world_file: str, latency: float) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "servers.evidence", "--world", world_file, "--latency", str(latency)],
        cwd=ROOT / "tests", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def gather(domain: str, port: int) -> tuple[float, int, int]:
    """(wall seconds, requests made, requests that reached the network) for DOMAIN."""
    from reachout.evidence import find_evidence
    from reachout.http import HttpConfig
    from reachout.research.endpoints import Endpoints

    endpoints = Endpoints()
    # Each source on a host of its own, as in the world: the per-host limits (patterns/evidence.toml
    # [at_once]) hold per host, so one shared host would make the sources wait for each other.
    hosts = {name: f"{name}.bench" for name in ("github", "mailarchive", "keyserver", "europepmc",
                                                 "wikidata")}
    for name, host in hosts.items():
        endpoints.point(name, f"http://{host}:{port}/{name}")
    resolve = {(host, port): "127.0.0.1" for host in [domain, *hosts.values()]}
    config = HttpConfig(allow_private=True, resolve=resolve)
    started = time.perf_counter()
    found = find_evidence(f"http://{domain}:{port}/", config=config, endpoints=endpoints)
    return time.perf_counter() - started, found.requests, found.network_requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=10)
    parser.add_argument("--people", type=int, default=40, help="people per domain")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per response")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="reachout-bench-evidence-")
    os.environ["REACHOUT_HOME"] = scratch
    world_file = os.path.join(scratch, "world.json")
    with open(world_file, "w", encoding="utf-8") as handle:
        json.dump(world(args.domains, args.people), handle)
    proc, port = start_server(world_file, args.latency)
    try:
        cold = [gather(f"co{d}.test", port) for d in range(args.domains)]
        warm = [gather(f"co{d}.test", port) for d in range(args.domains)]
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)  # the user directory this run made, and only it
    cold_requests = max(r for _, r, _ in cold)
    warm_requests = max(n for _, _, n in warm) + max(r for _, r, _ in warm)
    wall = statistics.median(t for t, _, _ in cold)
    print(f"{args.domains} domains, {args.people} people each, {args.latency * 1000:.0f} ms added "
          "to every response")
    print(f"requests per domain, cold: median {statistics.median(r for _, r, _ in cold):.0f}, "
          f"most {cold_requests}  (goal ≤ {REQUEST_GOAL}: ratio {cold_requests / REQUEST_GOAL:.2f})")
    print(f"requests per domain, warm: {warm_requests}  (goal 0)")
    print(f"wall time per domain, cold: median {wall:.2f} s, slowest {max(t for t, _, _ in cold):.2f} s "
          f"(goal ≤ {TIME_GOAL:g} s: ratio {wall / TIME_GOAL:.2f})")
    print(f"wall time per domain, warm: median {statistics.median(t for t, _, _ in warm) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
