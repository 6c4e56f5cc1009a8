"""Candidate generation without Lean: Lean's suggestion messages parsed into explicit scripts, the tiers and
their simp sets, `let rec` helpers, generalisations on both sides, conjectures, model replies that declare
lemmas, and the self-contained text of a result."""

from __future__ import annotations

from axiomatic.prover.generalize import closing_proofs, conjectures, generalizations, unfold_wrappers
from axiomatic.prover.lean_search import _as_proof, parse_suggestions
from axiomatic.prover.llm_proofs import parse_reply
from axiomatic.prover.portfolio import definitions, relevant_definitions, tiers
from axiomatic.prover.result import ProofResult, UsedLemma

# messages exactly as the embedded Lean 4.28 printed them (try? after `intro n`, and rw?)
TRY_THESE = ("Try these:\n  [apply] (fun_induction double) <;> grind\n  [apply] (fun_induction double) <;> grind only\n"
             "  [apply] ·\n    fun_induction double\n    · simp\n    · simp +arith [*]\n")
RW_THIS = "Try this:\n  [apply] rw [List.length_append]\n  -- xs.length + ys.length = ys.length + xs.length"
CTX = """def helper (x : Nat) : Nat := x + 1
def unrelated : Nat → Nat
  | 0 => 0
  | n + 1 => unrelated n
def impl (xs : List Nat) : Nat :=
  let rec go (ys : List Nat) (acc : Nat) : Nat := match ys with
    | [] => acc
    | y :: ys => go ys (acc + helper y)
  go xs 0
def prodAcc : List Nat → Nat → Nat
  | [], acc => acc
  | x :: xs, acc => prodAcc xs (acc * x)
"""


def test_try_this_messages_become_explicit_scripts():
    scripts = parse_suggestions(TRY_THESE)
    assert scripts == ["(fun_induction double) <;> grind", "(fun_induction double) <;> grind only",
                       "fun_induction double\n· simp\n· simp +arith [*]"]
    assert _as_proof("intro n", "try?", scripts[2]) == (
        "by\n  intro n\n  fun_induction double\n  · simp\n  · simp +arith [*]")
    # rw? suggestions lose their goal comment and get the usual closers after them
    [rw] = parse_suggestions(RW_THIS)
    assert rw == "rw [List.length_append]"
    assert _as_proof("intro xs ys", "rw?", rw).endswith(
        "rw [List.length_append] <;> first | rfl | omega | simp_all | grind")
    assert parse_suggestions("Try this: exact Nat.le_refl n") == ["exact Nat.le_refl n"]
    assert parse_suggestions("Try this: [apply] exact Nat.le_refl n") == ["exact Nat.le_refl n"]
    assert parse_suggestions("`exact?` could not close the goal.") == []


def test_simp_sets_hold_only_what_the_goal_makes_relevant():
    names = {d.name: d for d in definitions(CTX)}
    assert names["impl.go"].helper and names["impl.go"].recursive and not names["impl"].recursive
    relevant = [d.name for d in relevant_definitions("∀ xs, impl xs = xs.length", CTX)]
    assert relevant == ["helper", "impl", "impl.go"]  # what impl uses, not `unrelated`
    proofs = [p for t in tiers("∀ xs : List Nat, impl xs = xs.length", context=CTX) for p in t.proofs]
    assert not any("unrelated" in p or "prodAcc" in p for p in proofs)
    assert any("simp only [helper, impl, impl.go] at *" in p for p in proofs)


def test_tiers_are_ordered_and_premises_come_last():
    goal = "∀ (xs : List Nat) (acc : Nat), prodAcc xs acc = xs.foldl (· * ·) acc"
    ts = tiers(goal, context=CTX, lemmas=["kb_lemma"])
    assert [t.name for t in ts] == ["closers", "unfold", "functional induction", "induction", "premises"]
    assert ts[0].proofs[:4] == ("by\n  omega", "by\n  simp", "by\n  simp_all", "by\n  grind")
    assert "by\n  intro xs acc\n  fun_induction prodAcc xs acc <;> grind" in ts[2].proofs
    assert all("kb_lemma" not in p for t in ts[:-1] for p in t.proofs)
    assert all("kb_lemma" in p for p in ts[-1].proofs)
    every = [p for t in ts for p in t.proofs]
    assert len(every) == len(set(every))


