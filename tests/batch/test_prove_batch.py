"""`axiomatic prove-batch` end to end: the real command in a subprocess, the real Lean kernel, real worker
processes (and a real local Ray cluster). Problems are ones the automation closes, so no model is needed."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

PROBLEMS = [
    {"id": "easy/add_zero", "statement": "∀ n : Nat, n + 0 = n"},
    {"id": "easy/append_nil", "statement": "∀ (xs : List Nat), xs ++ [] = xs"},
    {"id": "ctx/double", "statement": "∀ n : Nat, double n = n + n", "context": "def double (n : Nat) : Nat := 2 * n"},
    {"id": "bad/ill_typed", "statement": "∀ n : Nat, n + true = n"},
]
# Generous: on a loaded machine two Lean runs can take minutes, and a search stopped by its budget is a
# different verdict ("failed"); the verdicts compared here must not depend on the load.
BUDGET = ("--budget-seconds", "900")
EXPECTED = {"easy/add_zero": "proved", "easy/append_nil": "proved", "ctx/double": "proved",
            "bad/ill_typed": "invalid"}


def write_problems(path: Path, problems=PROBLEMS) -> Path:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in problems))
    return path


def results(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"a problem has more than one result: {ids}"
    return {r["id"]: r for r in rows}


class Batch:
    """prove-batch running in the background, its stderr read line by line."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "-v", "prove-batch", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)

    def expect(self, pattern: str, timeout: float = 600) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if m := re.search(pattern, line):
                return m
        pytest.fail(f"no line matching {pattern!r} on stderr:\n{''.join(self.seen)[-3000:]}")

    def finish(self, timeout: float = 1800) -> tuple[int, str]:
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out


def test_malformed_problems_file_is_exit_2_with_the_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "statement": "True"}\n{"id": "b"\n')
    r = run_cli("prove-batch", str(path), "--no-llm", "--kb", str(tmp_path / "kb.sqlite"), "--json")
    assert r.returncode == 2
    payload = json.loads(r.stdout)
    assert payload["error"] == "BadInput" and "line 2: not a JSON object" in payload["message"]
    assert not (tmp_path / "p.results.jsonl").exists()


@pytest.mark.lean
def test_one_and_two_workers_same_verdicts_and_an_interrupted_run_resumes(tmp_path):
    one = write_problems(tmp_path / "one.jsonl")
    r = run_cli("prove-batch", str(one), "--no-llm", *BUDGET, "--workers", "1", "--kb", str(tmp_path / "kb1.sqlite"),
                "--json", timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout)["complete"] is True
    single = results(tmp_path / "one.results.jsonl")
    assert {k: v["status"] for k, v in single.items()} == EXPECTED

    # two workers, interrupted (SIGINT, as Ctrl-C) once the first result is in, then run again
    two = write_problems(tmp_path / "two.jsonl")
    kb = str(tmp_path / "kb2.sqlite")
    batch = Batch(str(two), "--no-llm", *BUDGET, "--workers", "2", "--kb", kb, "--json")
    batch.expect(r": (proved|invalid)$")
    batch.proc.send_signal(signal.SIGINT)
    code, out = batch.finish(120)
    assert code == 130
    summary = json.loads(out)
    assert summary["interrupted"] is True
    kept = results(tmp_path / "two.results.jsonl")
    assert 1 <= len(kept) == summary["proved"] + summary["invalid"] + summary["failed"] < 4

    r = run_cli("prove-batch", str(two), "--no-llm", *BUDGET, "--workers", "2", "--kb", kb, "--json", timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    again = json.loads(r.stdout)
    assert again["skipped"] == len(kept) and again["proved"] + again["invalid"] == 4 - len(kept)  # none twice
    final = results(tmp_path / "two.results.jsonl")
    assert {k: v["status"] for k, v in final.items()} == EXPECTED  # none lost, same verdicts as one worker
    for pid, row in kept.items():
        assert final[pid] == row  # the first run's results are kept as they were
    listing = json.loads(run_cli("kb", "list", "--kb", kb, "--json").stdout)
    stored = [i["name"] for i in listing if i["name"] in {"easy_add_zero", "easy_append_nil", "ctx_double"}]
    assert sorted(stored) == ["ctx_double", "easy_add_zero", "easy_append_nil"]


def _kill_a_worker_mid_problem(tmp_path, *extra: str) -> None:
    path = write_problems(tmp_path / "p.jsonl", PROBLEMS[:3])
    batch = Batch(str(path), "--no-llm", "--no-store", "--json", *BUDGET, "--workers", "2", *extra)
    pids = {}
    while True:
        m = batch.expect(r"worker (\d+) (ready \(pid (\d+)|starts (\S+) \(run 1\))")
        if m.group(3):
            pids[m.group(1)] = int(m.group(3))
        elif m.group(1) in pids:
            victim, problem = pids[m.group(1)], m.group(4)
            break
    time.sleep(2)  # well inside the problem: a Lean run takes longer than this
    os.kill(victim, signal.SIGKILL)
    code, out = batch.finish()
    assert code == 0, "".join(batch.seen)[-2000:]
    assert json.loads(out)["complete"] is True  # stdout holds the summary alone (Ray's own messages go to stderr)
    got = results(path.with_name("p.results.jsonl"))
    assert {k: v["status"] for k, v in got.items()} == {p["id"]: "proved" for p in PROBLEMS[:3]}
    assert got[problem]["runs"] == 2 and str(victim) not in got[problem]["worker"]


@pytest.mark.lean
def test_a_local_worker_killed_mid_problem_loses_nothing(tmp_path):
    _kill_a_worker_mid_problem(tmp_path)


@pytest.mark.lean
def test_a_ray_actor_killed_mid_problem_on_a_local_two_cpu_cluster_loses_nothing(tmp_path):
    pytest.importorskip("ray", reason="ray is not installed (pip install 'axiomatic[ray]'): the Ray pool is untested")
    _kill_a_worker_mid_problem(tmp_path, "--ray")
