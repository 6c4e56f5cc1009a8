"""Cheap filters for conjectures, all decided by Lean in ONE batched run per round.

For every candidate the batch holds: (1) the statement with a `sorry` proof (does it elaborate at all?),
(2) `rfl` and `decide` proofs of it (trivial?), (3) `decide` proofs of its *negation* on small instances
(refuted? then the instance is a kernel-checked counterexample). Nothing here proves a conjecture true.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Sequence

from ..lean import LeanBackend
from .statement import Statement, canonical, identifiers, parse_statement, rename_variable

SMALL_VALUES: dict[str, tuple[str, ...]] = {
    "Nat": ("0", "1", "2", "3", "7"),
    "Int": ("0", "1", "-1", "2", "-3"),
    "Bool": ("true", "false"),
    "List Nat": ("[]", "[0]", "[1, 2]", "[2, 1, 2]"),
    "List Int": ("[]", "[-1]", "[1, -2]", "[2, 0, 2]"),
    "Array Nat": ("#[]", "#[0]", "#[1, 2]"),
    "Array Int": ("#[]", "#[-1]", "#[1, -2]"),
}
MAX_INSTANCES = 24


@dataclass(frozen=True)
class Screening:
    statement: str
    elaborates: bool
    trivial: bool = False
    counterexample: dict[str, str] | None = None
    errors: tuple[str, ...] = field(default=())

    @property
    def survives(self) -> bool:
        return self.elaborates and not self.trivial and self.counterexample is None


def instances(s: Statement) -> list[dict[str, str]]:
    """Assignments of small literal values to every bound variable, or [] when a type has no small values."""
    pools = []
    for b in s.binders:
        values = SMALL_VALUES.get(b.type)
        if values is None or b.kind != "explicit":
            return []
        pools.append([(b.name, f"({v} : {b.type})") for v in values])
    combos = itertools.product(*pools)
    return [dict(c) for c in itertools.islice(combos, MAX_INSTANCES)]


def instantiate(s: Statement, assignment: dict[str, str]) -> str:
    body = " → ".join(f"({h})" for h in (*s.hypotheses, s.conclusion))
    for name, value in assignment.items():
        body = rename_variable(body, name, value)
    return body


def screen(statements: Sequence[str], backend: LeanBackend, *, context: str = "") -> list[Screening]:
    """Screen candidate statements in one Lean run. `context` is trusted Lean text they may mention."""
    snippets: list[str] = []
    plan: list[tuple[int, str, dict[str, str] | None]] = []  # (candidate, kind, instance)
    for i, text in enumerate(statements):
        s = parse_statement(text)
        snippets.append(f"example : {text} := by sorry")
        plan.append((i, "elaborate", None))
        for tactic in ("rfl", "decide"):
            snippets.append(f"example : {text} := by {tactic}")
            plan.append((i, "trivial", None))
        for assignment in instances(s):
            snippets.append(f"example : ¬ ({instantiate(s, assignment)}) := by decide")
            plan.append((i, "refute", assignment))
    header = context
    results = backend.check_batch(snippets, header=header) if snippets else []
    elaborates = [False] * len(statements)
    trivial = [False] * len(statements)
    counter: list[dict[str, str] | None] = [None] * len(statements)
    errors: list[tuple[str, ...]] = [()] * len(statements)
    for (i, kind, assignment), result in zip(plan, results):
        if kind == "elaborate":
            elaborates[i] = result.ok
            errors[i] = tuple(m.text for m in result.errors)
        elif kind == "trivial" and result.ok:
            trivial[i] = True
        elif kind == "refute" and result.ok and counter[i] is None:
            counter[i] = {name: value.split(" : ")[0].lstrip("(") for name, value in (assignment or {}).items()}
    return [
        Screening(text, elaborates[i], trivial[i] and elaborates[i], counter[i] if elaborates[i] else None, errors[i])
        for i, text in enumerate(statements)
    ]


def novelty(statement: str, known: Sequence[str]) -> float:
    """1 - the highest overlap of constant/operator vocabulary with a known statement (1.0 = nothing alike)."""
    mine = _vocabulary(statement)
    best = 0.0
    for other in known:
        theirs = _vocabulary(other)
        if mine or theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    return 1.0 - best


def connections(statement: str, known: Sequence[str]) -> int:
    """How many known statements share at least two constants with this one."""
    mine = _vocabulary(statement)
    return sum(1 for other in known if len(mine & _vocabulary(other)) >= 2)


def is_known(statement: str, known: Sequence[str]) -> bool:
    """Already known up to renaming of bound variables and spacing."""
    target = canonical(statement)
    return any(canonical(k) == target for k in known)


def _vocabulary(statement: str) -> set[str]:
    s = parse_statement(statement)
    bound = s.variables()
    words = {w for w in identifiers(statement) if w not in bound}
    words |= {w.split(".", 1)[1] for w in identifiers(statement) if "." in w and w.split(".", 1)[0] in bound}
    ops = {op for op in ("++", "+", "*", "-", "/", "%", "∣", "≤", "<", "=", "↔", "¬", "∧", "∨") if op in statement}
    return words | ops
