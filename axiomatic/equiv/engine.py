"""Equivalence of programs: a Lean proof, or a counterexample both programs were run on, else `unknown`.

Several pairs are checked together so that each Lean stage is one round trip for all of them:
1. Load and translate (subset/); signatures must match. The domain is both sides' preconditions.
2. Counterexample search on the programs themselves (search.py): hypothesis seeded with the constants of both
   programs ±1 and boundary values; CrossHair queued in the background within a time budget.
3. Lean run: the translations evaluated by the kernel on inputs CPython ran (a translation that disagrees is
   never used) and the Lean-side search on small and boundary inputs (checking.py).
4. Lean runs: loop lemmas for every pair in one batch, then every pair's theorem through the prover's public
   `prove_many_from_candidates` (proofs.py). Proofs land in the knowledge base.
5. Pairs still open wait for CrossHair; its candidates are replayed on CPython.

Verdicts: `equivalent` only with a proof the trusted verifier accepted; `counterexample` only with inputs on
which CPython (or, for a Lean program, the kernel) showed the two differ; anything else is `unknown` with what
was tried. A timeout, a crash, a resource limit is never either answer.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import replace
from typing import Sequence

from ..errors import BadInput
from ..kb.store import KnowledgeBase
from ..lean.backend import LeanBackend
from ..prover import Prover
from . import proofs, search
from .checking import Check, KernelReport, describe_wrong, kernel_check_batch, noncomputable, small
from .programs import Program, binders, call, load, rename_identifiers
from .result import EXIT_CODES, EquivalenceResult
from .subset import lean_ident, prelude

LEAN_SEARCH_INPUTS = 30

__all__ = ["EXIT_CODES", "EquivalenceResult", "check_equivalence", "check_many", "equivalence_statement"]


class Pair:
    """One equivalence question while it is being decided."""

    def __init__(self, left_spec: str, right_spec: str, llm) -> None:
        self.started = time.monotonic()
        ns_left, ns_right = namespaces(left_spec, right_spec)
        self.left = load(left_spec, namespace=ns_left, llm=llm)
        self.right = load(right_spec, namespace=ns_right, llm=llm)
        _same_signature(self.left, self.right)
        self.params = [t for _, t in self.left.signature.params]
        self.theorem = equivalence_statement(self.left, self.right)
        self.name = re.sub(r"[^\w.]", "_", f"equiv_{self.left.lean_name}_{self.right.lean_name}")
        self.seeds = search.seeds([self.left, self.right], self.params)
        self.tried: list[str] = []
        self.fields: dict = {"translations": {"left": self.left.translated_by, "right": self.right.translated_by},
                             "domain": tuple(domain(self.left, self.right)), "theorem": self.theorem}
        self.result: EquivalenceResult | None = None
        self.symbolic: search.Symbolic | None = None
        self.report: KernelReport | None = None
        self.lean_runs = 0
        self.pending: dict | None = None  # a counterexample CPython confirmed, before its Lean replay
        self.timings: dict[str, float] = {}
        self.checked = (0, 0)  # samples evaluated in the kernel, inputs of the Lean-side search

    @property
    def open(self) -> bool:
        return self.result is None and self.pending is None

    @property
    def both_python(self) -> bool:
        return self.left.language == self.right.language == "python"

    def finish(self, verdict: str, **fields) -> EquivalenceResult:
        merged = {**self.fields, **fields}
        self.result = EquivalenceResult(verdict, tried=tuple(self.tried), lean_runs=self.lean_runs,
                                        seconds=time.monotonic() - self.started, timings=dict(self.timings),
                                        **merged)
        return self.result


def domain(left: Program, right: Program) -> list[str]:
    return [f"{side.function}: {p}" for side in (left, right) for p in side.signature.python_preconditions]


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
    return check_many([(left_spec, right_spec)], backend, kb=kb, llm=llm, budget=budget, examples=examples,
                      symbolic_seconds=symbolic_seconds, progress=progress)[0]


def _timed(stage: str, pairs: list[Pair]):
    """Charge the wall time of a stage to its pairs, split evenly (a shared Lean run serves them all)."""
    import contextlib

    @contextlib.contextmanager
    def timer():
        started = time.monotonic()
        try:
            yield
        finally:
            share = (time.monotonic() - started) / max(1, len(pairs))
            for p in pairs:
                p.timings[stage] = p.timings.get(stage, 0.0) + share

    return timer()


def check_many(specs: Sequence[tuple[str, str]], backend: LeanBackend | None, *, kb=None, llm=None, budget=None,
               examples: int = 400, symbolic_seconds: float = 10.0,
               progress=lambda message: None) -> list[EquivalenceResult]:
    """check_equivalence for many pairs, sharing each Lean stage (one round trip per stage for all pairs whose
    definitions can share a file). Raises BadInput when a pair cannot be translated."""
    pairs = []
    for a, b in specs:
        started = time.monotonic()
        pairs.append(Pair(a, b, llm))
        pairs[-1].timings["load and translate"] = time.monotonic() - started
    queue = search.SymbolicQueue(symbolic_seconds)
    try:
        for pair in pairs:
            with _timed("python search", [pair]):
                _python_search(pair, examples, queue, progress)
        open_pairs = [p for p in pairs if p.open]
        if backend is None:
            for pair in open_pairs:
                pair.tried.append("no Lean backend: no proof attempted")
        else:
            confirming = [p for p in pairs if p.pending]
            with _timed("lean: translations", open_pairs + confirming):
                _kernel_checks(open_pairs, confirming, backend, progress)
            _prove([p for p in open_pairs if p.open], backend, kb=kb, llm=llm, budget=budget, progress=progress,
                   queue=queue)
        for pair in pairs:
            if pair.open:
                with _timed("crosshair wait", [pair]):
                    _after_symbolic(pair, queue)
        late = [p for p in pairs if p.pending]
        if late and backend is not None:
            with _timed("lean: counterexample replay", late):
                _kernel_checks([], late, backend, progress)
        for pair in late:
            if pair.pending:
                _finish_counterexample(pair, None)
    finally:
        queue.close()
    # a pair's time is its share of the wall time: its own stages, and its part of each shared Lean run
    return [replace(p.result, timings=dict(p.timings), seconds=sum(p.timings.values())) for p in pairs]


# -- stage 2: the programs themselves --------------------------------------------------------------------


def _python_search(pair: Pair, examples: int, queue, progress) -> None:
    if not pair.both_python:
        return
    progress(f"differential testing of {pair.left.spec} and {pair.right.spec}")
    answer = search.differential(pair.left, pair.right, examples, pair.seeds)
    pair.fields["tested"] = answer["tested"]
    found = answer["counterexample"]
    pair.tried.append(f"hypothesis: {answer['tested']} inputs ({len(pair.seeds)} seeded from the programs' "
                      f"constants ±1)" + (f", {answer['timeouts']} hit a resource limit (not a difference)"
                                          if answer["timeouts"] else "") + ("" if found else ", no disagreement"))
    if found:
        _counterexample(pair, found, "hypothesis")
    else:
        pair.symbolic = queue.submit(pair.left, pair.right)


# -- stage 3: one Lean run of kernel evaluations -----------------------------------------------------------


def _kernel_checks(pairs: list[Pair], confirming: list[Pair], backend: LeanBackend, progress) -> None:
    """One Lean run: the translations of `pairs` against CPython with the Lean-side search, and the
    counterexamples of `confirming` evaluated on their translations."""
    if not pairs and not confirming:
        return
    progress(f"checking {len(pairs) + len(confirming)} translation(s) in the kernel")
    jobs = []
    for pair in pairs:
        checks: list[Check] = []
        sample_count = 0
        for prog, other in ((pair.left, pair.right), (pair.right, pair.left)):
            if prog.language != "python":
                continue
            for args, value in search.samples(prog, pair.seeds):
                sample_count += 1
                checks.append(Check("sample", prog, args, value))
                if other.language == "lean":
                    checks.append(Check("sample", other, args, value))  # a Lean program against CPython
        lean_inputs = [s for s in pair.seeds if small(s)][:LEAN_SEARCH_INPUTS]
        checks += [Check("search", None, args) for args in lean_inputs]
        jobs.append((pair.left, pair.right, checks, _joint_preconditions(pair.left, pair.right)))
        pair.checked = (sample_count, len(lean_inputs))
    for pair in confirming:
        found = pair.pending["found"]
        checks = [Check("replay", prog, found["args"], outcome[1])
                  for prog, outcome in ((pair.left, found["left"]), (pair.right, found["right"]))
                  if outcome[0] == "ok" and prog.language == "python"]
        jobs.append((pair.left, pair.right, checks, []))
    reports = kernel_check_batch(jobs, backend)
    for pair, report in zip(pairs, reports):
        pair.lean_runs += 1
        _read_report(pair, report)
    for pair, report in zip(confirming, reports[len(pairs):]):
        pair.lean_runs += 1
        _finish_counterexample(pair, report)


def _read_report(pair: Pair, report) -> None:
    if isinstance(report, BadInput):
        raise report
    pair.report = report
    if report.crashed:
        pair.tried.append(report.crashed)
        return
    pair.fields["definitions"] = report.definitions
    for wrong in report.wrong:
        _, ce = describe_wrong(wrong, pair.left, pair.right)  # raises for a Python translation (translator bug)
        pair.tried.append("a Lean program disagrees with CPython on a sample input")
        pair.finish("counterexample", counterexample=ce)
        return
    samples, searched = pair.checked
    pair.tried.append(f"Lean translations agree with CPython on {samples} samples"
                      + (f" ({report.inconclusive} checks hit a Lean resource limit: no answer)"
                         if report.inconclusive else ""))
    if report.differ:
        _lean_difference(pair, report.differ)
        return
    pair.tried.append(f"Lean-side search: {searched} small and boundary inputs, no difference")


# -- stage 4: proofs -----------------------------------------------------------------------------------------


def _groups(pairs: list[Pair]) -> list[list[Pair]]:
    """Pairs whose definitions can share one Lean file: disjoint namespaces, no user Lean file."""
    groups: list[tuple[set, list[Pair]]] = []
    for pair in pairs:
        if not pair.both_python:
            groups.append(({"*"}, [pair]))
            continue
        names = {pair.left.lean_name.rsplit(".", 1)[0], pair.right.lean_name.rsplit(".", 1)[0]}
        home = next((g for g in groups if "*" not in g[0] and not (g[0] & names)), None)
        if home is None:
            groups.append((set(names), [pair]))
        else:
            home[0].update(names)
            home[1].append(pair)
    return [g for _, g in groups]


def shared_context(pairs: list[Pair]) -> str:
    """One Lean file for a group: the prelude helpers once, then each pair's definitions."""
    helpers = set()
    for pair in pairs:
        helpers |= pair.left.prelude_names | pair.right.prelude_names
    parts = [noncomputable(prelude(helpers))] if helpers else []
    for pair in pairs:
        parts.append(pair.report.own_definitions)
    return "\n\n".join(p for p in parts if p)


