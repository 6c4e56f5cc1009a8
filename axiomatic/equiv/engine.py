"""Equivalence of two programs: a Lean proof, or a counterexample both programs were run on, else `unknown`.

1. Both sides are loaded; Python is translated into Lean (subset/). Signatures must match. The domain is both
   sides' preconditions (leading asserts, `# requires:` comments).
2. Counterexample search on the programs themselves (search.py): hypothesis seeded with the constants of both
   programs ±1; CrossHair in the background within a time budget.
3. One Lean run (checking.py): the translations evaluated by the kernel on inputs CPython ran (a translation
   that disagrees is never used), a counterexample's inputs on the translations, and the Lean-side search on
   small and boundary inputs.
4. The theorem `∀ inputs, domain → left inputs = right inputs` (proofs.py): loop lemmas in one batch, then the
   candidates through the prover's public `prove_from_candidates`; the proof lands in the knowledge base.

Verdicts: `equivalent` only with a proof the trusted verifier accepted; `counterexample` only with inputs on
which CPython (or, for a Lean program, the kernel) showed the two differ; anything else is `unknown` with what
was tried. A timeout, a crash, a resource limit is never either answer.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass, field

from ..errors import BadInput
from ..kb.store import KnowledgeBase
from ..lean.backend import LeanBackend
from ..prover import Prover
from . import proofs, search
from .checking import Check, describe_wrong, kernel_check, small
from .programs import Program, binders, call, load, rename_identifiers
from .subset import lean_ident

EXIT_CODES = {"equivalent": 0, "counterexample": 1, "unknown": 5}
LEAN_SEARCH_INPUTS = 30


@dataclass(frozen=True)
class EquivalenceResult:
    verdict: str  # "equivalent" | "counterexample" | "unknown"
    theorem: str = ""
    proof: str = ""
    name: str = ""
    counterexample: dict | None = None
    tried: tuple[str, ...] = ()
    tested: int = 0
    seconds: float = 0.0
    definitions: str = ""
    lemmas: tuple[str, ...] = ()
    translations: dict = field(default_factory=dict)  # who translated each side: axiomatic, llm, user (Lean)
    domain: tuple[str, ...] = ()  # the preconditions, as the user wrote them ("all inputs" when empty)
    lean_runs: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "exit_code": self.exit_code, "theorem": self.theorem, "proof": self.proof,
                "counterexample": self.counterexample, "seconds": round(self.seconds, 2), "name": self.name,
                "domain": list(self.domain) or ["all inputs of the declared types"], "tested": self.tested,
                "tried": list(self.tried), "lemmas": list(self.lemmas), "definitions": self.definitions,
                "translations": self.translations, "lean_runs": self.lean_runs}


class _Run:
    """What one check accumulates before it becomes an EquivalenceResult."""

    def __init__(self, left: Program, right: Program) -> None:
        self.started = time.monotonic()
        self.fields: dict = {"translations": {"left": left.translated_by, "right": right.translated_by},
                             "domain": tuple(domain(left, right))}
        self.tried: list[str] = []
        self.lean_runs = 0

    def finish(self, verdict: str, **fields) -> EquivalenceResult:
        merged = {**self.fields, **fields}
        return EquivalenceResult(verdict, tried=tuple(self.tried), seconds=time.monotonic() - self.started,
                                 lean_runs=self.lean_runs, **merged)


def domain(left: Program, right: Program) -> list[str]:
    out = []
    for side in (left, right):
        out += [f"{side.function}: {p}" for p in side.signature.python_preconditions]
    return out


def namespaces(left_spec: str, right_spec: str) -> tuple[str, str]:
    def ns(spec: str) -> str:
        stem = os.path.splitext(os.path.basename(spec.rpartition(":")[0]))[0]
        word = re.sub(r"\W", "_", stem) or "prog"
        return ("P_" + word) if word[0].isdigit() else word

    a, b = ns(left_spec), ns(right_spec)
    if a == b:
        a, b = a + "_left", b + "_right"
    return a, b


def check_equivalence(left_spec: str, right_spec: str, backend: LeanBackend | None, *, kb=None, llm=None,
                      budget=None, examples: int = 400, symbolic_seconds: float = 10.0,
                      progress=lambda message: None) -> EquivalenceResult:
    """Decide whether two programs agree on every input of their domain. `backend=None` runs the Python-side
    search only (a counterexample or `unknown`). Raises BadInput (exit 2) for input outside the subset."""
    ns_left, ns_right = namespaces(left_spec, right_spec)
    left, right = load(left_spec, namespace=ns_left, llm=llm), load(right_spec, namespace=ns_right, llm=llm)
    _same_signature(left, right)
    run = _Run(left, right)
    params = [t for _, t in left.signature.params]
    theorem = equivalence_statement(left, right)
    run.fields["theorem"] = theorem
    seeds = search.seeds([left, right], params)
    both_python = left.language == right.language == "python"

    # 2. the programs themselves: hypothesis (seeded), then CrossHair in the background
    symbolic = None
    if both_python:
        progress("differential testing")
        answer = search.differential(left, right, examples, seeds)
        run.fields["tested"] = answer["tested"]
        found = answer["counterexample"]
        run.tried.append(f"hypothesis: {answer['tested']} inputs ({len(seeds)} seeded from the programs' constants)"
                         + (f", {answer['timeouts']} hit a resource limit (not a difference)"
                            if answer["timeouts"] else "") + ("" if found else ", no disagreement"))
        if found:
            return _counterexample(run, left, right, found, "hypothesis", backend)
        if symbolic_seconds > 0:
            symbolic = search.Symbolic(left, right, symbolic_seconds)
    try:
        return _with_lean(run, left, right, theorem, seeds, backend, symbolic, kb=kb, llm=llm, budget=budget,
                          progress=progress)
    finally:
        if symbolic is not None:
            symbolic.stop()


def _with_lean(run, left, right, theorem, seeds, backend, symbolic, *, kb, llm, budget, progress):
    if backend is None:
        found = _symbolic_answer(run, left, right, symbolic)
        if found:
            return _counterexample(run, left, right, found, "CrossHair", None)
        run.tried.append("no Lean backend: no proof attempted")
        return run.finish("unknown")

    # 3. one Lean run: translations against CPython, and the Lean-side search
    progress("checking the Lean translations against CPython")
    checks: list[Check] = []
    sample_sets = {}
    for side, prog, other in (("left", left, right), ("right", right, left)):
        if prog.language != "python":
            continue
        sample_sets[side] = search.samples(prog, seeds)
        for args, value in sample_sets[side]:
            checks.append(Check("sample", prog, args, value))
            if other.language == "lean":
                checks.append(Check("sample", other, args, value))  # a Lean program against CPython's outputs
    lean_inputs = [s for s in seeds if small(s)][:LEAN_SEARCH_INPUTS]
    checks += [Check("search", None, args) for args in lean_inputs]
    report = kernel_check(left, right, checks, backend, preconditions=_joint_preconditions(left, right))
    run.lean_runs += 1
    if report.crashed:
        run.tried.append(report.crashed)
        found = _symbolic_answer(run, left, right, symbolic)
        return _counterexample(run, left, right, found, "CrossHair", None) if found else run.finish("unknown")
    run.fields["definitions"] = report.definitions
    for wrong in report.wrong:
        _, ce = describe_wrong(wrong, left, right)  # raises for a Python translation (translator bug)
        run.tried.append("a Lean program disagrees with CPython on a sample input")
        return run.finish("counterexample", counterexample=ce)
    n_samples = sum(len(s) for s in sample_sets.values())
    run.tried.append(f"Lean translations agree with CPython on {n_samples} samples"
                     + (f" ({report.inconclusive} checks hit a Lean resource limit: no answer)"
                        if report.inconclusive else ""))
    if report.differ:
        found = _lean_difference(run, left, right, report.differ)
        if found is not None:
            return found
    run.tried.append(f"Lean-side search: {len(lean_inputs)} small and boundary inputs, no difference")

    # 4. the proof (CrossHair keeps running meanwhile)
    name = re.sub(r"[^\w.]", "_", f"equiv_{left.signature.lean_name}_{right.signature.lean_name}")
    run.fields["name"] = name
    informal = f"{left.spec} and {right.spec} return the same result on every input" + (
        " satisfying the preconditions" if run.fields["domain"] else "")
    by_model = [p.spec for p in (left, right) if p.translated_by == "llm"]
    if by_model:
        informal += (f" (about the model's Lean translation of {', '.join(by_model)}, which agreed with CPython on "
                     f"every sample but is not a construction)")
        run.tried.append(f"translated by the model: {', '.join(by_model)}")
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-kb-") as scratch:
        # proofs are stored (and reused) through a knowledge base; without the user's, a scratch one
        store = kb if kb is not None else KnowledgeBase(os.path.join(scratch, "kb.sqlite"))
        prover = Prover(backend, kb=store, llm=llm, budget=budget, progress=progress)
        proof, tried = proofs.prove(left, right, theorem, report.definitions, prover, name=name, informal=informal,
                                    progress=progress)
        run.lean_runs += 1 + any(t.startswith("loop lemmas") for t in tried)
        run.tried += tried
    if proof.status == "proved":
        if symbolic is not None:
            symbolic.stop()
            run.tried.append("CrossHair stopped: the kernel accepted a proof")
        return run.finish("equivalent", proof=proof.proof, name=proof.name, lemmas=tuple(proof.lemmas))
    found = _symbolic_answer(run, left, right, symbolic)
    if found:
        return _counterexample(run, left, right, found, "CrossHair", backend)
    return run.finish("unknown")


def _joint_preconditions(left: Program, right: Program) -> list[str]:
    names = [lean_ident(p) for p, _ in left.signature.params]
    rename = {lean_ident(p): n for (p, _), n in zip(right.signature.params, names)}
    pres = list(left.signature.preconditions) + [rename_identifiers(p, rename) for p in right.signature.preconditions]
    return list(dict.fromkeys(pres))


def _symbolic_answer(run: _Run, left, right, symbolic) -> dict | None:
    if symbolic is None:
        return None
    candidates, note = symbolic.result()
    confirmed = search.replay(left, right, candidates) if candidates else None
    if candidates and not confirmed:
        note += ", none confirmed on CPython"
    run.tried.append(f"CrossHair ({symbolic.seconds:.0f} s budget): {note}")
    return confirmed


def _lean_difference(run: _Run, left: Program, right: Program, inputs: list):
    """Inputs where the kernel found `left ≠ right`: replayed on CPython (for a Python side) before reporting."""
    names = [p for p, _ in left.signature.params]
    if left.language == right.language == "python":
        confirmed = search.replay(left, right, inputs)
        if confirmed is None:
            raise BadInput(f"the Lean translations differ on {inputs[0]} but CPython does not; this is a bug in "
                           f"axiomatic's translator, please report it")
        run.tried.append("Lean-side search: a difference, confirmed on CPython")
        return _counterexample(run, left, right, confirmed, "the Lean-side search", None)
    args = inputs[0]
    shown = {}
    for side, prog in (("left", left), ("right", right)):
        if prog.language == "python":
            kind, value = search.evaluate(prog, [args])[0]
            shown[side] = {"value": search_plain(value)} if kind == "ok" else {"raises": value}
        else:
            shown[side] = {"evaluated_by": "the Lean kernel"}
    run.tried.append("Lean-side search: the kernel evaluates the two to different values")
    return run.finish("counterexample", counterexample={
        "inputs": dict(zip(names, [search_plain(a) for a in args])), **shown,
        "checked_by": "the Lean kernel evaluated both sides" + (
            "; the Python side was run on CPython" if "python" in (left.language, right.language) else "")})


def search_plain(value):
    """The runner's JSON (tuples tagged) as plain JSON values: tuples become lists."""
    if isinstance(value, dict) and "tuple" in value:
        return [search_plain(v) for v in value["tuple"]]
    if isinstance(value, list):
        return [search_plain(v) for v in value]
    return value


