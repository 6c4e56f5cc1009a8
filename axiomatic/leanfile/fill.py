"""`axiomatic prove FILE.lean`: every `sorry` is a goal; what closes is written back, checked in its place.

1. screening (screen.py): one Lean run tries the portfolio's closing tactics at every `sorry`;
2. a theorem whose only proof is `sorry` and that screening did not close goes to the prover (its statement,
   the file before it as context), within the budget;
3. each theorem whose sorries all have a candidate is judged by the trusted verifier in its place: the
   statement folded into `∀`, the proof `fun <binders> => <written proof>`, the context the file before it as
   it will be written (earlier closed theorems included);
4. the assembled file is checked again as a whole: no error, and every closed theorem free of `sorryAx` and of
   axioms beyond the standard three. Only then is anything written. A theorem that stays open keeps its text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from ..errors import BackendError, BadInput
from ..lean import LeanBackend
from ..llm import LLM, Budget
from ..verify import Obligation, Rejected, Verified, verify_batch
from ..lean.syntax import split_commands
from .document import LeanFile, Theorem, explicit_binder_names, read
from .screen import screen

log = logging.getLogger(__name__)



@dataclass
class Goal:
    """One `sorry`: where it is, whether it was closed, by what, or why not."""

    theorem: str
    line: int
    column: int
    status: str = "open"  # 'closed' | 'open'
    how: str = ""
    reason: str = ""

    def to_json(self) -> dict:
        return {"theorem": self.theorem, "line": self.line, "column": self.column, "status": self.status,
                "how": self.how, "reason": self.reason}


@dataclass
class FillReport:
    goals: list[Goal]
    source: str  # the file as it would be written (the input when nothing closed)
    changed: bool
    recheck: dict = field(default_factory=dict)
    file_errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def closed(self) -> int:
        return sum(g.status == "closed" for g in self.goals)

    def to_json(self) -> dict:
        return {"goals": [g.to_json() for g in self.goals], "closed": self.closed,
                "open": len(self.goals) - self.closed, "changed": self.changed, "recheck": self.recheck,
                "file_errors": self.file_errors, "note": self.note, "source": self.source}


def fill(text: str, backend: LeanBackend, *, budget: Budget | None = None, llm: LLM | None = None,
         progress: Callable[[str], None] = lambda m: None) -> FillReport:
    """Close what can be closed in `text` (see the module docstring). Raises BadInput for a file whose own
    text does not elaborate (a `sorry` is fine; an error is not)."""
    budget = budget or Budget(seconds=300.0)
    file = read(text)
    todo = [t for t in file.theorems if t.sorries]
    goals = {s.offset: Goal(t.label(), s.line, s.column) for t in todo for s in t.sorries}
    report = FillReport(list(goals.values()), text, False)
    if not todo:
        report.note = "the file has no sorry in a theorem"
        return report
    progress(f"screening {len(goals)} sorries")
    screened = screen(file, todo, backend, timeout=budget.remaining_seconds())
    if screened.file_errors:
        raise BadInput("the file itself has Lean errors: " + "; ".join(screened.file_errors[:3]))
    report.note = screened.note
    edits: dict[int, tuple[int, str]] = {}  # start offset -> (end offset, new text): what will be written
    axioms: dict[str, list[str]] = {}  # closed theorem -> the axioms the verifier found it depends on
    for th in todo:
        progress(f"{th.label()}: {len(th.sorries)} sorry")
        _close_theorem(file, th, screened.closers, edits, goals, backend, budget, llm, axioms,
                       "" if screened.ran else screened.note)
    if not edits:
        return report
    final = _render(text, edits, len(text))
    closed = [t for t in todo if all(goals[s.offset].status == "closed" for s in t.sorries)]
    recheck = _recheck(final, closed, backend, axioms)
    if recheck["ok"] and _axiom_commands(final) != _axiom_commands(text):
        recheck |= {"ok": False, "problem": "the written file declares axioms the input did not"}
    report.recheck = recheck
    if not recheck["ok"]:
        for g in goals.values():
            if g.status == "closed":
                g.status, g.reason = "open", f"the assembled file did not check again: {recheck['problem']}"
        return report
    report.source, report.changed = final, True
    return report


def _close_theorem(file: LeanFile, th: Theorem, closers, edits, goals, backend, budget, llm, axioms,
                   unscreened: str = "") -> None:
    text = file.text
    proof = text[th.proof_start:th.end]
    context = _context(text, edits, th)
    options = [closers.get(s.offset, []) for s in th.sorries]
    candidates: list[tuple[str, str, str]] = []  # (written proof, lemmas to insert before it, how)
    if all(options):
        for rank in range(3):  # the cheapest closer of each sorry first, then the next ones
            picks = [opts[min(rank, len(opts) - 1)] for opts in options]
            written = proof
            for s, (repl, _) in sorted(zip(th.sorries, picks), key=lambda p: -p[0].offset):
                at = s.offset - th.proof_start
                written = written[:at] + repl + written[at + len("sorry"):]
            how = ", ".join(tactic for _, tactic in picks)
            if (written, "", how) not in candidates:
                candidates.append((written, "", how))
    elif th.whole_proof_is_sorry and not budget.exhausted():
        found = _prove(th, context, backend, budget, llm)
        if isinstance(found, str):
            goals[th.sorries[0].offset].reason = found
            return
        candidates.append(found)
    else:
        for s, opts in zip(th.sorries, options):
            goals[s.offset].reason = (unscreened or "no tactic of the portfolio closed it" if not opts else
                                      "closed on its own, but another sorry of the same theorem stays open")
        if th.whole_proof_is_sorry and budget.exhausted():  # the prover would have been next
            for s in th.sorries:
                goals[s.offset].reason += f"; the prover was not tried (budget: {budget.exhausted()})"
        return
    obligations = [Obligation(th.statement, th.as_term(written), context + lemmas, th.name)
                   for written, lemmas, _ in candidates]
    verdicts = verify_batch(obligations, backend=backend, timeout=budget.remaining_seconds())
    for (written, lemmas, how), verdict in zip(candidates, verdicts):
        if isinstance(verdict, Verified):
            edits[th.proof_start] = (th.end, written)
            if lemmas:
                edits[th.start] = (th.start, lemmas)
            axioms[th.label()] = list(verdict.axioms)
            for s in th.sorries:
                goals[s.offset].status, goals[s.offset].how, goals[s.offset].reason = "closed", how, ""
            return
    first = verdicts[0]
    why = first.reason if isinstance(first, Rejected) else f"no verdict ({first.verdict}): {first.reason}"
    for s in th.sorries:
        goals[s.offset].reason = f"the trusted verifier did not accept the assembled proof: {why}"


def _prove(th: Theorem, context: str, backend, budget: Budget, llm) -> tuple[str, str, str] | str:
    """The prover on the theorem's statement. Returns (written proof, lemmas, how) or why not."""
    from ..prover import Prover

    names = explicit_binder_names(th.binders)
    if names is None:
        return "the portfolio did not close it and its binders cannot be applied to a proof of the ∀ form"
    prover = Prover(backend, kb=None, llm=llm, budget=budget)
    try:
        result = prover.prove(th.statement, context=context, name=th.name)
    except BadInput as e:
        return f"the prover could not take the statement: {e.message}"
    if result.status != "proved" or not result.proof:
        return f"the prover found no proof: {result.reason}"
    term = result.proof.strip()
    # the proof is of the ∀ form; ascribed, so a `by` block gets its expected type, then applied to the binders
    written = f" (({term}) : {th.statement})" + "".join(f" {n}" for n in names) if names else f" {term}"
    lemmas = "".join(u.context.strip() + "\n" for u in result.used if u.context.strip()) + \
        "".join(u.lean() + "\n" for u in result.used)
    return written, lemmas, f"prover: {result.how}"