def _prove(pairs: list[Pair], backend, *, kb, llm, budget, progress, queue) -> None:
    pairs = [p for p in pairs if p.report is not None and not p.report.crashed]
    if not pairs:
        return
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-kb-") as scratch:
        # proofs are stored (and reused) through a knowledge base; without the user's, a scratch one
        store = kb if kb is not None else KnowledgeBase(os.path.join(scratch, "kb.sqlite"))
        prover = Prover(backend, kb=store, llm=llm, budget=budget, progress=progress)
        for group in _groups(pairs):
            context = shared_context(group) if len(group) > 1 else group[0].report.definitions
            # a pair's own definitions (a user's Lean file, the helpers, the translations) name what its
            # candidate proofs unfold
            jobs = [proofs.Job(p.left, p.right, p.theorem, p.name, _informal(p), p.report.definitions)
                    for p in group]
            with _timed("lean: proofs", group):
                outcomes = proofs.prove_all(jobs, context, prover, progress=progress)
            for pair, (result, tried, runs) in zip(group, outcomes):
                pair.tried += tried
                pair.lean_runs += runs
                if len(group) > 1:
                    pair.fields["definitions"] = context
                if result.status == "proved":
                    if pair.symbolic is not None:
                        queue.cancel(pair.symbolic)
                        pair.tried.append("CrossHair stopped: the kernel accepted a proof")
                        pair.symbolic = None
                    pair.finish("equivalent", proof=result.proof, name=result.name, lemmas=tuple(result.lemmas))


