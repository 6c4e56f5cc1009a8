"""The conjecturer: new statements built on the knowledge base, filtered cheaply by Lean, ranked, and (on
request) handed to the prover; and `grow`, the loop conjecture -> prove -> add."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field

from ..kb import KnowledgeBase
from ..lean import LeanBackend
from ..llm import LLM, Budget
from ..prover.batch import Goal, prove_many
from ..prover.portfolio import candidates as portfolio_candidates
from ..prover.search import ProofResult
from ..verify import Obligation, Verified, verify_batch
from .filters import Screening, connections, novelty, screen, statement_key
from .generators import Candidate, Seed, generate

log = logging.getLogger(__name__)

LLM_PROMPT = (
    "You are a mathematician exploring core Lean 4 (no Mathlib). Given these proven results:\n{results}\n"
    "propose {count} NEW statements that build on them (generalisations, analogues on other types, "
    "combinations). One Lean proposition per line, inside a ```lean block, no names, no proofs."
)
MAX_LLM_SEEDS = 30
PROPOSITION_HINTS = ("∀", "∃", "=", "≠", "≤", "≥", "<", ">", "↔", "→", "∣", "¬", "∧", "∨")
FORBIDDEN = ("sorry", "admit", ":=", "#exit", "#eval", "#print", "/-", "set_option", "native_decide", "axiom",
             "unsafe", "implemented_by", "extern")


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
    seconds: float = 0.0

    def to_json(self) -> dict:
        out = self.__dict__.copy()
        out["seconds"] = round(self.seconds, 1)
        return out


def seeds_from(kb: KnowledgeBase) -> list[Seed]:
    """Proven, context-free theorems of the knowledge base (the generators work on statements alone)."""
    return [Seed(i.name, i.statement) for i in kb.items(kind="theorem", verified_only=True) if not i.context]


def parse_llm_reply(text: str) -> tuple[list[str], list[dict]]:
    """Propositions in a conjecturer reply (one per line of its ```lean blocks, or of the whole reply when it
    has none) and the lines skipped, each with a reason. Nothing is guessed: a line that does not read as a
    single well-formed proposition is skipped."""
    from ..formalize.parse import HEADER, balanced, proposition_of

    blocks = re.findall(r"```[A-Za-z0-9]*[ \t]*\n(.*?)```", text or "", re.DOTALL) or [text or ""]
    found, skipped = [], []
    for block in blocks:
        for raw in block.splitlines():
            line = re.sub(r"^\s*(?:[-*•]|\d+[.)]|\[\d+\])\s*", "", raw).strip()
            if not line or line.startswith("--"):
                continue
            line = re.sub(r"\s+--.*$", "", line).strip()  # a trailing comment
            if HEADER.match(line):
                prop, why = proposition_of(line)
                if prop is None:
                    skipped.append({"text": raw.strip(), "reason": why})
                    continue
                line = prop
            if not any(h in line for h in PROPOSITION_HINTS):
                skipped.append({"text": raw.strip(), "reason": "not a Lean proposition"})
            elif not balanced(line):
                skipped.append({"text": raw.strip(), "reason": "unbalanced brackets"})
            elif any(tok in line for tok in FORBIDDEN):
                skipped.append({"text": raw.strip(), "reason": "contains a proof or a command, not a proposition"})
            else:
                found.append(line)
    return found, skipped


def llm_candidates(llm: LLM, seeds: list[Seed], count: int, budget: Budget) -> tuple[list[Candidate], list[dict]]:
    """Candidates the model proposes from the proven results, and the reply lines skipped (with reasons)."""
    if budget.exhausted(for_llm=True):
        return [], []
    listing = "\n".join(f"- {s.name} : {s.statement}" for s in seeds[-MAX_LLM_SEEDS:])
    replies = llm.complete([{"role": "user", "content": LLM_PROMPT.format(results=listing, count=count)}])
    budget.charge(sum(r.tokens for r in replies), sum(r.cost_usd for r in replies))
    out, skipped = [], []
    for r in replies:
        found, why = parse_llm_reply(r.text or "")
        out += [Candidate(" ".join(f.split()), "llm", ()) for f in found]
        skipped += why
    return out, skipped


def _score(statement: str, seed_statements: list[str]) -> float:
    """Novelty plus a bonus for connecting known results, minus a little for length (simpler first)."""
    return (novelty(statement, seed_statements) + 0.1 * min(5, connections(statement, seed_statements))
            - 0.002 * len(statement))


def propose(kb: KnowledgeBase, backend: LeanBackend, *, count: int = 10, llm: LLM | None = None,
            budget: Budget | None = None, screen_limit: int | None = None) -> tuple[list[Conjecture], dict]:
    """Ranked surviving conjectures (at most `count`) and what each filter removed. Every screened candidate
    is recorded in the knowledge base's conjectures table (disproved ones with their counterexample).

    At most `screen_limit` (default max(24, 3 * count)) fresh candidates are screened per call, best-ranked
    first (the model's first): the generators grow quadratically with the knowledge base, Lean does not.
    """
    budget = budget or Budget()
    seeds = seeds_from(kb)
    cands = generate(seeds)
    llm_skipped: list[dict] = []
    llm_count = 0
    if llm is not None:
        extra, llm_skipped = llm_candidates(llm, seeds, count, budget)
        llm_count = len(extra)
        cands = extra + cands  # the model's proposals are screened first
    known = {statement_key(s) for s in [i.statement for i in kb.items()] + [c["statement"] for c in kb.conjectures()]}
    fresh, seen = [], set()
    for c in cands:
        key = statement_key(c.statement)
        if key in seen or key in known:
            continue
        seen.add(key)
        fresh.append(c)
    seed_statements = [s.statement for s in seeds]
    limit = screen_limit if screen_limit is not None else max(24, 3 * count)
    ranked = sorted(fresh, key=lambda c: (c.rule != "llm", -_score(c.statement, seed_statements)))
    to_screen, postponed = ranked[:limit], ranked[limit:]
    stats: dict = {"generated": len(cands), "known": len(cands) - len(fresh), "screened": len(to_screen),
                   "postponed": len(postponed), "ill_typed": 0, "trivial": 0, "refuted": 0}
    screened: list[Screening] = screen([c.statement for c in to_screen], backend) if to_screen else []
    survivors: list[Conjecture] = []
    disproved: list[dict] = []
    llm_rejected: list[dict] = []
    for c, s in zip(to_screen, screened):
        if not s.elaborates:
            stats["ill_typed"] += 1
            # recorded, so that later rounds do not screen it again
            first = next((e.strip().splitlines()[0] for e in s.errors if e.strip()), "no message")
            kb.record_conjecture(c.statement, status="abandoned", reason=f"does not elaborate: {first}"[:500],
                                 rule=c.rule, parents=c.parents)
            if c.rule == "llm":
                llm_rejected.append({"statement": c.statement, "reason": "does not elaborate",
                                     "errors": list(s.errors[:2])})
            continue
        if s.trivial:
            stats["trivial"] += 1
            kb.record_conjecture(c.statement, status="abandoned", reason="trivial (closed by rfl/decide)",
                                 rule=c.rule, parents=c.parents)
            continue
        if s.counterexample is not None:
            stats["refuted"] += 1
            shown = ", ".join(f"{k} := {v}" for k, v in s.counterexample.items())
            kb.record_conjecture(c.statement, status="disproved", rule=c.rule, parents=c.parents,
                                 reason=f"counterexample (kernel-checked by decide): {shown}")
            disproved.append({"statement": c.statement, "rule": c.rule, "parents": list(c.parents),
                              "counterexample": s.counterexample})
            continue
        survivors.append(Conjecture(c.statement, c.rule, c.parents, _score(c.statement, seed_statements)))
    survivors.sort(key=lambda x: (-x.score, x.statement))
    chosen = survivors[:count]
    for c in chosen:
        kb.record_conjecture(c.statement, status="open", rule=c.rule, parents=c.parents)
    stats["survivors"] = len(survivors)
    stats["disproved"] = disproved
    if llm is not None:
        stats["llm"] = {"proposed": llm_count, "skipped": llm_skipped, "rejected": llm_rejected}
    return chosen, stats


QUICK_PROOFS = 4  # the portfolio's first candidates (omega, simp, simp_all, grind), tried for all goals first


def prove_conjectures(kb: KnowledgeBase, backend: LeanBackend, conjectures: list[Conjecture], *,
                      prover=None, prove_rest=None) -> list[Conjecture]:
    """Hand conjectures to the prover and record each outcome.

    Two stages: one Lean run with the portfolio's cheapest closers for every goal (most conjectures that are
    true at all fall to `simp`), then the full batched portfolio (and `prover`, if given) for what is left.
    `prove_rest(goals) -> [ProofResult]`, when given, replaces the second stage (prove-batch's workers prove
    the goals in parallel and store the proofs under the goals' names).
    """
    taken: set[str] = set()
    goals = [Goal(c.statement, name=_name_for(kb, c, taken), informal=f"conjectured by {c.rule} from "
                  f"{', '.join(c.parents) or 'a language model'}") for c in conjectures]
    results: list = [None] * len(goals)
    obs, owner = [], []
    for i, g in enumerate(goals):
        for proof in portfolio_candidates(g.statement)[:QUICK_PROOFS]:
            obs.append(Obligation(g.statement, proof, name=g.name))
            owner.append(i)
    for i, ob, v in zip(owner, obs, verify_batch(obs, backend=backend) if obs else []):
        if results[i] is None and isinstance(v, Verified) and kb.get(goals[i].name) is None:
            kb.add_theorem(v, name=goals[i].name, informal=goals[i].informal, source="conjecturer")
            results[i] = ProofResult("proved", goals[i].name, goals[i].statement, ob.proof, how="portfolio")
    rest = [i for i, r in enumerate(results) if r is None]
    second = prove_rest or (lambda gs: prove_many(gs, backend, kb=kb, prover=prover, source="conjecturer"))
    for i, r in zip(rest, second([goals[i] for i in rest]) if rest else []):
        results[i] = r
    for c, r in zip(conjectures, results):
        if r.status == "proved":
            c.status, c.reason = "proved", f"proved ({r.how})"
            c.theorem = r.name if kb.get(r.name) is not None else None
            if r.how == "knowledge-base" and r.reason:
                c.reason = f"proved ({r.reason})"
        else:
            c.reason = r.reason or "no proof found"
        kb.record_conjecture(c.statement, status=c.status, reason=c.reason, theorem=c.theorem)
    return conjectures


def grow(kb: KnowledgeBase, backend: LeanBackend, *, rounds: int, count: int = 12, llm: LLM | None = None,
         budget: Budget | None = None, prover=None, on_round=None, prove_rest=None) -> list[RoundReport]:
    """Rounds of propose -> prove -> add. Stops early when the budget is spent or a round has nothing left
    to try. `prove_rest`: see prove_conjectures."""
    reports = []
    for r in range(1, rounds + 1):
        if budget is not None and budget.exhausted():
            break
        started = time.monotonic()
        before = kb.names()
        chosen, stats = propose(kb, backend, count=count, llm=llm, budget=budget)
        proved = prove_conjectures(kb, backend, chosen, prover=prover, prove_rest=prove_rest) if chosen else []
        new = sorted(kb.names() - before)  # the proved conjectures and any auxiliary lemmas found on the way
        report = RoundReport(r, stats["generated"], stats, len(chosen), sum(c.status == "proved" for c in proved),
                             len(kb.items()), new, time.monotonic() - started)
        reports.append(report)
        if on_round:
            on_round(report)
        if not chosen:
            break
    return reports


def _name_for(kb: KnowledgeBase, c: Conjecture, taken: set[str]) -> str:
    """`conj_<root parent>_<n>`: a conjecture built from `conj_append_length_3` is named after `append_length`."""
    root = c.parents[0].split(".")[-1] if c.parents else "llm"
    root = re.sub(r"_\d+$", "", re.sub(r"^(?:conj_)+", "", root)) or "llm"
    base = re.sub(r"[^A-Za-z0-9_]", "_", "conj_" + root)
    n = 1
    while kb.get(f"{base}_{n}") is not None or f"{base}_{n}" in taken:
        n += 1
    taken.add(f"{base}_{n}")
    return f"{base}_{n}"