def test_generalisation_changes_the_constant_on_both_sides():
    gens = [g.lemma for g in generalizations("∀ xs : List Nat, prodAcc xs 1 = xs.foldl (· * ·) 1", CTX)]
    assert gens[0] == "∀ (xs : List Nat) (acc : Nat), prodAcc xs acc = xs.foldl (· * ·) acc"
    closing = closing_proofs("∀ xs : List Nat, prodAcc xs 1 = xs.foldl (· * ·) 1", "L", CTX)
    assert "by\n  intro xs\n  simp [L]" in closing and all("unrelated" not in c for c in closing)


def test_conjectures_from_definitions():
    ctx = ("def mapDouble : List Nat → List Nat\n  | [] => []\n  | x :: xs => (2 * x) :: mapDouble xs\n"
           "def fib : Nat → Nat\n  | 0 => 0\n  | 1 => 1\n  | n + 2 => fib n + fib (n + 1)\n")
    assert conjectures("∀ xs, mapDouble xs = xs.map (2 * ·)", ctx) == [
        "∀ (xs ys : List Nat), mapDouble (xs ++ ys) = mapDouble xs ++ mapDouble ys"]
    assert "∀ (m n : Nat), m ≤ n → fib m ≤ fib n" in conjectures("∀ n, fib n ≤ fib (n + 2)", ctx)


def test_a_model_reply_that_declares_a_helper_lemma_proposes_it():
    reply = ("Sure!\n```lean\nlemma helper (n : Nat) : n + 0 = n := by simp\n"
             "theorem goal : ∀ n : Nat, n + 0 = n := by\n  intro n\n  exact helper n\n```")
    p = parse_reply(reply)
    assert p.lemmas == (("helper", "∀ (n : Nat), n + 0 = n"),)
    assert p.proof == "by\n  intro n\n  exact helper n"


def test_self_contained_text_puts_the_lemmas_first():
    r = ProofResult("proved", "main", "∀ xs : List Nat, f xs = 0", "by\n  intro xs\n  simp [aux]",
                    used=[UsedLemma("aux", "∀ xs : List Nat, f xs = 0", "by\n  intro xs\n  rfl", "this job")])
    text = r.self_contained()
    assert text.index("theorem aux :") < text.index("theorem main :")
    assert r.to_json()["lemmas"] == [{"name": "aux", "statement": "∀ xs : List Nat, f xs = 0",
                                      "proof": "by\n  intro xs\n  rfl", "source": "this job"}]


def test_a_let_rec_helper_is_reached_through_its_generated_name():
    ctx = ("def countUp (n : Nat) : Nat :=\n  let rec go (i acc : Nat) : Nat := match i with\n    | 0 => acc\n"
           "    | i + 1 => go i (acc + 1)\n  go n 0\n"
           "def find (xs : List Int) (h : xs ≠ []) : Int :=\n  let rec loop (rest : List Int) : Int := match rest with\n"
           "    | [] => xs.length\n    | y :: ys => if y > 0 then y else loop ys\n  loop xs\n")
    assert unfold_wrappers("∀ n : Nat, countUp n = n", ctx) == [("∀ n : Nat, (countUp.go n 0) = n", "countUp")]
    gens = [g.lemma for g in generalizations("∀ n : Nat, (countUp.go n 0) = n", ctx)]
    assert "∀ (n : Nat) (acc : Nat), (countUp.go n acc) = acc + n" in gens
    # a helper that mentions the wrapper's parameter gets it first, as Lean lifts it; a wrapper passed to
    # another function (not applied) is left alone
    assert unfold_wrappers("∀ (xs : List Int) (h : xs ≠ []), find (xs) h ≥ 0", ctx)[0][0] == (
        "∀ (xs : List Int) (h : xs ≠ []), (find.loop xs xs) ≥ 0")
    assert unfold_wrappers("∀ n : Nat, spec countUp n", ctx) == []
    closing = closing_proofs("∀ n : Nat, countUp n = n", "L", ctx, unfold=["countUp"])
    assert "by\n  intro n\n  unfold countUp\n  simp [L]" in closing
