"""Kernel-checked proof search: automation portfolio, generalisation lemmas, LLM revision with decomposition."""

from .result import ProofResult, StageReport, UsedLemma, default_name
from .search import Prover

__all__ = ["ProofResult", "Prover", "StageReport", "UsedLemma", "default_name", "prove"]


def prove(statement: str, *, context: str = "", name: str | None = None, informal: str = "", backend=None,
          kb=None, llm=None, budget=None, **options) -> ProofResult:
    """Search for a proof of `statement` (see Prover). Raises BadInput if the statement does not elaborate."""
    from ..lean import get_backend

    return Prover(backend or get_backend(), kb=kb, llm=llm, budget=budget, **options).prove(
        statement, context=context, name=name, informal=informal)
