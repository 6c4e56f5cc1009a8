"""Lean's view of candidate statements, all in ONE kernel-checked batch (`verify_batch`, one Lean run):

* elaboration: the verifier elaborates each statement on its own (`theorem _ : S := sorry`, never counted as
  a proof); a statement it refuses comes back with Lean's error messages;
* triviality: `S` closed by `rfl`, `decide`, `simp` or `omega`, each attempt judged by the trusted verifier;
* vacuity: the statement with its conclusion replaced by `False` (`∀ x, P x → Q x` becomes `∀ x, P x → False`)
  proved by `omega`, `simp_all`, `contradiction` or `decide` after `intros`: then the hypotheses contradict
  each other and the statement says nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..lean.statement import Statement, parse_statement
from ..lean.syntax import LexError, hidden_spans
from ..errors import BadInput
from ..verify import Obligation, Rejected, Verified, verify_batch

TRIVIAL_PROOFS = ("by rfl", "by decide", "by simp", "by intros; omega")
VACUITY_PROOFS = ("by intros; omega", "by intros; simp_all", "by intros; contradiction", "by decide")
_SCOPED = re.compile(r"[∀∃λΠΣ]|\b(?:fun|forall|exists)\b")


@dataclass
class LeanFacts:
    elaborates: bool
    errors: list[str] = field(default_factory=list)
    trivial_by: str = ""
    vacuous_by: str = ""
    vacuity_note: str = ""


def _outside_brackets(text: str) -> str:
    """`text` without its bracketed groups, strings and comments."""
    try:
        spans = hidden_spans(text)
    except LexError:
        return text
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        last = b
    out.append(text[last:])
    return "".join(out)


def hypotheses_to_false(statement: str) -> tuple[str | None, str]:
    """`∀ binders, H₁ → … → Hₙ → C` as `∀ binders, H₁ → … → Hₙ → False`, or (None, why not).

    Only done when the split is certainly right: a hypothesis that opens a binder scope of its own at top level
    (`∃ m, P m → Q`) would have been cut inside that scope, so such statements are not checked for vacuity.
    """
    try:
        s = parse_statement(statement)
    except Exception:
        return None, "the statement could not be split into hypotheses and conclusion"
    if not s.hypotheses:
        return None, "no hypotheses"
    if any(_SCOPED.search(_outside_brackets(h)) for h in s.hypotheses):
        return None, "hypotheses inside a quantifier scope: vacuity not checked"
    return Statement(s.binders, tuple(f"({h.strip()})" for h in s.hypotheses), "False").render(), ""


def _statement_errors(v: Rejected) -> list[str]:
    """Lean's messages about the statement itself (positions before the proof text), without repeats."""
    texts = [m.text.strip() for m in v.messages if m.severity == "error" and m.line < 1]
    texts = list(dict.fromkeys(t for t in texts if t))
    if texts:
        return texts
    reason = v.reason.removeprefix("the statement does not elaborate: ").removeprefix("statement: ")
    return [reason]


def check_statements(statements: Sequence[str], backend, context: str = "") -> list[LeanFacts]:
    """Elaboration, triviality and vacuity of each statement, in one batch. Raises BadInput if `context` (the
    trusted definitions) does not elaborate."""
    obligations: list[Obligation] = []
    plan: list[tuple[int, str, str]] = []  # (statement index, kind, proof)
    notes: list[str] = []
    for i, s in enumerate(statements):
        for proof in TRIVIAL_PROOFS:
            obligations.append(Obligation(s, proof, context))
            plan.append((i, "trivial", proof))
        falsum, why = hypotheses_to_false(s)
        notes.append(why)
        if falsum is not None:
            for proof in VACUITY_PROOFS:
                obligations.append(Obligation(falsum, proof, context))
                plan.append((i, "vacuous", proof))
    verdicts = verify_batch(obligations, backend=backend) if obligations else []
    facts = [LeanFacts(elaborates=False, vacuity_note=notes[i]) for i in range(len(statements))]
    first_rejection: dict[int, Rejected] = {}
    for (i, kind, proof), v in zip(plan, verdicts):
        if isinstance(v, Rejected) and v.reason.startswith("the context does not elaborate"):
            raise BadInput(v.reason)
        if kind == "trivial":
            if isinstance(v, Rejected) and v.family == "statement":
                first_rejection.setdefault(i, v)
            else:
                facts[i].elaborates = True
            if isinstance(v, Verified) and not facts[i].trivial_by:
                facts[i].trivial_by = proof
        elif kind == "vacuous" and isinstance(v, Verified) and not facts[i].vacuous_by:
            facts[i].vacuous_by = proof
    for i, f in enumerate(facts):
        if not f.elaborates:
            f.errors = _statement_errors(first_rejection[i]) if i in first_rejection else ["no verdict"]
            f.trivial_by = f.vacuous_by = ""
    return facts
