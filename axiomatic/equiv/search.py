"""Counterexample search on the user's Python, every answer replayed on CPython before it is believed.

Three searchers, cheapest first: hypothesis (random and shrunk, with the constants of both programs ±1 and
boundary values as explicit examples, runner.py), CrossHair (symbolic, symbolic.py, within a time budget,
started in the background while Lean works), and the Lean-side search on small inputs (checking.py). Each
child process has a wall-clock limit; a child that overruns it or dies gives no answer (never a verdict).
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .programs import Program
from .subset import BOOL, INT, STR, elem_type, is_list, is_tuple, tuple_parts

RUNNER_TIMEOUT = 240.0
SEED_LIMIT = 200


def request_for(left: Program, right: Program | None, **extra) -> dict:
    return {"left": [str(left.path.resolve()), left.function],
            "right": [str(right.path.resolve()), right.function] if right else None,
            "params": [t for _, t in left.signature.params],
            "preconditions": [list(left.signature.python_preconditions),
                              list(right.signature.python_preconditions) if right else []], **extra}


def run_child(module: str, request: dict, timeout: float, what: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-") as tmp:
        req = os.path.join(tmp, "request.json")
        with open(req, "w", encoding="utf-8") as f:
            json.dump(request, f)
        try:
            proc = subprocess.run([sys.executable, "-m", module, req], capture_output=True, text=True,
                                  timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise BadInput(f"running {what} took more than {timeout:.0f} s") from None
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise BadInput(f"could not run {what}: " + (proc.stderr.strip().splitlines() or ["no output"])[-1])
    return json.loads(lines[-1])


def differential(left: Program, right: Program, examples: int, seeds: list) -> dict:
    return run_child("axiomatic.equiv.runner", request_for(left, right, mode="test", examples=examples,
                                                           seeds=seeds, samples=0),
                     RUNNER_TIMEOUT, f"{left.spec} and {right.spec} on test inputs")


def samples(program: Program, seeds: list, count: int = 12) -> list:
    request = request_for(program, None, mode="test", examples=0, seeds=seeds, samples=count, seed=0)
    return run_child("axiomatic.equiv.runner", request, RUNNER_TIMEOUT, f"{program.spec} on sample inputs")["samples"]


def replay(left: Program, right: Program, candidates: list) -> dict | None:
    """The first candidate on which CPython shows a real difference (shrunk), or None."""
    if not candidates:
        return None
    answer = run_child("axiomatic.equiv.runner", request_for(left, right, mode="replay", candidates=candidates),
                       RUNNER_TIMEOUT, f"{left.spec} and {right.spec} on candidate inputs")
    return answer["counterexample"]


def evaluate(program: Program, inputs: list) -> list:
    """CPython's outcome of one program on each input: [["ok", value] | ["raises", name], ...]."""
    answer = run_child("axiomatic.equiv.runner", request_for(program, None, mode="replay", candidates=inputs),
                       RUNNER_TIMEOUT, f"{program.spec} on the inputs found")
    return answer["outcomes"]


