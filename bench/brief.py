"""Benchmark `reachout brief` on the 12-page fixture site with 100 ms added to every response.

Prints the wall time, the number of requests, the critical path (the longest chain of dependent
fetches: robots.txt → home page → careers page → ATS API, × 100 ms) and the ratio of wall time to
it (goal ≤ 1.5×); then a second run from the cache, whose network requests should be zero (also for
a site whose roles are on a Workday job site, read with a search POST).

Everything stays on 127.0.0.1: the test suite's fixture server (tests/servers/http.py), run in a
process of its own so that it does not share the client's interpreter lock, serves the site and
the mock public APIs; names reach it through --resolve-style overrides.

    .venv/bin/python bench/brief.py [--latency 0.1] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5
# The tests' site without its Crawl-delay: this measures concurrency, not politeness.
ROBOTS = "acme.test=User-agent: *\\nDisallow: /private/\\n"


def start_server(latency: float) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "servers.http", "--latency", str(latency), "--robots", ROBOTS],
        cwd=ROOT / "tests",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def stop_server(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)


def one_run(
    port: int, home: str, company: str = "acme.test", **config: object
) -> tuple[float, dict[str, object]]:
    from reachout.http import HttpConfig, build_session, parse_resolve
    from reachout.research import build_brief
    from reachout.research.endpoints import Endpoints

    os.environ["REACHOUT_HOME"] = home
    endpoints = Endpoints()
    for name in (
        "greenhouse",
        "lever",
        "ashby",
        "workable",
        "smartrecruiters",
        "personio",
        "recruitee",
        "teamtailor",
        "workday",
        "wikipedia",
        "wikidata",
    ):
        endpoints.point(name, f"http://127.0.0.1:{port}/{name}")
    cfg = HttpConfig(
        allow_private=True, resolve=parse_resolve([f"{company}:{port}:127.0.0.1"]), **config
    )  # type: ignore[arg-type]
    session = build_session(cfg)
    started = time.perf_counter()
    brief = build_brief(f"http://{company}:{port}/", session=session, endpoints=endpoints)
    wall = time.perf_counter() - started
    session.close()
    return wall, brief.stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per response")
    parser.add_argument("--runs", type=int, default=5, help="timed cold runs (median reported)")
    args = parser.parse_args()

    slow, port = start_server(args.latency)
    fast, fast_port = start_server(0.0)
    scratch = tempfile.mkdtemp(prefix="reachout-bench-brief-")  # every run's user directory, inside

    def new_home() -> str:
        return tempfile.mkdtemp(dir=scratch)

    try:
        one_run(fast_port, new_home())  # warm imports
        walls: list[float] = []
        stats: dict[str, object] = {}
        home = ""
        for _ in range(args.runs):
            home = new_home()
            wall, stats = one_run(port, home)
            walls.append(wall)
        wall = statistics.median(walls)
        depth = int(stats["critical_path"])  # type: ignore[call-overload]
        critical = depth * args.latency
        print(
            f"site: 12 pages, robots.txt, sitemap, 2 feeds, 3 ATS boards, Wikidata (3 calls), "
            f"Wikipedia; {args.latency * 1000:.0f} ms added per response; per-host limit 6"
        )
        print(
            f"cold run: wall {wall:.3f} s (median of {args.runs}: "
            f"{', '.join(f'{w:.3f}' for w in walls)}); requests {stats['network_requests']}; "
            f"pages {stats['pages']}"
        )
        print(
            f"critical path: {depth} dependent fetches × {args.latency * 1000:.0f} ms = "
            f"{critical:.3f} s"
        )
        ratio = wall / critical if critical else float("inf")
        print(
            f"ratio wall / critical path: {ratio:.2f}× (goal ≤ {GOAL}×) "
            f"{'OK' if ratio <= GOAL else 'OVER GOAL'}"
        )
        zero = statistics.median(
            one_run(fast_port, new_home())[0] for _ in range(3)
        )
        print(f"same brief with no added latency: {zero:.3f} s (client and server overhead)")
        offline_wall, offline = one_run(port, home, offline=True)
        print(
            f"second run from the cache (--offline): wall {offline_wall:.3f} s; network "
            f"requests {offline['network_requests']} (goal 0) "
            f"{'OK' if offline['network_requests'] == 0 else 'FAIL'}"
        )
        fresh_wall, fresh = one_run(port, home)
        print(
            f"second run from the cache (within the TTL): wall {fresh_wall:.3f} s; network "
            f"requests {fresh['network_requests']} (goal 0) "
            f"{'OK' if fresh['network_requests'] == 0 else 'FAIL'}"
        )
        # A site whose roles are on a Workday job site: its search is a POST, cached by URL+body.
        workday_home = new_home()
        _, cold = one_run(fast_port, workday_home, "larkspur.test")
        _, warm = one_run(fast_port, workday_home, "larkspur.test")
        print(
            f"larkspur.test (Workday search POST and postings): cold requests "
            f"{cold['network_requests']}, second run {warm['network_requests']} (goal 0) "
            f"{'OK' if warm['network_requests'] == 0 else 'FAIL'}"
        )
    finally:
        stop_server(slow)
        stop_server(fast)
        shutil.rmtree(scratch, ignore_errors=True)  # the folder this run made, and only it
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
