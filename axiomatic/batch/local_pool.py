"""Workers as local processes: each its own Python process (spawned, so nothing of the driver's state is
shared), its own Lean backend and LLM client, talking to the driver over a pipe."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection, wait

from .events import Died, Event, Finished, Ready, StartFailed
from .worker import ProblemRunner, Task, WorkerSpec

log = logging.getLogger(__name__)


def serve(conn: Connection, spec: WorkerSpec, factory=ProblemRunner) -> None:
    """The worker process: start the runner, then answer tasks until the pipe closes."""
    # A process group of its own: Ctrl-C at the terminal reaches the driver only (which then stops the workers
    # cleanly), and the driver can kill the worker together with the Lean processes it started.
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s (worker): %(message)s")
    try:
        runner = factory(spec)
    except Exception as e:  # noqa: BLE001 (reported to the driver, which decides)
        conn.send(("start-failed", f"{type(e).__name__}: {getattr(e, 'message', e)}"))
        return
    conn.send(("ready", runner.identity))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(("done", runner.run(task)))


class LocalPool:
    def __init__(self, size: int, spec: WorkerSpec, *, factory=ProblemRunner) -> None:
        self.size, self.spec, self.factory = size, spec, factory
        self._ctx = multiprocessing.get_context("spawn")
        self._procs: dict[int, multiprocessing.Process] = {}
        self._conns: dict[int, Connection] = {}

    def describe(self) -> str:
        return f"{self.size} local worker process{'es' if self.size != 1 else ''}"

    def start(self, slot: int) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=serve, args=(child, self.spec, self.factory), name=f"axiomatic-worker-{slot}",
                                 daemon=True)
        proc.start()
        child.close()
        self._procs[slot], self._conns[slot] = proc, parent

    def submit(self, slot: int, task: Task) -> None:
        try:
            self._conns[slot].send(task)
        except (BrokenPipeError, OSError):
            pass  # the worker is gone: wait() reports it

    def wait(self, timeout: float) -> list[Event]:
        if not self._procs:
            return []
        by_conn = {c: s for s, c in self._conns.items()}
        by_sentinel = {p.sentinel: s for s, p in self._procs.items()}
        events: list[Event] = []
        dead: set[int] = set()
        for ready in wait([*by_conn, *by_sentinel], timeout):
            if ready in by_conn:
                slot = by_conn[ready]
                try:
                    kind, payload = ready.recv()
                except (EOFError, OSError):
                    dead.add(slot)
                    continue
                if kind == "ready":
                    events.append(Ready(slot, payload))
                elif kind == "done":
                    events.append(Finished(slot, payload))
                else:
                    events.append(StartFailed(slot, payload))
                    self._reap(slot)
            elif by_sentinel[ready] in self._procs:
                slot = by_sentinel[ready]
                if not self._conns[slot].poll():  # its last message is read first, on the next wait
                    dead.add(slot)
        for slot in dead:
            if slot in self._procs:
                code = self._procs[slot].exitcode
                self._reap(slot)
                how = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
                events.append(Died(slot, f"the worker process {how}"))
        return events

    def kill(self, slot: int) -> None:
        """Stop a worker now, with any Lean process it started (its process group)."""
        if slot in self._procs:
            self._reap(slot)

    def _reap(self, slot: int) -> None:
        proc = self._procs.pop(slot)
        conn = self._conns.pop(slot)
        conn.close()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker and the Lean processes it left behind
        except (ProcessLookupError, PermissionError):
            pass
        if proc.is_alive():  # killed before it made its own group
            proc.kill()
        proc.join(5)

    def close(self) -> None:
        for slot in list(self._procs):
            try:
                self._conns[slot].send(None)
            except (BrokenPipeError, OSError):
                pass
        for slot in list(self._procs):
            self._procs[slot].join(2)
            self._reap(slot)
