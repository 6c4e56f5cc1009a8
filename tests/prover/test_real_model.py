"""The model stages against a real model generating text (Gemma 3 270M through a local OpenAI-compatible server,
tests/llm_local), end to end through litellm and the real kernel.

The model cannot prove anything; what is tested is the path: real, messy generations are parsed, checked, fed
back with Lean's errors, and possibly decomposed into lemmas, without a crash, within the budgets, and nothing
is reported proved that the verifier did not accept. Exact behaviour is the replay tests' job
(test_prover_lean.py).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.lean

FALSE_GOAL = "∀ n : Nat, n * n ≠ n + 2"  # false at n = 2: no candidate can ever be verified


def test_real_generations_go_through_parsing_feedback_and_budgets(tmp_path, local_model):
    kb = tmp_path / "kb.sqlite"
    before = len(local_model.exchanges())
    r = run_cli("prove", FALSE_GOAL, "--kb", str(kb), "--model", "openai/gemma-local", "--api-base",
                local_model.base_url, "--max-llm-calls", "2", "--budget-seconds", "900", "--json",
                env={"OPENAI_API_KEY": "unused", "AXIOMATIC_LLM_TIMEOUT": "900"})
    assert r.returncode == 1, r.stdout + r.stderr  # a false statement: anything else would be unsound
    out = json.loads(r.stdout)
    assert out["status"] == "failed" and out["proof"] is None
    assert 1 <= out["llm_calls"] <= 2  # the call budget holds
    assert out["tried"][-1]["stage"] == "llm"
    exchanges = local_model.exchanges()[before:]
    assert len(exchanges) == out["llm_calls"]
    assert all(e["max_tokens"] <= local_model.max_tokens_cap for e in exchanges)
    assert all(isinstance(t, str) for e in exchanges for t in e["replies"])
    from axiomatic.kb import KnowledgeBase

    with KnowledgeBase(kb) as store:
        llm_attempts = [a for a in store.attempts() if a["origin"] == "llm"]
        proved = [i for i in store.items() if i.kind == "theorem"]
    assert proved == []
    assert all(a["outcome"] != "verified" for a in llm_attempts)
    if len(exchanges) == 2:
        # the second request carries the first round's outcome: Lean's verdict on a parsed proof, or the
        # note that the reply held none
        last_user = exchanges[1]["messages"][-1]["content"]
        assert "Lean rejected this proof" in last_user
        assert exchanges[1]["messages"][-2]["role"] == "assistant"


def test_real_generations_through_the_library_with_decomposition_enabled(tmp_path, local_model):
    """The Prover itself with the real model: two samples per round, lemma decomposition on (depth 1). Whatever
    the model writes (prose, a parroted prompt, a half proof, a declared lemma) ends as a checked candidate or a
    note in the history; the job ends within its budget; the result is failed, as it must be."""
    from axiomatic.lean import get_backend
    from axiomatic.llm import LLM, Budget
    from axiomatic.prover import Prover

    llm = LLM("openai/gemma-local", api_base=local_model.base_url, timeout=900)
    budget = Budget(seconds=900, llm_calls=3)
    prover = Prover(get_backend(), llm=llm, budget=budget, rounds=3, samples=2, max_depth=1, lean_search=False)
    import os

    os.environ.setdefault("OPENAI_API_KEY", "unused")
    result = prover.prove("∀ n : Nat, n + 3 = n + 4 ∨ n = n + 1", name="never")  # false
    assert result.status == "failed" and result.proof is None
    assert result.llm_calls <= 3 and budget.used_calls == result.llm_calls
    stages = [t.stage for t in result.tried]
    assert "llm" in stages
    assert result.reason
