"""Every construct translated to Lean agrees with CPython: the kernel evaluates each translation on inputs
CPython ran (one Lean run for every function of the program files and of the corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from axiomatic.equiv import Module
from axiomatic.equiv.checking import noncomputable
from axiomatic.equiv.programs import call, lean_literal, load
from axiomatic.equiv.search import samples, seeds
from axiomatic.equiv.subset import prelude

from .corpus import CORPUS

PROGRAMS = Path(__file__).parent / "programs"
FILES = [PROGRAMS / n for n in ("legacy.py", "modern.py", "semantics.py", "constructs.py")] + sorted(
    CORPUS.glob("*.py"))


@pytest.mark.lean
def test_translations_behave_like_cpython_on_sample_inputs(backend):
    snippets, owners, examples = [], [], 0
    for path in FILES:
        ns = "T_" + path.stem
        for fn in Module(path.read_text(), str(path), namespace=ns).functions:
            program = load(f"{path}:{fn}", namespace=ns)
            cases = samples(program, seeds([program], [t for _, t in program.signature.params]))
            assert len(cases) >= 6, fn
            types = [t for _, t in program.signature.params]
            checks = [f"example : {call(program, [lean_literal(a, t) for a, t in zip(args, types)])} = "
                      f"{lean_literal(value, program.signature.returns)} := by decide +kernel"
                      for args, value in cases]
            examples += len(checks)
            helpers = noncomputable(prelude(program.prelude_names))
            for variant in program.variant_definitions():
                defs = "\n\n".join(d for d in (helpers, noncomputable(variant)) if d)
                snippets.append(defs + "\n\n" + "\n".join(checks) + "\n")
                owners.append((f"{ns}.{fn}", defs.count("\n") + 2))
    results = backend.check_batch(snippets)
    verdicts: dict[str, list[str]] = {}
    for (fn, def_lines), r in zip(owners, results):
        def_errors = [m for m in r.errors if m.line <= def_lines]
        wrong = [m for m in r.errors if m.line > def_lines]
        verdicts.setdefault(fn, []).append("no-termination" if def_errors else ("WRONG" if wrong else "ok"))
    # the first variant that elaborates is the one used, and it agrees with CPython on every sample
    used = {fn: next((v for v in vs if v != "no-termination"), "no-termination") for fn, vs in verdicts.items()}
    assert all(v == "ok" for v in used.values()), {fn: v for fn, v in used.items() if v != "ok"}
    assert examples >= 1000 and len(used) >= 180
    # and the check can fail: a wrong expected value is caught by the kernel
    bad = backend.check(noncomputable(load(f"{PROGRAMS / 'legacy.py'}:biggest", namespace="legacy").definitions())
                        + "\n\nexample : legacy.biggest 2 7 = 2 := by decide +kernel\n")
    assert not bad.ok
