"""Child processes for the fault tests, run as `python -m tests.faults.workers ROLE ...` (real processes, so a
test can kill one with SIGKILL or run two dozen at once).

    writer PATH PREFIX N          store N theorems (each with three dependency edges and an attempt), one
                                  transaction each; print "committed NAME" after each commit
    reader PATH ROUNDS            open read-only ROUNDS times; print the item count seen each time
    opener PATH                   open the knowledge base (creating or upgrading it), print its schema
    hold PATH SECONDS             hold the write lock (BEGIN IMMEDIATE) for SECONDS; print "locked" once held

Results are built as the storage layer receives them from the verifier (as tests/kb do); the verifier itself
is exercised against the real kernel in tests/verify and in the Lean fault tests.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time

from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Verified


def result(i: int, prefix: str) -> Verified:
    return Verified(None, f"∀ n : Nat, n + {i} = {i} + n", f"by\n  intro n\n  omega -- {prefix} {i}", (), 0.1,
                    "embedded", "4.28.0-pre", ("Nat", "HAdd.hAdd", f"{prefix}_dep"))


def writer(path: str, prefix: str, n: int) -> None:
    with KnowledgeBase(path) as kb:
        for i in range(n):
            name = f"{prefix}_{i}"
            with kb.transaction():
                kb.add_theorem(result(i, prefix), name=name, informal=f"instance {i} of {prefix}")
                kb.record_attempt(target=name, candidate="by omega", outcome="verified", check_hash=f"{prefix}-{i}")
            print(f"committed {name}", flush=True)


def reader(path: str, rounds: int) -> None:
    for _ in range(rounds):
        with KnowledgeBase(path, readonly=True) as kb:
            items = kb.items()
            for item in items[:5]:
                assert kb.get(item.name) is not None
            print(len(items), flush=True)


def opener(path: str) -> None:
    with KnowledgeBase(path) as kb:
        print(json.dumps(kb.schema_version()), flush=True)


def hold(path: str, seconds: float) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(seconds)
    conn.execute("ROLLBACK")


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "writer":
        writer(args[0], args[1], int(args[2]))
    elif role == "reader":
        reader(args[0], int(args[1]))
    elif role == "opener":
        opener(args[0])
    elif role == "hold":
        hold(args[0], float(args[1]))
    else:
        raise SystemExit(f"unknown role {role!r}")
