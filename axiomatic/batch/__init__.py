"""prove-batch: many problems proved by a pool of workers (local processes or Ray actors), results appended to
a JSONL file as they finish, verified proofs stored in the knowledge base by the driver alone (docs/batch.md)."""

from .driver import BatchOptions, BatchSummary, run_batch
from .problems import Problem, load_problems
from .results import FINAL_STATUSES, ResultsFile
from .worker import WorkerSpec

__all__ = ["BatchOptions", "BatchSummary", "FINAL_STATUSES", "Problem", "ResultsFile", "WorkerSpec", "load_problems",
           "run_batch"]
