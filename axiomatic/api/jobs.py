"""A bounded queue of Lean jobs served by a few workers, each job answered once.

Submitting to a full queue fails at once (the HTTP face answers 429): no request waits unboundedly. A worker
that takes a `verify` job takes the other `verify` jobs waiting too, and judges them in one call of the
operations layer (one Lean run per distinct context): many small concurrent requests cost about one run.
Each worker has its own Lean backend; the blocking work runs in a thread so the event loop keeps answering."""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import AxiomaticError

log = logging.getLogger(__name__)


class QueueFull(Exception):
    """The queue holds as many waiting jobs as it may."""


@dataclass
class Job:
    kind: str
    request: Any
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    status: str = "queued"  # queued | running | done
    answer: Any = None  # ops.Answer, or the AxiomaticError / exception that stopped it
    submitted: float = field(default_factory=time.monotonic)
    progress: list[str] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)


Runner = Callable[[str, list[Job], Any], list[Any]]


class JobQueue:
    """`run(kind, jobs, backend)` does the work (in a thread) and returns one answer per job."""

    def __init__(self, run: Runner, make_backend: Callable[[], Any], *, workers: int = 1, max_queued: int = 64,
                 batch: int = 64, keep: int = 1000) -> None:
        self._run, self._make_backend = run, make_backend
        self.workers, self.max_queued, self.batch = max(1, workers), max(0, max_queued), max(1, batch)
        self._pending: deque[Job] = deque()
        self._jobs: dict[str, Job] = {}
        self._finished: deque[str] = deque()
        self._keep = keep
        self._wake: asyncio.Condition | None = None
        self._tasks: list[asyncio.Task] = []
        self._ids = itertools.count()

    async def start(self) -> None:
        self._wake = asyncio.Condition()
        self._tasks = [asyncio.create_task(self._worker(i)) for i in range(self.workers)]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    @property
    def queued(self) -> int:
        return len(self._pending)

    async def submit(self, kind: str, request: Any) -> Job:
        if len(self._pending) >= self.max_queued:
            raise QueueFull(f"{len(self._pending)} jobs are waiting (the limit)")
        job = Job(kind, request)
        self._jobs[job.id] = job
        self._pending.append(job)
        assert self._wake is not None, "JobQueue.start() was not awaited"
        async with self._wake:
            self._wake.notify()
        return job

    async def _take(self) -> list[Job]:
        assert self._wake is not None
        async with self._wake:
            await self._wake.wait_for(lambda: bool(self._pending))
            first = self._pending.popleft()
            taken = [first]
            if first.kind == "verify":
                for job in list(self._pending):
                    if len(taken) >= self.batch:
                        break
                    if job.kind == "verify":
                        self._pending.remove(job)
                        taken.append(job)
            return taken

    async def _worker(self, index: int) -> None:
        backend = None
        while True:
            jobs = await self._take()
            for job in jobs:
                job.status = "running"
            try:
                if backend is None:
                    backend = await asyncio.to_thread(self._make_backend)
                answers = await asyncio.to_thread(self._run, jobs[0].kind, jobs, backend)
            except (AxiomaticError, Exception) as e:  # noqa: BLE001 (each job gets the failure as its answer)
                if not isinstance(e, AxiomaticError):
                    log.exception("worker %d: job %s failed", index, jobs[0].kind)
                answers = [e] * len(jobs)
            for job, answer in zip(jobs, answers):
                job.answer, job.status = answer, "done"
                job.done.set()
                self._finished.append(job.id)
            while len(self._finished) > self._keep:
                self._jobs.pop(self._finished.popleft(), None)
