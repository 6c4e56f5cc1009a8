"""One Lean run that checks the translations against CPython, and searches for differences on small inputs.

Every check is an `example ... := by decide +kernel`: the kernel evaluates the Lean function (no compiler, no
axiom). Three kinds go in the same file:
  * samples: `f args = CPython's value` for each Python side: a translation that disagrees is never used;
  * replays: the same for the inputs of a counterexample, so it is shown on the Lean translations too;
  * the Lean-side search: `left args = right args` on small and boundary inputs, for a difference hypothesis
    and CrossHair missed (replayed on CPython before it is reported), or for a Lean program on one side.
Only Lean's answer "the proposition is false" counts as a disagreement. A check that hits a resource limit
(heartbeats, deep recursion) says nothing; a run that crashes is retried on the smaller inputs only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import BadInput, LeanCrash, LeanTimeout
from ..lean.backend import LeanBackend
from .programs import Program, call, lean_literal, rename_identifiers
from .subset import lean_ident, prelude

FALSE = "proved that the proposition"


@dataclass
class Check:
    kind: str  # "sample" | "replay" | "search"
    target: Program | None  # sample/replay: the program evaluated; search: None (both)
    args: list
    value: object = None  # expected (CPython's) value for sample/replay


@dataclass
class KernelReport:
    definitions: str = ""  # the header (user Lean files) and own_definitions
    own_definitions: str = ""  # the chosen translations (without the prelude helpers they use)
    wrong: list[Check] = field(default_factory=list)  # evaluated to something else than expected
    differ: list[list] = field(default_factory=list)  # search inputs where left and right differ
    inconclusive: int = 0  # checks that hit a resource limit
    checked: int = 0
    crashed: str = ""


def noncomputable(defs: str) -> str:
    # The translations exist for the kernel (proofs and `decide +kernel`), never to be run by Lean's compiler,
    # which in the embedded build cannot compile some core list functions.
    return re.sub(r"(?m)^def ", "noncomputable def ", defs)


def shared_prelude(left: Program, right: Program) -> str:
    return prelude(left.prelude_names | right.prelude_names) if left.language == "python" or \
        right.language == "python" else ""


def small(args) -> bool:
    def ok(v):
        if isinstance(v, bool):
            return True
        if isinstance(v, int):
            return abs(v) <= 12
        if isinstance(v, str):
            return len(v) <= 4
        if isinstance(v, list):
            return len(v) <= 4 and all(ok(x) for x in v)
        if isinstance(v, dict) and "tuple" in v:
            return all(ok(x) for x in v["tuple"])
        return True

    return all(ok(a) for a in args)


def kernel_check(left: Program, right: Program, checks: list[Check], backend: LeanBackend, *,
                 preconditions: list[str] = ()) -> KernelReport:
    """Elaborate the definitions (each termination-measure variant) and run `checks`, in one Lean run. A
    search check is `domain → left args = right args`: outside the domain it holds trivially. Raises BadInput
    when no variant of the translation elaborates."""
    report = kernel_check_batch([(left, right, checks, preconditions)], backend)[0]
    if isinstance(report, BadInput):
        raise report
    return report


def kernel_check_batch(jobs, backend: LeanBackend) -> list:
    """kernel_check for many (left, right, checks, preconditions) jobs, in one Lean run per distinct header
    (user Lean files go in the header). Each job gets a KernelReport, or the BadInput saying why its
    translation does not elaborate."""
    out: list = [None] * len(jobs)
    by_header: dict[str, list[int]] = {}
    for i, (left, right, _, _) in enumerate(jobs):
        header = "\n\n".join(p.lean_source for p in (left, right) if p.language == "lean")
        by_header.setdefault(header, []).append(i)
    for header, indices in by_header.items():
        mine = [jobs[i] for i in indices]
        try:
            reports = _run(mine, backend, header)
        except (LeanCrash, LeanTimeout) as exc:
            # one evaluation too deep for the kernel can take the whole run down: retry on small inputs only
            smaller = [(a, b, [c for c in checks if small(c.args)], p) for a, b, checks, p in mine]
            try:
                reports = _run(smaller, backend, header)
                for rep, (_, _, checks, _), (_, _, kept, _) in zip(reports, mine, smaller):
                    if isinstance(rep, KernelReport):
                        rep.inconclusive += len(checks) - len(kept)
            except (LeanCrash, LeanTimeout) as again:
                reports = [KernelReport(crashed=f"Lean could not evaluate the translations ({again.message}); "
                                                f"first attempt: {exc.message}") for _ in mine]
        for i, rep in zip(indices, reports):
            out[i] = rep
    return out


def _lines(left: Program, right: Program, checks: list[Check], preconditions) -> list[str]:
    params = [t for _, t in left.signature.params]
    ret = left.signature.returns
    lines = []
    for c in checks:
        lean_args = [lean_literal(a, t) for a, t in zip(c.args, params)]
        if c.kind == "search":
            names = {lean_ident(p): a for (p, _), a in zip(left.signature.params, lean_args)}
            hyps = "".join(f"({rename_identifiers(p, names)}) → " for p in preconditions)
            lines.append(f"example : {hyps}{call(left, lean_args)} = {call(right, lean_args)} := by decide +kernel")
        else:
            lines.append(f"example : {call(c.target, lean_args)} = {lean_literal(c.value, ret)} := by decide +kernel")
    return lines


def _run(jobs, backend: LeanBackend, header: str) -> list:
    snippets, layout = [], []  # layout: (job index, definitions, number of definition lines)
    for j, (left, right, checks, pres) in enumerate(jobs):
        pre = noncomputable(shared_prelude(left, right))
        lv = left.variant_definitions() if left.language == "python" else [""]
        rv = right.variant_definitions() if right.language == "python" else [""]
        body = "\n".join(_lines(left, right, checks, pres))
        for defs_l, defs_r in [(a, b) for a in lv for b in rv][:6]:
            own = "\n\n".join(noncomputable(d) for d in (defs_l, defs_r) if d)
            defs = "\n\n".join(d for d in (pre, own) if d)
            snippets.append(defs + "\n\n" + body + "\n")
            layout.append((j, (defs, own), defs.count("\n") + 2))
    results = backend.check_batch(snippets, header=header) if snippets else []
    reports: list = [None] * len(jobs)
    first_error: dict[int, str] = {}
    for (j, (defs, own), n), res in zip(layout, results):
        if reports[j] is not None:
            continue  # an earlier variant of this job elaborated
        def_errors = [m for m in res.errors if m.line <= n]
        if def_errors:
            first_error.setdefault(j, def_errors[0].text)
            continue
        checks = jobs[j][2]
        report = KernelReport(checked=len(checks), own_definitions=own)
        report.definitions = (header + "\n\n" + defs) if header else defs
        failed: dict[int, str] = {}
        for m in res.messages:
            if m.severity == "error" and m.line > n:
                failed.setdefault(m.line - n - 1, m.text)
        for i, text in failed.items():
            if i >= len(checks):
                continue
            if FALSE not in text:
                report.inconclusive += 1  # a resource limit: no answer, in either direction
            elif checks[i].kind == "search":
                report.differ.append(checks[i].args)
            else:
                report.wrong.append(checks[i])
        reports[j] = report
    for j in range(len(jobs)):
        if reports[j] is None:
            error = first_error.get(j, "")
            reports[j] = BadInput("the Lean translation does not elaborate" + (
                f" (termination could not be shown: {error.splitlines()[0]})" if error else ""))
    return reports


def describe_wrong(check: Check, left: Program, right: Program) -> tuple[str, dict | None]:
    """A translation that disagrees with CPython: a translator bug (refused), or, for a Lean program compared
    with a Python one, a counterexample."""
    target = check.target
    if target.language == "python" and target.translated_by == "llm":
        raise BadInput(f"the model's Lean translation of {target.spec} disagrees with CPython on {check.args} "
                       f"(CPython: {check.value}), so it was not used; {target.spec} uses a construct outside "
                       f"the supported subset (docs/equivalence.md)")
    if target.language == "python":
        raise BadInput(f"the Lean translation of {target.spec} disagrees with CPython on {check.args} "
                       f"(CPython: {check.value}); this is a bug in axiomatic's translator, please report it")
    other = left if target is right else right
    names = [p for p, _ in left.signature.params]
    return "lean", {"inputs": dict(zip(names, check.args)),
                    "left" if other is left else "right": {"value": check.value},
                    "right" if other is left else "left": {"differs_from": check.value},
                    "checked_by": "running the Python program and evaluating the Lean one in the kernel"}
