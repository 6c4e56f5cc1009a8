"""Run a Lean process with a wall-clock limit that kills the whole process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from ..errors import LeanCrash, LeanOutOfMemory, LeanTimeout
from .backend import RawRun

OOM_MARKERS = ("out of memory", "Cannot enlarge memory", "RangeError: WebAssembly.Memory", "std::bad_alloc")


def run_lean_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float, noise_prefixes: tuple[str, ...] = ()
) -> RawRun:
    """Run argv (never through a shell), return its output; raise on timeout, crash or out-of-memory."""
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace", start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        proc.communicate()
        raise LeanTimeout(f"Lean did not finish within {timeout:.0f} s; the process was killed") from None
    finally:
        if proc.poll() is None:
            _kill_tree(proc)
    seconds = time.monotonic() - started
    lines = [line for line in out.splitlines() if not line.startswith(noise_prefixes)] if noise_prefixes else out.splitlines()
    err_clean = "\n".join(line for line in err.splitlines() if not line.startswith(noise_prefixes))
    rc = proc.returncode
    if rc in (-signal.SIGKILL, 137) or any(m in err for m in OOM_MARKERS):
        raise LeanOutOfMemory("Lean ran out of memory (killed)", detail=err_clean[-2000:])
    if rc not in (0, 1):
        raise LeanCrash(f"Lean exited abnormally (status {rc})", detail=err_clean[-2000:])
    return RawRun(stdout_lines=lines, stderr=err_clean, returncode=rc, seconds=seconds)


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
