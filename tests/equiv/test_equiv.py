"""Code equivalence end to end: real CPython runs, the real Lean kernel, a real knowledge-base file.

Pairs live in programs/legacy.py and programs/modern.py under the same function name. The corpus
(test_corpus.py), the search (test_search.py), the subset (test_subset.py) and the translation check
(test_translation.py) have their own files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axiomatic.equiv import Unsupported, check_equivalence
from axiomatic.errors import BadInput
from axiomatic.kb.store import KnowledgeBase
from axiomatic.llm import LLM
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

PROGRAMS = Path(__file__).parent / "programs"
LEGACY, MODERN = PROGRAMS / "legacy.py", PROGRAMS / "modern.py"


def pair(name: str) -> tuple[str, str]:
    return f"{LEGACY}:{name}", f"{MODERN}:{name}"


@pytest.mark.lean
def test_cli_counterexample_json_and_exit_1(tmp_path):
    r = run_cli("equiv", *pair("half"), "--json", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "counterexample" and out["counterexample"]["inputs"] == {"x": 1}
    assert out["counterexample"]["lean"] == "the Lean translations, evaluated by the kernel, return the same values"
    assert set(out) >= {"verdict", "theorem", "proof", "counterexample", "seconds", "domain", "exit_code"}


@pytest.mark.lean
def test_cli_unknown_has_its_own_exit_code_and_lists_what_was_tried(tmp_path):
    # a loop against its closed form: no counterexample, and automation alone finds no proof
    r = run_cli("equiv", *pair("sum_odd"), "--json", "--no-llm", "--symbolic-seconds", "2",
                "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 5, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "unknown" and out["exit_code"] == 5 and not out["proof"]
    assert out["domain"] == ["sum_odd: n >= 0", "sum_odd: n >= 0"]
    tried = " ".join(out["tried"])
    assert "hypothesis" in tried and "CrossHair" in tried and "candidate proofs" in tried


# -- with Lean --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("equiv-kb") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        yield kb


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
