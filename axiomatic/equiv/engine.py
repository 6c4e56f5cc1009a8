"""Equivalence of two programs: differential testing first, then a kernel-checked proof, else `unknown`.

1. Both sides are loaded; Python is translated into Lean (python_subset). Signatures must match.
2. hypothesis searches for an input on which the two Python programs disagree (runner, a child process).
   A disagreement is the answer: a counterexample, found by running both programs.
3. The translations are checked against CPython on sample inputs, each sample a `decide +kernel` example
   (the kernel evaluates the Lean function): a translation that disagrees is never used for a proof.
4. The theorem `∀ inputs, preconditions → left inputs = right inputs` goes to the prover, with loop lemmas
   (equivalence/lemmas.py) when the portfolio alone does not close it; the proof lands in the knowledge base.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from ..errors import BadInput
from ..kb.store import KnowledgeBase
from ..lean.backend import LeanBackend
from ..prover import Prover
from . import lemmas
from .programs import Program, binders, call, lean_literal, load, rename_identifiers
from .python_subset import lean_ident

RUNNER_TIMEOUT = 240.0


@dataclass
class EquivalenceResult:
    verdict: str  # "equivalent" | "counterexample" | "unknown"
    theorem: str = ""
    proof: str = ""
    name: str = ""
    counterexample: dict | None = None
    tried: list[str] = field(default_factory=list)
    tested: int = 0
    seconds: float = 0.0
    definitions: str = ""
    lemmas: list[str] = field(default_factory=list)
    translations: dict = field(default_factory=dict)  # who translated each side: axiomatic, llm, user (Lean)

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "theorem": self.theorem, "proof": self.proof,
                "counterexample": self.counterexample, "seconds": round(self.seconds, 2), "name": self.name,
                "tested": self.tested, "tried": self.tried, "lemmas": self.lemmas, "definitions": self.definitions,
                "translations": self.translations}


def namespaces(left_spec: str, right_spec: str) -> tuple[str, str]:
    def ns(spec: str) -> str:
        stem = os.path.splitext(os.path.basename(spec.rpartition(":")[0]))[0]
        word = re.sub(r"\W", "_", stem) or "prog"
        return ("P_" + word) if word[0].isdigit() else word

    a, b = ns(left_spec), ns(right_spec)
    if a == b:
        a, b = a + "_left", b + "_right"
    return a, b


def check_equivalence(left_spec: str, right_spec: str, backend: LeanBackend, *, kb=None, llm=None, budget=None,
                      examples: int = 400, progress=lambda message: None) -> EquivalenceResult:
    started = time.monotonic()
    ns_left, ns_right = namespaces(left_spec, right_spec)
    left, right = load(left_spec, namespace=ns_left, llm=llm), load(right_spec, namespace=ns_right, llm=llm)
    _same_signature(left, right)
    result = EquivalenceResult("unknown")
    result.translations = {"left": left.translated_by, "right": right.translated_by}

    # 2. differential testing of the programs themselves
    progress("differential testing")
    samples: dict[str, list] = {}
    py = [p for p in (left, right) if p.language == "python"]
    if len(py) == 2:
        answer = _run_runner(left, right, examples)
        result.tested = answer["tested"]
        samples["left"] = answer["samples"]
        if answer["counterexample"]:
            result.verdict = "counterexample"
            result.counterexample = _describe(answer["counterexample"], left, right)
            result.seconds = time.monotonic() - started
            return result
        samples["right"] = _run_runner(right, None, examples)["samples"]
    elif py:
        samples["left" if py[0] is left else "right"] = _run_runner(py[0], None, examples)["samples"]
    result.tried.append(f"differential testing: {result.tested} inputs, no disagreement")

    # 3. translations validated against CPython, by the kernel; Python-vs-Lean pairs compared on the samples
    progress("checking the Lean translation against CPython")
    definitions, mismatch = _validated_definitions(left, right, samples, backend)
    result.definitions = definitions
    if mismatch is not None:
        result.verdict, result.counterexample = "counterexample", mismatch
        result.seconds = time.monotonic() - started
        return result
    result.tried.append("Lean translation agrees with CPython on every sample")

    # 4. the proof
    theorem = equivalence_statement(left, right)
    result.theorem = theorem
    name = f"equiv_{ns_left}_{left.function}_{ns_right}_{right.function}"
    result.name = re.sub(r"[^\w.]", "_", name)
    informal = f"{left.spec} and {right.spec} return the same result on every input" + (
        " satisfying the preconditions" if left.signature.preconditions or right.signature.preconditions else "")
    by_model = [p.spec for p in (left, right) if p.translated_by == "llm"]
    if by_model:
        informal += (f" (about the model's Lean translation of {', '.join(by_model)}, which agreed with CPython on "
                     f"every sample but is not a construction)")
        result.tried.append(f"translated by the model: {', '.join(by_model)}")
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-kb-") as scratch:
        # loop lemmas are found and reused through a knowledge base; without the user's, a scratch one
        store = kb if kb is not None else KnowledgeBase(os.path.join(scratch, "kb.sqlite"))
        _prove(result, left, right, theorem, definitions, informal,
               Prover(backend, kb=store, llm=llm, budget=budget, progress=progress), progress)
    result.seconds = time.monotonic() - started
    return result


def _prove(result, left, right, theorem, definitions, informal, prover: Prover, progress) -> None:
    progress("proving")
    proof = prover.prove(theorem, context=definitions, name=result.name, informal=informal)
    result.tried.append(f"prover: {proof.how or proof.reason}")
    if proof.status != "proved":
        proof = lemmas.prove_with_loop_lemmas(prover, left, right, theorem, definitions, result.name, informal) \
            or proof
        if proof.status == "proved":
            result.tried.append("loop lemmas: proved")
        else:
            result.tried.append("loop lemmas: none proved the goal")
    if proof.status == "proved":
        result.verdict, result.proof, result.lemmas = "equivalent", proof.proof, list(proof.lemmas)


def equivalence_statement(left: Program, right: Program) -> str:
    names = [lean_ident(p) for p, _ in left.signature.params]
    rename = {lean_ident(p): n for (p, _), n in zip(right.signature.params, names)}
    pres = list(left.signature.preconditions) + [rename_identifiers(p, rename) for p in right.signature.preconditions]
    pres = list(dict.fromkeys(pres))
    args = names
    body = f"{call(left, args)} = {call(right, args)}"
    if pres:
        body = " → ".join(f"({p})" for p in pres) + " → " + body
    return f"∀ {binders(left.signature)}, {body}" if args else body


def _same_signature(left: Program, right: Program) -> None:
    lt = [t for _, t in left.signature.params]
    rt = [t for _, t in right.signature.params]
    if lt != rt:
        raise BadInput(f"the two functions take different parameters: {left.function}({', '.join(lt)}) vs "
                       f"{right.function}({', '.join(rt)})")
    if left.signature.returns != right.signature.returns:
        raise BadInput(f"the two functions return different types: {left.signature.returns} vs "
                       f"{right.signature.returns}")


def _run_runner(left: Program, right: Program | None, examples: int) -> dict:
    request = {"left": [str(left.path.resolve()), left.function],
               "right": [str(right.path.resolve()), right.function] if right else None,
               "params": [t for _, t in left.signature.params], "examples": examples, "samples": 12, "seed": 0}
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-") as tmp:
        req = os.path.join(tmp, "request.json")
        with open(req, "w", encoding="utf-8") as f:
            json.dump(request, f)
        try:
            proc = subprocess.run([sys.executable, "-m", "axiomatic.equiv.runner", req], capture_output=True,
                                  text=True, timeout=RUNNER_TIMEOUT, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise BadInput(f"running {left.spec} on test inputs took more than {RUNNER_TIMEOUT:.0f} s") from None
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise BadInput(f"could not run {left.spec}" + (f" / {right.spec}" if right else "") + ": "
                       + (proc.stderr.strip().splitlines() or ["no output"])[-1])
    return json.loads(lines[-1])


def _plain(value):
    """The runner's JSON (tuples tagged) as plain JSON values: tuples become lists."""
    if isinstance(value, dict) and "tuple" in value:
        return [_plain(v) for v in value["tuple"]]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _describe(ce: dict, left: Program, right: Program) -> dict:
    def show(outcome):
        kind, value = outcome
        return {"value": _plain(value)} if kind == "ok" else {"raises": value}

    return {"inputs": dict(zip([p for p, _ in left.signature.params], _plain(ce["args"]))),
            "left": show(ce["left"]), "right": show(ce["right"]), "checked_by": "running both programs"}


