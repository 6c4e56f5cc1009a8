"""`axiomatic prove --nl`: formalize a statement in words with the model (a local replay server), judge the
fidelity, then prove the chosen statement and store it with the informal text."""

from __future__ import annotations

import json

import pytest

from axiomatic.kb import KnowledgeBase
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

TEXT = "Appending two lists of natural numbers gives a list whose length is the sum of their lengths."
STATEMENT = "∀ (xs ys : List Nat), (xs ++ ys).length = xs.length + ys.length"
CANDIDATE = ("```lean\ntheorem formal_statement (xs ys : List Nat) :\n"
             "    (xs ++ ys).length = xs.length + ys.length := by\n  sorry\n```")
READING = ("[1] For all lists xs and ys of natural numbers, the length of xs appended with ys equals the length of "
           "xs plus the length of ys.")


def _prove_nl(*args, server=None, env=None):
    extra = ["--model", "openai/replay-formalizer", "--api-base", server.base_url] if server else []
    return run_cli("prove", "--nl", *args, *extra, env={"OPENAI_API_KEY": "dummy", **(env or {})})


def test_without_a_model_it_exits_3_with_a_clear_message(tmp_path):
    r = _prove_nl(TEXT, "--json", "--kb", str(tmp_path / "kb.sqlite"), env={"AXIOMATIC_MODEL": ""})
    assert r.returncode == 3, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["error"] == "ModelRequired" and "--model" in out["message"]
    r = _prove_nl(TEXT, "--kb", str(tmp_path / "kb.sqlite"), env={"AXIOMATIC_MODEL": ""})
    assert r.returncode == 3 and "needs a language model" in r.stderr
    assert not (tmp_path / "kb.sqlite").exists()  # refused before anything was opened


@pytest.mark.lean
def test_prove_nl_formalizes_judges_proves_and_stores_the_text(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    answers = [[CANDIDATE], [READING], ["[1] YES: the same statement about all lists of naturals."]]
    with ReplayServer(answers) as server:
        r = _prove_nl(TEXT, "--n", "1", "--name", "append_lengths", "--json", "--kb", str(kb_path), server=server)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert out["status"] == "proved" and out["informal"] == TEXT
    assert out["statement"] == STATEMENT
    assert out["fidelity"]["faithful"] and out["fidelity"]["back_translation"].startswith("For all lists xs")
    assert not out["fidelity"]["vacuous"]
    assert out["formalization"]["status"] == "formalized" and out["formalization"]["best"]["elaborates"]
    proof = out["proof"]
    assert proof["status"] == "proved" and proof["name"] == "append_lengths" and proof["proof"]
    # three model calls (candidates, back-translation, judgement); the portfolio needed none
    assert len(server.requests) == 3
    assert TEXT in server.requests[0]["messages"][-1]["content"]

    with KnowledgeBase(kb_path) as kb:
        item = kb.get("append_lengths")
    assert item is not None and item.verified and item.statement == STATEMENT
    assert item.informal == TEXT and item.source == "prover"


@pytest.mark.lean
def test_prove_nl_does_not_prove_an_unfaithful_formalization(tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    special = "```lean\ntheorem formal_statement : ([] ++ [] : List Nat).length = 0 := by sorry\n```"
    answers = [[special], ["[1] The empty list appended to the empty list has length 0."],
               ["[1] NO: only the special case of two empty lists."]]
    with ReplayServer(answers) as server:
        r = _prove_nl(TEXT, "--n", "1", "--kb", str(kb_path), server=server)
    assert r.returncode == 1, r.stdout + r.stderr[-3000:]
    assert "statement: ([] ++ [] : List Nat).length = 0" in r.stdout
    assert "fidelity: NOT judged faithful" in r.stdout and "not proved:" in r.stdout
    assert len(server.requests) == 3
    with KnowledgeBase(kb_path) as kb:
        assert kb.items() == []
