"""Deterministic generators and the statement view they rest on (no Lean)."""

from __future__ import annotations

from axiomatic.conjecture.generators import (
    Seed, compose, contrapositive, converse, generalise_constants, generate, type_analogues,
)
from axiomatic.conjecture.filters import connections, instances, instantiate, is_known, novelty
from axiomatic.lean.statement import canonical, parse_statement

APPEND = Seed("append_length", "∀ (xs ys : List Nat), (xs ++ ys).length = xs.length + ys.length")
REVERSE = Seed("reverse_length", "∀ (xs : List Nat), xs.reverse.length = xs.length")
MONO = Seed("le_succ", "∀ (a b : Nat), a ≤ b → a < b + 1")


def test_statement_split_into_binders_hypotheses_and_conclusion():
    s = parse_statement("∀ (x y : Nat) (h₀ : x + y = 17) (h₁ : 2 ∣ x), x / 2 ≤ y")
    assert [b.name for b in s.binders] == ["x", "y"]
    assert s.hypotheses == ("x + y = 17", "2 ∣ x")
    assert s.relation() == ("x / 2", "≤", "y")
    assert parse_statement("∀ p q : Prop, p ∧ q → q ∧ p").hypotheses == ("p ∧ q",)


def test_canonical_form_ignores_names_and_spacing():
    assert canonical("∀ (a b : Nat), a + b = b + a") == canonical("∀ (x : Nat) (y : Nat),  x + y = y + x")
    assert canonical("∀ (a b : Nat), a + b = b + a") != canonical("∀ (a b : Nat), a + b = a + b")
    assert is_known("∀ (m n : Nat), m + n = n + m", ["∀ (a b : Nat), a + b = b + a"])


def test_generalising_a_constant_adds_a_variable():
    [c] = list(generalise_constants(Seed("s", "∀ n : Nat, n * 2 = n + n")))
    assert c.statement == "∀ (n : Nat) (k : Nat), n * k = n + n"
    assert c.parents == ("s",)


def test_converse_and_contrapositive_swap_hypothesis_and_conclusion():
    assert [c.statement for c in converse(MONO)] == ["∀ (a : Nat) (b : Nat), a < b + 1 → a ≤ b"]
    assert [c.statement for c in contrapositive(MONO)] == ["∀ (a : Nat) (b : Nat), ¬(a < b + 1) → ¬(a ≤ b)"]
    assert list(converse(REVERSE)) == []


def test_type_analogues_move_to_int_and_array():
    got = {c.statement for c in type_analogues(APPEND)}
    assert "∀ (xs : List Int) (ys : List Int), (xs ++ ys).length = xs.length + ys.length" in got
    assert "∀ (xs : Array Nat) (ys : Array Nat), (xs ++ ys).size = xs.size + ys.size" in got


def test_compose_substitutes_one_result_into_another():
    got = {c.statement for c in compose(APPEND, REVERSE)}
    assert "∀ (ys : List Nat) (xs0 : List Nat), ((xs0.reverse) ++ ys).length = (xs0.reverse).length + ys.length" in got


def test_generate_is_deterministic_and_duplicate_free():
    first = generate([APPEND, REVERSE, MONO])
    assert first == generate([APPEND, REVERSE, MONO])
    assert len({c.statement for c in first}) == len(first)
    assert {c.rule for c in first} >= {"converse", "contrapositive", "compose", "analogue Nat → Int"}


def test_instances_cover_small_values_and_substitute_whole_identifiers():
    s = parse_statement("∀ (n k : Nat), n < n + k")
    inst = instances(s)
    assert {"n": "(0 : Nat)", "k": "(0 : Nat)"} in inst
    assert instantiate(s, {"n": "(1 : Nat)", "k": "(0 : Nat)"}) == "((1 : Nat) < (1 : Nat) + (0 : Nat))"
    assert instances(parse_statement("∀ (f : Nat → Nat), f 0 = f 0")) == []


def test_novelty_and_connections_rank_by_shared_vocabulary():
    known = [APPEND.statement, REVERSE.statement]
    assert novelty(APPEND.statement, known) == 0.0
    assert novelty("∀ (a : Int), a * 0 = 0", known) > novelty("∀ (xs : List Nat), (xs ++ xs).length = 2 * xs.length", known)
    assert connections("∀ (xs : List Nat), (xs.reverse ++ xs).length = 2 * xs.length", known) == 2
