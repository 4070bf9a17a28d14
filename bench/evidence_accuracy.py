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

    python bench/evidence_accuracy.py [--company 20] [--domains 2] [--people 15] [--seed 1]

`--company` company-set domains (mostly English and European names at .com, mixed formats) and
`--domains` mixed-set domains per culture, as bench/accuracy.py draws them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
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
    parser.add_argument("--company", type=int, default=20, help="company-set domains")
    parser.add_argument("--domains", type=int, default=2, help="mixed-set domains per culture")
    parser.add_argument("--people", type=int, default=15, help="people per domain")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    directories = [accuracy._directory("company", "company", i, args.people, rng)
                   for i in range(args.company)]
    directories += [accuracy._directory("mixed", culture[0], i, args.people, rng)
                    for culture in accuracy.CULTURES for i in range(args.domains)]
    scratch = tempfile.mkdtemp(prefix="reachout-bench-evidence-accuracy-")
    os.environ["REACHOUT_HOME"] = scratch
    served = {}
    for directory in directories:
        domain, people = directory.name, []
        for name, address in directory.rows:
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
        shutil.rmtree(scratch, ignore_errors=True)  # the user directory this run made, and only it
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
    for directory in directories:
        label, domain, rows = directory.label, directory.name, directory.rows
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
    def belongs(lab: str, label: str) -> bool:
        return label == "all" or lab == label or (label == "mixed" and lab != "company")

    for label in [*labels, "mixed", "all"]:
        rows = {k: [h for (lab, kk), v in hits.items() if kk == k and belongs(lab, label) for h in v]
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


def _rate(rows: list[tuple[bool, bool]], which: int) -> str:
    """The share of ROWS right at top-1 (WHICH 0) or top-3 (1), as a percentage."""
    return f"{100 * sum(r[which] for r in rows) / len(rows):5.1f}" if rows else "    -"


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
