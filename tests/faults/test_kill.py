"""`kill -9` in the middle of storing results: the file stays intact with every item committed before."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from axiomatic.kb import KnowledgeBase
from axiomatic.kb.doctor import examine
from tests.conftest import ROOT, run_cli
from tests.faults.conftest import integrity, spawn


def test_kill_9_of_a_writer_at_random_points_loses_no_committed_item(tmp_path):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    committed: list[str] = []
    for round_no in range(5):
        child = spawn("writer", path, f"r{round_no}", 10_000)
        target = rng.randint(1, 120)
        lines = []
        while len(lines) < target:
            line = child.stdout.readline()
            assert line, f"writer ended early (seed {seed}): {child.stderr.read()}"
            lines.append(line.split()[1])
        time.sleep(rng.uniform(0, 0.02))  # land anywhere: between, inside or committing a transaction
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        lines += [line.split()[1] for line in child.stdout.read().splitlines()]  # reported before the kill
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        committed += lines
        assert integrity(path) == ["ok"], f"seed {seed}"
        with KnowledgeBase(path, readonly=True) as kb:
            names = kb.names()
            assert set(committed) <= names, f"seed {seed}: lost {sorted(set(committed) - names)[:5]}"
            # at most the transaction in flight committed without being reported, and it is whole
            extra = names - set(committed)
            assert len(extra) <= 1, f"seed {seed}: {sorted(extra)}"
            for name in names:
                item = kb.get(name)
                assert item.verified and len(item.uses) == 3, f"seed {seed}: {name} half written"
                assert [a["outcome"] for a in kb.attempts(name)] == ["verified"], f"seed {seed}: {name}"
            committed += sorted(extra)
        assert examine(path).ok, f"seed {seed}"


def _big_dataset(directory, n: int) -> None:
    directory.mkdir()
    lines = []
    for f in range(n // 100):
        premises = [{"full_name": f"Big.f{f}.lemma{i}", "kind": "theorem",
                     "code": f"theorem lemma{i} (a b : Nat) : a + {i} * b = {i} * b + a := by omega"}
                    for i in range(100)]
        lines.append(json.dumps({"path": f"Big/F{f}.lean", "imports": [], "premises": premises}))
    (directory / "corpus.jsonl").write_text("\n".join(lines) + "\n")


def test_kill_9_of_an_import_in_flight_leaves_all_or_nothing(tmp_path):
    path = tmp_path / "kb.sqlite"
    writer = spawn("writer", path, "before", 20)
    assert writer.wait(120) == 0, writer.stderr.read()
    data = tmp_path / "big"
    _big_dataset(data, 40_000)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "axiomatic", "kb", "import-leandojo", str(data), "--kb", str(path)],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wal = path.with_name(path.name + "-wal")
    deadline = time.monotonic() + 120
    # the import is one transaction; once SQLite spills its pages to the WAL, it is well inside it
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert integrity(path) == ["ok"]
    with KnowledgeBase(path, readonly=True) as kb:
        names = kb.names()
    assert names == {f"before_{i}" for i in range(20)}  # nothing of the import, everything from before
    r = run_cli("kb", "import-leandojo", str(data), "--kb", str(path), "--json", timeout=600)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["premises"] == 40_000
    with KnowledgeBase(path, readonly=True) as kb:
        assert len(kb.names()) == 40_020
