"""Code equivalence end to end: real CPython runs, the real Lean kernel, a real knowledge-base file.

Pairs live in programs/legacy.py and programs/modern.py under the same function name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axiomatic.equiv import Module, Unsupported, check_equivalence
from axiomatic.errors import BadInput
from axiomatic.equiv.programs import call, lean_literal, load
from axiomatic.equiv.engine import _noncomputable, _run_runner
from axiomatic.kb.store import KnowledgeBase
from axiomatic.llm import LLM
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

PROGRAMS = Path(__file__).parent / "programs"
LEGACY, MODERN = PROGRAMS / "legacy.py", PROGRAMS / "modern.py"

AUTOMATIC = ["biggest3", "magnitude", "clamp", "square_of_sum", "rebuild",  # refactorings
             "total", "evens", "doubled", "backwards", "count_positive"]  # loops vs list functions
NOT_EQUIVALENT = {"half": {"x": 1}, "sum_upto": {"n": 1}, "distance": {"x": -1}, "remainder3": {"x": -1},
                  "clip": {"x": 0}, "last_digit_count": {"n": 0}, "first_two": {"xs": [0]}}


def pair(name: str) -> tuple[str, str]:
    return f"{LEGACY}:{name}", f"{MODERN}:{name}"


# -- without Lean: the subset's borders, counterexamples --------------------------------------------------

UNSUPPORTED = {
    "true_division": (2, "true division"), "uses_dict": (6, "Dict"), "variable_divisor": (11, "nonzero constant"),
    "indexes": (15, "IndexError"), "mutates_argument": (18, "mutating the parameter `xs`"),
    "no_hints": (23, "missing type hint"), "spins": (28, "measure"), "prints": (34, "print(x)"),
    "strings": (38, "`str`"), "falls_off": (42, "without `return`"),
    "last_index": (49, "loop variable `i` after the loop"),
}


@pytest.mark.parametrize("function", sorted(UNSUPPORTED))
def test_constructs_outside_the_subset_are_refused_with_line_and_name(function):
    line, words = UNSUPPORTED[function]
    module = Module((PROGRAMS / "unsupported.py").read_text(), "unsupported.py", namespace="u")
    with pytest.raises(Unsupported) as info:
        module.translate(function)
    assert info.value.line == line
    assert words in str(info.value) and "outside the supported Python subset" in str(info.value)


def test_cli_rejects_unsupported_code_and_missing_functions_with_exit_2(tmp_path):
    r = run_cli("equiv", f"{PROGRAMS / 'unsupported.py'}:indexes", f"{LEGACY}:total", "--json", "--no-llm",
                "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2, r.stderr
    assert "line 15" in json.loads(r.stdout)["message"]
    r = run_cli("equiv", f"{LEGACY}:nope", f"{MODERN}:total", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2 and "no top-level function `nope`" in r.stderr
    r = run_cli("equiv", f"{LEGACY}:total", f"{MODERN}:biggest", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2 and "different parameters" in r.stderr


@pytest.mark.parametrize("name", sorted(NOT_EQUIVALENT))
def test_non_equivalent_pairs_give_a_minimal_counterexample_checked_by_running_both(name, tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        result = check_equivalence(*pair(name), backend=None, kb=kb)  # decided before any Lean is needed
    assert result.verdict == "counterexample"
    ce = result.counterexample
    assert ce["inputs"] == NOT_EQUIVALENT[name]
    # the reported outputs are what the two programs really return
    ns_l, ns_r = {}, {}
    exec(LEGACY.read_text(), ns_l)
    exec(MODERN.read_text(), ns_r)
    args = list(ce["inputs"].values())
    assert ce["left"] == {"value": ns_l[name](*args)} and ce["right"] == {"value": ns_r[name](*args)}
    assert ce["left"] != ce["right"]


def test_cli_counterexample_json_and_exit_1(tmp_path):
    r = run_cli("equiv", *pair("half"), "--json", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "counterexample" and out["counterexample"]["inputs"] == {"x": 1}
    assert set(out) >= {"verdict", "theorem", "proof", "counterexample", "seconds"}


# -- with Lean --------------------------------------------------------------------------------------------


@pytest.mark.lean
def test_translations_behave_like_cpython_on_random_inputs(backend):
    """Every function of three program files, translated, evaluated by the kernel on inputs CPython ran.

    One Lean run: a snippet per (function, termination-measure variant), each with its samples."""
    snippets, owners, examples = [], [], 0
    for path, ns in ((LEGACY, "legacy"), (MODERN, "modern"), (PROGRAMS / "semantics.py", "semantics")):
        for fn in Module(path.read_text(), str(path), namespace=ns).functions:
            program = load(f"{path}:{fn}", namespace=ns)
            samples = _run_runner(program, None, 0)["samples"]
            assert len(samples) >= 8, fn
            types = [t for _, t in program.signature.params]
            checks = [f"example : {call(program, [lean_literal(a, t) for a, t in zip(args, types)])} = "
                      f"{lean_literal(value, program.signature.returns)} := by decide +kernel"
                      for args, value in samples]
            examples += len(checks)
            for variant in program.variant_definitions():
                defs = _noncomputable(variant)
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
    assert examples >= 400 and len(used) >= 45
    # and the check can fail: a wrong expected value is caught by the kernel
    wrong = backend.check(_noncomputable(load(f"{LEGACY}:biggest", namespace="legacy").definitions())
                          + "\n\nexample : legacy.biggest 2 7 = 2 := by decide +kernel\n")
    assert not wrong.ok


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("equiv-kb") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        yield kb


@pytest.mark.lean
@pytest.mark.parametrize("name", AUTOMATIC)
def test_equivalent_pairs_are_proved_and_stored(name, backend, shared_kb):
    result = check_equivalence(*pair(name), backend, kb=shared_kb)
    assert result.verdict == "equivalent", result.tried
    assert result.theorem.startswith("∀") and f"legacy.{name}" in result.theorem
    item = shared_kb.get(result.name)
    assert item is not None and item.verified and item.statement == result.theorem
    assert result.tested >= 100
    for lemma in result.lemmas:
        assert shared_kb.get(lemma).verified


@pytest.mark.lean
def test_cli_equivalent_with_json(tmp_path):
    kb = tmp_path / "kb.sqlite"
    r = run_cli("equiv", *pair("biggest"), "--json", "--no-llm", "--kb", str(kb))
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "equivalent"
    assert out["theorem"] == "∀ (a : Int) (b : Int), (legacy.biggest a b) = (modern.biggest a b)"
    r = run_cli("kb", "show", out["name"], "--json", "--kb", str(kb))
    assert r.returncode == 0 and json.loads(r.stdout)["verified"]


@pytest.mark.lean
def test_lean_side_against_python(tmp_path, backend):
    lean = tmp_path / "spec.lean"
    lean.write_text("def twice (x : Int) : Int := x + x\n\ndef thrice (x : Int) : Int := x + x + x + 1\n")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        ok = check_equivalence(f"{PROGRAMS / 'lean_pairs.py'}:double", f"{lean}:twice", backend, kb=kb)
        bad = check_equivalence(f"{PROGRAMS / 'lean_pairs.py'}:triple", f"{lean}:thrice", backend, kb=kb)
    assert ok.verdict == "equivalent", ok.tried
    assert bad.verdict == "counterexample" and bad.counterexample["checked_by"].startswith("running the Python")


# Recorded model answers: a loop against its closed form, and recursion against iteration. Both need
# lemmas a model proposes (the closed form of the loop, the recursion's value); the kernel checks all of it.
SUM_ODD_REPLY = """The loop adds the first k odd numbers starting at 2i+1.
```lemmas
lemma odd_sum : ∀ (k : Nat) (i s : Int), legacy.sum_odd_loop1 k i s = s + k * (2 * i + k)
```
```lean
by
  intro n h
  simp [legacy.sum_odd, modern.sum_odd, odd_sum]
  grind
```"""
TRIANGLE_REPLY = """```lemmas
lemma tri_loop : ∀ (k : Nat) (i t : Int), 2 * modern.triangle_loop1 k i t = 2 * t + k * (2 * i + k - 1)
lemma tri_rec : ∀ (m : Nat), 2 * legacy.triangle m = m * (m + 1)
```
```lean
by
  intro n h
  have a := tri_loop n.toNat 1 0
  have b := tri_rec n.toNat
  have e : ((n.toNat : Nat) : Int) = n := Int.toNat_of_nonneg h
  rw [e] at a b
  simp only [modern.triangle]
  rw [show n + 1 - 1 = n by omega]
  grind
```"""
TRI_REC_REPLY = """```lean
by
  intro m
  induction m with
  | zero => rw [legacy.triangle]; simp
  | succ m ih => rw [legacy.triangle]; simp; grind
```"""


@pytest.mark.lean
def test_loop_vs_closed_form_and_recursion_vs_iteration_with_a_model(backend, shared_kb):
    with ReplayServer([[SUM_ODD_REPLY], [TRIANGLE_REPLY], [TRI_REC_REPLY]]) as server:
        llm = LLM("openai/replay-prover", api_base=server.base_url)
        odd = check_equivalence(*pair("sum_odd"), backend, kb=shared_kb, llm=llm)
        tri = check_equivalence(*pair("triangle"), backend, kb=shared_kb, llm=llm)
        requests = list(server.requests)
    assert odd.verdict == "equivalent", odd.tried
    assert tri.verdict == "equivalent", tri.tried
    assert odd.theorem == "∀ (n : Int), (n ≥ (0 : Int)) → (legacy.sum_odd n) = (modern.sum_odd n)"
    assert any(lemma.endswith("odd_sum") for lemma in odd.lemmas)
    assert {lemma.rsplit("_", 2)[-1] for lemma in tri.lemmas} >= {"loop", "rec"}
    # the model saw the translated definitions it had to reason about
    assert "legacy.sum_odd_loop1" in json.dumps(requests[0])
    # one request per goal; the recursion lemma's own request is only made if automation cannot prove it
    assert "legacy.triangle" in json.dumps(requests[1]) and len(requests) in (2, 3)


GOOD_TRANSLATION = """The print has no effect on the result.
```lean
def with_io.logged_total (xs : List Int) : Int :=
  xs.foldr (fun x s => x + s) 0
```"""
BAD_TRANSLATION = """```lean
def with_io.logged_total (xs : List Int) : Int := (xs.length : Int)
```"""


@pytest.mark.lean
def test_outside_the_subset_a_model_translation_is_used_only_after_it_agrees_with_cpython(backend, tmp_path):
    left, right = f"{PROGRAMS / 'with_io.py'}:logged_total", f"{MODERN}:total"
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        with pytest.raises(Unsupported):
            check_equivalence(left, right, backend, kb=kb)  # no model: refused, naming the construct
        with ReplayServer([[GOOD_TRANSLATION], [BAD_TRANSLATION]]) as server:
            llm = LLM("openai/replay-translator", api_base=server.base_url)
            good = check_equivalence(left, right, backend, kb=kb, llm=llm)
            with pytest.raises(BadInput) as bad:
                check_equivalence(left, right, backend, kb=kb, llm=LLM("openai/replay-translator-2",
                                                                          api_base=server.base_url))
            sent = json.dumps(server.requests[0])
    assert good.verdict == "equivalent", good.tried
    assert good.translations == {"left": "llm", "right": "axiomatic"}
    assert "model's Lean translation" in kb_informal(tmp_path / "kb.sqlite", good.name)
    assert "disagrees with CPython" in str(bad.value) and "not used" in str(bad.value)
    assert "print(" in sent  # the model was shown the Python source


def kb_informal(path, name):
    with KnowledgeBase(path) as kb:
        return kb.get(name).informal
