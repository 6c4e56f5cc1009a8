"""The prover against the real kernel: portfolio, LLM revision through a local replay server, decomposition
by an auxiliary (accumulator) lemma, reuse of a stored lemma, unreachable and garbage models."""

from __future__ import annotations

import json

import pytest

from axiomatic.prover.portfolio import candidates
from axiomatic.verify import Obligation, Verified, verify_batch
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

pytestmark = pytest.mark.lean

SUM_FORMULA = "∀ n : Nat, 2 * (List.range (n + 1)).sum = n * (n + 1)"
SUM_PROOF = ("by\n  intro n\n  induction n with\n  | zero => rfl\n  | succ k ih =>\n"
             "    simp [List.range_succ, Nat.mul_add, Nat.add_mul] at *\n    omega")
SUM_ACC = ("def sumAcc : List Nat → Nat → Nat\n  | [], acc => acc\n  | x :: xs, acc => sumAcc xs (acc + x)\n")
CORE = [
    "∀ a b : Nat, a + b = b + a",
    "∀ (xs ys : List Nat), (xs ++ ys).length = ys.length + xs.length",
    "∀ n : Nat, n * 0 = 0",
    "∀ b : Bool, (b && !b) = false",
    "∀ (xs : List Nat), xs.reverse.reverse = xs",
    "∀ (a b : Nat), a ∣ b → a ∣ b * 3",
    "∀ (n : Nat), (List.replicate n 1).sum = n",
    "∀ (x y : Int), x - y + y = x",
]


def test_portfolio_proves_core_problems_in_one_lean_run(backend):
    obs, owner = [], []
    for i, goal in enumerate(CORE):
        for proof in candidates(goal):
            obs.append(Obligation(goal, proof))
            owner.append(i)
    verdicts = verify_batch(obs, backend=backend)
    solved = {owner[k] for k, v in enumerate(verdicts) if isinstance(v, Verified)}
    assert solved == set(range(len(CORE)))
    # the induction candidates are what closes the replicate goal
    assert any(isinstance(v, Verified) and "induction n" in obs[k].proof
               for k, v in enumerate(verdicts) if owner[k] == 6)


@pytest.fixture
def llm_kb(tmp_path):
    """A fresh knowledge base per test: a proof stored by one test would (rightly) let the portfolio prove
    the next test's goal by `simp [that_lemma]`, and the model would never be asked."""
    return tmp_path / "kb.sqlite"


def _prove(kb, *args, server=None):
    env = {"OPENAI_API_KEY": "dummy"}
    extra = ["--model", "openai/replay-prover", "--api-base", server.base_url] if server else []
    return run_cli("prove", *args, "--kb", str(kb), "--json", *extra, env=env)


def test_revision_loop_feeds_lean_errors_back(llm_kb):
    wrong = "```lean\nby\n  intro n\n  simp\n```"
    fixed = f"The induction needs the range split:\n```lean\n{SUM_PROOF}\n```"
    with ReplayServer([[wrong], [fixed]]) as server:
        r = _prove(llm_kb, SUM_FORMULA, "--name", "sum_formula", "--max-llm-calls", "4", server=server)
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "proved" and out["how"] == "llm" and out["llm_calls"] == 2
    assert out["proof"] == SUM_PROOF
    assert len(server.requests) == 2
    second = server.requests[1]["messages"]
    assert second[-2]["role"] == "assistant" and "simp" in second[-2]["content"]
    assert "Lean rejected this proof" in second[-1]["content"] and "unsolved goals" in second[-1]["content"]
    show = json.loads(run_cli("kb", "show", "sum_formula", "--kb", str(llm_kb), "--json").stdout)
    assert show["source"] == "prover" and show["verified"]


def test_garbage_empty_and_truncated_answers_are_failed_candidates(llm_kb):
    answers = [[""], ["I am sorry, I cannot help with that."], ["```lean\nby\n  induction n with\n  | zero =>"]]
    with ReplayServer(answers) as server:
        r = _prove(llm_kb, "∀ n : Nat, 2 * (List.range (n + 2)).sum = (n + 1) * (n + 2)", "--max-llm-calls", "3",
                   server=server)
    assert r.returncode == 1, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "failed" and out["llm_calls"] == 3
    assert out["reason"] == "no proof after 3 LLM rounds"
    from axiomatic.kb import KnowledgeBase

    with KnowledgeBase(llm_kb) as kb:  # the truncated proof was checked, and recorded as rejected
        tried = [a for a in kb.attempts() if a["origin"] == "llm" and "| zero =>" in a["candidate"]]
    assert tried and all(a["outcome"] == "rejected" for a in tried)