def _informal(pair: Pair) -> str:
    text = f"{pair.left.spec} and {pair.right.spec} return the same result on every input" + (
        " satisfying the preconditions" if pair.fields["domain"] else "")
    by_model = [p.spec for p in (pair.left, pair.right) if p.translated_by == "llm"]
    if by_model:
        text += (f" (about the model's Lean translation of {', '.join(by_model)}, which agreed with CPython on "
                 f"every sample but is not a construction)")
        pair.tried.append(f"translated by the model: {', '.join(by_model)}")
    return text


# -- stage 5: CrossHair, and the verdicts ------------------------------------------------------------------


def _after_symbolic(pair: Pair, queue) -> None:
    if pair.symbolic is not None:
        candidates, note = queue.result(pair.symbolic)
        confirmed = search.replay(pair.left, pair.right, candidates) if candidates else None
        if candidates and not confirmed:
            note += ", none confirmed on CPython"
        pair.tried.append(f"CrossHair ({queue.seconds:.0f} s budget): {note}")
        if confirmed:
            _counterexample(pair, confirmed, "CrossHair")
            return
    pair.finish("unknown")


def _joint_preconditions(left: Program, right: Program) -> list[str]:
    names = [lean_ident(p) for p, _ in left.signature.params]
    rename = {lean_ident(p): n for (p, _), n in zip(right.signature.params, names)}
    pres = list(left.signature.preconditions) + [rename_identifiers(p, rename) for p in right.signature.preconditions]
    return list(dict.fromkeys(pres))


