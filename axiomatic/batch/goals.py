"""The worker pool for a list of goals inside another command (grow's rounds): the goals become a batch with a
throw-away results file, proofs are stored by the driver under the goals' names, and each goal gets a
ProofResult back."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

from ..kb import KnowledgeBase
from ..prover import ProofResult, default_name
from ..prover.batch import Goal
from .driver import BatchOptions, run_batch
from .problems import Problem
from .results import ResultsFile


def prove_goals(goals: Sequence[Goal], *, kb: KnowledgeBase | None, options: BatchOptions,
                pool=None) -> list[ProofResult]:
    """A ProofResult per goal, in order. Raises KeyboardInterrupt if the batch was interrupted."""
    problems = [Problem(g.name or default_name(g.statement), g.statement, g.context, g.informal) for g in goals]
    with tempfile.TemporaryDirectory(prefix="axiomatic-goals-") as tmp:
        with ResultsFile(Path(tmp) / "goals.jsonl") as results:
            summary = run_batch(problems, results, options, kb=kb, pool=pool)
            rows = results.finished()
    if summary.interrupted:
        raise KeyboardInterrupt
    out = []
    for p in problems:
        row = rows.get(p.id)
        if row is None:
            out.append(ProofResult("failed", p.id, p.statement, reason=f"not run ({summary.stopped or 'stopped'})"))
        elif row["status"] == "proved":
            out.append(ProofResult("proved", row.get("stored") or row["name"], p.statement, row["proof"],
                                   attempts=row.get("attempts", 0), seconds=row.get("seconds") or 0.0,
                                   how=row.get("method", ""), lean_runs=row.get("lean_runs", 0)))
        else:
            out.append(ProofResult("failed", p.id, p.statement, reason=f"{row['status']}: {row.get('reason', '')}",
                                   attempts=row.get("attempts", 0), seconds=row.get("seconds") or 0.0))
    return out
