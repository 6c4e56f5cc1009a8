"""Deterministic conjecture generators: variants of proven statements that might also be true.

Each generator takes proven statements and yields `Candidate`s with the rule that made them and the parents
they came from. None of them decides truth: the filters (Lean) and the prover do.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..lean.statement import Binder, Statement, parse_statement, rename_variable

NUMERAL = re.compile(r"(?<![A-Za-z0-9_.'])\d+(?![A-Za-z0-9_.])")
NUMERIC_TYPES = ("Nat", "Int")


@dataclass(frozen=True)
class Candidate:
    statement: str
    rule: str
    parents: tuple[str, ...]  # names of the proven results it was built from


@dataclass(frozen=True)
class Seed:
    """A proven result the generators start from."""

    name: str
    statement: str


def generalise_constants(seed: Seed) -> Iterator[Candidate]:
    """Replace one numeral of the conclusion (all its occurrences) by a new universally quantified variable."""
    s = parse_statement(seed.statement)
    numeric = next((b.type for b in s.binders if b.type in NUMERIC_TYPES), "Nat")
    for lit in sorted(set(NUMERAL.findall(s.conclusion)), key=int):
        fresh = _fresh("k", s)
        conclusion = NUMERAL.sub(lambda m: fresh if m.group(0) == lit else m.group(0), s.conclusion)
        hyps = tuple(NUMERAL.sub(lambda m: fresh if m.group(0) == lit else m.group(0), h) for h in s.hypotheses)
        new = Statement(s.binders + (Binder(fresh, numeric),), hyps, conclusion)
        yield Candidate(new.render(), f"generalise {lit}", (seed.name,))


def converse(seed: Seed) -> Iterator[Candidate]:
    """`H → C` gives `C → H`; an implication-free `a ≤ b` gives nothing (that is `flip`)."""
    s = parse_statement(seed.statement)
    if s.hypotheses:
        *rest, last = s.hypotheses
        new = Statement(s.binders, tuple(rest) + (s.conclusion,), last)
        yield Candidate(new.render(), "converse", (seed.name,))


def contrapositive(seed: Seed) -> Iterator[Candidate]:
    s = parse_statement(seed.statement)
    if s.hypotheses:
        *rest, last = s.hypotheses
        new = Statement(s.binders, tuple(rest) + (f"¬({s.conclusion})",), f"¬({last})")
        yield Candidate(new.render(), "contrapositive", (seed.name,))


def flip_relation(seed: Seed) -> Iterator[Candidate]:
    """`a ≤ b` suggests `b ≤ a` (usually false: a good test of the filters) and `a < b` suggests `a ≤ b`."""
    s = parse_statement(seed.statement)
    rel = s.relation()
    if not rel:
        return
    lhs, op, rhs = rel
    if op == "<":
        yield Candidate(s.with_conclusion(f"{lhs} ≤ {rhs}").render(), "weaken < to ≤", (seed.name,))
    if op == "≤":
        yield Candidate(s.with_conclusion(f"{lhs} < {rhs}").render(), "strengthen ≤ to <", (seed.name,))


TYPE_ANALOGUES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Nat", "Int", ()),
    ("List Nat", "List Int", ()),
    ("List Nat", "Array Nat", ((".length", ".size"), ("[]", "#[]"))),
    ("List Int", "Array Int", ((".length", ".size"), ("[]", "#[]"))),
)


def type_analogues(seed: Seed) -> Iterator[Candidate]:
    """The same statement over another type: Nat→Int, List→Array (with `.length`→`.size`)."""
    s = parse_statement(seed.statement)
    for source, target, renames in TYPE_ANALOGUES:
        if not any(b.type == source for b in s.binders):
            continue
        binders = tuple(Binder(b.name, target if b.type == source else b.type, b.kind) for b in s.binders)
        conclusion, hyps = s.conclusion, s.hypotheses
        for old, new in renames:
            conclusion = conclusion.replace(old, new)
            hyps = tuple(h.replace(old, new) for h in hyps)
        yield Candidate(Statement(binders, hyps, conclusion).render(), f"analogue {source} → {target}", (seed.name,))


def compose(first: Seed, second: Seed) -> Iterator[Candidate]:
    """Substitute the left-hand side of `second`'s equation for a variable of `first` of the same type.

    E.g. `(xs ++ ys).length = xs.length + ys.length` with `xs.reverse.length = xs.length` gives
    `(xs.reverse ++ ys).length = xs.reverse.length + ys.length`, a statement that connects two results.
    """
    a, b = parse_statement(first.statement), parse_statement(second.statement)
    rel = b.relation()
    if not rel or rel[1] != "=" or b.hypotheses or not a.binders:
        return
    taken = a.variables()
    mapping: dict[str, str] = {}
    for v in sorted(b.variables()):
        if v in taken:
            mapping[v] = _fresh(v, a, extra=set(mapping.values()) | b.variables())
    b_binders = tuple(Binder(mapping.get(x.name, x.name), x.type, x.kind) for x in b.binders)
    lhs = rel[0]
    for old, new_name in mapping.items():
        lhs = rename_variable(lhs, old, new_name)
    for term in _projection_prefixes(lhs):
        term_vars = {x.name for x in b_binders if re.search(rf"(?<![\w.']){re.escape(x.name)}(?![\w'])", term)}
        if not term_vars or term.strip() in term_vars:
            continue
        guess = _guess_type(term, {x.name: x.type for x in b_binders if x.name in term_vars})
        for target in a.binders:
            # a cheap type guess (Lean has the last word): a `.length`/`.size`/... projection is a Nat, anything
            # else has the type of the variables it mentions
            if target.kind != "explicit" or guess != target.type:
                continue
            binders = tuple(x for x in a.binders if x.name != target.name) + tuple(
                x for x in b_binders if x.name in term_vars
            )
            new = Statement(
                binders,
                tuple(rename_variable(h, target.name, f"({term})") for h in a.hypotheses),
                rename_variable(a.conclusion, target.name, f"({term})"),
            )
            yield Candidate(new.render(), "compose", (first.name, second.name))


NAT_PROJECTIONS = ("length", "size", "sum", "count", "card", "natAbs", "toNat")


def _guess_type(term: str, var_types: dict[str, str]) -> str | None:
    """The type of `term` as far as a glance tells: Nat after a counting projection, else the common type of
    the variables it mentions (None when they disagree)."""
    m = re.search(r"\.([A-Za-z_][\w']*)$", term.strip())
    if m and m.group(1) in NAT_PROJECTIONS:
        return "Nat"
    types = set(var_types.values())
    return types.pop() if len(types) == 1 else None


def _projection_prefixes(term: str) -> list[str]:
    """`xs.reverse.length` -> [`xs.reverse.length`, `xs.reverse`]; `(xs ++ ys).length` -> [..., `xs ++ ys`]."""
    out = [term.strip()]
    t = term.strip()
    while True:
        m = re.match(r"^(.*\S)\.[A-Za-z_][\w']*$", t)
        if not m:
            break
        t = m.group(1)
        out.append(t[1:-1] if t.startswith("(") and t.endswith(")") else t)
    return out


SINGLE_RULES = (generalise_constants, converse, contrapositive, flip_relation, type_analogues)


def generate(seeds: Iterable[Seed], *, max_pairs: int = 400) -> list[Candidate]:
    """All candidates from all rules, in a stable order, without exact duplicates."""
    seeds = list(seeds)
    out: dict[str, Candidate] = {}
    for seed in seeds:
        for rule in SINGLE_RULES:
            for c in rule(seed):
                out.setdefault(c.statement, c)
    for first, second in itertools.islice(itertools.permutations(seeds, 2), max_pairs):
        for c in compose(first, second):
            out.setdefault(c.statement, c)
    return list(out.values())


def _fresh(base: str, s: Statement, extra: set[str] = frozenset()) -> str:
    used = s.variables() | set(extra)
    text = s.render()
    for i in itertools.count():
        name = base if i == 0 and base not in used else f"{base}{i}"
        if name not in used and not re.search(rf"(?<![\w.']){re.escape(name)}(?![\w'])", text):
            return name
    raise AssertionError("unreachable")
