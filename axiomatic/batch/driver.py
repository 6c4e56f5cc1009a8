"""The driver: hands problems to a pool of workers, writes each final result the moment it arrives (the results
file, and the knowledge base for a proof, in one transaction), retries a problem whose worker died once on
another worker, and keeps to the budgets. It is the only writer of both files."""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from ..errors import BackendMissing, KnowledgeBaseError
from ..kb import KnowledgeBase
from .events import Died, Finished, Ready, StartFailed
from .problems import Problem
from .results import FINAL_STATUSES, ResultsFile
from .schedule import WorkQueue
from .worker import Outcome, Task, WorkerSpec

log = logging.getLogger(__name__)

MAX_RUNS = 2  # a problem whose worker dies (or overruns) is run once more, on another worker
MAX_DEATHS_IN_A_ROW = 3  # a slot whose workers keep dying without finishing anything is given up
MIN_DISPATCH_SECONDS = 5.0  # below this much whole-batch time left, nothing new is started


@dataclass
class BatchOptions:
    workers: int = 1
    ray: str | None = None  # None: local processes; "": a local Ray cluster; "auto" or an address: join it
    budget_seconds: float = 300.0  # per problem (the prover's wall-clock budget)
    batch_seconds: float | None = None  # the whole batch
    problem_timeout: float | None = None  # hard limit per run of a problem; default 2 x budget + 60 s
    retry: tuple[str, ...] = ()  # statuses from earlier runs to run again (crashed, timeout)
    spec: WorkerSpec = field(default_factory=WorkerSpec)
    source: str = "prover"  # provenance of stored theorems

    def hard_limit(self) -> float:
        return self.problem_timeout or 2 * self.budget_seconds + 60.0


@dataclass
class BatchSummary:
    total: int
    skipped: int  # finished in an earlier run
    counts: dict = field(default_factory=lambda: {s: 0 for s in FINAL_STATUSES})
    unfinished: int = 0  # not run, or cut short by the batch budget / Ctrl-C: a re-run tries them
    seconds: float = 0.0
    workers: str = ""
    interrupted: bool = False
    stopped: str = ""  # why the batch stopped before the end ('' when it ran to completion)
    output: str = ""

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> bool:
        return self.unfinished == 0 and not self.interrupted

    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {"total": self.total, "skipped": self.skipped, **self.counts, "unfinished": self.unfinished,
                "complete": self.complete, "interrupted": self.interrupted, "stopped": self.stopped,
                "seconds": round(self.seconds, 1), "per_minute": round(60 * self.rate(), 2), "workers": self.workers,
                "output": self.output}


def make_pool(options: BatchOptions):
    if options.ray is not None:
        from .ray_pool import RayPool

        return RayPool(options.workers, options.spec, address=options.ray)
    from .local_pool import LocalPool

    return LocalPool(options.workers, options.spec)


def run_batch(problems: list[Problem], results: ResultsFile, options: BatchOptions, *, kb: KnowledgeBase | None = None,
              pool=None, on_progress: Callable[[BatchSummary, int], None] | None = None) -> BatchSummary:
    """Prove every problem not already finished in `results`. Returns when all have a final result, the batch
    budget is spent, no worker is left, or on Ctrl-C (summary.interrupted; every finished result is kept)."""
    finished = results.finished(retry=options.retry)
    todo = [p for p in problems if p.id not in finished]
    summary = BatchSummary(len(problems), len(problems) - len(todo), output=str(results.path))
    run = _Run(todo, results, options, kb, summary, on_progress)
    if not todo:
        return summary
    pool = pool or make_pool(options)
    summary.workers = pool.describe()
    started = time.monotonic()
    try:
        run.loop(pool, started)
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.stopped = "interrupted"
    finally:
        summary.seconds = time.monotonic() - started
        summary.unfinished = len(todo) - summary.done
        pool.close()
    return summary


