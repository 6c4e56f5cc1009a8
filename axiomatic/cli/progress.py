"""A progress line on stderr for long commands: stage, optional bar, elapsed seconds; only on a terminal.

The line is redrawn every half second by a small thread, so the elapsed time keeps moving while Lean works on
a long check; nothing at all is written when stderr is not a terminal (pipes, files, --json runs)."""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    """`progress(message, fraction=None)` sets the stage; `progress.done()` clears the line. Silent unless
    enabled (default: stderr is a terminal). Shown only once the command has run for `delay` seconds."""

    def __init__(self, enabled: bool | None = None, delay: float = 1.0) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.delay = delay
        self._message = ""
        self._fraction: float | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._message, self._fraction = message, fraction
        if self._thread is None:
            self._thread = threading.Thread(target=self._tick, daemon=True, name="progress")
            self._thread.start()
        self._draw()
        if fraction is not None and fraction >= 1.0:
            self.done()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed < self.delay or self._stop.is_set():
            return
        with self._lock:
            bar = ""
            if self._fraction is not None:
                filled = int(30 * max(0.0, min(1.0, self._fraction)))
                bar = "[" + "#" * filled + "-" * (30 - filled) + f"] {self._fraction:4.0%} "
            sys.stderr.write(f"\r\033[K{bar}{self._message} ({elapsed:.0f} s)")
            sys.stderr.flush()

    def done(self) -> None:
        """Stop redrawing and clear the line (idempotent)."""
        if not self.enabled or self._stop.is_set():
            return
        self._stop.set()
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
