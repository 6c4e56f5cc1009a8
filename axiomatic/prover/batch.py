"""Proving many statements at once: the portfolio tier by tier for all of them together (each tier one batch;
a goal proved by a cheap tier takes no part in the next), then the full search one by one for what is left."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..kb import KnowledgeBase
from ..lean import LeanBackend
from ..verify import Obligation, Verified, verify_batch
from .portfolio import tiers
from .search import ProofResult, Prover, default_name


@dataclass(frozen=True)
class Goal:
    statement: str
    context: str = ""
    name: str | None = None
    informal: str = ""


def prove_many(goals: Sequence[Goal], backend: LeanBackend, *, kb: KnowledgeBase | None = None,
               prover: Prover | None = None, batch: int = 200, source: str = "prover") -> list[ProofResult]:
    """A ProofResult per goal. Proved goals are stored in `kb` (with `source`)."""
    results: list[ProofResult | None] = [None] * len(goals)
    goal_tiers = [tiers(g.statement, context=g.context) for g in goals]
    for level in range(max((len(t) for t in goal_tiers), default=0)):
        obs, owner = [], []
        for i, g in enumerate(goals):
            if results[i] is None and level < len(goal_tiers[i]):
                for proof in goal_tiers[i][level].proofs:
                    obs.append(Obligation(g.statement, proof, g.context))
                    owner.append(i)
        verdicts = []
        for k in range(0, len(obs), batch):
            verdicts += verify_batch(obs[k:k + batch], backend=backend)
        for i, ob, v in zip(owner, obs, verdicts):
            if results[i] is None and isinstance(v, Verified):
                results[i] = _stored(goals[i], v, ob.proof, kb, source)
    for i, g in enumerate(goals):
        if results[i] is None:
            if prover is not None:
                results[i] = prover.prove(g.statement, context=g.context, name=g.name, informal=g.informal)
            else:
                results[i] = ProofResult("failed", g.name or default_name(g.statement), g.statement,
                                         reason="the automation portfolio found no proof")
    return [r for r in results if r is not None]


def _stored(g: Goal, verdict: Verified, proof: str, kb: KnowledgeBase | None, source: str) -> ProofResult:
    name = g.name or default_name(g.statement)
    if kb is not None and kb.get(name) is not None:
        return ProofResult("proved", name, g.statement, kb.get(name).proof, how="knowledge-base")
    if kb is not None:
        kb.add_theorem(verdict, name=name, informal=g.informal, source=source, context=g.context.strip())
    return ProofResult("proved", name, g.statement, proof, how="portfolio")