def _counterexample(run: _Run, left: Program, right: Program, found: dict, by: str, backend) -> EquivalenceResult:
    """A counterexample CPython confirmed, also evaluated on the Lean translations when a backend is there."""
    def show(outcome):
        kind, value = outcome
        return {"value": search_plain(value)} if kind == "ok" else {"raises": value}

    names = [p for p, _ in left.signature.params]
    ce = {"inputs": dict(zip(names, search_plain(found["args"]))), "left": show(found["left"]),
          "right": show(found["right"]), "found_by": by, "checked_by": "running both programs on CPython"}
    if backend is not None:
        checks = [Check("replay", prog, found["args"], outcome[1])
                  for prog, outcome in ((left, found["left"]), (right, found["right"])) if outcome[0] == "ok"]
        if checks:
            try:
                report = kernel_check(left, right, checks, backend)
            except BadInput as exc:  # a translation that does not elaborate: the CPython answer stands
                report = None
                ce["lean"] = f"not evaluated on the Lean translations: {exc.message}"
            run.lean_runs += 1
            if report is None:
                pass
            elif report.crashed or report.inconclusive:
                ce["lean"] = "the Lean translations could not be evaluated on these inputs (resource limit)"
            elif report.wrong:
                ce["lean"] = "the Lean translation disagrees with CPython here: a translator bug, please report it"
            else:
                ce["lean"] = "the Lean translations, evaluated by the kernel, return the same two values"
                ce["checked_by"] += " and evaluating the Lean translations in the kernel"
    run.tried.append(f"counterexample found by {by}")
    return run.finish("counterexample", counterexample=ce)


def equivalence_statement(left: Program, right: Program) -> str:
    names = [lean_ident(p) for p, _ in left.signature.params]
    pres = _joint_preconditions(left, right)
    body = f"{call(left, names)} = {call(right, names)}"
    if pres:
        body = " → ".join(f"({p})" for p in pres) + " → " + body
    return f"∀ {binders(left.signature)}, {body}" if names else body


def _same_signature(left: Program, right: Program) -> None:
    lt = [t for _, t in left.signature.params]
    rt = [t for _, t in right.signature.params]
    if lt != rt:
        raise BadInput(f"the two functions take different parameters: {left.function}({', '.join(lt)}) vs "
                       f"{right.function}({', '.join(rt)})")
    if left.signature.returns != right.signature.returns:
        raise BadInput(f"the two functions return different types: {left.signature.returns} vs "
                       f"{right.signature.returns}")
