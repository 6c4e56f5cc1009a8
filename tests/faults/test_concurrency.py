"""Many processes at once on one file: writers queue for the lock, readers never wait for it, first opens and
schema upgrades do not race."""

from __future__ import annotations

import json
import sqlite3
import time

from axiomatic.kb import KnowledgeBase
from axiomatic.kb.migrations import MIGRATIONS
from tests.conftest import run_cli
from tests.faults.conftest import integrity, spawn

LEANDOJO_FIXTURE = "tests/kb/fixtures/leandojo"


def test_four_writers_and_twenty_readers_at_once(tmp_path):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    per_writer = 60
    writers = [spawn("writer", path, f"w{k}", per_writer) for k in range(4)]
    readers = [spawn("reader", path, 15) for _ in range(20)]
    outputs = {}
    for p in writers + readers:
        out, err = p.communicate(timeout=600)
        outputs[p] = out
        assert p.returncode == 0 and err == "", err
    for p in writers:
        assert len(outputs[p].splitlines()) == per_writer
    for p in readers:
        counts = [int(line) for line in outputs[p].splitlines()]
        assert len(counts) == 15 and counts == sorted(counts)  # what a reader saw never went back
        assert all(0 <= c <= 4 * per_writer for c in counts)
    assert integrity(path) == ["ok"]
    with KnowledgeBase(path, readonly=True) as kb:
        assert len(kb.items()) == 4 * per_writer and len(kb.attempts()) == 4 * per_writer
        assert all(len(i.uses) == 3 for i in kb.items())


def test_first_opens_of_a_new_file_do_not_race(tmp_path):
    path = tmp_path / "fresh.sqlite"
    openers = [spawn("opener", path) for _ in range(8)]
    for p in openers:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert json.loads(out) == [name for name, _ in MIGRATIONS]
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from _migrations").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("select count(*) from _axiomatic_meta").fetchone()[0] == 1
    conn.close()


def test_an_upgrade_opened_by_many_processes_at_once_runs_once(tmp_path):
    path = tmp_path / "old.sqlite"
    writer = spawn("writer", path, "old", 30)
    assert writer.wait(120) == 0
    conn = sqlite3.connect(path)
    conn.execute("update items set content_hash = 'legacy-' || name")  # m003 must not rewrite what does not match
    conn.execute("delete from _migrations where name = 'm003_content_hash_v2'")
    conn.commit()
    conn.close()
    procs = [spawn("opener", path) for _ in range(4)] + [spawn("reader", path, 3) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("select name from _migrations order by name")] == [n for n, _ in MIGRATIONS]
    assert conn.execute("select count(*) from items where content_hash like 'legacy-%'").fetchone()[0] == 30
    conn.close()


def test_a_busy_file_is_exit_3_with_nothing_written_while_readers_still_answer(tmp_path):
    path = tmp_path / "kb.sqlite"
    writer = spawn("writer", path, "kept", 5)
    assert writer.wait(120) == 0
    holder = spawn("hold", path, 60)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        r = run_cli("kb", "list", "--kb", str(path), "--json", timeout=60)
        list_seconds = time.monotonic() - started
        assert r.returncode == 0 and len(json.loads(r.stdout)) == 5
        started = time.monotonic()
        r = run_cli("kb", "import-leandojo", LEANDOJO_FIXTURE, "--kb", str(path), "--json",
                    env={"AXIOMATIC_KB_BUSY_TIMEOUT": "2"}, timeout=60)
        import_seconds = time.monotonic() - started
        assert r.returncode == 3, r.stdout + r.stderr
        error = json.loads(r.stdout)
        assert error["error"] == "KnowledgeBaseBusy" and "nothing was written" in error["message"]
        assert error["unsaved"] == {"import": LEANDOJO_FIXTURE}
        assert "Traceback" not in r.stderr
        r = run_cli("kb", "import-leandojo", LEANDOJO_FIXTURE, "--kb", str(path),
                    env={"AXIOMATIC_KB_BUSY_TIMEOUT": "1"}, timeout=60)
        assert r.returncode == 3 and r.stderr.startswith("error: ") and "locked by another process" in r.stderr
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert import_seconds >= 2  # it did wait (and retry) before giving up
    assert list_seconds < import_seconds  # the reader did not wait for the lock at all
    with KnowledgeBase(path, readonly=True) as kb:
        assert kb.names() == {f"kept_{i}" for i in range(5)}
    assert integrity(path) == ["ok"]
