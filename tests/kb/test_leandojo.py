"""Importing a LeanDojo-traced dataset (a small fixture in LeanDojo Benchmark 4's layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from axiomatic.errors import BadInput
from axiomatic.kb import retrieve
from axiomatic.kb.leandojo import import_dataset

FIXTURE = Path(__file__).parent / "fixtures" / "leandojo"


def test_premises_and_theorems_are_imported_unverified(kb):
    report = import_dataset(kb, FIXTURE)
    assert report == {"premises": 3, "theorems": 1, "verified": False, "kept_verified": []}
    mul_one = kb.get("mul_one")
    assert mul_one.kind == "theorem" and mul_one.source == "import" and not mul_one.verified
    assert mul_one.statement == "theorem mul_one : ∀ a : M, a * 1 = a"
    assert "MulOneClass.mul_one" in mul_one.proof
    assert kb.get("npowRec").kind == "definition"
    thm = kb.get("Nat.two_mul_ne_two_mul_add_one")
    assert thm.statement == "2 * n ≠ 2 * m + 1" and "omega" in thm.proof
    assert "random/train" in thm.tags
    # imported items are searchable, but never handed out as proven lemmas
    assert retrieve(kb, "a * 1 = a", verified_only=True) == []
    assert retrieve(kb, "a * 1 = a", verified_only=False)[0][0].name == "mul_one"


def test_a_directory_that_is_not_a_dataset_is_bad_input(kb, tmp_path):
    with pytest.raises(BadInput):
        import_dataset(kb, tmp_path)
