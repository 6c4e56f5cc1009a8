"""`axiomatic grow --workers 2` against the real kernel: one round on a small verified knowledge base, the
conjectures the quick portfolio leaves proved by two worker processes at once, every theorem the round stored
accepted by the kernel again, the exit code by the CLI conventions (0: the knowledge base grew)."""

from __future__ import annotations

import json
import re
import time

import pytest

from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Obligation, Verified, verify_batch
from tests.conftest import run_cli

pytestmark = pytest.mark.lean

# A bounded fact `decide` proves, and one omega proves. The round's conjectures: the Int analogue of mul_two
# (closed by the quick closers before the pool starts, so the round always stores one theorem), and four out of
# their reach (no non-linear arithmetic in omega, simp, simp_all or grind), which go to the worker pool: the
# converse `∀ n, n * n < 100 → n < 10` (the full search can prove it, induction then grind, if its 120 s suffice
# on the machine), the contrapositive, the composition, and the Int analogue of the bound (false for n = -10).
# Which of the four the pool proves depends on the load; that it runs them two at a time, and that every
# theorem stored is verified, does not.
SEED = [
    ("sq_lt_of_lt_ten", "∀ n : Nat, n < 10 → n * n < 100", "by decide"),
    ("mul_two", "∀ n : Nat, n * 2 = n + n", "by omega"),
]


def test_grow_with_two_workers_proves_the_round_in_parallel_and_stores_only_verified_theorems(tmp_path, backend):
    kb_path = tmp_path / "kb.sqlite"
    verdicts = verify_batch([Obligation(st, pf, name=nm) for nm, st, pf in SEED], backend=backend)
    assert all(isinstance(v, Verified) for v in verdicts), verdicts
    with KnowledgeBase(kb_path) as kb:
        for (name, _, _), v in zip(SEED, verdicts):
            kb.add_theorem(v, name=name, source="user")

    started = time.monotonic()
    r = run_cli("-v", "grow", "--rounds", "1", "--count", "6", "--no-llm", "--workers", "2",
                "--budget-seconds", "900", "--kb", str(kb_path), "--json", timeout=1800)
    seconds = time.monotonic() - started
    out = json.loads(r.stdout)
    assert r.returncode == (0 if out["added"] > 0 else 1), r.stderr[-3000:]  # the CLI conventions
    assert r.returncode == 0, r.stderr[-3000:]
    [round_] = out["rounds"]
    assert round_["round"] == 1 and round_["survivors"] >= 2

    # the pool ran: two worker processes, each given conjectures, two in flight before the first was done
    log = r.stderr.splitlines()
    ready = {m.group(1): m.group(2) for line in log if (m := re.search(r"worker (\d) ready \(pid (\d+)", line))}
    assert set(ready) == {"0", "1"} and len(set(ready.values())) == 2, r.stderr[-3000:]
    starts = [line for line in log if re.search(r"worker \d starts conj_", line)]
    assert {re.search(r"worker (\d)", s).group(1) for s in starts} == {"0", "1"}, r.stderr[-3000:]
    first_result = next(i for i, line in enumerate(log) if re.search(r"batch\.driver: conj_\S+: \w+$", line))
    in_flight = [line for line in log[:first_result] if re.search(r"worker \d starts conj_", line)]
    assert len(in_flight) >= 2, "the second worker got no conjecture before the first finished:\n" + "\n".join(log)

    # what the round stored is verified, and accepted by the kernel again (one Lean run)
    with KnowledgeBase(kb_path) as kb:
        items = {i.name: i for i in kb.items()}
        conjectures = {c["statement"]: c for c in kb.conjectures()}
    new = {n: i for n, i in items.items() if n not in {s[0] for s in SEED}}
    assert len(new) == out["added"] >= 1 and set(round_["new_theorems"]) == set(new)
    for item in new.values():
        assert item.verified and item.source == "conjecturer" and item.proof
    again = verify_batch([Obligation(i.statement, i.proof, name=n) for n, i in new.items()], backend=backend)
    assert all(isinstance(v, Verified) for v in again), [v for v in again if not isinstance(v, Verified)]
    # a conjecture the pool proved is stored under its name (one result each; a goal cut short has none)
    for name in {re.search(r"starts (\S+)", line).group(1) for line in starts}:
        statuses = [m.group(1) for line in log if (m := re.search(rf"batch\.driver: {name}: (\w+)$", line))]
        assert len(statuses) <= 1 and (statuses == ["proved"]) == (name in new), (name, statuses)
    # every chosen conjecture has its outcome recorded; the proved ones name a stored theorem
    recorded = [c for c in conjectures.values() if c["status"] in ("proved", "open")]
    assert len(recorded) == round_["survivors"]  # the chosen ones (survivors counts those chosen, ≤ --count)
    for c in recorded:
        assert (c["status"] == "proved") == (c["theorem"] in new)
    print(f"grow --workers 2: {len(starts)} conjectures to the pool, {len(new)} stored, {seconds:.0f} s")
