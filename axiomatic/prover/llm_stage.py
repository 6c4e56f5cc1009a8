"""The model stage of the search: rounds of proofs from the model, Lean's errors fed back, and the lemmas the
model proposes proved on their own by the same search (bounded recursion)."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from ..verify import Obligation, Verified
from .llm_proofs import build_messages, parse_reply

if TYPE_CHECKING:
    from ..kb import KnowledgeBase
    from .result import ProofResult
    from .search import Prover


def by_llm(prover: "Prover", statement: str, context: str, full_context: str, name: str, informal: str,
           premises: list[str], depth: int, result: "ProofResult") -> "ProofResult | None":
    from .search import error_text

    t0, runs, before = time.monotonic(), prover.lean_runs, prover.attempts
    lemmas = [(n, prover._lemma(n, context).statement) for n in premises if prover._lemma(n, context) is not None]
    lemma_names = list(premises)
    # earlier jobs' rejected proofs of this goal: the conversation continues where it stopped
    history = stored_llm_history(prover.kb, statement, prover.llm.model)
    proposed = 0
    outcome = "no proof"
    for round_no in range(prover.rounds):
        why = prover.budget.exhausted(for_llm=True)
        if why:
            result.reason = f"stopped: {why} exhausted"
            outcome = result.reason
            break
        prover.progress(f"LLM round {round_no + 1} for {name}")
        messages = build_messages(statement, full_context, lemmas, history[-2:], informal)
        replies = prover.llm.complete(messages, n=prover.samples, seed=round_no + len(history))
        prover.budget.charge(sum(r.tokens for r in replies), sum(r.cost_usd for r in replies))
        proposals = [parse_reply(r.text) for r in replies]
        renamed: dict[str, str] = {}
        if depth < prover.max_depth:
            for p in proposals:
                for lemma_name, lemma_statement in p.lemmas[:3]:
                    if prover.budget.exhausted():
                        break
                    proposed += 1
                    sub = prover.prove(lemma_statement, context=context, name=f"{name}_{lemma_name}",
                                       depth=depth + 1)
                    if sub.status == "proved":
                        renamed[lemma_name] = sub.name
                        lemma_names.append(sub.name)
                        lemmas.append((sub.name, lemma_statement))
                        full_context = prover._context(lemma_names, context)
        proofs = []
        for p in proposals:
            if p.proof:
                proof = p.proof
                for lemma_name, stored in renamed.items():  # the model names its lemmas; we stored them prefixed
                    proof = re.sub(rf"(?<![\w.]){re.escape(lemma_name)}(?![\w'])", stored, proof)
                proofs.append(proof)
        if not proofs:
            history.append(("(no proof found in the reply)", "the reply contained no Lean proof"))
            continue
        obs = [Obligation(statement, p, full_context) for p in dict.fromkeys(proofs)]
        verdicts = prover._verify(obs, origin="llm", model=prover.llm.model)
        for ob, v in zip(obs, verdicts):
            if isinstance(v, Verified):
                prover._report(result, "llm", len(proofs), t0, runs, before, "proved",
                               f"round {round_no + 1}, {proposed} lemma(s) proposed")
                return prover._store(result, v, ob.proof, name, informal, context, "llm")
        history.append((obs[0].proof, error_text(verdicts[0])))
    else:
        result.reason = result.reason or f"no proof after {prover.rounds} LLM rounds"
    prover._report(result, "llm", 0, t0, runs, before, outcome, f"{proposed} lemma(s) proposed")
    return None


def stored_llm_history(kb: "KnowledgeBase | None", statement: str, model: str, keep: int = 2) -> list[tuple[str, str]]:
    """The model's last rejected proofs of this statement from earlier jobs, with Lean's reasons, so a new job
    continues the conversation instead of asking the same question again."""
    if kb is None:
        return []
    rows = [r for r in kb.attempts(statement) if r["origin"] == "llm" and r["outcome"] == "rejected"
            and (not model or r["model"] == model)]
    return [(r["candidate"], r["error"] or "rejected") for r in rows[-keep:]]
