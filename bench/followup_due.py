"""How long `reachout followup due` takes over a large tracker (goal: < 1 s for 1,000 applications).

Run: .venv/bin/python bench/followup_due.py [APPLICATIONS]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time

GOAL_SECONDS = 1.0


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as home:
        os.environ["REACHOUT_HOME"] = home
        from reachout.followup import Tracker

        start_day = dt.date(2026, 9, 1)
        with Tracker(zone="Europe/Paris", country="FR") as tracker:
            built = time.perf_counter()
            for n in range(count):
                day = start_day + dt.timedelta(days=n % 80)
                app = tracker.add(
                    f"Company {n}",
                    "Data Engineer",
                    applied_on=day,
                    applied_via="posting" if n % 3 else "referral",
                )
                tracker.add_person(app.id, f"Manager {n}", role="hiring_manager")
                if n % 2:
                    tracker.log(
                        app.id,
                        "interviewed",
                        on=day + dt.timedelta(days=9),
                        with_people=[f"Interviewer {n}", f"Panel {n}"],
                    )
                if n % 5 == 0:
                    tracker.log(
                        app.id,
                        "timeline",
                        on=day + dt.timedelta(days=9),
                        until=day + dt.timedelta(days=20),
                    )
            built = time.perf_counter() - built
            on = dt.date(2026, 11, 27)
            tracker.due(on=on)  # first run creates the follow-up rows
            runs = []
            for _ in range(3):
                began = time.perf_counter()
                items = tracker.due(on=on, days=30)
                runs.append(time.perf_counter() - began)
            every = len(tracker.followups(on=on))
    best = min(runs)
    print(f"applications: {count}, follow-ups: {every}, due within 30 days: {len(items)}")
    print(
        f"setup: {built:.2f} s; due (best of 3): {best:.3f} s; goal {GOAL_SECONDS:.1f} s; "
        f"ratio to goal: {best / GOAL_SECONDS:.2f}"
    )


if __name__ == "__main__":
    main()
