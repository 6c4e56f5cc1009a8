"""A generated library for the web pages' tests and benchmark: hundreds of items with a realistic shape
(definitions, layered theorems using earlier ones in their proof terms and, now and then, only in their text,
imports not verified here, conjectures open, refuted and proved, failed attempts).

The verdicts are built the way the store receives them from the trusted verifier (`Verified` values): the web
pages read the store and never judge proofs, and 500 real proofs would cost minutes of Lean for no page
behaviour that the hand-made verdicts do not show. The pages' Lean output is checked by the real kernel in the
tests that use real proofs.
"""

from __future__ import annotations

import random

from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Verified

AREAS = ("Nat", "List", "Int", "Bool", "Order")
CORE = ("Nat.add_comm", "Nat.succ_le_succ", "List.length_append", "Eq.mpr", "congrArg", "Nat.le_trans")


def generate(kb: KnowledgeBase, n: int = 500, seed: int = 7) -> dict[str, list[str]]:
    """Fill `kb` with `n` items (and conjectures besides). Returns the names and conjecture ids by kind."""
    rng = random.Random(seed)
    made: dict[str, list[str]] = {"definition": [], "theorem": [], "unverified": [], "proved-conjecture": [],
                                  "open-conjecture": [], "refuted-conjecture": []}
    usable: list[str] = []
    for i in range(n):
        area = AREAS[i % len(AREAS)]
        roll = rng.random()
        if roll < 0.06:
            name = f"Gen.{area}.f{i}"
            kb.add_definition(name=name, source_text=f"def {name} (n : Nat) : Nat := n + {i}", tags=[area],
                              source=rng.choice(["user", "starter"]), backend="embedded", lean_version="4.28.0-pre")
            made["definition"].append(name)
            usable.append(name)
            continue
        if roll < 0.16:
            name = f"Gen.{area}.imported_{i}"
            pool = usable[-60:] + made["unverified"][-6:]  # imports build on imports too: a frontier to rank
            deps = rng.sample(pool, k=min(len(pool), rng.randint(0, 2)))
            from axiomatic.kb.store import Item, content_hash
            kb.add_unverified(Item(name=name, kind="theorem", statement=f"∀ n : Nat, n + {i} = {i} + n",
                                   source="import", tags=(area,), created="2026-01-01T00:00:00+00:00",
                                   content_hash=content_hash("theorem", f"{i}", ""), uses=tuple(deps)))
            made["unverified"].append(name)
            continue
        name = f"Gen.{area}.lemma_{i}"
        pool = usable[-80:]
        kernel = rng.sample(pool, k=min(len(pool), rng.choice([0, 1, 1, 2, 2, 3])))
        textual = [u for u in rng.sample(pool, k=min(len(pool), 1)) if u not in kernel] if rng.random() < 0.2 else []
        core = rng.sample(CORE, k=2)
        proof = "by " + "; ".join([f"have := {k}" for k in kernel] + ["simp [" + ", ".join(textual) + "]"
                                                                        if textual else "omega"])
        statement = f"∀ n : Nat, n + {i} = {i} + n"
        source = rng.choice(["prover", "prover", "starter", "user", "conjecturer"])
        kb.add_theorem(Verified(None, statement, proof, (), 0.1, "embedded", "4.28.0-pre", tuple(kernel + core)),
                       name=name, informal=f"Commutation with {i}, in {area}.", tags=[area], source=source)
        usable.append(name)
        made["theorem"].append(name)
        if source == "conjecturer":
            kb.record_conjecture(statement, status="proved", rule="generalize", parents=kernel[:1], theorem=name)
            made["proved-conjecture"].append(name)
        if rng.random() < 0.05:
            kb.record_attempt(target=statement, candidate="by simp", outcome="rejected",
                              error="Lean rejected the proof: simp made no progress", origin="portfolio")
    theorems = made["theorem"]
    for j in range(max(2, n // 60)):  # goals the prover failed on
        named = rng.sample(theorems, k=min(2, len(theorems)))
        kb.record_attempt(target=f"∀ n : Nat, n * n + {j} ≥ n + {j}", candidate=f"by simp [{', '.join(named)}]",
                          outcome="rejected", error="Lean rejected the proof: unsolved goals", origin="portfolio")
    for j in range(max(3, n // 25)):
        parents = rng.sample(theorems, k=min(2, len(theorems)))
        statement = f"∀ n m : Nat, n + m + {j} = m + n + {j} + 0"
        kb.record_conjecture(statement, status="open", rule="combine", parents=parents)
        made["open-conjecture"].append(statement)
    for j in range(max(2, n // 50)):
        parents = rng.sample(theorems, k=min(1, len(theorems)))
        statement = f"∀ n : Nat, n * {j + 2} = n"
        kb.record_conjecture(statement, status="disproved", rule="specialize", parents=parents,
                             reason="counterexample (kernel-checked by decide): n := 1")
        made["refuted-conjecture"].append(statement)
    return made
