"""Counterexample search on the programs themselves (no Lean): hypothesis seeded with the programs' constants,
CrossHair for what random testing misses, every answer replayed on CPython; resource limits never count."""

from __future__ import annotations

import json

import pytest

from axiomatic.equiv import check_equivalence
from axiomatic.equiv.programs import load
from axiomatic.equiv.search import seeds
from tests.conftest import run_cli

from .corpus import entries, run_python

BUGS = [e for e in entries() if e.expect == "counterexample"]


def _tuples_as_lists(v):
    if isinstance(v, tuple):
        return [_tuples_as_lists(x) for x in v]
    if isinstance(v, list):
        return [_tuples_as_lists(x) for x in v]
    return v


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_every_buggy_pair_gets_a_counterexample_that_cpython_confirms(entry):
    result = check_equivalence(*entry.specs, backend=None, symbolic_seconds=20)
    assert result.verdict == "counterexample", result.tried
    assert result.exit_code == 1
    ce = result.counterexample
    before, after = run_python(entry.path, list(ce["inputs"].values()))
    # the reported outputs are what the two programs really return, and they differ
    assert {k: _tuples_as_lists(v) for k, v in before.items()} == ce["left"]
    assert {k: _tuples_as_lists(v) for k, v in after.items()} == ce["right"]
    assert ce["left"] != ce["right"]
    assert ce["lean"].startswith("not evaluated")  # no Lean backend in this test, and the report says so


def test_a_special_case_random_testing_misses_is_found_symbolically():
    entry = next(e for e in BUGS if e.name == "bug_special_cased_value")
    result = check_equivalence(*entry.specs, backend=None, symbolic_seconds=30)
    assert result.counterexample["found_by"] == "CrossHair"
    assert result.counterexample["inputs"] == {"x": 2900}
    assert any(step.startswith("hypothesis:") and "no disagreement" in step for step in result.tried)


def test_constants_of_both_programs_plus_minus_one_are_seeded(tmp_path):
    (tmp_path / "p.py").write_text("def f(x: int, xs: list[int]) -> int:\n    return x + 4096\n\n"
                                   "def g(x: int, xs: list[int]) -> int:\n    if x == -77:\n        return 0\n"
                                   "    return x + 4096\n")
    left, right = load(f"{tmp_path / 'p.py'}:f", namespace="a"), load(f"{tmp_path / 'p.py'}:g", namespace="b")
    firsts = [s[0] for s in seeds([left, right], ["Int", "List Int"])]
    assert {4095, 4096, 4097, -76, -77, -78} <= set(firsts)
    assert any(s[1] == [-77] for s in seeds([left, right], ["Int", "List Int"]))
    result = check_equivalence(f"{tmp_path / 'p.py'}:f", f"{tmp_path / 'p.py'}:g", None, symbolic_seconds=0)
    assert result.counterexample["inputs"]["x"] == -77 and result.counterexample["found_by"] == "hypothesis"


def test_recursion_depth_and_timeouts_are_never_a_difference(tmp_path):
    (tmp_path / "deep.py").write_text(
        "def rec(n: int) -> int:\n    if n <= 0:\n        return 0\n    return 1 + rec(n - 1)\n\n"
        "def closed(n: int) -> int:\n    return max(n, 0)\n")
    result = check_equivalence(f"{tmp_path / 'deep.py'}:rec", f"{tmp_path / 'deep.py'}:closed", None,
                               symbolic_seconds=0)
    # n around 10**4 overflows CPython's stack in `rec`: a resource limit, not a counterexample
    assert result.verdict == "unknown", result.counterexample
    assert result.exit_code == 5
    assert any("hit a resource limit (not a difference)" in step for step in result.tried)


def test_preconditions_restrict_the_inputs_and_are_reported_as_the_domain(tmp_path):
    (tmp_path / "dom.py").write_text(
        "def f(n: int) -> int:\n    assert n >= 0\n    return n\n\n"
        "def g(n: int) -> int:\n    # requires: n <= 100\n    return abs(n)\n")
    result = check_equivalence(f"{tmp_path / 'dom.py'}:f", f"{tmp_path / 'dom.py'}:g", None, symbolic_seconds=5)
    assert result.verdict == "unknown"  # they differ only below 0, outside the domain
    assert result.domain == ("f: n >= 0", "g: n <= 100")
    assert result.theorem == "∀ (n : Int), (n ≥ (0 : Int)) → (n ≤ (100 : Int)) → (dom_left.f n) = (dom_right.g n)"


def test_cli_bad_input_exit_2(tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("def f(xs: list[int]) -> int:\n    return xs[0]\n\ndef g(xs: list[int]) -> int:\n    return 0\n")
    r = run_cli("equiv", f"{prog}:f", f"{prog}:g", "--json", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2, r.stderr
    message = json.loads(r.stdout)["message"]
    assert "line 2" in message and "IndexError" in message
    r = run_cli("equiv", f"{prog}:nope", f"{prog}:g", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2 and "no top-level function `nope`" in r.stderr
    prog.write_text("def f(x: int) -> int:\n    return x\n\ndef g(xs: list[int]) -> int:\n    return 0\n")
    r = run_cli("equiv", f"{prog}:f", f"{prog}:g", "--no-llm", "--kb", str(tmp_path / "kb.sqlite"))
    assert r.returncode == 2 and "different parameters" in r.stderr
