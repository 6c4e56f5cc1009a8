"""Formalize, then prove the best statement: what `prove --nl` runs. The informal text is stored with the
proof (the prover keeps it as the theorem's `informal` field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..llm import LLM, Budget
from .engine import Formalization, formalize


@dataclass
class FormalProof:
    formalization: Formalization
    proof: object | None  # axiomatic.prover.ProofResult, or None when nothing was worth proving
    reason: str = ""

    @property
    def status(self) -> str:
        if self.proof is None:
            return "not-formalized"
        return self.proof.status  # 'proved' | 'failed'

    def to_json(self) -> dict:
        return {"status": self.status, "informal": self.formalization.text, "reason": self.reason,
                "statement": self.formalization.best.statement if self.formalization.best else None,
                "formalization": self.formalization.to_json(),
                "proof": self.proof.to_json() if self.proof is not None else None}


def formalize_and_prove(text: str, *, llm: LLM | None, backend, kb=None, context: str = "", n: int = 4,
                        budget: Budget | None = None, name: str | None = None, require_faithful: bool = True,
                        prover_options: dict | None = None,
                        progress: Callable[[str], None] | None = None) -> FormalProof:
    """Formalize `text` and hand the best statement to the Prover (same budget, same KB).

    Only an acceptable formalization (elaborates, judged faithful, not vacuous) is proved unless
    `require_faithful=False`, in which case any well-typed, non-vacuous best candidate is tried.
    """
    from ..prover import Prover

    budget = budget or Budget()
    f = formalize(text, llm=llm, backend=backend, kb=kb, context=context, n=n, budget=budget, progress=progress)
    best = f.best
    usable = best is not None and best.elaborates and not best.vacuous and (best.faithful or not require_faithful)
    if not usable:
        return FormalProof(f, None, f.reason or "no usable formalization")
    prover = Prover(backend, kb=kb, llm=llm, budget=budget, progress=progress, **(prover_options or {}))
    result = prover.prove(best.statement, context=f.context, name=name, informal=f.text)
    return FormalProof(f, result, result.reason)
