"""Cheap filters for conjectures, all decided by Lean in ONE batched run per round.

For every candidate the batch holds: (1) the statement with a `sorry` proof (does it elaborate at all?),
(2) `rfl` and `decide` proofs of it (trivial?), (3) `decide` proofs of its *negation* on small instances
(refuted? then the instance is a kernel-checked counterexample). Nothing here proves a conjecture true.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import random
import re
from dataclasses import dataclass, field
from typing import Sequence

from ..errors import LeanCrash, LeanOutOfMemory, LeanTimeout
from ..lean import CheckResult, LeanBackend
from ..lean.statement import Statement, canonical, identifiers, parse_statement, rename_variable

SMALL_VALUES: dict[str, tuple[str, ...]] = {
    "Nat": ("0", "1", "2", "3", "7"),
    "Int": ("0", "1", "-1", "2", "-3"),
    "Bool": ("true", "false"),
    "List Nat": ("[]", "[0]", "[1, 2]", "[2, 1, 2]"),
    "List Int": ("[]", "[-1]", "[1, -2]", "[2, 0, 2]"),
    "Array Nat": ("#[]", "#[0]", "#[1, 2]"),
    "Array Int": ("#[]", "#[-1]", "#[1, -2]"),
}
MAX_INSTANCES = 16  # per candidate: the small corner (first values of every type) plus a seeded sample
CHUNK = 400  # snippets per Lean run; a round with more is split (a 3000-snippet file crashed the embedded Lean)

log = logging.getLogger(__name__)


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
    """Assignments of small literal values to every bound variable, or [] when a type has no small values.

    At most MAX_INSTANCES: every combination of the first two values of each type (the small corner, where
    most counterexamples live), then a sample of the rest, seeded by the statement so runs are repeatable.
    """
    pools = []
    for b in s.binders:
        values = SMALL_VALUES.get(b.type)
        if values is None or b.kind != "explicit":
            return []
        pools.append([(b.name, f"({v} : {b.type})") for v in values])
    combos = list(itertools.product(*pools))
    if len(combos) <= MAX_INSTANCES:
        return [dict(c) for c in combos]
    corner = [c for c in combos if all(p.index(v) < 2 for p, v in zip(pools, c))][:MAX_INSTANCES // 2]
    rest = [c for c in combos if c not in corner]
    rng = random.Random(hashlib.sha256(s.render().encode()).hexdigest())
    sample = rng.sample(rest, MAX_INSTANCES - len(corner))
    return [dict(c) for c in corner + sorted(sample, key=combos.index)]


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
    results = check_chunked(backend, snippets, header=context)
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


def check_chunked(backend: LeanBackend, snippets: Sequence[str], *, header: str = "",
                  chunk: int = CHUNK) -> list[CheckResult]:
    """`check_batch` in runs of at most `chunk` snippets. A run that crashes or times out is split in halves
    and retried; a single snippet that still crashes counts as failed (never as a success)."""
    out: list[CheckResult] = []
    for k in range(0, len(snippets), chunk):
        out += _check_or_split(backend, list(snippets[k:k + chunk]), header)
    return out


def _check_or_split(backend: LeanBackend, snippets: list[str], header: str) -> list[CheckResult]:
    if not snippets:
        return []
    try:
        return backend.check_batch(snippets, header=header)
    except (LeanCrash, LeanTimeout) as e:
        if isinstance(e, LeanOutOfMemory) and len(snippets) == 1:
            raise
        if len(snippets) == 1:
            log.warning("a screening snippet crashed Lean (%s); counted as failed", e.message)
            return [CheckResult(False, (), 0.0, backend.name, "")]
        half = len(snippets) // 2
        log.warning("screening batch of %d snippets failed (%s); splitting", len(snippets), e.message)
        return _check_or_split(backend, snippets[:half], header) + _check_or_split(backend, snippets[half:], header)


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
    """Already known up to renaming and order of bound variables, spacing and redundant parentheses."""
    target = statement_key(statement)
    return any(statement_key(k) == target for k in known)


_ATOM_IN_PARENS = re.compile(r"\((?=[A-Za-z_])([\w.'!?]+)\)")


def statement_key(statement: str) -> str:
    """A duplicate-detection key: `canonical` after ordering the binders by first use in the body (when no
    binder type mentions another binder) and dropping parentheses around a bare name or projection chain,
    so `∀ (ys xs : List Nat), ((xs.reverse) ++ ys).length = ...` and `∀ (a b : List Nat), (a.reverse ++ b)
    .length = ...` get the same key."""
    try:
        s = parse_statement(statement)
        names = [b.name for b in s.binders if b.name]
        body = " → ".join((*s.hypotheses, s.conclusion))
        independent = not any(rename_variable(b.type, n, "\0") != b.type for b in s.binders for n in names)
        if independent and all(b.name for b in s.binders):
            first = {n: (m.start() if (m := re.search(rf"(?<![\w.']){re.escape(n)}(?![\w'])", body)) else len(body))
                     for n in names}
            s = Statement(tuple(sorted(s.binders, key=lambda b: first[b.name])), s.hypotheses, s.conclusion)
        text = s.render()
        while True:
            stripped = _ATOM_IN_PARENS.sub(r"\1", text)
            if stripped == text:
                break
            text = stripped
        return canonical(text)
    except Exception:  # a statement the light parser cannot split is compared as written
        return " ".join(statement.split())


def _vocabulary(statement: str) -> set[str]:
    s = parse_statement(statement)
    bound = s.variables()
    words = {w for w in identifiers(statement) if w not in bound}
    words |= {w.split(".", 1)[1] for w in identifiers(statement) if "." in w and w.split(".", 1)[0] in bound}
    ops = {op for op in ("++", "+", "*", "-", "/", "%", "∣", "≤", "<", "=", "↔", "¬", "∧", "∨") if op in statement}
    return words | ops
