"""Peak memory of `verify` at 1,000, 10,000 and 100,000 addresses (one domain each): flat, not linear.

Issue 14 measured 757 MB for 100,000 addresses over 100,000 domains, because every report was held
until the end. verify_stream now holds one chunk (and the next, in flight), and the DNS cache's
memory layer keeps at most 20,000 answers, so the peak must not grow with the input.

Nothing leaves the machine: the resolver is reachout's own DnsClient (its cache, in-flight table and
answer handling all run) with the network step replaced by answers made up on the spot, so the
figures measure reachout, not a server. Each size runs in a fresh process; the peak is the process's
maximum resident set (ru_maxrss), and each report is serialised as `--format json` would.

Limit: the peak at 100,000 addresses at most LIMIT times the peak at 1,000. The 1,000-address
process already holds the interpreter, the libraries and one full chunk; what a longer input may add
is the bounded DNS cache (20,000 answers, about 10-15 MB), so 1.5 leaves room for allocator noise
while a leak of even 300 bytes an address (30 MB at 100,000) would still show.

Run: .venv/bin/python bench/verify.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

LIMIT = 1.5


def measure(size: int) -> dict[str, float]:
    """Verify SIZE addresses in this process; return seconds and peak RSS in MB."""
    from reachout.cache import TTLCache
    from reachout.mail.dnsclient import MX, TXT, Answer, DnsClient
    from reachout.mail.verify import verify_stream
    from reachout.output import to_json

    class MadeUpAnswers(DnsClient):
        """DnsClient whose network step answers at once: an MX for every domain, no TXT records."""

        async def _send(self, name: str, qtype: int) -> Answer:
            if qtype == MX:
                return Answer("ok", ((10, f"mx.{name}"),), ttl=300)
            if qtype == TXT:
                return Answer("nodata", ttl=300)
            return Answer("ok", ("192.0.2.1",), ttl=300)

    addresses = (f"user{i}@company{i:06d}.example" for i in range(size))

    async def run() -> int:
        cache = TTLCache.memory(namespace="dns")
        async with MadeUpAnswers([("127.0.0.1", 9)], timeout=1.0, cache=cache) as client:
            count = 0
            async for report in verify_stream(addresses, client=client, cache=cache):
                to_json(report.to_dict())
                count += 1
            return count

    started = time.perf_counter()
    done = asyncio.run(run())
    assert done == size, (done, size)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return {"size": size, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True,
                             text=True, check=True)
        results.append(json.loads(out.stdout))
    print(f"{'addresses':>10}  {'seconds':>8}  {'peak MB':>8}  {'vs first':>8}")
    first = results[0]["peak_mb"]
    for r in results:
        print(f"{r['size']:>10,}  {r['seconds']:>8.2f}  {r['peak_mb']:>8.1f}  {r['peak_mb'] / first:>8.2f}")
    ratio = results[-1]["peak_mb"] / first
    verdict = "flat" if ratio <= LIMIT else "GROWS"
    print(f"peak at {results[-1]['size']:,} / peak at {results[0]['size']:,} = {ratio:.2f} "
          f"(limit {LIMIT}): {verdict}")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
