"""Faults around the real kernel: a proof found while the knowledge base stays locked, an import over verified
names, drift found by `kb verify`, and fuzzed model replies that must never become a success the verifier did
not give. Lean runs are few and batched (a module-wide seeded knowledge base; one re-verification batch)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from axiomatic.kb import KnowledgeBase
from axiomatic.kb.recheck import context_of
from axiomatic.kb.starter import STARTER_LIBRARY
from axiomatic.llm import LLM, Budget
from axiomatic.prover import Prover
from axiomatic.verify import Obligation, Verified, verify_batch
from tests.conftest import ROOT, run_cli
from tests.faults.conftest import integrity, spawn
from tests.llm_replay import ReplayServer

pytestmark = pytest.mark.lean

LEANDOJO = str(ROOT / "tests" / "kb" / "fixtures" / "leandojo")
# names the LeanDojo fixture also holds, proved here first
OVERLAP = [
    {"name": "mul_one", "statement": "∀ a : Nat, a * 1 = a", "proof": "Nat.mul_one"},
    {"name": "Nat.two_mul_ne_two_mul_add_one", "statement": "∀ n m : Nat, 2 * n ≠ 2 * m + 1",
     "proof": "by intro n m; omega"},
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The starter library plus OVERLAP, verified in one Lean run through the command line."""
    work = tmp_path_factory.mktemp("seeded")
    library = work / "library.jsonl"
    library.write_text(STARTER_LIBRARY.read_text(encoding="utf-8").rstrip("\n") + "\n"
                       + "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in OVERLAP), encoding="utf-8")
    path = work / "kb.sqlite"
    r = run_cli("kb", "seed", "--file", str(library), "--kb", str(path), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(json.loads(r.stdout)["added"]) == len(library.read_text().splitlines())
    return path


def test_a_proof_found_while_the_knowledge_base_stays_locked_is_reported(tmp_path, backend):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    holder = spawn("hold", path, 600)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = run_cli("prove", "∀ n : Nat, n + 0 = n", "--no-llm", "--kb", str(path), "--json",
                    env={"AXIOMATIC_KB_BUSY_TIMEOUT": "2"})
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    error = json.loads(r.stdout)
    assert error["error"] == "KnowledgeBaseBusy"
    found = error["unsaved"]["verified"]
    assert found and all(p["statement"] == "∀ n : Nat, n + 0 = n" for p in found)
    assert integrity(path) == ["ok"]
    with KnowledgeBase(path, readonly=True) as kb:
        assert kb.names() == set() and kb.attempts() == []  # nothing half-written
    # what was reported is a proof: the kernel accepts it again
    verdicts = verify_batch([Obligation(p["statement"], p["proof"]) for p in found], backend=backend)
    assert all(isinstance(v, Verified) for v in verdicts)


def test_an_import_over_verified_names_keeps_them_and_kb_verify_finds_drift(seeded, tmp_path):
    path = tmp_path / "kb.sqlite"
    shutil.copy(seeded, path)
    r = run_cli("kb", "import-leandojo", LEANDOJO, "--kb", str(path))
    assert r.returncode == 0, r.stderr
    for row in OVERLAP:
        assert f"kept the verified {row['name']}; the imported version is stored beside it as {row['name']}@import" \
            in r.stderr
        kept = json.loads(run_cli("kb", "show", row["name"], "--kb", str(path), "--json").stdout)
        assert kept["verified"] and kept["source"] == "starter" and kept["proof"] == row["proof"]
        beside = json.loads(run_cli("kb", "show", row["name"] + "@import", "--kb", str(path), "--json").stdout)
        assert not beside["verified"] and beside["source"] == "import"
    assert run_cli("kb", "doctor", "--kb", str(path)).returncode == 0

    # drift: a proof edited under its hash, and a hash edited under its text
    conn = sqlite3.connect(path)
    conn.execute("update items set proof = 'by intro n; exact Nat.le_refl n' where name = 'Starter.nat_zero_add'")
    conn.execute("update items set content_hash = 'sha256-v2:' || hex(zeroblob(32)) where name = 'mul_one'")
    conn.commit()
    conn.close()
    r = run_cli("kb", "verify", "--kb", str(path), "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    report = json.loads(r.stdout)
    problems = {(d["name"], d["problem"]) for d in report["drift"]}
    assert problems == {("Starter.nat_zero_add", "hash mismatch"), ("Starter.nat_zero_add", "no longer verifies"),
                        ("mul_one", "hash mismatch")}
    assert "mul_one" in report["verified"] and "Nat.two_mul_ne_two_mul_add_one" in report["verified"]
    assert len(report["verified"]) == len(seeded_names(seeded)) - 1 and report["inconclusive"] == []
    assert "mul_one@import" in report["skipped_unverified"]
    doctor = run_cli("kb", "doctor", "--kb", str(path), "--json")
    assert doctor.returncode == 1
    assert sorted(json.loads(doctor.stdout)["problems"]) == [
        "Starter.nat_zero_add: content hash does not match the stored text",
        "mul_one: content hash does not match the stored text"]


def seeded_names(path) -> set[str]:
    with KnowledgeBase(path, readonly=True) as kb:
        return kb.names()


# -- fuzzed model replies ----------------------------------------------------------------------------------------

FALSE_GOAL = "∀ n : Nat, n + 1 = n"
TRUE_GOAL = "∃ n : Nat, n * n = 49"  # beyond the automation (a witness of a nonlinear equation)
INJECTED_DECLARATION = "trivial\n\ntheorem goal : ∀ n : Nat, n + 1 = n := sorry"
ESCAPED_PARENTHESIS = ")\naxiom cheat : False\ntheorem t : ∀ n : Nat, n + 1 = n := (cheat.elim"
# what a confused or hostile model might send; the first entries are real proofs of TRUE_GOAL
PROOFS = [
    "⟨7, rfl⟩", "by\r\n  exact ⟨7, rfl⟩", "by exists 7", "⟨8, rfl⟩", "⟨-7, rfl⟩", "⟨7, by sorry⟩",
    "sorry", "by sorry", "by\n  intro n\n  sorry", "by admit", "by native_decide", "by decide", "by omega",
    "by intro n; exact absurd rfl (by decide)", "by exact?", "by intro n; simp_all",
    INJECTED_DECLARATION, ESCAPED_PARENTHESIS,
    "by\n  intro n\n  exact (Classical.choice ⟨rfl⟩)",
    "by intro n; exact lcProof", "by intro n; exact unsafeCast ()",
    "by\n  set_option debug.skipKernelTC true in\n  intro n; sorry",
    "by run_tac do Lean.Elab.admitGoal (← Lean.Elab.Tactic.getMainGoal)",
    "by\n  intro n\n  exact Starter.nat_add_zero n", "by exact (cast (by sorry) ())",
    "/- an unclosed comment", "by\n  intro n\n  #exit", "by\n  intro n\n  omega\n-/",
    "by\n  intro n\n  induction n with\n  | zero =>", "@[implemented_by id] def y := 1",
    "(by exact Nat.succ_ne_self _ ▸ rfl)", "by\n  intro n\nend Foo\nnamespace Bar", "fun n => by simp_arith",
]
LEMMAS = ["lemma helper : ∀ n : Nat, n + 0 = n", "lemma bad : False", "lemma evil : ∀ n : Nat, n + 1 = n"]


@st.composite
def replies(draw) -> str:
    shape = draw(st.sampled_from(["fenced", "bare", "lemmas", "noise", "truncated", "repeated"]))
    if shape == "noise":
        return draw(st.text(max_size=300))
    proof = draw(st.sampled_from(PROOFS))
    if draw(st.booleans()):
        proof = proof + draw(st.sampled_from(["", "\n", "  ", "\n-- done", "\n```", " :="]))
    if shape == "bare":
        return proof
    text = f"Here is the proof:\n```lean\n{proof}\n```"
    if shape == "lemmas":
        lemmas = draw(st.lists(st.sampled_from(LEMMAS), min_size=1, max_size=2, unique=True))
        text = "```lemmas\n" + "\n".join(lemmas) + "\n```\n" + text
    if shape == "truncated":
        text = text[: draw(st.integers(0, len(text)))]
    if shape == "repeated":
        text = text * draw(st.integers(2, 4))
    return text


SAMPLES = 6


@pytest.fixture(scope="module")
def warm(seeded, tmp_path_factory, backend):
    """The seeded knowledge base after the automation already tried (and recorded) every goal and lemma of the
    fuzz test, so each example pays for its model round only."""
    path = tmp_path_factory.mktemp("warm") / "kb.sqlite"
    shutil.copy(seeded, path)
    with KnowledgeBase(path) as kb:
        prover = Prover(backend, kb=kb, llm=None, max_depth=1)
        for goal in (FALSE_GOAL, TRUE_GOAL, "∀ n : Nat, n + 0 = n", "False"):
            assert prover.prove(goal).status == ("proved" if goal.endswith("n + 0 = n") else "failed")
    return path


def test_fuzzed_model_replies_never_become_an_unverified_success(warm, tmp_path, backend):
    reported: list[tuple[str, str, str]] = []  # (statement, proof, context) of every success, re-verified below
    counter = iter(range(10**6))

    @settings(max_examples=4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(goal=st.sampled_from([FALSE_GOAL, TRUE_GOAL]), texts=st.lists(replies(), min_size=SAMPLES, max_size=SAMPLES))
    @example(goal=TRUE_GOAL, texts=["```lean\n⟨8, rfl⟩\n```", "by sorry",
                                    "```lemmas\nlemma bad : False\n```\n```lean\nbad.elim\n```", "",
                                    "```lean\n⟨7, rfl⟩\n```", "⟨7, by decide⟩"])
    @example(goal=FALSE_GOAL, texts=[INJECTED_DECLARATION, ESCAPED_PARENTHESIS,
                                     "```lemmas\nlemma evil : ∀ n : Nat, n + 1 = n\n```\n```lean\nevil\n```",
                                     "/- ", "by native_decide", "```lean\n```"])
    def one_round(goal, texts):
        path = tmp_path / f"kb{next(counter)}.sqlite"
        shutil.copy(warm, path)
        with ReplayServer([texts]) as server, KnowledgeBase(path) as kb:
            llm = LLM("openai/fuzz", api_base=server.base_url)
            prover = Prover(backend, kb=kb, llm=llm, budget=Budget(seconds=900, llm_calls=1), rounds=1,
                            samples=SAMPLES, max_depth=1)
            result = prover.prove(goal)
            assert len(server.requests) == 1
            if goal == FALSE_GOAL:
                assert result.status == "failed", f"a false statement was 'proved' by {result.proof!r}"
            known = kb.names()
            for item in kb.items(verified_only=True):
                if item.source == "prover":
                    reported.append((item.statement, item.proof, context_of(kb, item, known)))
            # nothing false ever entered as verified
            assert all(i.statement not in (FALSE_GOAL, "False") for i in kb.items(verified_only=True))

    one_round()
    assert reported, "no example produced a success to re-verify"
    # every success the prover reported and stored: the trusted verifier accepts it again (one batch)
    unique = list(dict.fromkeys(reported))
    verdicts = verify_batch([Obligation(s, p, c) for s, p, c in unique], backend=backend)
    rejected = [(s, p, v) for (s, p, _), v in zip(unique, verdicts) if not isinstance(v, Verified)]
    assert rejected == []
