"""`axiomatic kb serve` started as a real process for the web tests: a free port, its URL, a clean stop."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from ..conftest import ROOT


@contextlib.contextmanager
def serving(kb_path: Path, timeout: float = 60.0) -> Iterator[str]:
    """The base URL (http://127.0.0.1:PORT) of `axiomatic kb serve --kb kb_path --port 0`, until the block ends."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "kb", "serve", "--kb", str(kb_path), "--port", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                            start_new_session=True)
    try:
        url = _announced_url(proc, timeout)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the server releases its port and exits
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        proc.stderr.close()


def _announced_url(proc: subprocess.Popen, timeout: float) -> str:
    deadline, seen = time.monotonic() + timeout, b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            m = re.search(rb"on (http://127\.0\.0\.1:\d+)/", seen)
            if m:
                return m.group(1).decode()
        elif proc.poll() is not None:
            break
    raise RuntimeError(f"kb serve did not start: {seen.decode(errors='replace')[-1000:]}")
