"""Storage: schema, transactions, concurrency, refusal of corrupt and foreign files."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from axiomatic.errors import KnowledgeBaseError
from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Rejected

from .conftest import verified


def test_migrations_create_the_documented_schema(kb):
    assert kb.schema_version() == ["m001_initial", "m002_attempt_check_hash", "m003_edge_kernel"]
    cols = {t: set(kb.db[t].columns_dict) for t in ("items", "edges", "attempts", "conjectures")}
    assert {"name", "kind", "statement", "proof", "informal", "tags", "source", "created", "backend",
            "lean_version", "content_hash", "verified", "axioms", "context"} <= cols["items"]
    assert cols["edges"] == {"src", "dst", "kernel"}
    assert {"target", "candidate", "outcome", "error", "model", "tokens", "cost_usd", "seconds",
            "check_hash"} <= cols["attempts"]
    assert {"statement", "status", "reason"} <= cols["conjectures"]
    assert "items_fts" in kb.db.table_names()


def test_reopening_applies_nothing_twice(tmp_path):
    KnowledgeBase(tmp_path / "k.sqlite").close()
    with KnowledgeBase(tmp_path / "k.sqlite") as again:
        assert again.schema_version() == ["m001_initial", "m002_attempt_check_hash", "m003_edge_kernel"]


def test_only_verified_results_enter_as_theorems(kb):
    with pytest.raises(TypeError):
        kb.add_theorem(Rejected("nope", "sorry"), name="bad")
    kb.add_theorem(verified("∀ n : Nat, n + 0 = n", uses=("Nat", "Eq")), name="add_zero", informal="n + 0 = n")
    item = kb.get("add_zero")
    assert item.verified and item.kind == "theorem" and item.source == "user"
    assert item.backend == "embedded" and item.lean_version == "4.28.0-pre" and len(item.content_hash) == 64
    assert set(item.uses) == {"Nat", "Eq"}


def test_same_name_different_content_is_refused_and_nothing_is_lost(kb):
    kb.add_theorem(verified("1 = 1", "rfl"), name="one")
    kb.add_theorem(verified("1 = 1", "rfl"), name="one")  # identical: a no-op
    with pytest.raises(KnowledgeBaseError):
        kb.add_theorem(verified("2 = 2", "rfl"), name="one")
    assert kb.get("one").statement == "1 = 1"


def test_a_failed_write_rolls_back_entirely(kb):
    kb.add_theorem(verified("1 = 1", "rfl"), name="keep")
    with pytest.raises(RuntimeError):
        with kb.transaction():
            kb.add_theorem(verified("2 = 2", "rfl"), name="half_written")
            kb.record_attempt(target="x", candidate="y", outcome="failed")
            raise RuntimeError("crash in the middle")
    assert kb.get("half_written") is None and kb.attempts() == [] and kb.get("keep") is not None


def test_attempts_and_conjectures_are_recorded(kb):
    kb.record_attempt(target="goal", candidate="by omega", outcome="rejected", error="omega failed", model="m",
                      tokens=12, cost_usd=0.001, seconds=1.5)
    [a] = kb.attempts("goal")
    assert (a["outcome"], a["tokens"], a["model"]) == ("rejected", 12, "m")
    kb.record_conjecture("∀ n : Nat, n ≤ n * n", rule="compose", parents=["a", "b"])
    kb.record_conjecture("∀ n : Nat, n ≤ n * n", status="proved", theorem="c1")
    [c] = kb.conjectures()
    assert c["status"] == "proved" and c["parents"] == ["a", "b"] and c["theorem"] == "c1"
    with pytest.raises(ValueError):
        kb.record_conjecture("x", status="maybe")


def _writer(path: str, prefix: str, n: int) -> None:
    with KnowledgeBase(path) as base:
        for i in range(n):
            base.add_theorem(verified(f"{i} = {i}", "rfl"), name=f"{prefix}_{i}")
            base.record_attempt(target=f"{prefix}_{i}", candidate="rfl", outcome="verified")


def test_two_processes_adding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite"
    KnowledgeBase(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), p, 40)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with KnowledgeBase(path) as base:
        assert len(base.items()) == 80 and len(base.attempts()) == 80


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("my precious notes, not a database")
    with pytest.raises(KnowledgeBaseError, match="not an SQLite database"):
        KnowledgeBase(path)
    assert path.read_text() == "my precious notes, not a database"


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices values (1, 9.5)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(KnowledgeBaseError, match="not an axiomatic knowledge base"):
        KnowledgeBase(path)
    assert path.read_bytes() == before


def test_a_damaged_knowledge_base_is_refused_untouched(tmp_path):
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as base:
        for i in range(30):
            base.add_theorem(verified(f"{i} = {i}", "rfl", uses=tuple(f"c{j}" for j in range(20))), name=f"t{i}")
        base.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096: len(data) // 2] = b"\xff" * (len(data) // 2 - 4096)  # scribble over pages after the header
    path.write_bytes(bytes(data))
    with pytest.raises(KnowledgeBaseError):
        KnowledgeBase(path)
    assert path.read_bytes() == bytes(data)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as base:
        base.db["_migrations"].insert({"name": "m999_future", "applied": "2030-01-01"})
    with pytest.raises(KnowledgeBaseError, match="newer axiomatic"):
        KnowledgeBase(path)