def _context(text: str, edits, th: Theorem) -> str:
    """The file before `th` as it will be written, with its open scopes closed and its namespaces opened."""
    prefix = _render(text, edits, th.start)
    if th.namespaces:
        prefix += "\n" + "".join(f"end {n}\n" for n in reversed(th.namespaces))
        prefix += "open " + " ".join(".".join(th.namespaces[:i + 1]) for i in range(len(th.namespaces))) + "\n"
    return prefix


def _render(text: str, edits: dict[int, tuple[int, str]], upto: int) -> str:
    out, at = [], 0
    for start in sorted(edits):
        end, new = edits[start]
        if start >= upto:
            break
        out += [text[at:start], new]
        at = end
    out.append(text[at:upto])
    return "".join(out)


def _recheck(final: str, closed: list[Theorem], backend: LeanBackend, axioms: dict[str, list[str]]) -> dict:
    """The written file checked as a whole: no error, and `sorry` only inside theorems that stay open. (Each
    closed theorem's axioms were audited by the trusted verifier in its place; they are reported here.)"""
    try:
        result = backend.check(final)
    except BackendError as e:
        return {"ok": False, "problem": f"no answer from Lean ({e.message})", "axioms": axioms}
    errors = [m for m in result.messages if m.severity == "error"]
    written = read(final)
    open_lines = [(written.line_of(t.start), written.line_of(t.end)) for t in written.theorems if t.sorries]
    stray_sorry = [m for m in result.messages if "declaration uses 'sorry'" in m.text
                   and not any(a <= m.line <= b for a, b in open_lines)]
    problem = ""
    if errors:
        problem = f"line {errors[0].line}: {errors[0].text}"
    elif stray_sorry:
        problem = f"line {stray_sorry[0].line}: a declaration outside the open theorems uses sorry"
    return {"ok": not problem, "problem": problem, "axioms": axioms,
            "sorry_free": not any("declaration uses 'sorry'" in m.text for m in result.messages),
            "messages": [m.to_json() for m in errors[:5]]}


def _axiom_commands(text: str) -> int:
    return sum(1 for _, c in split_commands(text) if c.split()[:1] == ["axiom"])
