"""The Ray pool on a real local Ray cluster with 2 CPUs (no Lean: the scripted worker): an actor killed
mid-problem is replaced, its problem retried once on the other actor, every problem has exactly one result."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import threading

import pytest

from axiomatic.batch import BatchOptions, Problem, ResultsFile, run_batch
from axiomatic.batch.worker import WorkerSpec
from tests.batch.scripted import ScriptedRunner

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'axiomatic[ray]'): the Ray pool is untested")


class KillFirstStarted(logging.Handler):
    """Kills the actor process of the first worker that starts a problem, a second into it."""

    def __init__(self) -> None:
        super().__init__()
        self.pids: dict[str, int] = {}
        self.victim: tuple[int, str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if m := re.search(r"worker (\d+) ready \(pid (\d+)", message):
            self.pids[m.group(1)] = int(m.group(2))
        elif (m := re.search(r"worker (\d+) starts (\S+)", message)) and self.victim is None \
                and m.group(1) in self.pids:
            self.victim = (self.pids[m.group(1)], m.group(2))
            threading.Timer(1.0, os.kill, (self.victim[0], signal.SIGKILL)).start()


def test_a_killed_ray_actor_loses_nothing(tmp_path, capsys):
    from axiomatic.batch.ray_pool import RayPool

    killer = KillFirstStarted()
    logger = logging.getLogger("axiomatic.batch")
    logger.addHandler(killer)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    problems = [Problem(f"p{i}", "sleep 4 then proved", context="" if i < 2 else "def x := 1") for i in range(4)]
    try:
        with ResultsFile(tmp_path / "out.jsonl") as results:
            summary = run_batch(problems, results, BatchOptions(workers=2, ray=""),
                                pool=RayPool(2, WorkerSpec(), factory=ScriptedRunner))
    finally:
        logger.removeHandler(killer)
        logger.setLevel(old_level)
    assert not ray.is_initialized()  # the local cluster was stopped with the batch
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == ["p0", "p1", "p2", "p3"]  # each exactly once
    assert all(r["status"] == "proved" for r in rows) and summary.complete
    pid, problem = killer.victim
    retried = next(r for r in rows if r["id"] == problem)
    assert retried["runs"] == 2 and not retried["worker"].endswith(f":{pid}")
    assert summary.workers == "2 Ray actors on a local Ray cluster"
    out, err = capsys.readouterr()
    assert "worker died" not in out  # Ray's own report of the death is talk: stderr, never stdout (--json)
