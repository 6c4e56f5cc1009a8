"""The lemma stage of the search: accumulator generalisations (a constant argument replaced by a variable, on
one side or both), the goal with a `let rec` wrapper unfolded to its helper, and conjectures from the
definitions. One search run screens, per lemma, its own proof candidates and Lean's `try?`, and the goal's
closing proofs with the lemma admitted; the verifier then checks the lemma, and the goal with the verified lemma
in its context."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..lean.statement import parse_statement
from . import generalize, lean_search, portfolio

if TYPE_CHECKING:
    from ..lean.statement import Statement
    from .result import ProofResult
    from .search import Prover


def by_lemmas(prover: "Prover", statement: str, context: str, full_context: str, name: str, informal: str,
              result: "ProofResult", parsed: "Statement | None" = None) -> "ProofResult | None":
    """`parsed`: the goal's parse (the prover's, made once per goal); each lemma is parsed once here."""
    parsed = parsed if parsed is not None else parse_statement(statement)
    # (lemma, wrapper to unfold when closing the goal, kind)
    lemmas = [(g.lemma, "", "generalization") for g in generalize.generalizations(statement, context, parsed)[:12]]
    for unfolded, wrapper in generalize.unfold_wrappers(statement, context):
        lemmas.append((unfolded, wrapper, "conjecture"))
        lemmas += [(g.lemma, wrapper, "generalization") for g in generalize.generalizations(unfolded, context)[:8]]
    lemmas += [(c, "", "conjecture") for c in generalize.conjectures(statement, context)[:6]]
    seen: set[str] = set()
    lemmas = [x for x in lemmas if not (x[0] in seen or seen.add(x[0]))]
    if not lemmas:
        return None
    prover.progress(f"lemmas for {name}: {len(lemmas)} generalisations and conjectures")
    t0, runs, before = time.monotonic(), prover.lean_runs, prover.attempts
    goals = []
    lemma_tiers = []
    for i, (lemma, wrapper, _) in enumerate(lemmas):
        lemma_name = f"{name}_aux{i}"
        lemma_parsed = parse_statement(lemma)
        lt = portfolio.tiers(lemma, context=context, parsed=lemma_parsed)
        lemma_tiers.append(lt)
        own = [p for t in lt if t.name in ("functional induction", "induction") for p in t.proofs][:8]
        goals.append(lean_search.Goal(lemma, portfolio.intro_line(lemma, lemma_parsed), tuple(own), ("try?",)))
        closing = generalize.closing_proofs(statement, lemma_name, context, unfold=[wrapper] if wrapper else (),
                                            parsed=parsed)
        goals.append(lean_search.Goal(statement, "", tuple(closing), (),
                                      prelude=f"theorem {lemma_name} : {lemma} := by sorry"))
    found = prover._search(goals, full_context) if prover.use_search else []
    pairs = []
    if found and not found[0].inconclusive:
        for i, (lemma, _, _) in enumerate(lemmas):
            own, closes = found[2 * i], found[2 * i + 1]
            lemma_proofs = list(own.screened) + list(own.suggestions)
            if lemma_proofs and closes.screened:
                pairs.append((i, lemma, lemma_proofs, list(closes.screened)))
    else:  # no screening possible: the first lemmas' candidates and closings go to the verifier
        for i, (lemma, _, _) in enumerate(lemmas[:4]):
            pairs.append((i, lemma, list(goals[2 * i].screen) + [p for t in lemma_tiers[i] for p in t.proofs[:6]],
                          list(goals[2 * i + 1].screen)))
    outcome = "no proof"
    for i, lemma, lemma_proofs, closings in pairs:
        if prover.budget.exhausted():
            break
        lemma_name = f"{name}_aux{i}"
        # depth=1: a conjectured lemma that does not elaborate is just a bad guess, never BadInput
        v_lemma, _ = prover._first_verified(lemma, lemma_proofs, full_context, origin="generalization", depth=1,
                                          chunk=prover.chunk)
        if v_lemma is None:
            continue
        lemma_ctx = f"{full_context}\ntheorem {lemma_name} : {v_lemma.statement} :=\n(\n{v_lemma.proof}\n)\n"
        verdict, proof = prover._first_verified(statement, closings, lemma_ctx, origin="generalization", depth=1,
                                              chunk=prover.chunk)
        if verdict is not None:
            kind = lemmas[i][2]
            prover._store_lemma(v_lemma, lemma_name, context,
                              f"{'generalisation' if kind == 'generalization' else 'lemma'} for {name}")
            prover._report(result, "lemmas", len(lemmas), t0, runs, before, "proved",
                         f"{lemma_name}: {lemma}")
            return prover._store(result, verdict, proof, name, informal, context, kind)
    prover._report(result, "lemmas", len(lemmas), t0, runs, before, outcome,
                 f"{len(pairs)} lemma(s) screened as provable and closing the goal")
    return None
