"""A small progress line on stderr for long command-line work (imports, evaluations, benchmarks).

Shown only on a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, stream=None, every: float = 0.2):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.on = self.stream.isatty()
        self.every, self._last, self._start = every, 0.0, time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.on and (now - self._last >= self.every or self.done >= self.total):
            self._last = now
            pct = self.done / self.total if self.total else 1
            rate = self.done / max(now - self._start, 1e-9)
            filled = int(pct * 24)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (24 - filled)}] {self.done}/{self.total}"
                              f" {rate:.0f}/s ")  # fmt: skip
            self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
