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
    return classify_run(out.splitlines(), err, proc.returncode, seconds, noise_prefixes)


def classify_run(
    stdout_lines: list[str], err: str, rc: int, seconds: float, noise_prefixes: tuple[str, ...] = ()
) -> RawRun:
    """Turn what a Lean run printed into a RawRun; raise LeanOutOfMemory / LeanCrash for abnormal ends."""
    lines = [line for line in stdout_lines if not line.startswith(noise_prefixes)] if noise_prefixes else stdout_lines
    err_clean = "\n".join(line for line in err.splitlines() if not line.startswith(noise_prefixes))
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


class LeanHost:
    """One long-lived `node host.js` process (axiomatic/lean/node/host.js) serving Lean runs over a pipe.

    Requests are JSON lines on its stdin; answers are stdout lines prefixed with a per-host random nonce, so
    nothing else the process might print can pass for an answer. The host runs in its own process group and
    is killed when this object is closed, garbage-collected, or the interpreter exits.
    """

    START_TIMEOUT = 180.0

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import secrets
        import threading
        import weakref

        self.nonce = secrets.token_hex(12)
        self.lock = threading.Lock()
        self._next_id = 0
        self.proc = subprocess.Popen(
            [*argv, self.nonce], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace", start_new_session=True,
            bufsize=1,
        )
        self._finalizer = weakref.finalize(self, _kill_group, self.proc)
        import queue

        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump_lines, args=(self.proc, self._lines), daemon=True, name="lean-host-reader").start()
        hello = self._read(self.START_TIMEOUT)
        if not hello or not hello.get("ready"):
            self.close()
            raise LeanCrash("the Lean host did not start", detail=str((hello or {}).get("error", ""))[-2000:])
        self.info = hello
        self.last_answer: dict = {}  # the last answer's bookkeeping fields (session, wasm_heap_mb...)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, args: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> RawRun:
        """One Lean run; raises LeanTimeout / LeanCrash / LeanOutOfMemory like run_lean_process."""
        return self.exchange({"args": args, "cwd": str(cwd), "env": env}, timeout=timeout, grace=30.0)

    def exchange(self, fields: dict, *, timeout: float, grace: float) -> RawRun:
        """Send one request (`fields` plus id and time limit), wait up to `timeout + grace` for its answer."""
        import json

        with self.lock:
            self._next_id += 1
            rid = self._next_id
            started = time.monotonic()
            request = {"id": rid, **fields, "timeout_ms": int(timeout * 1000)}
            try:
                self.proc.stdin.write(json.dumps(request) + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                self.close()
                raise LeanCrash("the Lean host died", detail=str(exc)) from None
            answer = self._read(timeout + grace, rid)
            if answer is None:
                self.close()
                raise LeanCrash("the Lean host died or stopped answering; it will be restarted")
        seconds = time.monotonic() - started
        self.last_answer = {k: v for k, v in answer.items() if k not in ("stdout", "stderr")}
        if answer.get("timeout"):
            raise LeanTimeout(f"Lean did not finish within {timeout:.0f} s; the run was stopped")
        return classify_run(answer.get("stdout", []), answer.get("stderr", ""), answer.get("exit_code"), seconds)

    def _read(self, timeout: float, rid: int | None = None) -> dict | None:
        """The next answer line (for request `rid`), or None if the host died or the time ran out."""
        import json
        import queue

        deadline = time.monotonic() + timeout
        prefix = self.nonce + " "
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            if not line.startswith(prefix):
                continue
            try:
                msg = json.loads(line[len(prefix):])
            except ValueError:
                continue
            if rid is None or msg.get("id") == rid:
                return msg

    def close(self) -> None:
        self._finalizer()


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream:
                stream.close()
        except OSError:
            pass


def _pump_lines(proc: subprocess.Popen, lines) -> None:
    """Reader thread: every stdout line of the host into a queue, then None at end of file."""
    try:
        for line in proc.stdout:
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)
