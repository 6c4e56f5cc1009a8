"""What one worker does, wherever it runs (a local process or a Ray actor): own a Lean backend and an LLM
client for its lifetime, and prove one problem at a time with a fresh Prover and budget.

The worker never writes the knowledge base or the results file: it returns the result and the verifier's
verdicts, and the driver stores them.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field

from ..config import Config
from ..errors import AxiomaticError, BadInput
from ..lean import get_backend
from ..llm import Budget, from_options
from ..prover import Prover

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerSpec:
    """How to build a worker. Settings not given here (the Lean runtime's location, API keys) come from the
    worker's own environment, which on a remote Ray node is that node's."""

    backend: str | None = None  # 'auto' | 'native' | 'embedded'; None: the worker's AXIOMATIC_BACKEND
    model: str | None = None
    api_base: str | None = None
    no_llm: bool = False
    max_llm_calls: int = 8
    prover_options: dict = field(default_factory=dict)  # e.g. {"max_depth": 0} for grow


@dataclass(frozen=True)
class Task:
    """One problem to prove, with the wall-clock budget this dispatch may use."""

    id: str
    statement: str
    context: str
    informal: str
    name: str
    budget_seconds: float


@dataclass
class Outcome:
    """A worker's answer for one task. `kind`: 'result' (the prover finished), 'invalid' (the statement does not
    elaborate), 'error' (the attempt broke: a crashed Lean, a bug; retried like a dead worker)."""

    task_id: str
    kind: str
    result: dict = field(default_factory=dict)  # ProofResult.to_json()
    verdicts: list = field(default_factory=list)  # [(name, Verified, context)], lemmas first, then the theorem
    reason: str = ""
    seconds: float = 0.0
    worker: dict = field(default_factory=dict)


class ProblemRunner:
    """The worker's state: a warm backend (ready before the first problem) and an LLM client."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        # The worker owns its Lean runtime: never a background Lean service running on this machine, whose
        # environment every worker here would queue on (docs/batch.md).
        self.config = Config(**({"backend": spec.backend} if spec.backend else {}), server="off")
        self.backend = get_backend(self.config)
        self.backend.ensure_ready()  # installs or starts what the runtime needs; raises BackendMissing if it cannot
        self.llm = from_options(spec.model, spec.api_base, no_llm=spec.no_llm, config=self.config)
        self.identity = {"pid": os.getpid(), "host": socket.gethostname(), "backend": self.backend.name}

    def run(self, task: Task) -> Outcome:
        started = time.monotonic()
        budget = Budget(seconds=task.budget_seconds, llm_calls=self.spec.max_llm_calls)
        prover = Prover(self.backend, kb=None, llm=self.llm, budget=budget, **self.spec.prover_options)
        try:
            result = prover.prove(task.statement, context=task.context, name=task.name, informal=task.informal)
        except BadInput as e:
            return Outcome(task.id, "invalid", reason=e.message, seconds=time.monotonic() - started,
                           worker=self.identity)
        except AxiomaticError as e:
            log.warning("%s: %s", task.id, e)
            return Outcome(task.id, "error", reason=f"{type(e).__name__}: {e.message}"[:500],
                           seconds=time.monotonic() - started, worker=self.identity)
        except Exception as e:  # noqa: BLE001 (a bug on one problem must not take the worker down)
            log.exception("%s: internal error", task.id)
            return Outcome(task.id, "error", reason=f"internal error {type(e).__name__}: {e}"[:500],
                           seconds=time.monotonic() - started, worker=self.identity)
        verdicts = []
        if result.status == "proved":
            needed = [u.name for u in result.used if u.source == "this job"] + [result.name]
            verdicts = [(n, *prover.unstored[n]) for n in needed if n in prover.unstored]
        return Outcome(task.id, "result", result.to_json(), verdicts, seconds=time.monotonic() - started,
                       worker=self.identity)
