"""Turning model replies into proofs: fences, restated headers, garbage (no Lean)."""

from __future__ import annotations

from axiomatic.prover.llm_proofs import build_messages, parse_reply, strip_header
from axiomatic.prover.portfolio import candidates, definitions_in


def test_proof_is_taken_from_the_last_lean_fence_without_its_header():
    reply = "Here you go:\n```lean\ntheorem goal : ∀ n : Nat, n + 0 = n := by\n  intro n\n  rfl\n```\nDone."
    assert parse_reply(reply).proof == "by\n  intro n\n  rfl"
    assert strip_header(":= fun n => rfl") == "fun n => rfl"
    assert strip_header("example : True := trivial") == "trivial"


def test_lemma_proposals_are_parsed():
    reply = ("```lemmas\nlemma acc_gen : ∀ xs acc, f xs acc = acc + g xs\n```\n"
             "```lean\nby intro xs; simp [acc_gen]\n```")
    p = parse_reply(reply)
    assert p.lemmas == (("acc_gen", "∀ xs acc, f xs acc = acc + g xs"),)
    assert p.proof == "by intro xs; simp [acc_gen]"


def test_garbage_empty_and_truncated_replies_are_not_crashes():
    assert parse_reply("").proof is None
    assert parse_reply(None).proof is None  # type: ignore[arg-type]
    assert parse_reply("```lean\n```").proof is None
    truncated = parse_reply("```lean\nby\n  induction n with\n  | zero =>")
    assert truncated.proof == "by\n  induction n with\n  | zero =>"  # the verifier will reject it


def test_messages_carry_lean_errors_back():
    msgs = build_messages("False", "", [("l1", "True")], [("by simp", "simp made no progress")])
    assert msgs[-1]["role"] == "user" and "simp made no progress" in msgs[-1]["content"]
    assert "l1 : True" in msgs[1]["content"]


def test_portfolio_shapes_follow_the_goal():
    ctx = "def double (n : Nat) : Nat := n + n\n"
    assert definitions_in(ctx) == ["double"]
    cands = candidates("∀ (xs : List Nat) (n : Nat), double n = n + n", context=ctx, lemmas=["aux"])
    assert "by\n  omega" in cands
    assert any("induction xs generalizing n" in c for c in cands)
    assert any("simp only [double] at *" in c for c in cands)
    assert any("simp [double, aux]" in c for c in cands)
    assert len(cands) == len(set(cands))
