"""The prover's check cache: identical checks share a key; a re-indented repair is a different check."""

from __future__ import annotations

from axiomatic.prover.search import _check_key
from axiomatic.verify import Obligation

GOAL = "∀ n : Nat, n + 0 = n"


def test_check_keys_see_layout_but_not_line_endings():
    key = _check_key(Obligation(GOAL, "by\n  intro n\n  rfl"))
    assert key.startswith("sha256-v2:")
    assert _check_key(Obligation(GOAL, "by\n intro n\n rfl")) != key  # layout is meaning in Lean
    assert _check_key(Obligation(GOAL, "by intro n; rfl")) != key
    assert _check_key(Obligation(GOAL, "by\r\n  intro n\r\n  rfl")) == key
    assert _check_key(Obligation(GOAL, "by\n  intro n\n  rfl", context="def f := 1")) != key
