"""What a proof search returns: the proof, the lemmas it needs (with their own proofs), and what was tried."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UsedLemma:
    """A theorem the proof refers to that is not in the caller's context: a knowledge-base item or a lemma
    proved during this job. `statement`/`proof` are exactly what the verifier accepted."""

    name: str
    statement: str
    proof: str
    source: str  # 'knowledge-base' | 'this job'
    context: str = ""  # the definitions the lemma was proved under, when they differ from the caller's

    def lean(self) -> str:
        return f"theorem {self.name} : {' '.join(self.statement.split())} :=\n(\n{self.proof.strip()}\n)\n"

    def to_json(self) -> dict:
        return {"name": self.name, "statement": self.statement, "proof": self.proof, "source": self.source}


@dataclass(frozen=True)
class StageReport:
    """One stage of the search: how many candidates it produced and had checked, Lean runs, seconds, outcome."""

    stage: str
    candidates: int = 0
    checked: int = 0
    lean_runs: int = 0
    seconds: float = 0.0
    outcome: str = ""  # 'proved' | 'no proof' | 'skipped: ...' | 'inconclusive: ...'
    note: str = ""

    def to_json(self) -> dict:
        return {"stage": self.stage, "candidates": self.candidates, "checked": self.checked,
                "lean_runs": self.lean_runs, "seconds": round(self.seconds, 2), "outcome": self.outcome,
                "note": self.note}


@dataclass
class ProofResult:
    status: str  # 'proved' | 'failed'
    name: str
    statement: str
    proof: str | None = None
    attempts: int = 0
    llm_calls: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0
    lemmas: list[str] = field(default_factory=list)  # names of the lemmas the proof needs (see `used`)
    reason: str = ""
    how: str = ""  # portfolio | lean-search | generalization | conjecture | llm | knowledge-base | candidates
    used: list[UsedLemma] = field(default_factory=list)
    tried: list[StageReport] = field(default_factory=list)
    best_partial: dict | None = None  # the failed candidate that got furthest, with what Lean said was left
    lean_runs: int = 0

    def self_contained(self) -> str:
        """The lemmas the proof needs, then the theorem: Lean text that checks after the caller's context."""
        parts = [u.context.strip() + "\n" for u in self.used if u.context.strip()]
        parts += [u.lean() for u in self.used]
        parts.append(f"theorem {self.name} : {self.statement} :=\n{(self.proof or '').strip()}\n")
        return "\n".join(dict.fromkeys(parts))

    def to_json(self) -> dict:
        return {"status": self.status, "name": self.name, "statement": self.statement, "proof": self.proof,
                "attempts": self.attempts, "llm_calls": self.llm_calls, "cost_usd": round(self.cost_usd, 6),
                "seconds": round(self.seconds, 2), "lemmas": [u.to_json() for u in self.used],
                "lemma_names": self.lemmas, "reason": self.reason, "how": self.how,
                "self_contained": self.self_contained() if self.status == "proved" else None,
                "tried": [t.to_json() for t in self.tried], "best_partial": self.best_partial,
                "lean_runs": self.lean_runs}


def default_name(statement: str) -> str:
    return "thm_" + hashlib.sha256(" ".join(statement.split()).encode()).hexdigest()[:10]
