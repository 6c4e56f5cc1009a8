"""A worker for the driver's own tests: real processes and pipes, but no Lean. What it does with a problem is
written in the statement: `proved`, `failed`, `invalid`, `sleep N then proved`, `die` (the process exits at
once), `die once` (exits the first time, using a marker file named in the context, then proves)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from axiomatic.batch.worker import Outcome, Task, WorkerSpec


class ScriptedRunner:
    def __init__(self, spec: WorkerSpec) -> None:
        self.identity = {"pid": os.getpid(), "host": socket.gethostname(), "backend": "scripted"}

    def run(self, task: Task) -> Outcome:
        words = task.statement.split()
        if words[0] == "sleep":
            time.sleep(float(words[1]))
            words = words[3:]
        if words == ["die"]:
            os._exit(9)
        if words == ["die", "once"]:
            marker = Path(task.context)
            if not marker.exists():
                marker.write_text("died")
                os._exit(9)
            words = ["proved"]
        if words == ["invalid"]:
            return Outcome(task.id, "invalid", reason="does not elaborate", worker=self.identity)
        status = words[0]
        result = {"status": status, "proof": "by scripted" if status == "proved" else None, "how": "scripted",
                  "attempts": 1, "reason": "" if status == "proved" else "no proof"}
        return Outcome(task.id, "result", result, [], seconds=0.01, worker=self.identity)


class BrokenRunner:
    """A worker that cannot start (as when no Lean runtime is available)."""

    def __init__(self, spec: WorkerSpec) -> None:
        raise RuntimeError("no Lean here")
