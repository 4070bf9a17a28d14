"""The accuracy bench's "gathered evidence" column: how often the first (and first three) candidates are
right when the user knows no one, and reachout gathers the company's other people from public sources.

The directories are bench/accuracy.py's (same generator, cultures, formats, conventions and noise). Each
domain's people are served on loopback through the evidence sources' real answer shapes
(tests/servers/evidence.py, in a process of its own): each person appears in one source (GitHub commits
45 %, a mailing-list archive 20 %, Europe PMC 15 %, the press page 10 %, a keyserver 10 %) dated within
the last five years, and 30 % of people appear nowhere; bots, role senders and handles come along as real
sources carry them. For each domain the evidence is gathered once with `reachout.find_evidence`; each
person is then guessed with the evidence of everyone else (their own pair left out), and, for comparison,
with nothing known. Prints top-1/top-3 per culture and the calibration (ECE) of the evidence guesses.

    python bench/evidence_accuracy.py [--domains 3] [--people 15] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import accuracy  # noqa: E402  (bench/accuracy.py: the same directories)

SOURCES = [("github", 0.45), ("mailarchive", 0.20), ("europepmc", 0.15), ("site", 0.10),
           ("keyserver", 0.10)]
PUBLIC = 0.7  # the share of a company's people some public source shows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["company", "mixed", "both"], default="both",
                        help="bench/accuracy.py's sets: company domains, or domains of each culture")
    parser.add_argument("--domains", type=int, default=3,
                        help="domains per culture (mixed), or ten times as many company domains")
    parser.add_argument("--people", type=int, default=15, help="people per domain")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    directories = []  # (label, domain, rows) of bench/accuracy.py's generated directories
    for set_name in ("company", "mixed"):
        if args.set not in (set_name, "both"):
            continue
        made = random.Random(f"{args.seed}-{set_name}")  # the same directories as bench/accuracy.py
        labels = ["company"] * (10 * args.domains) if set_name == "company" else [
            culture[0] for culture in accuracy.CULTURES for _ in range(args.domains)]
        for index, label in enumerate(labels):
            directory = accuracy._directory(set_name, label, index, args.people, made)
            directories.append((directory.label, directory.name, directory.rows))
    scratch = tempfile.mkdtemp(prefix="reachout-bench-evidence-accuracy-")
    os.environ["REACHOUT_HOME"] = scratch
    served = {}
    for _label, domain, rows in directories:
        people = []
        for name, address in rows:
            if rng.random() < PUBLIC:
                source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
                day = f"{rng.randint(2022, 2026)}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
                people.append([name, address, source, day])
        served[domain] = {"org": domain.split(".")[0], "people": people}
    world_file = os.path.join(scratch, "world.json")
    with open(world_file, "w", encoding="utf-8") as handle:
        json.dump(served, handle)
    proc = subprocess.Popen([sys.executable, "-m", "servers.evidence", "--world", world_file],
                            cwd=ROOT / "tests", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    try:
        hits, calibration, gathered, elapsed = _measure(directories, port)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
    _report(hits, calibration)
    print(f"\n{len(directories)} domains; {gathered:.1f} people gathered per domain on average "
          f"(of {args.people}); {elapsed:.1f} s")
    return 0


def _measure(directories: list, port: int) -> tuple[dict, list, float, float]:  # type: ignore[type-arg]
    from reachout.evidence import find_evidence
    from reachout.guessing import guess
    from reachout.http import HttpConfig
    from reachout.research.endpoints import Endpoints

    endpoints = Endpoints()
    for name in ("github", "mailarchive", "keyserver", "europepmc"):
        endpoints.point(name, f"http://127.0.0.1:{port}/{name}")
    endpoints.point("wikidata", f"http://127.0.0.1:{port}/wikidata")
    hits: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    calibration: list[tuple[float, bool]] = []
    found_people = 0
    started = time.perf_counter()
    for label, domain, rows in directories:
        config = HttpConfig(allow_private=True, cache_ttl=None, resolve={(domain, port): "127.0.0.1"})
        evidence = find_evidence(f"http://{domain}:{port}/", config=config, endpoints=endpoints,
                                 save=False)
        found_people += len(evidence.pairs)
        for name, address in rows:
            known = [p.known() for p in evidence.pairs if p.address != address]
            for column, given in (("none", []), ("evidence", known)):
                try:
                    result = guess(name, domain, known=given, roles=False, top=5)
                except Exception:  # a name the guesser refuses is a miss, as a user would see it
                    hits[label, column].append((False, False))
                    continue
                ranked = [c.address for c in result.personal]
                hits[label, column].append((ranked[:1] == [address], address in ranked[:3]))
                if column == "evidence":
                    calibration += [(c.confidence, c.address == address) for c in result.personal[:5]]
    return hits, calibration, found_people / max(1, len(directories)), time.perf_counter() - started


def _report(hits: dict, calibration: list) -> None:  # type: ignore[type-arg]
    labels = [c for c in ["company", *(c[0] for c in accuracy.CULTURES)] if (c, "none") in hits]
    print("culture  top-1 %: nothing known  gathered evidence   top-3 %: nothing known  gathered evidence")
    for label in [*labels, "all"]:
        rows = {k: [h for (lab, kk), v in hits.items() if kk == k and label in (lab, "all") for h in v]
                for k in ("none", "evidence")}
        print(f"{label:8} {'':9}{_rate(rows['none'], 0)}          {_rate(rows['evidence'], 0)}"
              f"       {'':9}{_rate(rows['none'], 1)}          {_rate(rows['evidence'], 1)}")
    overall = [h for (_, k), v in hits.items() if k == "evidence" for h in v]
    top1 = sum(h[0] for h in overall) / len(overall)
    top3 = sum(h[1] for h in overall) / len(overall)
    ece = _ece(calibration)
    print(f"\nwith gathered evidence: top-1 {top1:.1%} (goal ≥ 55 %: ratio {top1 / 0.55:.2f}), "
          f"top-3 {top3:.1%} (goal ≥ 72 %: ratio {top3 / 0.72:.2f}), "
          f"ECE {ece:.3f} (goal ≤ 0.03: ratio {ece / 0.03:.2f})")


def _rate(outcomes: list[tuple[bool, bool]], index: int) -> str:
    """The share of OUTCOMES right at INDEX (0 top-1, 1 top-3), as a padded percentage."""
    return f"{100 * sum(o[index] for o in outcomes) / len(outcomes):5.1f}" if outcomes else "    -"


def _ece(calibration: list[tuple[float, bool]]) -> float:
    """The expected calibration error over ten bins, each bin printed as bench/accuracy.py does."""
    print("\nReliability over each evidence guess's top five candidates:")
    print("stated      candidates  right %")
    ece = 0.0
    for low in [i / 10 for i in range(10)]:
        in_bin = [(c, r) for c, r in calibration if low <= c < low + 0.1 or (low == 0.9 and c == 1)]
        if in_bin:
            stated = sum(c for c, _ in in_bin) / len(in_bin)
            right = sum(r for _, r in in_bin) / len(in_bin)
            ece += len(in_bin) / len(calibration) * abs(stated - right)
            print(f"{low:.0%}–{low + 0.1:.0%}   {len(in_bin):10,}   {100 * right:6.1f}  "
                  f"(stated {100 * stated:.1f})")
    return ece


if __name__ == "__main__":
    sys.exit(main())
