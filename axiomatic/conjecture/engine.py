"""The conjecturer: new statements built on the knowledge base, filtered cheaply by Lean, ranked, and (on
request) handed to the prover; and `grow`, the loop conjecture -> prove -> add."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..kb import KnowledgeBase
from ..lean import LeanBackend
from ..llm import LLM, Budget
from ..prover.batch import Goal, prove_many
from .filters import Screening, connections, is_known, novelty, screen
from .generators import Candidate, Seed, generate

log = logging.getLogger(__name__)

LLM_PROMPT = (
    "You are a mathematician exploring core Lean 4 (no Mathlib). Given these proven results:\n{results}\n"
    "propose {count} NEW statements that build on them (generalisations, analogues on other types, "
    "combinations). One Lean proposition per line, inside a ```lean block, no names, no proofs."
)


@dataclass
class Conjecture:
    statement: str
    rule: str
    parents: tuple[str, ...]
    score: float = 0.0
    status: str = "open"  # open | proved | disproved | abandoned
    reason: str = ""
    counterexample: dict | None = None
    theorem: str | None = None

    def to_json(self) -> dict:
        return {"statement": self.statement, "rule": self.rule, "parents": list(self.parents),
                "score": round(self.score, 3), "status": self.status, "reason": self.reason,
                "counterexample": self.counterexample, "theorem": self.theorem}


@dataclass
class RoundReport:
    round: int
    proposed: int
    filtered: dict = field(default_factory=dict)
    survivors: int = 0
    proved: int = 0
    kb_size: int = 0
    new_theorems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return self.__dict__.copy()


def seeds_from(kb: KnowledgeBase) -> list[Seed]:
    """Proven, context-free theorems of the knowledge base (the generators work on statements alone)."""
    return [Seed(i.name, i.statement) for i in kb.items(kind="theorem", verified_only=True) if not i.context]


def llm_candidates(llm: LLM, seeds: list[Seed], count: int, budget: Budget) -> list[Candidate]:
    if budget.exhausted(for_llm=True):
        return []
    listing = "\n".join(f"- {s.name} : {s.statement}" for s in seeds[:30])
    replies = llm.complete([{"role": "user", "content": LLM_PROMPT.format(results=listing, count=count)}])
    budget.charge(sum(r.tokens for r in replies), sum(r.cost_usd for r in replies))
    out = []
    for r in replies:
        for block in re.findall(r"```(?:lean)?\s*\n(.*?)```", r.text or "", re.DOTALL) or [r.text or ""]:
            for line in block.splitlines():
                line = line.strip().lstrip("-").strip()
                if line and not line.startswith(("--", "theorem", "lemma", "example")) and ("∀" in line or "=" in line):
                    out.append(Candidate(line, "llm", ()))
    return out


def propose(kb: KnowledgeBase, backend: LeanBackend, *, count: int = 10, llm: LLM | None = None,
            budget: Budget | None = None) -> tuple[list[Conjecture], dict]:
    """Ranked surviving conjectures (at most `count`) and how many each filter removed. Every screened
    candidate is recorded in the knowledge base's conjectures table (disproved ones with their counterexample)."""
    budget = budget or Budget()
    seeds = seeds_from(kb)
    cands = generate(seeds)
    if llm is not None:
        cands += llm_candidates(llm, seeds, count, budget)
    known = [i.statement for i in kb.items()] + [c["statement"] for c in kb.conjectures()]
    fresh, seen = [], set()
    for c in cands:
        if c.statement in seen or is_known(c.statement, known):
            continue
        seen.add(c.statement)
        fresh.append(c)
    stats = {"generated": len(cands), "known": len(cands) - len(fresh)}
    screened: list[Screening] = screen([c.statement for c in fresh], backend) if fresh else []
    survivors: list[Conjecture] = []
    stats.update(ill_typed=0, trivial=0, refuted=0)
    seed_statements = [s.statement for s in seeds]
    for c, s in zip(fresh, screened):
        if not s.elaborates:
            stats["ill_typed"] += 1
            continue
        if s.trivial:
            stats["trivial"] += 1
            kb.record_conjecture(c.statement, status="abandoned", reason="trivial (closed by rfl/decide)",
                                 rule=c.rule, parents=c.parents)
            continue
        if s.counterexample is not None:
            stats["refuted"] += 1
            kb.record_conjecture(c.statement, status="disproved", rule=c.rule, parents=c.parents,
                                 reason=f"counterexample (kernel-checked by decide): {s.counterexample}")
            continue
        score = novelty(c.statement, seed_statements) + 0.1 * min(5, connections(c.statement, seed_statements))
        survivors.append(Conjecture(c.statement, c.rule, c.parents, score))
    survivors.sort(key=lambda x: (-x.score, x.statement))
    chosen = survivors[:count]
    for c in chosen:
        kb.record_conjecture(c.statement, status="open", rule=c.rule, parents=c.parents)
    stats["survivors"] = len(survivors)
    return chosen, stats


def prove_conjectures(kb: KnowledgeBase, backend: LeanBackend, conjectures: list[Conjecture], *,
                      prover=None) -> list[Conjecture]:
    """Hand conjectures to the prover (one batched portfolio run); record each outcome."""
    taken: set[str] = set()
    goals = [Goal(c.statement, name=_name_for(kb, c, taken), informal=f"conjectured by {c.rule} from "
                  f"{', '.join(c.parents) or 'an LLM'}") for c in conjectures]
    results = prove_many(goals, backend, kb=kb, prover=prover, source="conjecturer")
    for c, r in zip(conjectures, results):
        if r.status == "proved":
            c.status, c.theorem, c.reason = "proved", r.name, f"proved ({r.how})"
        else:
            c.reason = r.reason or "no proof found"
        kb.record_conjecture(c.statement, status=c.status, reason=c.reason, theorem=c.theorem)
    return conjectures


def grow(kb: KnowledgeBase, backend: LeanBackend, *, rounds: int, count: int = 12, llm: LLM | None = None,
         budget: Budget | None = None, prover=None, on_round=None) -> list[RoundReport]:
    reports = []
    for r in range(1, rounds + 1):
        if budget is not None and budget.exhausted():
            break
        chosen, stats = propose(kb, backend, count=count, llm=llm, budget=budget)
        proved = prove_conjectures(kb, backend, chosen, prover=prover) if chosen else []
        new = [c.theorem for c in proved if c.status == "proved" and c.theorem]
        report = RoundReport(r, stats["generated"], stats, len(chosen), len(new), len(kb.items()), new)
        reports.append(report)
        if on_round:
            on_round(report)
        if not chosen:
            break
    return reports


def _name_for(kb: KnowledgeBase, c: Conjecture, taken: set[str]) -> str:
    base = "conj_" + (c.parents[0].split(".")[-1] if c.parents else "llm")
    base = re.sub(r"[^A-Za-z0-9_]", "_", base)
    n = 1
    while kb.get(f"{base}_{n}") is not None or f"{base}_{n}" in taken:
        n += 1
    taken.add(f"{base}_{n}")
    return f"{base}_{n}"
