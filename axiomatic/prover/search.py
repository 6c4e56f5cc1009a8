"""Proof search: the portfolio, auxiliary generalisations, then LLM rounds with Lean's errors fed back and
LLM-proposed lemmas proved on their own. Every candidate is judged by the trusted verifier, a round at a time."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..errors import BadInput
from ..kb import KnowledgeBase, lean_context_for, retrieve
from ..lean import LeanBackend
from ..llm import LLM, Budget
from ..verify import Obligation, Rejected, Verified, verify_batch
from . import generalize, portfolio
from .llm_proofs import build_messages, parse_reply

log = logging.getLogger(__name__)


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
    lemmas: list[str] = field(default_factory=list)
    reason: str = ""
    how: str = ""  # portfolio | generalization | llm | knowledge-base

    def to_json(self) -> dict:
        return {"status": self.status, "name": self.name, "statement": self.statement, "proof": self.proof,
                "attempts": self.attempts, "llm_calls": self.llm_calls, "cost_usd": round(self.cost_usd, 6),
                "seconds": round(self.seconds, 2), "lemmas": self.lemmas, "reason": self.reason, "how": self.how}


@dataclass(frozen=True)
class Candidates:
    """A statement with proof texts to try (Prover.prove_from_candidates)."""

    statement: str
    proofs: tuple[str, ...]
    name: str | None = None
    informal: str = ""


def default_name(statement: str) -> str:
    return "thm_" + hashlib.sha256(" ".join(statement.split()).encode()).hexdigest()[:10]


class Prover:
    """One proof search job with its budget. `kb` may be None (nothing stored, nothing retrieved)."""

    def __init__(self, backend: LeanBackend, *, kb: KnowledgeBase | None = None, llm: LLM | None = None,
                 budget: Budget | None = None, rounds: int = 3, samples: int = 2, max_depth: int = 1,
                 progress: Callable[[str], None] | None = None) -> None:
        self.backend, self.kb, self.llm = backend, kb, llm
        self.budget = budget or Budget()
        self.rounds, self.samples, self.max_depth = rounds, samples, max_depth
        self.progress = progress or (lambda message: None)
        self.attempts = 0
        self._seen: dict[str, Verified | Rejected] = {}
        self._local: dict[str, str] = {}  # lemmas proved in this job when there is no knowledge base

    # -- the public entry ---------------------------------------------------------------------------------

    def prove(self, statement: str, *, context: str = "", name: str | None = None, informal: str = "",
              depth: int = 0) -> ProofResult:
        statement = " ".join(statement.split())
        if not statement:
            raise BadInput("the statement is empty")
        name = name or default_name(statement)
        result = ProofResult("failed", name, statement)
        known = self._already_known(statement, name, context)
        if known is not None:
            result.status, result.proof, result.how = "proved", known.proof, "knowledge-base"
            result.reason = f"already in the knowledge base as {known.name}"
            return self._finish(result)
        lemma_names = self._relevant(statement)
        full_context = self._context(lemma_names, context)

        # 1. the automation portfolio, one batch
        self.progress(f"portfolio for {name}")
        cands = portfolio.candidates(statement, context=context, lemmas=lemma_names)
        verdict, proof = self._first_verified(statement, cands, full_context, origin="portfolio", depth=depth)
        if verdict is not None:
            return self._store(result, verdict, proof, name, informal, context, "portfolio")

        # 2. auxiliary lemmas by generalisation (accumulators), automation only
        if depth < self.max_depth and not self.budget.exhausted():
            found = self._by_generalization(statement, context, full_context, name, result)
            if found is not None:
                return found

        # 3. LLM rounds with Lean's errors fed back; lemmas the model proposes are proved on their own
        if self.llm is not None:
            found = self._by_llm(statement, context, full_context, name, informal, lemma_names, depth, result)
            if found is not None:
                return found
        elif not result.reason:
            result.reason = "automation found no proof (no LLM configured)"
        return self._finish(result)

    def prove_from_candidates(self, goals: Sequence[Candidates], *, context: str = "",
                              how: str = "candidates") -> list[ProofResult]:
        """For each goal, the first of its candidate proofs (supplied by the caller) that the verifier accepts;
        every candidate of every goal is checked in one batch, and proved goals are stored like any proof.
        No search beyond the candidates. A goal whose statement does not elaborate fails with Lean's reason."""
        obs, owner = [], []
        for i, g in enumerate(goals):
            for proof in g.proofs:
                obs.append(Obligation(" ".join(g.statement.split()), proof, context))
                owner.append(i)
        verdicts = self._verify(obs, origin=how)
        out = []
        for i, g in enumerate(goals):
            statement = " ".join(g.statement.split())
            result = ProofResult("failed", g.name or default_name(statement), statement)
            won = next(((ob, v) for ob, v, o in zip(obs, verdicts, owner) if o == i and isinstance(v, Verified)),
                       None)
            if won is None:
                mine = [v for v, o in zip(verdicts, owner) if o == i]
                bad = [v for v in mine if isinstance(v, Rejected) and v.family == "statement"]
                result.reason = bad[0].reason if mine and len(bad) == len(mine) else \
                    f"none of the {len(g.proofs)} candidate proofs was accepted"
                out.append(self._finish(result))
            else:
                out.append(self._store(result, won[1], won[0].proof, result.name, g.informal, context, how))
        return out

    # -- stages ---------------------------------------------------------------------------------------------

    def _by_generalization(self, statement, context, full_context, name, result) -> ProofResult | None:
        gens = generalize.generalizations(statement, context)[:12]
        if not gens:
            return None
        self.progress(f"trying {len(gens)} generalisations of {name}")
        obs, owners = [], []
        for gi, g in enumerate(gens):
            for proof in portfolio.candidates(g.lemma, context=context):
                obs.append(Obligation(g.lemma, proof, full_context))
                owners.append(gi)
        verdicts = self._verify(obs, origin="generalization")
        proven: dict[int, Verified] = {}
        for gi, v in zip(owners, verdicts):
            if isinstance(v, Verified) and gi not in proven:
                proven[gi] = v
        for gi, lemma in proven.items():
            lemma_name = f"{name}_aux{gi}"
            lemma_ctx = f"{full_context}\ntheorem {lemma_name} : {lemma.statement} :=\n(\n{lemma.proof}\n)\n"
            closing = generalize.closing_proofs(statement, lemma_name, context)
            verdict, proof = self._first_verified(statement, closing, lemma_ctx, origin="generalization")
            if verdict is not None:
                self._store_lemma(lemma, lemma_name, context, f"generalisation of {name}")
                result.lemmas.append(lemma_name)
                return self._store(result, verdict, proof, name, "", context, "generalization")
        return None

    def _by_llm(self, statement, context, full_context, name, informal, lemma_names, depth, result):
        lemmas = [(n, self.kb.get(n).statement) for n in lemma_names if self.kb and self.kb.get(n)]
        history: list[tuple[str, str]] = []
        for round_no in range(self.rounds):
            why = self.budget.exhausted(for_llm=True)
            if why:
                result.reason = f"stopped: {why} exhausted"
                return None
            self.progress(f"LLM round {round_no + 1} for {name}")
            messages = build_messages(statement, full_context, lemmas, history[-2:], informal)
            replies = self.llm.complete(messages, n=self.samples, seed=round_no)
            self.budget.charge(sum(r.tokens for r in replies), sum(r.cost_usd for r in replies))
            proposals = [parse_reply(r.text) for r in replies]
            # lemmas the model asks for are proved separately (bounded recursion), then usable by name
            if depth < self.max_depth:
                for p in proposals:
                    for lemma_name, lemma_statement in p.lemmas[:3]:
                        sub = self.prove(lemma_statement, context=context, name=f"{name}_{lemma_name}",
                                         depth=depth + 1)
                        if sub.status == "proved":
                            result.lemmas.append(sub.name)
                            lemma_names = [*lemma_names, sub.name]
                            lemmas.append((sub.name, lemma_statement))
                            full_context = self._context(lemma_names, context)
            proofs = []
            for p in proposals:
                if p.proof:
                    proof = p.proof
                    for lemma_name, _ in p.lemmas:  # the model names its lemmas; we stored them prefixed
                        proof = re.sub(rf"(?<![\w.]){re.escape(lemma_name)}(?![\w'])", f"{name}_{lemma_name}", proof)
                    proofs.append(proof)
            if not proofs:
                history.append(("(no proof found in the reply)", "the reply contained no Lean proof"))
                continue
            obs = [Obligation(statement, p, full_context) for p in proofs]
            verdicts = self._verify(obs, origin="llm", model=self.llm.model)
            for p, v in zip(proofs, verdicts):
                if isinstance(v, Verified):
                    return self._store(result, v, p, name, informal, context, "llm")
            p, v = next((p, v) for p, v in zip(proofs, verdicts))
            history.append((p, _error_text(v)))
        result.reason = result.reason or f"no proof after {self.rounds} LLM rounds"
        return None

    # -- helpers --------------------------------------------------------------------------------------------

    def _first_verified(self, statement, proofs, context, *, origin, depth=0):
        obs = [Obligation(statement, p, context) for p in proofs]
        verdicts = self._verify(obs, origin=origin)
        if depth == 0 and verdicts and all(isinstance(v, Rejected) and v.family == "statement" for v in verdicts):
            raise BadInput(verdicts[0].reason)
        for p, v in zip(proofs, verdicts):
            if isinstance(v, Verified):
                return v, p
        return None, None

    def _verify(self, obs: list[Obligation], *, origin: str, model: str = "") -> list[Verified | Rejected]:
        """verify_batch with de-duplication: a check already made (here or recorded in the KB) is not repeated."""
        keys = [_check_key(o) for o in obs]
        known_rejected = self.kb.rejected_checks(keys) if self.kb else set()
        todo = [i for i, k in enumerate(keys) if k not in self._seen and k not in known_rejected]
        unique: dict[str, int] = {}
        for i in todo:
            unique.setdefault(keys[i], i)
        if unique and not self.budget.exhausted():
            timeout = self.budget.remaining_seconds()
            fresh = verify_batch([obs[i] for i in unique.values()], backend=self.backend,
                                 timeout=None if timeout is None else max(30.0, timeout))
            for (key, i), v in zip(unique.items(), fresh):
                self._seen[key] = v
                self.attempts += 1
                if self.kb:
                    self.kb.record_attempt(
                        target=obs[i].statement, candidate=obs[i].proof, outcome=v.verdict,
                        error="" if isinstance(v, Verified) else v.reason, model=model, seconds=v.seconds,
                        origin=origin, check_hash=key)
        return [self._seen.get(k) or Rejected("already tried and rejected", "cached") for k in keys]

    def _relevant(self, statement: str) -> list[str]:
        if not self.kb:
            return []
        return [item.name for item, _ in retrieve(self.kb, statement, k=6) if item.kind == "theorem"]

    def _context(self, lemma_names: list[str], context: str) -> str:
        kb_part = lean_context_for(self.kb, lemma_names, already=context) if self.kb and lemma_names else ""
        kb_part += "".join(self._local[n] for n in lemma_names if n in self._local)
        return "\n".join(p for p in (context.strip(), kb_part.strip()) if p) + "\n" if (context or kb_part) else ""

    def _already_known(self, statement: str, name: str, context: str = ""):
        """A verified item with this statement *under the same definitions*: the same text about a changed
        `def` is another theorem."""
        if not self.kb:
            return None
        ctx = " ".join(context.split())

        def same(item) -> bool:
            return (item.verified and " ".join(item.statement.split()) == statement
                    and " ".join(item.context.split()) == ctx)

        item = self.kb.get(name)
        if item is not None and same(item):
            return item
        for candidate in self.kb.search(statement, limit=5):
            if same(candidate):
                return candidate
        return None

    def _store(self, result, verdict, proof, name, informal, context, how) -> ProofResult:
        result.status, result.proof, result.how = "proved", proof, how
        if not self.kb:  # no knowledge base: keep it here, so later proofs in this job can use it
            self._local[name] = f"theorem {name} : {verdict.statement} :=\n(\n{proof}\n)\n"
        if self.kb:
            if self.kb.get(name) is not None:
                name = f"{name}_{hashlib.sha256(proof.encode()).hexdigest()[:6]}"
                result.name = name
            self.kb.add_theorem(verdict, name=name, informal=informal, source="prover", context=context.strip())
        return self._finish(result)

    def _store_lemma(self, verdict: Verified, name: str, context: str, informal: str) -> None:
        if not self.kb:
            self._local[name] = f"theorem {name} : {verdict.statement} :=\n(\n{verdict.proof}\n)\n"
        if self.kb and self.kb.get(name) is None:
            self.kb.add_theorem(verdict, name=name, informal=informal, source="prover", context=context.strip())

    def _finish(self, result: ProofResult) -> ProofResult:
        result.attempts = self.attempts
        result.llm_calls = self.budget.used_calls
        result.cost_usd = self.budget.used_cost
        result.seconds = self.budget.elapsed()
        return result


def _check_key(o: Obligation) -> str:
    canon = "\x1f".join(" ".join(x.split()) for x in (o.statement, o.context, o.proof))
    return hashlib.sha256(canon.encode()).hexdigest()


def _error_text(v: Verified | Rejected) -> str:
    if isinstance(v, Verified):
        return ""
    lines = [v.reason] + [f"line {m.line}, column {m.column}: {m.text}" for m in v.messages[:5]]
    return "\n".join(dict.fromkeys(lines))
