"""The autoformalizer: English in, a ranked list of Lean propositions out, each checked by Lean.

    1. the model proposes `n` candidates (KB definitions and related results are in the prompt);
    2. Lean elaborates them all in one batch, along with triviality and vacuity checks (checks.py);
    3. candidates Lean rejects go back to the model with Lean's errors (up to `repair_rounds` rounds, one
       batch per round);
    4. the model reads each well-typed candidate back into English and judges it against the text
       (fidelity.py);
    5. rank: elaborates > faithful > not vacuous > not trivial (unless the text itself is trivial).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Callable

from ..errors import BadInput, LLMError
from ..llm import LLM, Budget
from .candidates import Candidate, merge_duplicates, original_is_trivial, rank
from .checks import check_statements
from .fidelity import judge_fidelity
from .parse import extract_statement
from .prompts import candidate_messages, repair_messages

log = logging.getLogger(__name__)

MAX_TEXT = 4000


class ModelRequired(LLMError):
    """Formalization needs a language model and none was configured (exit 3)."""

    def __init__(self) -> None:
        super().__init__("formalizing needs a language model: pass --model (with --api-base for a local "
                         "OpenAI-compatible server) or set AXIOMATIC_MODEL")


@dataclass
class Formalization:
    text: str
    context: str  # the Lean context the statements were checked in (user context + KB definitions)
    best: Candidate | None
    alternatives: list[Candidate]
    skipped: list[dict] = field(default_factory=list)  # replies without a statement: {"reply", "reason"}
    original_trivial: bool = False
    llm_calls: int = 0
    lean_runs: int = 0
    seconds: float = 0.0
    reason: str = ""
    kb_names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.best is not None and self.best.acceptable

    @property
    def candidates(self) -> list[Candidate]:
        return ([self.best] if self.best else []) + list(self.alternatives)

    def to_json(self) -> dict:
        return {
            "status": "formalized" if self.ok else "failed", "text": self.text,
            "best": self.best.to_json() if self.best else None,
            "alternatives": [c.to_json() for c in self.alternatives], "skipped": list(self.skipped),
            "original_trivial": self.original_trivial, "context": self.context, "kb_names": list(self.kb_names),
            "llm_calls": self.llm_calls, "lean_runs": self.lean_runs, "seconds": round(self.seconds, 2),
            "reason": self.reason,
        }


class _Asker:
    """Model calls that respect the budget and count themselves."""

    def __init__(self, llm: LLM, budget: Budget) -> None:
        self.llm, self.budget, self.calls = llm, budget, 0

    def many(self, messages: list[dict], n: int, seed: int = 0) -> list[str] | None:
        if self.budget.exhausted(for_llm=True):
            return None
        replies = self.llm.complete(messages, n=n, seed=seed)
        self.calls += 1
        self.budget.charge(sum(r.tokens for r in replies), sum(r.cost_usd for r in replies))
        return [r.text for r in replies]

    def one(self, messages: list[dict], seed: int = 0) -> str | None:
        texts = self.many(messages, 1, seed)
        return None if texts is None else (texts[0] if texts else "")


def _brief(errors: list[str], k: int = 2) -> str:
    """The first line of the first `k` Lean errors, for a one-line reason (the full text stays in `errors`)."""
    return "; ".join(e.strip().splitlines()[0] for e in errors[:k] if e.strip()) or "no message"


def _kb_material(kb, text: str, context: str) -> tuple[list[str], list[tuple[str, str]], str, list[str]]:
    """(definition sources, (name, statement) of related theorems, Lean context of the definitions, names)."""
    if kb is None:
        return [], [], "", []
    from ..kb import lean_context_for, retrieve

    found = retrieve(kb, text, k=8)
    defined_here = set(re.findall(r"\b(?:def|abbrev|structure|inductive)\s+([^\s:(){}\[\]]+)", context))
    defs = [item for item, _ in found if item.kind == "definition" and item.name not in defined_here]
    known = [(item.name, " ".join(item.statement.split())) for item, _ in found if item.kind == "theorem"][:6]
    lean = lean_context_for(kb, [d.name for d in defs], already=context) if defs else ""
    return [d.statement for d in defs], known, lean, [d.name for d in defs] + [n for n, _ in known]


def formalize(text: str, *, llm: LLM | None, backend, kb=None, context: str = "", n: int = 4,
              budget: Budget | None = None, repair_rounds: int = 2,
              progress: Callable[[str], None] | None = None) -> Formalization:
    """Candidate Lean statements for `text`, checked by Lean and judged for fidelity, best first.

    Raises ModelRequired without a model, BadInput for an empty text or a context that does not elaborate,
    LLMError when the model cannot be reached, BackendError when Lean cannot run.
    """
    started = time.monotonic()
    text = (text or "").strip()
    if not text:
        raise BadInput("the statement to formalize is empty")
    if len(text) > MAX_TEXT:
        raise BadInput(f"the statement is longer than {MAX_TEXT} characters; formalize one claim at a time")
    if llm is None:
        raise ModelRequired()
    if n < 1:
        raise BadInput("--n must be at least 1")
    say = progress or (lambda message: None)
    budget = budget or Budget()
    ask = _Asker(llm, budget)
    definitions, known, kb_lean, kb_names = _kb_material(kb, text, context)
    lean_context = "\n".join(p.strip() for p in (context, kb_lean) if p.strip())
    lean_context = lean_context + "\n" if lean_context else ""
    result = Formalization(text, lean_context, None, [], kb_names=kb_names)

    # 1. candidates
    say(f"asking the model for {n} candidate statements")
    base = candidate_messages(text, context=context, definitions=definitions, known=known)
    replies = ask.many(base, n)
    if replies is None:
        result.reason = "the LLM budget was exhausted before any candidate was asked for"
        return _finish(result, [], ask, started)
    cands: list[Candidate] = []
    for i, reply in enumerate(replies):
        statement, why = extract_statement(reply)
        if statement is None:
            result.skipped.append({"reply": i + 1, "reason": why, "text": (reply or "")[:500]})
            continue
        cands.append(Candidate(statement, sample=i))
    cands = merge_duplicates(cands)

    # 2. + 3. elaborate (with triviality and vacuity) in one batch per round; repair what Lean rejects
    pending = list(cands)
    for round_no in range(repair_rounds + 1):
        if not pending:
            break
        say(f"checking {len(pending)} statement(s) with Lean")
        facts = check_statements([c.statement for c in pending], backend, lean_context)
        result.lean_runs += 1
        for c, f in zip(pending, facts):
            c.elaborates, c.errors = f.elaborates, f.errors
            c.trivial, c.trivial_by = bool(f.trivial_by), f.trivial_by
            c.vacuous, c.vacuous_by = bool(f.vacuous_by), f.vacuous_by
            if f.vacuous_by:
                c.reasons.append(f"vacuous: its hypotheses are contradictory (`False` follows from them "
                                 f"{f.vacuous_by.removeprefix('by ')})")
            elif f.elaborates and f.vacuity_note and f.vacuity_note != "no hypotheses":
                c.reasons.append(f.vacuity_note)
            if f.trivial_by:
                c.reasons.append(f"trivial: closed `{f.trivial_by}` (kernel-checked)")
        failed = [c for c in pending if not c.elaborates]
        if round_no == repair_rounds or not failed:
            for c in failed:
                c.reasons.append("does not elaborate: " + _brief(c.errors, 3))
            break
        pending = []
        for c in failed:
            say(f"asking the model to repair reply {c.sample + 1}")
            fixed = ask.one(repair_messages(base, c.statement, c.errors, text), seed=round_no + 1)
            if fixed is None:
                c.reasons.append("does not elaborate, and the LLM budget ran out before a repair: "
                                 + _brief(c.errors, 3))
                continue
            statement, why = extract_statement(fixed)
            if statement is None or " ".join(statement.split()) == " ".join(c.statement.split()):
                c.reasons.append("does not elaborate: " + _brief(c.errors, 3))
                c.reasons.append(f"repair {round_no + 1} failed: "
                                 + (why if statement is None else "the model sent the same statement back"))
                continue
            c.repairs.append({"statement": c.statement, "errors": list(c.errors)})
            c.reasons.append(f"repaired after Lean rejected `{c.statement}`: {_brief(c.errors)}")
            c.statement, c.errors = statement, []
            pending.append(c)
    cands = merge_duplicates(cands)

    # 4. fidelity of the well-typed ones
    if any(c.elaborates for c in cands):
        say("back-translating and judging fidelity")
        judge_fidelity(text, cands, ask.one, lean_context)
    return _finish(result, cands, ask, started)


def _finish(result: Formalization, cands: list[Candidate], ask: _Asker, started: float) -> Formalization:
    ranked = rank(cands)
    result.original_trivial = original_is_trivial(cands)
    if result.original_trivial:
        for c in ranked:
            if c.trivial and c.acceptable:
                c.reasons.append("trivial, but so is the original statement: every faithful candidate is")
    result.best = ranked[0] if ranked else None
    result.alternatives = ranked[1:]
    result.llm_calls = ask.calls
    result.seconds = time.monotonic() - started
    if not result.reason:
        if result.best is None:
            result.reason = "no reply contained a Lean statement"
        elif not result.best.elaborates:
            result.reason = "no candidate elaborates in Lean"
        elif not result.best.faithful:
            result.reason = "no well-typed candidate was judged faithful to the text"
        elif result.best.vacuous:
            result.reason = "every faithful candidate is vacuous (contradictory hypotheses)"
    return result
