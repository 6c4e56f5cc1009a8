"""The conjecturer against the real kernel: `grow` adds verified theorems to a two-lemma knowledge base,
`conjecture --prove` records proved / disproved (with a kernel-checked counterexample) / open outcomes, and the
LLM path (a local replay server standing in for the model) screens what the model proposes.

Lean runs are kept few: the seed knowledge bases are verified once for the whole module (one batch) and copied
per test; each CLI round costs one screening run and one or two proving runs."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from axiomatic.conjecture.filters import statement_key
from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Obligation, Verified, verify_batch
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

pytestmark = pytest.mark.lean

LISTS = [
    ("append_length", "∀ (xs ys : List Nat), (xs ++ ys).length = xs.length + ys.length", "by intro xs ys; simp"),
    ("reverse_length", "∀ (xs : List Nat), xs.reverse.length = xs.length", "by intro xs; simp"),
]
ARITH = [
    ("mul_two", "∀ n : Nat, n * 2 = n + n", "by omega"),
    ("le_succ_of_le", "∀ (a b : Nat), a ≤ b → a < b + 1", "by omega"),
    ("sq_lt_of_lt_ten", "∀ n : Nat, n < 10 → n * n < 100", "by decide"),
]


@pytest.fixture(scope="module")
def seed_kbs(backend, tmp_path_factory):
    """Two seed knowledge bases, every lemma verified by the kernel (one Lean run for both)."""
    where = tmp_path_factory.mktemp("seed-kbs")
    rows = [(kb, *row) for kb, rows in (("lists", LISTS), ("arith", ARITH)) for row in rows]
    verdicts = verify_batch([Obligation(st, pf, name=nm) for _, nm, st, pf in rows], backend=backend)
    assert all(isinstance(v, Verified) for v in verdicts), verdicts
    paths = {}
    for kb_name in ("lists", "arith"):
        paths[kb_name] = where / f"{kb_name}.sqlite"
        with KnowledgeBase(paths[kb_name]) as kb:
            for (owner, nm, _, _), v in zip(rows, verdicts):
                if owner == kb_name:
                    kb.add_theorem(v, name=nm, source="user")
    return paths


def _copy(seed_kbs, which, tmp_path):
    target = tmp_path / "kb.sqlite"
    shutil.copy(seed_kbs[which], target)
    return target


def test_grow_adds_new_verified_theorems(seed_kbs, tmp_path, backend):
    kb_path = _copy(seed_kbs, "lists", tmp_path)
    with KnowledgeBase(kb_path) as kb:
        before = {i.name for i in kb.items()}
    assert before == {"append_length", "reverse_length"}

    started = time.monotonic()
    r = run_cli("grow", "--rounds", "2", "--no-llm", "--json", "--kb", str(kb_path))
    seconds = time.monotonic() - started
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    out = json.loads(r.stdout)
    rounds = out["rounds"]
    assert [x["round"] for x in rounds] == [1, 2]
    for x in rounds:
        assert {"proposed", "filtered", "proved", "kb_size", "new_theorems", "seconds"} <= set(x)
        assert x["proposed"] >= x["survivors"] >= x["proved"] >= 1
        assert {"generated", "known", "screened", "ill_typed", "trivial", "refuted", "survivors"} <= set(x["filtered"])
    assert rounds[1]["kb_size"] > rounds[0]["kb_size"] > 2
    assert rounds[0]["filtered"]["known"] == 0 and rounds[1]["filtered"]["known"] > 0  # round 1's are not redone

    with KnowledgeBase(kb_path) as kb:
        items = {i.name: i for i in kb.items()}
        conjectures = kb.conjectures()
    new = {n: i for n, i in items.items() if n not in before}
    assert len(new) >= 5 and out["added"] == len(new) and out["kb_size"] == len(items)
    assert set(rounds[0]["new_theorems"]) | set(rounds[1]["new_theorems"]) == set(new)
    for item in new.values():
        assert item.verified and item.kind == "theorem" and item.source == "conjecturer"
        assert item.proof and item.informal.startswith("conjectured by ")
    proved = {c["theorem"] for c in conjectures if c["status"] == "proved"}
    assert set(new) <= proved
    # the new theorems build on both seeds (compositions, analogues)
    assert any("reverse" in i.statement and "++" in i.statement for i in new.values())
    assert any("Array" in i.statement for i in new.values())
    keys = {statement_key(i.statement) for i in items.values()}  # no two the same up to renaming/reordering
    assert len(keys) == len(items)

    # the stored proofs are accepted by the kernel again, independently of the conjecturer (one Lean run)
    again = verify_batch([Obligation(i.statement, i.proof, name=n) for n, i in new.items()], backend=backend)
    assert all(isinstance(v, Verified) for v in again), [v for v in again if not isinstance(v, Verified)]
    print(f"grow: {len(new)} new theorems in {seconds:.0f} s; rounds "
          f"{[(x['proved'], x['seconds']) for x in rounds]}")


def test_conjecture_prove_records_proved_disproved_and_open(seed_kbs, tmp_path):
    kb_path = _copy(seed_kbs, "arith", tmp_path)
    r = run_cli("conjecture", "--count", "6", "--no-llm", "--prove", "--json", "--kb", str(kb_path))
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    out = json.loads(r.stdout)
    chosen = out["conjectures"]
    assert 1 <= len(chosen) <= 6
    assert all(c["status"] in ("proved", "open") for c in chosen)
    assert any(c["status"] == "proved" and c["theorem"] for c in chosen)

    # refuted on small instances: the generalised constant of `n * 2 = n + n` fails for n = 1, k = 0
    disproved = {d["statement"]: d for d in out["disproved"]}
    bad = "∀ (n : Nat) (k : Nat), n * k = n + n"
    assert bad in disproved and disproved[bad]["rule"] == "generalise 2"
    cex = disproved[bad]["counterexample"]
    assert set(cex) == {"n", "k"} and int(cex["n"]) * int(cex["k"]) != 2 * int(cex["n"])
    assert out["filtered"]["refuted"] == len(disproved) >= 2

    with KnowledgeBase(kb_path) as kb:
        rows = {c["statement"]: c for c in kb.conjectures()}
        names = kb.names()
    # every outcome is recorded: the counterexample with the disproved one, the theorem with the proved ones
    assert rows[bad]["status"] == "disproved" and "counterexample" in rows[bad]["reason"]
    assert f"n := {cex['n']}" in rows[bad]["reason"] and rows[bad]["parents"] == ["mul_two"]
    for c in chosen:
        row = rows[c["statement"]]
        assert row["status"] == c["status"]
        if c["status"] == "proved":
            assert row["theorem"] == c["theorem"] and c["theorem"] in names
        else:
            assert row["theorem"] is None and row["reason"]
    statuses = {row["status"] for row in rows.values()}
    assert {"proved", "disproved"} <= statuses
    # `∀ n : Int, n < 10 → n * n < 100` is false (n = -10) but survives the small instances: it stays open
    int_analogue = "∀ (n : Int), n < 10 → n * n < 100"
    if int_analogue in rows and rows[int_analogue]["status"] != "open":
        pytest.fail(f"a false statement was not left open: {rows[int_analogue]}")


LLM_REPLY = """Here are three ideas building on the results above:
```lean
∀ (xs ys : List Nat), (xs ++ ys).reverse = xs.reverse ++ ys.reverse
∀ (xs : List Nat), (xs ++ xs.reverse).length = 2 * xs.length
Perhaps something about reversing lists twice would be nice too
```
The first one generalises reverse_length."""


def test_llm_proposals_are_screened(seed_kbs, tmp_path):
    kb_path = _copy(seed_kbs, "lists", tmp_path)
    with ReplayServer([[LLM_REPLY]]) as server:
        r = run_cli("conjecture", "--count", "6", "--json", "--kb", str(kb_path),
                    "--model", "openai/replay-conjecturer", "--api-base", server.base_url,
                    env={"OPENAI_API_KEY": "dummy"})
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    out = json.loads(r.stdout)

    # the request carried the proven results the model should build on
    assert len(server.requests) == 1
    prompt = server.requests[0]["messages"][-1]["content"]
    assert "append_length : ∀ (xs ys : List Nat), (xs ++ ys).length = xs.length + ys.length" in prompt
    assert "reverse_length : ∀ (xs : List Nat), xs.reverse.length = xs.length" in prompt

    assert out["llm"]["proposed"] == 2
    # the garbage line is skipped with a reason, never guessed at
    [skipped] = out["llm"]["skipped"]
    assert skipped["text"].startswith("Perhaps something") and skipped["reason"] == "not a Lean proposition"
    # the false one is refuted by a kernel-checked counterexample
    false = "∀ (xs ys : List Nat), (xs ++ ys).reverse = xs.reverse ++ ys.reverse"
    [d] = [d for d in out["disproved"] if d["statement"] == false]
    assert d["rule"] == "llm" and set(d["counterexample"]) == {"xs", "ys"}
    # the true one survives, ranked with the generated ones
    true = "∀ (xs : List Nat), (xs ++ xs.reverse).length = 2 * xs.length"
    assert any(c["statement"] == true and c["rule"] == "llm" and c["status"] == "open" for c in out["conjectures"])
    assert any(c["rule"] != "llm" for c in out["conjectures"])

    with KnowledgeBase(kb_path) as kb:
        rows = {c["statement"]: c for c in kb.conjectures()}
    assert rows[false]["status"] == "disproved" and "xs :=" in rows[false]["reason"]
    assert rows[true]["status"] == "open" and rows[true]["rule"] == "llm"
