"""A small progress bar for management commands, drawn only on a terminal."""

import sys
import time


class ProgressBar:
    """``bar.advance(n)`` as work is done; the bar redraws at most ten times a second.

    When the stream is not a terminal (a log, a pipe, CI) nothing is drawn.
    """

    WIDTH = 30

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label = max(total, 1), label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.done = 0
        self.drawn_at = 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        now = time.monotonic()
        if self.enabled and (now - self.drawn_at > 0.1 or self.done >= self.total):
            self.drawn_at = now
            self.draw()

    def draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:6.1%}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