class Symbolic:
    """CrossHair in a child process, started now and read later (it runs while Lean works)."""

    def __init__(self, left: Program, right: Program, seconds: float) -> None:
        self.seconds = seconds
        self._tmp = tempfile.TemporaryDirectory(prefix="axiomatic-crosshair-")
        req = os.path.join(self._tmp.name, "request.json")
        with open(req, "w", encoding="utf-8") as f:
            json.dump(request_for(left, right, seconds=seconds), f)
        self.proc = subprocess.Popen([sys.executable, "-m", "axiomatic.equiv.symbolic", req], cwd=self._tmp.name,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)

    def result(self) -> tuple[list, str]:
        """(candidate inputs, what happened). Waits at most the budget plus a grace period."""
        try:
            out, err = self.proc.communicate(timeout=self.seconds * 2 + 20)
        except subprocess.TimeoutExpired:
            self.stop()
            return [], f"CrossHair did not finish within {self.seconds * 2 + 20:.0f} s (no answer)"
        finally:
            self._tmp.cleanup()
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if self.proc.returncode != 0 or not lines:
            tail = (err.strip().splitlines() or ["no output"])[-1]
            return [], f"CrossHair failed ({tail[:160]}; no answer)"
        answer = json.loads(lines[-1])
        return answer["candidates"], answer["note"]

    def stop(self) -> None:
        """Kill the run (whoever waits in result() then gets no answer)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass


class SymbolicQueue:
    """CrossHair runs for many pairs, one at a time in the background (the machine's cores are shared), while
    Lean works on the same pairs. A pair proved in the meantime has its run cancelled."""

    def __init__(self, seconds: float) -> None:
        import threading

        self.seconds = seconds
        self._jobs: list[dict] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="axiomatic-crosshair", daemon=True)
        self._started = False

    def submit(self, left: Program, right: Program) -> dict | None:
        if self.seconds <= 0:
            return None
        import threading

        job = {"left": left, "right": right, "done": threading.Event(), "answer": ([], "not run"), "run": None,
               "cancelled": False}
        with self._lock:
            self._jobs.append(job)
            if not self._started:
                self._started = True
                self._thread.start()
        self._wake.set()
        return job

    def _work(self) -> None:
        while not self._closed:
            with self._lock:
                job = next((j for j in self._jobs if j["run"] is None and not j["cancelled"]), None)
                if job is not None:
                    job["run"] = Symbolic(job["left"], job["right"], self.seconds)
            if job is None:
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            job["answer"] = job["run"].result()
            job["done"].set()

    def cancel(self, job: dict | None) -> None:
        if job is None:
            return
        with self._lock:
            job["cancelled"] = True
            run = job["run"]
        if run is not None:
            run.stop()
        job["done"].set()

    def result(self, job: dict) -> tuple[list, str]:
        """(candidate inputs, what happened); waits for the runs queued before this one too."""
        with self._lock:
            ahead = sum(1 for j in self._jobs if not j["done"].is_set())
        if not job["done"].wait(timeout=ahead * (self.seconds * 2 + 30) + 30):
            self.cancel(job)
            return [], "CrossHair did not finish in time (no answer)"
        return job["answer"]

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        with self._lock:
            jobs = list(self._jobs)
        for job in jobs:
            if not job["done"].is_set():
                self.cancel(job)


# -- seeds: the constants of both programs ±1, and boundary values ------------------------------------------


def constants(programs: list[Program]) -> tuple[set[int], set[str]]:
    ints, strs = {0, 1, -1}, {"", "a"}
    for p in programs:
        if p.language != "python":
            continue
        tree = ast.parse(Path(p.path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
                ints |= {node.value, -node.value}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) <= 12:
                strs.add(node.value)
    around = {c + d for c in ints for d in (-1, 0, 1) if abs(c + d) <= 10**9}
    return around, strs


def seeds(programs: list[Program], params: list[str]) -> list:
    """Explicit inputs built from the programs' constants: each parameter takes each such value (the others
    a small default), then a few combinations. JSON-encoded as the runner expects."""
    ints, strs = constants(programs)
    small_ints = sorted(ints, key=lambda v: (abs(v), v))

    def pool(t: str) -> list:
        if t == INT:
            return small_ints
        if t == BOOL:
            return [False, True]
        if t == STR:
            return sorted(strs, key=len)
        if is_list(t):
            inner = pool(elem_type(t))[:12]
            out = [[]] + [[v] for v in inner] + [[v, v] for v in inner[:4]] + [inner[:3], inner[:3][::-1]]
            return out
        if is_tuple(t):
            return [{"tuple": list(vs)} for vs in itertools.islice(itertools.product(
                *[pool(p)[:4] for p in tuple_parts(t)]), 16)]
        return []

    pools = [pool(t) for t in params]
    if not pools or any(not p for p in pools):
        return []
    base = [p[0] for p in pools]
    out: list = []
    for i, p in enumerate(pools):
        for v in p:
            args = list(base)
            args[i] = v
            if args not in out:
                out.append(args)
    for combo in itertools.product(*[p[:5] for p in pools]):
        if len(out) >= SEED_LIMIT:
            break
        if list(combo) not in out:
            out.append(list(combo))
    return out[:SEED_LIMIT]


@dataclass(frozen=True)
class Found:
    """A counterexample confirmed by running both programs on CPython."""

    args: list
    left: list
    right: list
    by: str  # which searcher proposed it
