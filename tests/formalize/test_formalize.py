"""The autoformalizer: reply parsing (fast), then the whole loop against the real Lean kernel with a local
replay server standing in for the model: an ill-typed candidate repaired from Lean's error, a vacuous one the
judge wrongly accepts, a trivial special case, a garbage reply, KB definitions in the prompt; and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axiomatic.formalize import ModelRequired, extract_statement, formalize
from axiomatic.formalize.candidates import Candidate, rank
from axiomatic.formalize.checks import hypotheses_to_false
from axiomatic.formalize.fidelity import lexical_overlap
from axiomatic.formalize.prompts import numbered, verdict
from axiomatic.llm import LLM
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

lean = pytest.mark.lean

# -- fast: parsing, judgements, ranking (no Lean, no model) -----------------------------------------------------


@pytest.mark.parametrize("reply, expected", [
    ("```lean\ntheorem formal_statement (n : Nat) (h : 0 < n) :\n    n ≠ 0 := by\n  omega\n```",
     "∀ (n : Nat) (h : 0 < n), n ≠ 0"),
    ("Sure! Here it is:\n```lean4\n-- the statement\ntheorem t : ∀ a b : Nat, a + b = b + a := by sorry\n```\nDone.",
     "∀ a b : Nat, a + b = b + a"),
    ("```lean\nimport Mathlib\nopen Nat\n/- a comment\n   over lines -/\nexample {α : Type} [BEq α] (xs : List α) :"
     " xs.reverse.reverse = xs := by simp\n```", "∀ {α : Type} [BEq α] (xs : List α), xs.reverse.reverse = xs"),
    ("theorem x: ∀ n : Nat, n + 0 = n := rfl", "∀ n : Nat, n + 0 = n"),
    ("∀ n : Nat, n * 1 = n", "∀ n : Nat, n * 1 = n"),
    ("```\n∀ (xs : List Nat), xs.length ≥ 0\n```", "∀ (xs : List Nat), xs.length ≥ 0"),
    ("```text\nnot this\n```\n```lean\nlemma l (x : Int) : x - x = 0 := by omega\n```", "∀ (x : Int), x - x = 0"),
    ("```lean\ntheorem t (p : Nat × Nat) : p.1 + p.2 = p.2 + p.1 := by\n  have h : True := ⟨⟩\n  omega\n```",
     "∀ (p : Nat × Nat), p.1 + p.2 = p.2 + p.1"),
])
def test_statements_are_extracted_from_replies(reply, expected):
    assert extract_statement(reply) == (expected, "")


@pytest.mark.parametrize("reply, why", [
    ("", "empty reply"),
    (None, "empty reply"),
    ("I am sorry, but I cannot formalize this without Mathlib.", "no Lean statement"),
    ("```lean\ntheorem t (n : Nat) : 2 * (List.range (n + 1)).sum = n * (n +\n", "unbalanced"),
    ("```lean\ndef f : Nat := 1\n```", "defines something"),
    ("```lean\ntheorem t := by simp\n```", "without a `: statement`"),
    ("```lean\nexample : True := trivial\n```", "degenerate"),
])
def test_garbage_replies_are_skipped_with_a_reason(reply, why):
    statement, reason = extract_statement(reply)
    assert statement is None and why in reason


def test_numbered_answers_and_verdicts():
    reply = "Here you go:\n[1] For all n,\n   n equals n.\n2. **NO**: only the case n = 0\n(3) yes - fine\n[9] ignored"
    items = numbered(reply, 3)
    assert items == {1: "For all n, n equals n.", 2: "**NO**: only the case n = 0", 3: "yes - fine"}
    assert verdict(items[2]) == (False, "only the case n = 0")
    assert verdict(items[3]) == (True, "fine")
    assert verdict("maybe, it depends")[0] is None
    assert numbered("Just one sentence.", 1) == {1: "Just one sentence."}


def test_lexical_overlap_and_vacuity_split():
    assert lexical_overlap("Twice the sum of the first n numbers", "2 times the sums of the first n number") > 0.6
    assert lexical_overlap("Every prime is odd", "The list is empty") == 0.0
    assert hypotheses_to_false("∀ (n : Nat) (h : n < 0), n = 5") == ("∀ (n : Nat), (n < 0) → False", "")
    assert hypotheses_to_false("∀ a b : Int, a < b → b < a → a = b") == \
        ("∀ (a : Int) (b : Int), (a < b) → (b < a) → False", "")
    assert hypotheses_to_false("∀ n : Nat, n + 0 = n") == (None, "no hypotheses")
    statement, why = hypotheses_to_false("∀ n : Nat, ∃ m, n < m → m > 0")  # the → is inside the ∃
    assert statement is None and "scope" in why


def test_ranking_order():
    def c(name, **kw):
        return Candidate(name, 0, **kw)
    good = c("good", elaborates=True, faithful=True)
    trivial = c("trivial", elaborates=True, faithful=True, trivial=True)
    vacuous = c("vacuous", elaborates=True, faithful=True, vacuous=True)
    unfaithful = c("unfaithful", elaborates=True)
    broken = c("broken", faithful=True)
    assert [x.statement for x in rank([broken, unfaithful, vacuous, trivial, good])] == \
        ["good", "trivial", "vacuous", "unfaithful", "broken"]
    # when every acceptable candidate is trivial, the text itself is: triviality no longer counts against
    t1 = c("t1", elaborates=True, faithful=True, trivial=True, lexical=0.2)
    t2 = c("t2", elaborates=True, faithful=True, trivial=True, lexical=0.9)
    assert [x.statement for x in rank([t1, t2, unfaithful])] == ["t2", "t1", "unfaithful"]


def test_without_a_model_it_says_one_is_needed():
    with pytest.raises(ModelRequired, match="--model"):
        formalize("Every natural number is at least zero.", llm=None, backend=None)


def test_cli_without_a_model_exits_3_and_empty_text_exits_2():
    r = run_cli("formalize", "Every natural number is at least zero.", "--json", env={"AXIOMATIC_MODEL": ""})
    assert r.returncode == 3, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert "--model" in out["message"] and "AXIOMATIC_MODEL" in out["message"]
    r = run_cli("formalize", "   ", "--json", env={"AXIOMATIC_MODEL": ""})
    assert r.returncode == 2, r.stdout + r.stderr


# -- against the real kernel ---------------------------------------------------------------------------------------

TEXT = "For every natural number n, twice the sum 0 + 1 + ... + n equals n times (n + 1)."
TRIANGLE = "def triangle : Nat → Nat\n  | 0 => 0\n  | n + 1 => (n + 1) + triangle n"
ILL_TYPED = ("Here is the formalization:\n```lean\ntheorem formal_statement (n : ℕ) :\n"
             "    2 * (Finset.range (n + 1)).sum id = n * (n + 1) := by\n  sorry\n```")
VACUOUS = ("Using the `triangle` function from the knowledge base:\n```lean\n"
           "theorem formal_statement : ∀ n : Nat, n < 0 → 2 * triangle n = n * (n + 1) := by sorry\n```")
TRIVIAL = ("For n = 0 the claim reads:\n```lean\n"
           "theorem formal_statement : 2 * (List.range (0 + 1)).sum = 0 * (0 + 1) := by decide\n```")
GARBAGE = "I'm sorry, but I can't formalize sums without Mathlib's `Finset`."
REPAIRED = ("Right, core Lean has neither `ℕ` nor `Finset`; with `List.range`:\n```lean\n"
            "theorem formal_statement : ∀ n : Nat, 2 * (List.range (n + 1)).sum = n * (n + 1) := by sorry\n```")
READINGS = ("[1] For every natural number n, twice the sum of the list 0, 1, ..., n equals n times (n + 1).\n"
            "[2] For every natural number n, if n is less than 0 then twice triangle n equals n times (n + 1).\n"
            "[3] Twice the sum of the list [0] equals 0 times 1.")
JUDGEMENT = ("[1] YES: same quantifier over the naturals and the same identity.\n"
             "[2] YES: triangle n is the sum 0 + ... + n, so the identity is the same.\n"
             "[3] NO: this is only the special case n = 0.")


@lean
def test_formalize_repairs_flags_and_ranks(backend, tmp_path, monkeypatch):
    from axiomatic.kb import KnowledgeBase

    monkeypatch.setenv("OPENAI_API_KEY", "dummy")
    answers = [[ILL_TYPED, VACUOUS, TRIVIAL, GARBAGE], [REPAIRED], [READINGS], [JUDGEMENT]]
    with ReplayServer(answers) as server, KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        kb.add_definition(name="triangle", source_text=TRIANGLE, informal="triangle n is the sum 0 + 1 + ... + n")
        llm = LLM("openai/replay-formalizer", api_base=server.base_url)
        f = formalize(TEXT, llm=llm, backend=backend, kb=kb, n=4)

    # the repaired candidate wins
    assert f.ok and f.best is not None
    best = f.best
    assert best.statement == "∀ n : Nat, 2 * (List.range (n + 1)).sum = n * (n + 1)"
    assert best.elaborates and best.faithful and not best.vacuous and not best.trivial and best.errors == []
    assert best.repairs and "Finset.range" in best.repairs[0]["statement"]
    assert any("ℕ" in e for e in best.repairs[0]["errors"])
    assert best.back_translation.startswith("For every natural number n, twice the sum")
    assert any(r.startswith("repaired after Lean rejected") for r in best.reasons)

    # the vacuous one (which the judge wrongly accepted) comes next; it uses the KB definition and elaborates
    vac, triv = f.alternatives
    assert vac.statement == "∀ n : Nat, n < 0 → 2 * triangle n = n * (n + 1)"
    assert vac.elaborates and vac.faithful and vac.vacuous and vac.vacuous_by
    assert any(r.startswith("vacuous") for r in vac.reasons)
    # the special case is trivial (kernel-checked) and judged unfaithful
    assert triv.statement == "2 * (List.range (0 + 1)).sum = 0 * (0 + 1)"
    assert triv.trivial and triv.trivial_by in ("by rfl", "by decide") and not triv.faithful and not triv.vacuous
    assert not f.original_trivial
    # the garbage reply is recorded, not guessed at
    assert f.skipped == [{"reply": 4, "reason": "no Lean statement found in the reply (no code block, no theorem)",
                          "text": GARBAGE}]
    assert f.llm_calls == 4 and f.lean_runs == 2
    assert "def triangle" in f.context and "triangle" in f.kb_names

    # what the model was told
    first, repair, back, judge = server.requests
    assert first["n"] == 4 and "def triangle" in first["messages"][-1]["content"]
    assert "NO Mathlib" in first["messages"][0]["content"]
    assert "Finset.range" in repair["messages"][-2]["content"]  # the rejected statement ...
    assert "Unknown identifier `ℕ`" in repair["messages"][-1]["content"]  # ... and Lean's own error text
    assert TEXT not in back["messages"][-1]["content"]  # the back-translation does not see the original
    assert "triangle n is" not in back["messages"][-1]["content"]
    assert TEXT in judge["messages"][-1]["content"] and "Reading: For every natural number n" in \
        judge["messages"][-1]["content"]

    payload = f.to_json()
    assert payload["status"] == "formalized" and payload["best"]["statement"] == best.statement
    assert set(payload["best"]) >= {"statement", "elaborates", "errors", "back_translation", "faithful", "reasons",
                                    "trivial", "vacuous"}


@lean
def test_cli_formalize_json(tmp_path):
    good = "```lean\ntheorem formal_statement (xs ys : List Nat) : (xs ++ ys).length = xs.length + ys.length := by simp\n```"
    answers = [[good, "Sorry, I cannot help."],
               ["[1] For all lists of naturals xs and ys, the length of xs appended to ys is the length of xs plus "
                "the length of ys."],
               ["[1] YES: exactly the statement."]]
    with ReplayServer(answers) as server:
        r = run_cli("formalize", "The length of two appended lists is the sum of their lengths.", "--json",
                    "--n", "2", "--kb", str(tmp_path / "kb.sqlite"), "--model", "openai/replay-formalizer",
                    "--api-base", server.base_url, env={"OPENAI_API_KEY": "dummy"})
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "formalized" and out["alternatives"] == []
    best = out["best"]
    assert best["statement"] == "∀ (xs ys : List Nat), (xs ++ ys).length = xs.length + ys.length"
    assert best["elaborates"] and best["faithful"] and not best["vacuous"]
    # `simp` closes it, but so it does every faithful reading: the text itself is trivial, which is no defect
    assert best["trivial"] and out["original_trivial"]
    assert out["skipped"][0]["reply"] == 2 and out["lean_runs"] == 1 and out["llm_calls"] == 3
    assert Path(tmp_path / "kb.sqlite").exists()


@lean
def test_formalize_and_prove_stores_the_informal_text(backend, tmp_path, monkeypatch):
    from axiomatic.formalize import formalize_and_prove
    from axiomatic.kb import KnowledgeBase

    monkeypatch.setenv("OPENAI_API_KEY", "dummy")
    text = "Reversing a list of natural numbers twice gives the list back."
    answers = [["```lean\ntheorem formal_statement (xs : List Nat) : xs.reverse.reverse = xs := by sorry\n```"],
               ["[1] For every list xs of natural numbers, the reverse of the reverse of xs is xs."],
               ["[1] YES: the same statement."]]
    with ReplayServer(answers) as server, KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        llm = LLM("openai/replay-formalizer", api_base=server.base_url)
        p = formalize_and_prove(text, llm=llm, backend=backend, kb=kb, n=1, name="reverse_twice")
        stored = kb.get("reverse_twice")
    assert p.formalization.ok and p.status == "proved", p.to_json()
    assert p.proof.statement == "∀ (xs : List Nat), xs.reverse.reverse = xs"
    assert stored is not None and stored.verified and stored.informal == text
    assert p.to_json()["informal"] == text and len(server.requests) == 3