def test_an_unreachable_model_exits_3(llm_kb):
    r = run_cli("prove", "∀ n : Nat, 2 * (List.range (n + 3)).sum = (n + 2) * (n + 3)", "--kb", str(llm_kb),
                "--model", "openai/nobody", "--api-base", "http://127.0.0.1:9/v1", "--json",
                env={"OPENAI_API_KEY": "dummy"})
    assert r.returncode == 3, r.stdout + r.stderr
    assert "cannot be reached" in json.loads(r.stdout)["message"]


def test_bad_statement_exits_2(llm_kb):
    r = run_cli("prove", "∀ n : Nat, n = undefinedThing", "--kb", str(llm_kb), "--no-llm", "--json")
    assert r.returncode == 2, r.stdout + r.stderr


def test_decomposition_by_an_accumulator_lemma_then_reuse_by_name(tmp_path):
    kb = tmp_path / "kb.sqlite"
    ctx = tmp_path / "SumAcc.lean"
    ctx.write_text(SUM_ACC)
    r = run_cli("prove", "∀ xs : List Nat, sumAcc xs 0 = xs.sum", "--context", str(ctx), "--name", "sumAcc_eq_sum",
                "--no-llm", "--kb", str(kb), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["how"] == "generalization" and [u["name"] for u in out["lemmas"]] == ["sumAcc_eq_sum_aux0"]
    [used] = out["lemmas"]
    assert used["source"] == "this job" and "acc" in used["statement"] and used["proof"].startswith("by")
    lemma = json.loads(run_cli("kb", "show", "sumAcc_eq_sum_aux0", "--kb", str(kb), "--json").stdout)
    assert "acc" in lemma["statement"] and lemma["used_by"] == ["sumAcc_eq_sum"]

    # a later goal: the stored lemma is retrieved and used by name
    r = run_cli("prove", "∀ xs : List Nat, sumAcc xs 7 = 7 + xs.sum", "--context", str(ctx), "--name", "sumAcc_seven",
                "--no-llm", "--kb", str(kb), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["how"] in ("portfolio", "lean-search") and "sumAcc_eq_sum_aux0" in out["proof"]
    # the stored lemma is a dependency: listed with its statement and proof, and inlined by --self-contained
    assert [(u["name"], u["source"]) for u in out["lemmas"]] == [("sumAcc_eq_sum_aux0", "knowledge-base")]
    later = json.loads(run_cli("kb", "show", "sumAcc_seven", "--kb", str(kb), "--json").stdout)
    assert "sumAcc_eq_sum_aux0" in later["uses"]
    pasted = tmp_path / "Pasted.lean"
    pasted.write_text(SUM_ACC + "\n" + out["self_contained"])
    check = run_cli("check", str(pasted), "--json")
    assert check.returncode == 0, check.stdout + check.stderr


def test_one_prove_parses_its_goal_once(backend, tmp_path, monkeypatch):
    """The statement is parsed once per `prove` into a value every stage takes (bench/parse_count.py has the
    numbers): automation, retrieval and, on the lemma stage, generalisation and closing proofs."""
    import axiomatic.kb.retrieval
    import axiomatic.lean.statement
    import axiomatic.prover.generalize
    import axiomatic.prover.lemma_stage
    import axiomatic.prover.portfolio
    import axiomatic.prover.search
    from axiomatic.kb import KnowledgeBase
    from axiomatic.prover import Prover

    original = axiomatic.lean.statement.parse_statement
    parsed: list[str] = []

    def counting(text):
        parsed.append(" ".join(text.split()))
        return original(text)

    for module in (axiomatic.kb.retrieval, axiomatic.prover.generalize, axiomatic.prover.lemma_stage,
                   axiomatic.prover.portfolio, axiomatic.prover.search):
        monkeypatch.setattr(module, "parse_statement", counting)
    goal = "∀ xs : List Nat, sumAcc xs 0 = xs.sum"
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    try:
        result = Prover(backend, kb=kb).prove(goal, context=SUM_ACC, name="sumAcc_eq_sum")
    finally:
        kb.close()
    assert result.status == "proved" and result.how == "generalization"  # the lemma stage ran
    assert parsed.count(goal) == 1
    assert len(parsed) == len(set(parsed))  # and each lemma candidate once
