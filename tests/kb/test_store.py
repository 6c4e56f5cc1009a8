"""Storage: schema, transactions, concurrency, refusal of corrupt and foreign files."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from axiomatic.errors import BadInput, KnowledgeBaseBusy, KnowledgeBaseError
from axiomatic.kb import Item, KnowledgeBase, content_hash
from axiomatic.kb.doctor import examine
from axiomatic.kb.hashing import hash_matches, legacy_content_hash
from axiomatic.verify import Rejected

from .conftest import verified

SCHEMA = ["m001_initial", "m002_attempt_check_hash", "m003_content_hash_v2", "m004_edge_kernel"]


def test_migrations_create_the_documented_schema(kb):
    assert kb.schema_version() == SCHEMA
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
        assert again.schema_version() == SCHEMA


def test_only_verified_results_enter_as_theorems(kb):
    with pytest.raises(TypeError):
        kb.add_theorem(Rejected("nope", "sorry"), name="bad")
    kb.add_theorem(verified("∀ n : Nat, n + 0 = n", uses=("Nat", "Eq")), name="add_zero", informal="n + 0 = n")
    item = kb.get("add_zero")
    assert item.verified and item.kind == "theorem" and item.source == "user"
    assert item.backend == "embedded" and item.lean_version == "4.28.0-pre"
    assert item.content_hash.startswith("sha256-v2:")
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


def test_a_damaged_knowledge_base_is_reported_not_changed(tmp_path):
    """Opening checks no pages (that is `kb doctor`'s job); reading a damaged page is a KnowledgeBaseError,
    never a raw sqlite3 error, and the file is left as it was."""
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as base:
        for i in range(30):
            base.add_theorem(verified(f"{i} = {i}", "rfl", uses=tuple(f"c{j}" for j in range(20))), name=f"t{i}")
        base.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096: len(data) // 2] = b"\xff" * (len(data) // 2 - 4096)  # scribble over pages after the header
    path.write_bytes(bytes(data))
    with pytest.raises(KnowledgeBaseError, match="kb doctor"):
        with KnowledgeBase(path, readonly=True) as base:
            base.items()
    assert path.read_bytes() == bytes(data)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as base:
        base.db["_migrations"].insert({"name": "m999_future", "applied": "2030-01-01"})
    with pytest.raises(KnowledgeBaseError, match="newer axiomatic"):
        KnowledgeBase(path)


def test_content_hashes_are_over_the_exact_text_and_tagged():
    base = content_hash("theorem", "∀ n : Nat, n + 0 = n", "by\n  intro n\n  rfl")
    assert base.startswith("sha256-v2:")
    # layout matters in Lean: a re-indented proof is other content
    assert content_hash("theorem", "∀ n : Nat, n + 0 = n", "by\n intro n\n rfl") != base
    assert content_hash("theorem", "∀ n : Nat,  n + 0 = n", "by\n  intro n\n  rfl") != base
    # only line endings are normalised
    assert content_hash("theorem", "∀ n : Nat, n + 0 = n", "by\r\n  intro n\r\n  rfl") == base
    assert hash_matches(base, "theorem", "∀ n : Nat, n + 0 = n", "by\r  intro n\r  rfl")
    assert not hash_matches("md5-v9:" + "0" * 32, "theorem", "x", "y")


def _downgrade_to_m002(path) -> None:
    """The file as the previous schema left it: m003 not applied, untagged whitespace-collapsing hashes."""
    conn = sqlite3.connect(path)
    rows = conn.execute("select name, kind, statement, proof, context from items").fetchall()
    for name, kind, statement, proof, context in rows:
        conn.execute("update items set content_hash = ? where name = ?",
                     [legacy_content_hash(kind, statement, proof, context), name])
    conn.execute("delete from _migrations where name = 'm003_content_hash_v2'")
    conn.commit()
    conn.close()


def test_legacy_hashes_are_retagged_and_a_mismatch_is_kept_for_doctor(tmp_path):
    path = tmp_path / "old.sqlite"
    with KnowledgeBase(path) as base:
        base.add_theorem(verified("1 = 1", "rfl"), name="good")
        base.add_theorem(verified("2 = 2", "rfl"), name="edited")
    _downgrade_to_m002(path)
    conn = sqlite3.connect(path)
    conn.execute("update items set proof = 'by decide' where name = 'edited'")  # text changed, hash not
    conn.commit()
    conn.close()
    assert examine(path).ok is False  # the legacy hash is recognised, and the edit detected, before migrating
    with KnowledgeBase(path, readonly=True) as base:  # a reader brings the schema up to date once
        assert base.schema_version() == SCHEMA
        assert base.get("good").content_hash == content_hash("theorem", "1 = 1", "rfl")
        assert not base.get("edited").content_hash.startswith("sha256-v2:")
    health = examine(path)
    assert health.problems == ("edited: content hash does not match the stored text",)


def test_doctor_on_a_healthy_file_and_on_foreign_files(tmp_path, kb):
    kb.add_theorem(verified("1 = 1", "rfl"), name="one")
    health = examine(kb.path)
    assert health.ok and health.items == 1 and health.schema == tuple(SCHEMA)
    with pytest.raises(BadInput):
        examine(tmp_path / "missing.sqlite")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(KnowledgeBaseError):
        examine(tmp_path / "notes.txt")


def test_a_reader_cannot_write(kb):
    kb.add_theorem(verified("1 = 1", "rfl"), name="one")
    with KnowledgeBase(kb.path, readonly=True) as reader:
        with pytest.raises(KnowledgeBaseError, match="read-only"):
            reader.add_theorem(verified("2 = 2", "rfl"), name="two")
        assert reader.names() == {"one"}


def _hold_lock(path: str, ready, release) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    ready.set()
    release.wait(60)
    conn.execute("ROLLBACK")


def test_readers_answer_while_a_writer_holds_the_lock_and_a_blocked_write_loses_nothing(kb):
    kb.add_theorem(verified("1 = 1", "rfl"), name="one")
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(kb.path), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        with KnowledgeBase(kb.path, readonly=True) as reader:  # no waiting for the lock
            assert [i.name for i in reader.items()] == ["one"]
        with KnowledgeBase(kb.path, busy_timeout=0.5) as writer:  # opening takes no lock either
            with pytest.raises(KnowledgeBaseBusy) as caught:
                writer.add_theorem(verified("2 = 2", "by decide"), name="two")
        assert caught.value.exit_code == 3
        assert caught.value.unsaved["name"] == "two" and caught.value.unsaved["proof"] == "by decide"
        assert "by decide" in str(caught.value)
    finally:
        release.set()
        holder.join(60)
    assert kb.names() == {"one"}
    kb.add_theorem(verified("2 = 2", "by decide"), name="two")  # once the lock is free, the write goes through
    assert kb.names() == {"one", "two"}


def test_an_unverified_import_never_replaces_a_verified_item(kb):
    kb.add_theorem(verified("∀ a : Nat, a * 1 = a", "Nat.mul_one", uses=("Nat.mul_one",)), name="mul_one")
    statement, proof = "∀ a : M, a * 1 = a", "MulOneClass.mul_one a"
    imported = Item(name="mul_one", kind="theorem", statement=statement, proof=proof, source="import",
                    content_hash=content_hash("theorem", statement, proof))
    assert kb.add_unverified(imported) == "mul_one@import"
    kept = kb.get("mul_one")
    assert kept.verified and kept.proof == "Nat.mul_one" and kept.uses == ("Nat.mul_one",)
    beside = kb.get("mul_one@import")
    assert not beside.verified and beside.statement == "∀ a : M, a * 1 = a"
    assert kb.add_unverified(imported) == "mul_one@import"  # importing again updates the copy beside it
    assert len(kb.items()) == 2
    # not by any other path either
    with pytest.raises(KnowledgeBaseError, match="never replaces"):
        kb.add_definition(name="mul_one", source_text="def mul_one := 1", verified=False, replace=True)
    assert kb.get("mul_one").verified
