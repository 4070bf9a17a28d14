"""Benchmark what a remote source can make reachout do: huge answers and pathological text.

Prints, each against its goal (a ratio ≤ 1 meets it):
- jobs.dedupe on 4,000 and 25,000 roles (goal: 10,000 roles a second), and a 25,000-posting
  Workday answer parsed and sorted (goal: 1 s; the plain scan took 19–26 s for 4,000 roles and 8
  minutes for the Workday answer);
- Wikipedia's infobox website read from 3 MB of pathological wikitext (goal: 1 s each);
- every constant pattern in research/ and company/ (and patterns/research.toml's) timed on inputs
  built to make backtracking patterns slow, at two sizes 8× apart: linear time grows ~8×; the goal
  is a growth of at most 20× (noise), and the worst pattern is named.

    .venv/bin/python bench/remote_text.py [--size 2400]

Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("src/reachout/research/*.py"), *ROOT.glob("src/reachout/company/*.py")])
GROWTH_GOAL = 20.0


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def report(what: str, seconds: float, goal: float) -> None:
    print(f"{what:<58} {seconds:8.3f} s  goal {goal:g} s  ratio {seconds / goal:.2f}")


def bench_roles() -> None:
    from reachout.research import jobs

    for count in (4_000, 25_000):
        roles = [jobs.Role(f"Engineer {i % (count // 4)}", f"https://b.test/{i}",
                           ("greenhouse", "lever", "site", "workday")[i % 4],
                           location=("Berlin", "Paris, FR", None, "Remote")[i % 3]) for i in range(count)]
        report(f"jobs.dedupe, {count:,} roles", timed(lambda roles=roles: jobs.dedupe(roles)),
               count / 10_000)  # goal: 10,000 roles a second
    body = json.dumps({"total": 25_000, "jobPostings": [
        {"title": "Engineer", "externalPath": f"/job/x/{i}", "postedOn": "Posted 1000000 Days Ago"}
        for i in range(25_000)]})
    report(f"Workday answer of 25,000 postings ({len(body) / 1e6:.1f} MB): parse + sort",
           timed(lambda: jobs.sort_roles(jobs.parse_roles(
               "workday", "acme/External", body, "https://w.test/wday/cxs/acme/External/jobs",
               link="https://acme.wd5.myworkdayjobs.com/External",
               fetched_at="2026-12-07T00:00:00Z", notes=[]))), 1.0)


def bench_infobox() -> None:
    from reachout.company import wiki

    size = 3_000_000
    for what, value in (("spaces", " " * size + "x"), ("one word", "a" * size),
                        ("unclosed comments", "<!--" * (size // 4)), ("unclosed refs", "<ref>" * (size // 5)),
                        ("newlines", "\n" * size)):
        text = "{{Infobox company\n| website = " + value + "\n}}"
        report(f"infobox_website, 3 MB of {what}", timed(lambda text=text: wiki.infobox_website(text)), 1.0)


# ------------------------------------------------------------------------------ the patterns
def constant_patterns() -> Iterator[tuple[str, str, int, str]]:
    """(where, pattern, flags, how it is applied) for each re call with a constant pattern."""
    calls = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "split"}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in calls and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            flags = 0
            for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]:
                try:
                    value = eval(compile(ast.Expression(arg), "flags", "eval"), {"re": re})
                except Exception:  # not a flag expression (a replacement, a count)
                    continue
                flags |= value if isinstance(value, int | re.RegexFlag) else 0
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            # A compiled pattern may be used any way: time it as a search, the costliest.
            how = "search" if node.func.attr == "compile" else node.func.attr
            yield where, node.args[0].value, flags, how

    def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from strings(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v, key)
        elif isinstance(value, str) and re.search(r"[\\()\[\]*+?|]", value):
            yield key, value

    for key, value in strings(tomllib.loads((ROOT / "patterns/research.toml").read_text("utf-8"))):
        yield f"patterns/research.toml [{key}]", value, re.IGNORECASE, "search"


CHARS = [*"a1 \n.-/:@<>|=,(\"#&;_", "é", "\t", "A"]


def attacks(pattern: str) -> Iterator[tuple[str, str]]:
    """(prefix, repeated unit): runs of one or two characters, after the pattern's own words."""
    words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\\[swdbSWDB]", " ", pattern)))
    for char in CHARS:
        yield "", char
    for pair in itertools.combinations(CHARS[:14], 2):
        yield "", "".join(pair)
    for word in sorted(words)[:12]:
        yield "", word
        for char in CHARS[:10]:
            yield word, char
            yield "", word + char


def apply(rx: re.Pattern[str], how: str, text: str) -> None:
    if how in {"match", "fullmatch"}:
        getattr(rx, how)(text)
    elif how == "sub":
        rx.sub("", text)
    elif how == "split":
        rx.split(text)
    else:
        for _ in rx.finditer(text):
            pass


def bench_patterns(size: int) -> None:
    small = size // 8
    growths: list[tuple[float, float, str, str]] = []  # each pattern's worst (growth, s, where, input)
    for where, pattern, flags, how in constant_patterns():
        try:
            rx = re.compile(pattern, flags)
        except re.error:
            continue
        worst = (1.0, 0.0, where, "")
        for prefix, unit in attacks(pattern):
            short = prefix + unit * (small // len(unit))
            first = min(timed(lambda: apply(rx, how, short)) for _ in range(3))  # noqa: B023
            if first < 2e-4:
                continue  # too fast to grow measurably
            long = prefix + unit * (size // len(unit))
            second = min(timed(lambda: apply(rx, how, long)) for _ in range(3))  # noqa: B023
            if second > 0.005 and second / first > worst[0]:
                worst = (second / first, second, where, repr(prefix + unit * 3))
        growths.append(worst)
    growths.sort(reverse=True)
    print(f"{len(growths)} patterns on pathological inputs of {small:,} and {size:,} characters "
          f"(linear grows ~8×):")
    for growth, seconds, where, text in growths[:5]:
        if text:
            print(f"  {growth:5.0f}× ({seconds * 1000:4.0f} ms) {where} on {text}…")
    print(f"  worst growth {growths[0][0]:.0f}×; goal ≤ {GROWTH_GOAL:g}×, ratio "
          f"{growths[0][0] / GROWTH_GOAL:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=2400, help="the longer input of the pattern audit")
    args = parser.parse_args()
    bench_roles()
    bench_infobox()
    bench_patterns(args.size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
