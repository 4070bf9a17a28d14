"""Progress on stderr: rows done, rate, ETA. Redrawn in place on a terminal, a line now and then if not."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Counts finished rows and reports them at most every INTERVAL seconds."""

    def __init__(
        self,
        total: int,
        *,
        already: int = 0,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        # Silent when stderr is not a terminal (a log file, a pipe) unless asked for.
        self.enabled = self.tty if enabled is None else enabled
        self.interval = 0.1 if self.tty else 2.0
        self.total = total
        self.already = already
        self.done = 0
        self.clock = clock
        self.started = clock()
        self._last = 0.0
        self._width = 0

    def tick(self, count: int = 1) -> None:
        self.done += count
        if self.enabled and self.clock() - self._last >= self.interval:
            self.draw()

    def line(self) -> str:
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        finished = self.already + self.done
        left = max(0, self.total - finished)
        eta = _clock(left / rate) if rate > 0 else "?"
        share = f" ({finished / self.total:.0%})" if self.total else ""
        return f"rows {finished:,}/{self.total:,}{share}  {rate:,.0f} rows/s  ETA {eta}"

    def draw(self) -> None:
        self._last = self.clock()
        text = self.line()
        if self.tty:
            pad = " " * max(0, self._width - len(text))
            self.stream.write(f"\r{text}{pad}")
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        self.draw()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
