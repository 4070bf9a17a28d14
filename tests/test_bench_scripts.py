"""The accuracy benches run end to end on a tiny corpus: a bench that breaks when the code it measures
changes is caught here, not when someone next needs its figures. Nothing here is timed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(script: str, *args: str, scratch: Path) -> str:
    temp = scratch / "tmp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
        timeout=300, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "REACHOUT_HOME": str(scratch / "home"),
                                    "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(temp)},
    )
    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == []  # a bench removes the folders it made
    return result.stdout


@pytest.mark.slow
def test_the_accuracy_bench_reports_both_sets(tmp_path):
    out = _bench("accuracy.py", "--domains", "1", "--people", "5", scratch=tmp_path)
    assert "== company set: 1 domains" in out and "== mixed set: 21 domains" in out
    assert out.count("expected calibration error (ECE)") == 2
    assert "right at 0 known, wrong at 1" in out


@pytest.mark.slow
def test_the_gathered_evidence_bench_serves_and_guesses(tmp_path):
    out = _bench("evidence_accuracy.py", "--company", "2", "--domains", "0", "--people", "6",
                 scratch=tmp_path)
    assert "with gathered evidence: top-1 " in out and "ECE" in out
    assert "2 domains;" in out


@pytest.mark.slow
def test_the_evidence_speed_bench_counts_requests(tmp_path):
    out = _bench("evidence.py", "--domains", "2", "--people", "5", "--latency", "0",
                 scratch=tmp_path)
    assert "requests per domain, warm: 0  (goal 0)" in out


@pytest.mark.slow
def test_the_brief_bench_runs_from_the_cache_the_second_time(tmp_path):
    out = _bench("brief.py", "--runs", "1", "--latency", "0.01", scratch=tmp_path)
    assert "second run from the cache (--offline)" in out and "network requests 0 (goal 0) OK" in out
