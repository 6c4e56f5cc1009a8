"""The automation portfolio: cheap tactic proofs, generated from the shape of the goal, checked in one batch."""

from __future__ import annotations

import re
from typing import Sequence

from ..lean.statement import Statement, parse_statement

INDUCTIVE = re.compile(r"^(Nat|List\b.*|Bool|Option\b.*|Array\b.*)$")
DEF_NAME = re.compile(r"^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable|partial)\s+)*(?:def|abbrev)\s+"
                      r"([A-Za-z_][\w.'!?]*)", re.MULTILINE)
CLOSERS = ("omega", "simp", "simp_all", "grind", "decide", "rfl", "trivial", "constructor <;> simp_all")


def definitions_in(context: str) -> list[str]:
    """Names of the functions the context defines (to unfold in proofs)."""
    return DEF_NAME.findall(context)


def intro_names(s: Statement) -> list[str]:
    names = [b.name for b in s.binders if b.name]
    names += [n or f"h{i}" for i, n in enumerate(s.hypothesis_names or [None] * len(s.hypotheses))]
    return names


def candidates(statement: str, *, context: str = "", lemmas: Sequence[str] = ()) -> list[str]:
    """Proof candidates, cheapest and most general first, without duplicates."""
    s = parse_statement(statement)
    defs = definitions_in(context)
    names = intro_names(s)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    unfold = f"simp only [{', '.join(defs)}] at *\n  " if defs else ""
    simp_set = ", ".join(list(defs) + list(lemmas))
    out: list[str] = []

    def add(body: str) -> None:
        proof = "by\n  " + body.strip()
        if proof not in out:
            out.append(proof)

    for closer in CLOSERS:
        add(closer)
    for closer in ("omega", "simp_all", "grind", "simp_all <;> omega", "decide"):
        add(intro + closer)
    if defs:
        for closer in ("omega", "simp_all", "grind", "rfl", "simp_all <;> omega"):
            add(intro + unfold + closer)
        add(intro + f"grind [{', '.join(defs)}]")
    if simp_set:
        add(intro + f"simp [{simp_set}]")
        add(intro + f"simp_all [{simp_set}]")
        add(intro + f"simp [{simp_set}] <;> omega")
    if lemmas:
        add(intro + f"grind [{', '.join(lemmas)}]")
    # induction on each variable of an inductive type, the others generalised
    for b in s.binders:
        if b.kind != "explicit" or not INDUCTIVE.match(b.type):
            continue
        others = [x for x in names if x != b.name and x in {y.name for y in s.binders}]
        gen = f" generalizing {' '.join(others)}" if others else ""
        step = f"induction {b.name}{gen} <;> "
        for closer in ("simp_all", "grind", "simp_all <;> omega", "(try simp_all) <;> (try omega) <;> (try grind)"):
            add(intro + step + closer)
        if simp_set:
            add(intro + step + f"simp_all [{simp_set}]")
            add(intro + step + f"(try simp_all [{simp_set}]) <;> (try omega) <;> (try grind)")
            add(intro + step + f"grind [{simp_set}]")
        add(intro + f"cases {b.name} <;> simp_all")
    return out