def _validated_definitions(left: Program, right: Program, samples: dict, backend: LeanBackend):
    """Lean definitions of both sides that elaborate and agree with CPython on every sample (one Lean run)."""
    header = "\n\n".join(p.lean_source for p in (left, right) if p.language == "lean")
    lv = left.variant_definitions() if left.language == "python" else [""]
    rv = right.variant_definitions() if right.language == "python" else [""]
    combos = [(a, b) for a in lv for b in rv][:6]
    params = [t for _, t in left.signature.params]
    ret = left.signature.returns
    snippets, layouts = [], []
    for defs_l, defs_r in combos:
        defs = "\n\n".join(_noncomputable(d) for d in (defs_l, defs_r) if d)
        lines = [defs, ""]
        owners = []
        for side, prog, other in (("left", left, right), ("right", right, left)):
            for args, value in samples.get(side, []):
                lean_args = [lean_literal(a, t) for a, t in zip(args, params)]
                expected = lean_literal(value, ret)
                targets = [prog] if prog.language == "python" else []
                if other.language == "lean":
                    targets.append(other)  # a Lean program is compared with the Python one's outputs
                for target in targets:
                    lines.append(f"example : {call(target, lean_args)} = {expected} := by decide +kernel")
                    owners.append((target, args, value))
        snippets.append("\n".join(lines) + "\n")
        layouts.append((defs.count("\n") + 2, owners))
    results = backend.check_batch(snippets, header=header) if snippets else []
    first_error = ""
    for (defs_l, defs_r), res, (def_lines, owners) in zip(combos, results, layouts):
        def_errors = [m for m in res.errors if m.line <= def_lines]
        if def_errors:
            first_error = first_error or def_errors[0].text
            continue
        bad = [m for m in res.errors if m.line > def_lines]
        if bad:
            target, args, value = owners[min(len(owners) - 1, bad[0].line - def_lines - 1)]
            if target.language == "python" and target.translated_by == "llm":
                raise BadInput(f"the model's Lean translation of {target.spec} disagrees with CPython on {args} "
                               f"(CPython: {value}), so it was not used; {target.spec} uses a construct outside "
                               f"the supported subset (docs/equivalence.md)")
            if target.language == "python":
                raise BadInput(f"the Lean translation of {target.spec} disagrees with CPython on {args} "
                               f"(CPython: {value}); this is a bug in axiomatic's translator, please report it")
            other = left if target is right else right
            return "", {"inputs": dict(zip([p for p, _ in left.signature.params], args)),
                        "left" if other is left else "right": {"value": value},
                        "right" if other is left else "left": {"differs_from": value},
                        "checked_by": "running the Python program and evaluating the Lean one in the kernel"}
        defs = "\n\n".join(_noncomputable(d) for d in (defs_l, defs_r) if d)
        return (header + "\n\n" + defs if header else defs), None
    raise BadInput("the Lean translation does not elaborate"
                   + (f" (termination could not be shown: {first_error.splitlines()[0]})" if first_error else ""))


def _noncomputable(defs: str) -> str:
    # The translations exist for the kernel (proofs and `decide +kernel`), never to be run by Lean's compiler,
    # which in the embedded build cannot compile some core list functions.
    return re.sub(r"(?m)^def ", "noncomputable def ", defs)
