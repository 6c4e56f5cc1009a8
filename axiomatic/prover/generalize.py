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

from typing import Sequence

from ..lean.statement import Binder, Statement, parse_statement
from ..lean.syntax import split_top
from .portfolio import INDUCTIVE, Definition, definitions, definitions_in, intro_names, relevant_definitions

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


def generalizations(statement: str, context: str, parsed: Statement | None = None) -> list[Generalization]:
    """Lemma candidates generalising a constant argument of a context function in the goal (`parsed`: its parse,
    when the caller has it)."""
    s = parsed if parsed is not None else parse_statement(statement)
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
            candidates = _combinations(f"({rhs})" if " " in rhs else rhs, acc, constant)
            # the same constant on the other side is often the accumulator's start there too
            # (`prodAcc xs 1 = xs.foldl (· * ·) 1` needs `prodAcc xs acc = xs.foldl (· * ·) acc`)
            for other in LITERAL.finditer(rhs):
                if (other.group("c1") or other.group("c2")) == constant:
                    candidates.insert(0, rhs[: other.start()] + acc + rhs[other.end():])
            for new_rhs in dict.fromkeys(candidates):
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


def closing_proofs(statement: str, lemma_name: str, context: str, *, unfold: Sequence[str] = (),
                   parsed: Statement | None = None) -> list[str]:
    """Ways to prove the original goal from a lemma (`unfold`: definitions to unfold first, e.g. the wrapper
    around a `let rec` helper the lemma is about; `parsed`: the goal's parse, when the caller has it)."""
    s = parsed if parsed is not None else parse_statement(statement)
    names = intro_names(s)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    defs = ", ".join(d.name for d in relevant_definitions(statement, context))
    extra = f", {defs}" if defs else ""
    pre = f"unfold {' '.join(unfold)}\n  " if unfold else ""
    bodies = [f"simp [{lemma_name}]", f"rw [{lemma_name}]", f"rw [{lemma_name}]; simp", f"simp [{lemma_name}]; omega",
              f"simp [{lemma_name}{extra}]", f"have := {lemma_name}; simp_all", f"grind [{lemma_name}]",
              f"grind [{lemma_name}{extra}]"]
    inductive = [b for b in s.binders if b.kind == "explicit" and INDUCTIVE.match(b.type) and b.type != "Int"]
    for b in inductive[:1]:  # a conjectured lemma is often the step of the goal's own induction
        bodies.append(f"induction {b.name} <;> simp_all [{lemma_name}{extra}]")
    return [f"by\n  {intro}{pre}{body}" for body in bodies]


def conjectures(statement: str, context: str) -> list[str]:
    """Lemma conjectures from the definitions the goal uses: how a list function treats `xs ++ ys`, and
    monotonicity of a recursive sequence `Nat → Nat`. Each is only a guess; Lean decides."""
    out: list[str] = []
    for d in relevant_definitions(statement, context):
        sig = signature(d)
        if sig is None or not d.recursive:
            continue
        args, result = sig
        if len(args) == 1 and args[0].startswith("List"):
            t = args[0]
            joined = {"Nat": "+", "Int": "+", "Bool": "&&"}.get(result, "++" if result.startswith("List") else "")
            if joined:
                out.append(f"∀ (xs ys : {t}), {d.name} (xs ++ ys) = {d.name} xs {joined} {d.name} ys")
        if args == ["Nat"] and result in ("Nat", "Int"):
            out.append(f"∀ (n : Nat), {d.name} n ≤ {d.name} (n + 1)")
            out.append(f"∀ (m n : Nat), m ≤ n → {d.name} m ≤ {d.name} n")
    return out


def signature(d: Definition) -> tuple[list[str], str] | None:
    """(explicit argument types, result type) of a simple definition header, or None."""
    header = d.body.split(":=", 1)[0].split("\n  |", 1)[0].split("\n|", 1)[0].strip()
    if d.helper:
        return None
    args = [typ.strip() for names, typ in re.findall(r"\(([^():]+):([^()]+)\)", header) for _ in names.split()]
    rest = re.sub(r"\([^()]*\)|\{[^{}]*\}|\[[^\[\]]*\]", "", header).strip()
    if not rest.startswith(":"):
        return None
    parts = [p.strip() for p in split_top(rest[1:].strip(), "→")]
    if not parts or not parts[-1]:
        return None
    return args + parts[:-1], parts[-1]


def unfold_wrappers(statement: str, context: str) -> list[tuple[str, str]]:
    """The goal with each call of a wrapper — a non-recursive definition whose body ends by calling its own
    `let rec` helper — replaced by that helper call under its generated name (`countUp n` becomes
    `countUp.go n 0`), with the wrapper's name (to `unfold` when closing the original goal)."""
    out = []
    defs = definitions(context)
    for d in defs:
        helpers = [h.name.rsplit(".", 1)[-1] for h in defs if h.helper and h.name.startswith(d.name + ".")]
        if d.helper or d.recursive or not helpers:
            continue
        header, _, body = d.body.partition(":=")
        params = _parameter_names(header)
        last = next((ln.strip() for ln in reversed(body.splitlines()) if ln.strip()), "")
        head, *args = last.split() or [""]
        if head not in helpers or not all(a in params or CONSTANT_ARG.match(a) for a in args):
            continue
        arg = r"(?:\(\s*[A-Za-z_][\w']*\s*\)|[A-Za-z_][\w']*)"
        # a call, not the function passed to something else (`spec impl xs` applies `spec`, not `impl`)
        after = r"(?:^|(?<=[(,=∧∨→↔:]\s)|(?<=[(,=∧∨→↔:]))"  # start, or just after a bracket/operator
        call = re.search(rf"{after}{re.escape(d.name)}((?:\s+{arg}){{{len(params)}}})"
                         rf"(?![\w'])", statement)
        if not call:
            continue
        actual = [a.strip("() ") for a in re.findall(arg, call.group(1))]
        mapping = dict(zip(params, actual))
        # a helper that mentions the wrapper's parameters gets them as leading arguments when Lean lifts it
        own = body.split(f"let rec {head}", 1)[1].rsplit(last, 1)[0]
        captured = [p for p in params if re.search(rf"(?<![\w.']){re.escape(p)}(?![\w'])", own)]
        helper_call = f"({d.name}.{head} {' '.join(mapping.get(a, a) for a in [*captured, *args])})"
        out.append((statement[:call.start()] + helper_call + statement[call.end():], d.name))
    return out


CONSTANT_ARG = re.compile(r"^(?:\d+|\[\]|none|true|false|\(\))$")


def _parameter_names(header: str) -> list[str]:
    """Names of the explicit `(a b : T)` binders of a definition header (types may contain parentheses)."""
    names, depth, start = [], 0, -1
    for i, ch in enumerate(header):
        if ch == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and ":" in header[start:i]:
                names += header[start:i].split(":", 1)[0].split()
    return names