def _lean_difference(pair: Pair, inputs: list) -> None:
    """Inputs where the kernel found `left ≠ right`: replayed on CPython (for a Python side) before reporting."""
    left, right = pair.left, pair.right
    names = [p for p, _ in left.signature.params]
    if pair.both_python:
        confirmed = search.replay(left, right, inputs)
        if confirmed is None:
            raise BadInput(f"the Lean translations differ on {inputs[0]} but CPython does not; this is a bug in "
                           f"axiomatic's translator, please report it")
        pair.tried.append("Lean-side search: a difference, confirmed on CPython")
        _counterexample(pair, confirmed, "the Lean-side search")
        return
    args = inputs[0]
    shown = {}
    for side, prog in (("left", left), ("right", right)):
        if prog.language == "python":
            kind, value = search.evaluate(prog, [args])[0]
            shown[side] = {"value": plain(value)} if kind == "ok" else {"raises": value}
        else:
            shown[side] = {"evaluated_by": "the Lean kernel"}
    pair.tried.append("Lean-side search: the kernel evaluates the two to different values")
    pair.finish("counterexample", counterexample={
        "inputs": dict(zip(names, [plain(a) for a in args])), **shown, "found_by": "the Lean-side search",
        "checked_by": "the Lean kernel evaluated both sides" + (
            "; the Python side was run on CPython" if "python" in (left.language, right.language) else "")})


def plain(value):
    """The runner's JSON (tuples tagged) as plain JSON values: tuples become lists."""
    if isinstance(value, dict) and "tuple" in value:
        return [plain(v) for v in value["tuple"]]
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _counterexample(pair: Pair, found: dict, by: str) -> None:
    """A counterexample CPython confirmed: reported once it has also been evaluated on the Lean translations
    (in the next batched Lean run), or right away without Lean."""
    pair.pending = {"found": found, "by": by}


def _finish_counterexample(pair: Pair, report) -> None:
    def show(outcome):
        kind, value = outcome
        return {"value": plain(value)} if kind == "ok" else {"raises": value}

    found, by = pair.pending["found"], pair.pending["by"]
    pair.pending = None
    names = [p for p, _ in pair.left.signature.params]
    ce = {"inputs": dict(zip(names, plain(found["args"]))), "left": show(found["left"]),
          "right": show(found["right"]), "found_by": by, "checked_by": "running both programs on CPython"}
    if report is None:
        ce["lean"] = "not evaluated on the Lean translations (no Lean backend)"
    elif isinstance(report, BadInput):  # the CPython answer stands
        ce["lean"] = f"not evaluated on the Lean translations: {report.message}"
    elif report.crashed or report.inconclusive:
        ce["lean"] = "the Lean translations could not be evaluated on these inputs (resource limit)"
    elif report.wrong:
        ce["lean"] = "the Lean translation disagrees with CPython here: a translator bug, please report it"
    elif report.checked:
        ce["lean"] = "the Lean translations, evaluated by the kernel, return the same values"
        ce["checked_by"] += " and evaluating the Lean translations in the kernel"
    else:
        ce["lean"] = "not evaluated on the Lean translations (a side raises: Lean functions are total)"
    pair.tried.append(f"counterexample found by {by}")
    pair.finish("counterexample", counterexample=ce)


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
