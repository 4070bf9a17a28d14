"""`reachout batch` throughput, memory and resume cost against a real NSD on 127.0.0.1.

Measures (issue 5):
  1. 10,000 domains (a plain list): rows per second and peak memory;
  2. 10,000 name rows (company domain + person: DNS, guess, learned formats): rows per second, memory;
  3. peak memory for 1,000 rows vs 100,000 rows (goal: within 1.5x of each other);
  4. resume overhead after a kill -9 at 50 % (goal: resumed total within 1.1x of one clean run).
Each run is its own process (peak RSS is the process's own). Nothing leaves the machine.
Run: python bench/batch.py [--rows N] [--big N] [--concurrency N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEMORY_GOAL = 1.5
RESUME_GOAL = 1.1


def write_domains(path: Path, count: int, zone_domains: int) -> None:
    from tests.servers.batch_world import bench_domain

    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            # Half the rows are zone domains (ok, Google/Microsoft/self-hosted), half NXDOMAIN names.
            out.write((bench_domain(i % zone_domains) if i % 2 == 0 else f"gone{i:07d}.example") + "\n")


def write_people(path: Path, count: int, zone_domains: int) -> None:
    from tests.servers.batch_world import bench_domain

    given = ["Jane", "Bob", "Priya", "Wei", "Olga", "José", "Ngozi", "Hiroshi", "Anne-Marie", "Søren"]
    family = ["Doe", "Li", "Patel", "Nguyen", "Ivanova", "García López", "Okafor", "Nakamura", "O'Brien"]
    with open(path, "w", encoding="utf-8") as out:
        out.write("company,domain,first name,last name,email\n")
        for i in range(count):
            domain = bench_domain(i % zone_domains)
            first, last = given[i % len(given)], f"{family[(i // 10) % len(family)]}{i % 97}"
            # One row in ten carries a known address, so formats are learned across rows.
            email = f"{first.lower()[0]}{last.lower().replace(' ', '')}@{domain}" if i % 10 == 3 else ""
            out.write(f"Company {i},{domain},{first},\"{last}\",{email}\n")


def child(argv: list[str]) -> None:
    """Run one batch in this process and print rows, seconds and peak RSS as JSON."""
    import resource

    from reachout.batch import run_batch

    source, out, nameserver, concurrency = argv[0], argv[1], argv[2], int(argv[3])
    started = time.perf_counter()
    summary = run_batch(source, out=out, nameservers=[nameserver], allow_private=True,
                        concurrency=concurrency, progress=False)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": summary.processed, "elapsed": elapsed, "peak_mib": peak_kib / 1024,
                      "statuses": summary.by_status}))


def run_child(source: Path, out: Path, nameserver: str, concurrency: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(source), str(out), nameserver, str(concurrency)],
        capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"batch failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def resume_cost(source: Path, work: Path, nameserver: str, concurrency: int,
                total: int) -> tuple[float, float, float, float]:
    """(clean CLI run, first leg until kill -9 at 50 %, resumed leg, their ratio); all through the CLI."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))

    def args(out: Path) -> list[str]:
        return [sys.executable, "-m", "reachout", "batch", str(source), "--out", str(out), "--nameserver",
                nameserver, "--allow-private", "--concurrency", str(concurrency), "--quiet"]

    started = time.perf_counter()
    subprocess.run(args(work / "clean.csv"), env=env, check=True, stdout=subprocess.DEVNULL)
    clean_seconds = time.perf_counter() - started
    out = work / "killed.csv"
    state = Path(str(out) + ".state.sqlite")
    started = time.perf_counter()
    proc = subprocess.Popen(args(out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        time.sleep(0.1)  # polling harder than this takes CPU from the batch on a 2-core machine
        if state.exists():
            try:
                with sqlite3.connect(state, timeout=1) as db:
                    done = db.execute("SELECT count(*) FROM rows").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if done >= total // 2:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first_leg = time.perf_counter() - started
    restarted = time.perf_counter()
    subprocess.run(args(out), env=env, check=True, stdout=subprocess.DEVNULL)
    second_leg = time.perf_counter() - restarted
    return clean_seconds, first_leg, second_leg, (first_leg + second_leg) / clean_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--zone-domains", type=int, default=10_000)
    parser.add_argument("--only-resume", action="store_true", help="Measure only the kill -9 resume cost.")
    options = parser.parse_args()
    from tests.servers.batch_world import zone
    from tests.servers.dns import NsdServer

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="reachout-bench-") as scratch:
        work = Path(scratch)
        os.environ["REACHOUT_HOME"] = str(work / "home")
        with NsdServer([zone(options.zone_domains)], work / "nsd") as nsd:
            ns = nsd.nameserver
            people = work / "people.csv"
            write_people(people, options.rows, options.zone_domains)
            if options.only_resume:
                clean, first, second, overall = resume_cost(people, work, ns, options.concurrency,
                                                            options.rows)
                print(f"kill -9 at 50 % then resume: {first:.1f} s + {second:.1f} s vs {clean:.1f} s: "
                      f"{overall:.2f}x")
                return
            domains = work / "domains.txt"
            write_domains(domains, options.rows, options.zone_domains)
            result = run_child(domains, work / "domains.csv", ns, options.concurrency)
            rate = result["rows"] / result["elapsed"]
            print(f"{options.rows:,} domains: {rate:,.0f} rows/s ({result['elapsed']:.1f} s), "
                  f"peak {result['peak_mib']:.0f} MiB; {result['statuses']}")
            named = run_child(people, work / "people.csv.out", ns, options.concurrency)
            print(f"{options.rows:,} name rows: {named['rows'] / named['elapsed']:,.0f} rows/s "
                  f"({named['elapsed']:.1f} s), peak {named['peak_mib']:.0f} MiB; {named['statuses']}")
            small, big = work / "small.csv", work / "big.csv"
            write_people(small, 1_000, options.zone_domains)
            write_people(big, options.big, options.zone_domains)
            one = run_child(small, work / "small.out.csv", ns, options.concurrency)
            many = run_child(big, work / "big.out.csv", ns, options.concurrency)
            ratio = many["peak_mib"] / one["peak_mib"]
            print(f"peak memory: 1,000 rows {one['peak_mib']:.0f} MiB, {options.big:,} rows "
                  f"{many['peak_mib']:.0f} MiB ({many['rows'] / many['elapsed']:,.0f} rows/s): "
                  f"ratio {ratio:.2f} (goal <= {MEMORY_GOAL}; {MEMORY_GOAL / ratio:.2f}x of goal)")
            clean, first, second, overall = resume_cost(people, work, ns, options.concurrency, options.rows)
            print(f"kill -9 at 50 % then resume: {first:.1f} s + {second:.1f} s vs {clean:.1f} s for one "
                  f"clean run (all through the CLI): {overall:.2f}x (goal <= {RESUME_GOAL}; "
                  f"{RESUME_GOAL / overall:.2f}x of goal)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
