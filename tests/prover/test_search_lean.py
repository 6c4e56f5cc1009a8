"""The prover's search against the real kernel: Lean's own search turned into explicit scripts, accumulator
lemmas that change a constant on both sides, proofs a user can paste after their context, what was tried, and
a later run that continues instead of repeating."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.lean

DEFS = """def double : Nat → Nat
  | 0 => 0
  | n + 1 => double n + 2
def prodAcc : List Nat → Nat → Nat
  | [], acc => acc
  | x :: xs, acc => prodAcc xs (acc * x)
"""


def _pasted_checks(tmp_path, text: str) -> None:
    """The printed text, after the user's definitions alone, is accepted by Lean."""
    f = tmp_path / "Pasted.lean"
    f.write_text(DEFS + "\n" + text + "\n")
    r = run_cli("check", str(f), "--json")
    assert r.returncode == 0, r.stdout + r.stderr


def test_lean_search_gives_an_explicit_script(tmp_path):
    ctx = tmp_path / "Defs.lean"
    ctx.write_text(DEFS)
    r = run_cli("prove", "∀ n : Nat, double n = 2 * n", "--context", str(ctx), "--no-llm", "--kb",
                str(tmp_path / "kb.sqlite"), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["how"] in ("lean-search", "portfolio")
    assert not any(t in out["proof"] for t in ("try?", "exact?", "apply?", "rw?"))  # never the search tactic
    assert out["tried"][0]["stage"] == "automation" and out["tried"][0]["outcome"] == "proved"
    assert out["lemmas"] == [] and out["lean_runs"] <= 3
    _pasted_checks(tmp_path, out["self_contained"])
    # the separate trusted check of the printed proof, as the benchmark does
    v = run_cli("verify", "--statement", out["statement"], "--proof", out["proof"], "--context", str(ctx), "--json")
    assert v.returncode == 0, v.stdout + v.stderr


def test_generalisation_on_both_sides_prints_a_self_contained_proof(tmp_path):
    ctx = tmp_path / "Defs.lean"
    ctx.write_text(DEFS)
    kb = tmp_path / "kb.sqlite"
    goal = "∀ xs : List Nat, prodAcc xs 1 = xs.foldl (· * ·) 1"
    r = run_cli("prove", goal, "--context", str(ctx), "--no-llm", "--kb", str(kb), "--name", "prod_one",
                "--self-contained")
    assert r.returncode == 0, r.stdout + r.stderr
    lemma = "∀ (xs : List Nat) (acc : Nat), prodAcc xs acc = xs.foldl (· * ·) acc"
    assert f"theorem prod_one_aux0 : {lemma}" in r.stdout
    assert r.stdout.index("theorem prod_one_aux0") < r.stdout.index("theorem prod_one :")
    _pasted_checks(tmp_path, r.stdout)
    # asked again: known, and the lemma it needs is listed with its statement and proof
    again = json.loads(run_cli("prove", goal, "--context", str(ctx), "--no-llm", "--kb", str(kb), "--json").stdout)
    assert again["how"] == "knowledge-base"
    assert [(u["name"], u["source"]) for u in again["lemmas"]] == [("prod_one_aux0", "knowledge-base")]
    assert again["lemmas"][0]["proof"].startswith("by")


def test_a_later_run_continues_and_an_empty_context_file_is_no_context(tmp_path):
    kb = tmp_path / "kb.sqlite"
    empty = tmp_path / "Empty.lean"
    empty.write_text("\n")
    goal = "∀ n : Nat, n * n ≠ n + 2"  # false (n = 2): nothing may ever be reported proved
    first = run_cli("prove", goal, "--context", str(empty), "--no-llm", "--kb", str(kb), "--json")
    assert first.returncode == 1, first.stdout + first.stderr
    one = json.loads(first.stdout)
    assert one["status"] == "failed" and [t["stage"] for t in one["tried"]] == ["automation", "deep automation"]
    assert one["lean_runs"] >= 2 and all(t["outcome"] == "no proof" for t in one["tried"])
    second = run_cli("prove", goal, "--context", str(empty), "--no-llm", "--kb", str(kb), "--json")
    assert second.returncode == 1, second.stdout + second.stderr
    two = json.loads(second.stdout)
    # the search runs and the rejected checks are stored: nothing is run again
    assert two["lean_runs"] == 0 and two["attempts"] == 0
    assert two["reason"] == one["reason"]
