"""Auxiliary lemmas by generalisation: the accumulator pattern.

A goal such as `∀ xs, sumAcc xs 0 = xs.sum` is not provable by induction as stated: the inductive step
needs the statement for every accumulator value. We replace the constant argument by a fresh variable and
guess how the other side must change (`acc + rhs`, `acc * rhs`, `acc ++ rhs`, `rhs.reverse ++ acc`, ...). Each
guess is a lemma candidate; the portfolio (induction, generalising the accumulator) proves the true one, and
the original goal then follows by `simp [lemma]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lean.statement import Binder, Statement, parse_statement
from .portfolio import definitions_in, intro_names

# a constant argument, bare (`0`) or with its type ascribed (`(0 : Int)`, `([] : List Int)`)
LITERAL = re.compile(r"\((?P<c1>0|1|\[\]|true|false) : (?P<t>[^():]+)\)|(?<![\w.'])(?P<c2>0|1|\[\]|true|false)(?![\w'])")


@dataclass(frozen=True)
class Generalization:
    lemma: str  # statement of the auxiliary lemma
    variable: str
    constant: str


def _combinations(rhs: str, acc: str, constant: str) -> list[str]:
    if constant == "0":
        return [f"{acc} + {rhs}", f"{rhs} + {acc}", f"{acc} - {rhs}", f"{rhs}"]
    if constant == "1":
        return [f"{acc} * {rhs}", f"{rhs} * {acc}", f"{rhs}"]
    if constant == "[]":
        return [f"{acc} ++ {rhs}", f"{rhs} ++ {acc}", f"({rhs}).reverse ++ {acc}", f"{acc}.reverse ++ {rhs}",
                f"{rhs}"]
    return [f"({acc} && {rhs})", f"({acc} || {rhs})", rhs]


def generalizations(statement: str, context: str) -> list[Generalization]:
    """Lemma candidates generalising a constant argument of a context function in the goal."""
    s = parse_statement(statement)
    rel = s.relation()
    defs = definitions_in(context)
    if not rel or rel[1] != "=" or not defs:
        return []
    out: list[Generalization] = []
    for side in (0, 2):
        lhs, rhs = rel[side], rel[2 - side]
        if not any(re.search(rf"(?<![\w.]){re.escape(d)}(?![\w'])", lhs) for d in defs):
            continue
        for m in LITERAL.finditer(lhs):
            constant = m.group("c1") or m.group("c2")
            acc = "acc"
            while acc in s.variables():
                acc += "'"
            new_lhs = lhs[: m.start()] + acc + lhs[m.end():]
            acc_type = m.group("t").strip() if m.group("t") else _type_for(constant, s)
            for new_rhs in _combinations(f"({rhs})" if " " in rhs else rhs, acc, constant):
                conclusion = f"{new_lhs} = {new_rhs}"
                g = Statement(s.binders + (Binder(acc, acc_type),), s.hypotheses, conclusion, s.hypothesis_names)
                out.append(Generalization(g.render(), acc, constant))
    return out


def _type_for(constant: str, s: Statement) -> str:
    if constant in ("true", "false"):
        return "Bool"
    if constant == "[]":
        return next((b.type for b in s.binders if b.type.startswith("List")), "List Nat")
    return "Int" if any(b.type == "Int" for b in s.binders) and not any(b.type == "Nat" for b in s.binders) else "Nat"


def closing_proofs(statement: str, lemma_name: str, context: str) -> list[str]:
    """Ways to prove the original goal from the generalised lemma."""
    s = parse_statement(statement)
    names = intro_names(s)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    defs = ", ".join(definitions_in(context))
    extra = f", {defs}" if defs else ""
    return [f"by\n  {intro}{body}" for body in (
        f"simp [{lemma_name}]", f"rw [{lemma_name}]", f"rw [{lemma_name}]; simp", f"simp [{lemma_name}]; omega",
        f"simp [{lemma_name}{extra}]", f"have := {lemma_name}; simp_all", f"grind [{lemma_name}]",
    )]