class _Run:
    def __init__(self, todo, results, options, kb, summary, on_progress) -> None:
        self.queue = WorkQueue(todo)
        self.results, self.options, self.kb, self.summary = results, options, kb, summary
        self.on_progress = on_progress or (lambda summary, running: None)
        self.runs: dict[str, int] = {}  # problem id -> times dispatched
        self.busy: dict[int, tuple[Problem, Task, float]] = {}  # slot -> what it runs, since when
        self.idle: set[int] = set()
        self.starting: set[int] = set()
        self.deaths: dict[int, int] = {}
        self.start_errors: list[str] = []
        self.ever_ready = False

    def loop(self, pool, started: float) -> None:
        deadline = None if self.options.batch_seconds is None else started + self.options.batch_seconds
        for slot in range(self.options.workers):
            pool.start(slot)
            self.starting.add(slot)
        while True:
            out_of_time = deadline is not None and deadline - time.monotonic() < MIN_DISPATCH_SECONDS
            if not self.busy and (not self.queue or out_of_time):
                if out_of_time and self.queue:
                    self.summary.stopped = "the whole-batch budget ran out"
                return
            if not (self.busy or self.idle or self.starting):
                reason = "; ".join(dict.fromkeys(self.start_errors)) or "every worker died"
                if not self.ever_ready:
                    raise BackendMissing(f"no worker could start: {reason}")
                self.summary.stopped = f"no worker left: {reason}"
                return
            for event in pool.wait(0.5):
                self._handle(pool, event)
            self._enforce_limits(pool)
            if not out_of_time:
                self._dispatch(pool, deadline)
            self.summary.seconds = time.monotonic() - started
            self.on_progress(self.summary, len(self.busy))

    # -- events ------------------------------------------------------------------------------------------------

    def _handle(self, pool, event) -> None:
        if isinstance(event, Ready):
            self.starting.discard(event.slot)
            self.idle.add(event.slot)
            self.ever_ready = True
            log.info("worker %d ready (pid %s on %s, %s backend)", event.slot, event.identity.get("pid"),
                     event.identity.get("host"), event.identity.get("backend"))
        elif isinstance(event, StartFailed):
            self.starting.discard(event.slot)
            self.start_errors.append(event.reason)
            self.queue.release(event.slot)
            log.warning("worker %d could not start: %s", event.slot, event.reason)
        elif isinstance(event, Finished):
            problem, task, _ = self.busy.pop(event.slot)
            self.idle.add(event.slot)
            self.deaths[event.slot] = 0
            self._finished(problem, task, event.outcome, event.slot)
        elif isinstance(event, Died):
            self._lost(pool, event.slot, "crashed", event.reason)

    def _lost(self, pool, slot: int, status: str, reason: str) -> None:
        """A worker is gone (died, or killed for overrunning): retry its problem elsewhere, replace the worker."""
        self.starting.discard(slot)
        self.idle.discard(slot)
        running = self.busy.pop(slot, None)
        log.warning("worker %d lost: %s%s", slot, reason, f" (while proving {running[0].id})" if running else "")
        if running is not None:
            problem = running[0]
            if self.runs[problem.id] < MAX_RUNS:
                self.queue.put_back(problem, failed_on=slot)
            else:
                self._write(problem, {"status": status, "reason": f"{reason}, on both runs"},
                            runs=self.runs[problem.id])
        self.deaths[slot] = self.deaths.get(slot, 0) + 1
        if self.deaths[slot] < MAX_DEATHS_IN_A_ROW:
            pool.start(slot)
            self.starting.add(slot)
        else:
            self.start_errors.append(f"worker {slot} died {self.deaths[slot]} times in a row ({reason})")
            self.queue.release(slot)

    def _enforce_limits(self, pool) -> None:
        limit = self.options.hard_limit()
        now = time.monotonic()
        for slot, (problem, _, since) in list(self.busy.items()):
            if now - since > limit:
                pool.kill(slot)
                self._lost(pool, slot, "timeout", f"no answer within the hard limit of {limit:.0f} s")

    def _dispatch(self, pool, deadline: float | None) -> None:
        for slot in sorted(self.idle):
            others = bool((self.idle | self.starting | set(self.busy)) - {slot})
            problem = self.queue.take(slot, others_alive=others)
            if problem is None:
                return
            budget = self.options.budget_seconds
            if deadline is not None:
                budget = min(budget, deadline - time.monotonic())
            task = Task(problem.id, problem.statement, problem.context, problem.informal, problem.theorem_name, budget)
            self.runs[problem.id] = self.runs.get(problem.id, 0) + 1
            self.idle.discard(slot)
            self.busy[slot] = (problem, task, time.monotonic())
            log.info("worker %d starts %s (run %d)", slot, problem.id, self.runs[problem.id])
            pool.submit(slot, task)

    # -- results ---------------------------------------------------------------------------------------------

    def _finished(self, problem: Problem, task: Task, outcome: Outcome, slot: int) -> None:
        runs = self.runs[problem.id]
        if outcome.kind == "error":
            if runs < MAX_RUNS:
                self.queue.put_back(problem, failed_on=slot)
            else:
                self._write(problem, {"status": "crashed", "reason": f"{outcome.reason}, on both runs"}, outcome,
                            runs)
            return
        if outcome.kind == "invalid":
            self._write(problem, {"status": "invalid", "reason": outcome.reason}, outcome, runs)
            return
        r = outcome.result
        if r["status"] != "proved" and task.budget_seconds < self.options.budget_seconds \
                and r.get("reason", "").startswith("stopped"):
            log.info("%s: cut short by the whole-batch budget; not recorded (a re-run tries it again)", problem.id)
            return
        row = {"status": "proved" if r["status"] == "proved" else "failed", "proof": r.get("proof"),
               "lemmas": r.get("lemmas", []), "method": r.get("how", ""), "attempts": r.get("attempts", 0),
               "lean_runs": r.get("lean_runs", 0), "llm_calls": r.get("llm_calls", 0),
               "cost_usd": r.get("cost_usd", 0.0), "reason": r.get("reason", ""), "tried": r.get("tried", []),
               "best_partial": r.get("best_partial")}
        if row["status"] == "proved":
            row["stored"], row["name"] = self._store(problem, outcome)
        self._write(problem, row, outcome, runs)

    def _store(self, problem: Problem, outcome: Outcome) -> tuple[str | None, str]:
        """The proof and the lemmas proved for it, into the knowledge base in one transaction. A failure to
        store is reported in the result (the proof is in the results file either way)."""
        name = problem.theorem_name
        if self.kb is None or not outcome.verdicts:
            return None, name
        try:
            with self.kb.transaction(unsaved={"id": problem.id, "proof": outcome.result.get("proof")}):
                for lemma, verdict, context in outcome.verdicts[:-1]:
                    if self.kb.get(lemma) is None:
                        self.kb.add_theorem(verdict, name=lemma, source=self.options.source, context=context)
                theorem, verdict, context = outcome.verdicts[-1]
                old = self.kb.get(theorem)
                if old is not None and (" ".join(old.statement.split()), old.proof, " ".join(old.context.split())) \
                        != (" ".join(verdict.statement.split()), verdict.proof, " ".join(context.split())):
                    theorem = f"{theorem}_{hashlib.sha256(verdict.proof.encode()).hexdigest()[:6]}"
                self.kb.add_theorem(verdict, name=theorem, informal=problem.informal, source=self.options.source,
                                    context=context)
            return theorem, theorem
        except KnowledgeBaseError as e:
            log.warning("%s: proved, but not stored in the knowledge base: %s", problem.id, e.message)
            return None, name

    def _write(self, problem: Problem, row: dict, outcome: Outcome | None = None, runs: int = 1) -> None:
        full = {"id": problem.id, "status": row["status"], "name": row.get("name", problem.theorem_name),
                "statement": problem.statement, "proof": None, "seconds": round(outcome.seconds, 2) if outcome else None,
                "method": "", "attempts": 0, "runs": runs,
                "worker": f"{outcome.worker.get('host')}:{outcome.worker.get('pid')}" if outcome else None,
                **({"source": problem.extra["source"]} if "source" in problem.extra else {}),
                **{k: v for k, v in row.items() if k not in ("status", "name")},
                "finished_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        self.results.append(full)
        self.summary.counts[row["status"]] += 1
        log.info("%s: %s", problem.id, row["status"])
