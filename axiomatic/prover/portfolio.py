"""The automation portfolio: explicit tactic proofs generated from the shape of the goal and the context's
definitions, in tiers from cheapest to most expensive.

Only names the goal makes relevant go into `simp`/`grind`/`unfold` sets: the context's definitions the
statement mentions, and what those definitions use in turn (a helper an implementation calls); never every name
in scope, so a printed proof does not drag in names it does not need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..lean.statement import Statement, identifiers, parse_statement

INDUCTIVE = re.compile(r"^(Nat|List\b.*|Bool|Option\b.*|Array\b.*|Int)$")
DEF_HEAD = re.compile(r"^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable|partial)\s+)*(?:def|abbrev)\s+"
                      r"([A-Za-z_][\w.'!?]*)", re.MULTILINE)
LET_REC = re.compile(r"\blet\s+rec\s+([A-Za-z_][\w'!?]*)")
CLOSERS = ("omega", "simp", "simp_all", "grind", "decide", "rfl", "trivial", "constructor <;> simp_all")


@dataclass(frozen=True)
class Definition:
    """A function the context defines: its name as Lean knows it (`f`, or `f.go` for a `let rec go` inside
    `f`), its body text, and whether it calls itself (so functional induction applies)."""

    name: str
    body: str
    recursive: bool
    helper: bool = False  # a `let rec` / `where` helper of another definition


@dataclass(frozen=True)
class Tier:
    """Candidates of similar cost, checked together; the search stops after the first tier that proves."""

    name: str
    proofs: tuple[str, ...]


def definitions(context: str) -> list[Definition]:
    """The context's functions, with their `let rec` helpers under their generated names (`outer.helper`)."""
    heads = list(DEF_HEAD.finditer(context))
    out: list[Definition] = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(context)
        body = context[m.end():end]
        # stop at the next top-level command that is not a def (theorem, instance, ...)
        nxt = re.search(r"^(?:theorem|lemma|instance|structure|inductive|class|namespace|section|end)\b", body,
                        re.MULTILINE)
        if nxt:
            body = body[:nxt.start()]
        name = m.group(1)
        helpers = LET_REC.findall(body)
        out.append(Definition(name, body, _calls(body, name)))
        for h in helpers:
            out.append(Definition(f"{name}.{h}", body, _calls(body.split(f"let rec {h}", 1)[1], h), helper=True))
    return out


def _calls(body: str, name: str) -> bool:
    short = name.rsplit(".", 1)[-1]
    return re.search(rf"(?<![\w.']){re.escape(short)}(?![\w'!?])", body) is not None


def definitions_in(context: str) -> list[str]:
    """Names of the functions the context defines (to unfold in proofs)."""
    return [d.name for d in definitions(context) if not d.helper]


def relevant_definitions(statement: str, context: str, extra: str = "") -> list[Definition]:
    """The context's definitions the statement (and `extra` text, e.g. a lemma) mentions, and transitively what
    their bodies mention; in context order."""
    defs = definitions(context)
    by_short: dict[str, list[Definition]] = {}
    for d in defs:
        by_short.setdefault(d.name, []).append(d)
        if d.helper:
            by_short.setdefault(d.name.rsplit(".", 1)[-1], []).append(d)
    wanted: set[str] = set()
    todo = list(identifiers(statement + " " + extra))
    while todo:
        ident = todo.pop()
        for d in by_short.get(ident, []):
            if d.name in wanted:
                continue
            wanted.add(d.name)
            todo += identifiers(d.body)
            # a definition's helpers are part of it
            todo += [h.name for h in defs if h.helper and h.name.startswith(d.name + ".")]
    return [d for d in defs if d.name in wanted]


def intro_names(s: Statement) -> list[str]:
    names = [b.name or "_" for b in s.binders]
    names += [n or f"h{i}" for i, n in enumerate(s.hypothesis_names or [None] * len(s.hypotheses))]
    return names


def intro_line(statement: str, parsed: Statement | None = None) -> str:
    names = intro_names(parsed if parsed is not None else parse_statement(statement))
    return f"intro {' '.join(names)}" if names else ""


def tiers(statement: str, *, context: str = "", lemmas: Sequence[str] = (), parsed: Statement | None = None) -> list[Tier]:
    """Candidate proofs by tier, cheapest first, without duplicates across tiers.

    `lemmas` are premises (knowledge-base theorems or lemmas proved in this job) the caller judged relevant;
    they appear only in the last tier, so a proof that needs none of them is found first. `parsed`: the
    statement's parse, when the caller has it (the prover parses each goal once).
    """
    s = parsed if parsed is not None else parse_statement(statement)
    rel = relevant_definitions(statement, context)
    defs = [d.name for d in rel]
    recursive = [d for d in rel if d.recursive]
    names = intro_names(s)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    unfold_set = ", ".join(defs)
    premises = ", ".join(lemmas)
    seen: set[str] = set()

    def tier(name: str, bodies: list[str]) -> Tier:
        proofs = []
        for body in bodies:
            proof = "by\n  " + body.strip()
            if proof not in seen:
                seen.add(proof)
                proofs.append(proof)
        return Tier(name, tuple(proofs))

    out = [tier("closers", [*CLOSERS, *(intro + c for c in ("omega", "simp_all", "grind", "simp_all <;> omega",
                                                          "decide", "simp +arith"))])]
    if defs:
        out.append(tier("unfold", [
            *(intro + f"simp only [{unfold_set}] at *\n  " + c for c in ("omega", "simp_all", "grind", "rfl",
                                                                         "simp_all <;> omega")),
            intro + f"grind [{unfold_set}]", intro + f"simp [{unfold_set}]", intro + f"simp_all [{unfold_set}]",
            intro + f"simp +arith [{unfold_set}]", intro + f"simp [{unfold_set}] <;> omega",
            intro + "grind [" + ", ".join(f"= {d}.eq_def" for d in defs) + "]",
        ]))
    # functional induction / cases along the recursive definitions the goal mentions (their own recursion,
    # structural or well-founded: the generated `f.induct` principle is the strong induction they need)
    fun = []
    for d in recursive:
        args = _call_arguments(s.conclusion, d.name, names)
        if args is None:
            continue
        call = f"{d.name} {' '.join(args)}".strip()
        for closer in ("grind", "simp_all", f"simp_all [{unfold_set}]", f"grind [{unfold_set}]",
                       "(try simp_all) <;> (try omega) <;> (try grind)"):
            fun.append(intro + f"fun_induction {call} <;> {closer}")
        fun.append(intro + f"fun_cases {call} <;> simp_all [{unfold_set}]")
    if fun:
        out.append(tier("functional induction", fun))
    ind = []
    for b in s.binders:
        if b.kind != "explicit" or not INDUCTIVE.match(b.type) or b.type == "Int":
            continue
        others = [x for x in names if x != b.name and x in {y.name for y in s.binders}]
        gen = f" generalizing {' '.join(others)}" if others else ""
        step = f"induction {b.name}{gen} <;> "
        for closer in ("simp_all", "grind", "simp_all <;> omega", "(try simp_all) <;> (try omega) <;> (try grind)"):
            ind.append(intro + step + closer)
        if defs:
            ind.append(intro + step + f"simp_all [{unfold_set}]")
            ind.append(intro + step + f"(try simp_all [{unfold_set}]) <;> (try omega) <;> (try grind)")
            ind.append(intro + step + f"grind [{unfold_set}]")
        ind.append(intro + f"cases {b.name} <;> simp_all")
        if b.type == "Nat":  # strong induction, for goals whose recursion is not structural
            ind.append(intro + f"induction {b.name} using Nat.strongRecOn{gen} with\n  | ind _ ih => "
                       + (f"unfold {' '.join(defs)} at *; " if defs else "") + "(try simp_all) <;> (try omega)")
    if ind:
        out.append(tier("induction", ind))
    if premises:
        both = ", ".join(x for x in (unfold_set, premises) if x)
        prem = [intro + f"simp [{both}]", intro + f"simp_all [{both}]", intro + f"simp [{both}] <;> omega",
                intro + f"grind [{premises}]", intro + f"grind [{both}]"]
        for b in s.binders:
            if b.kind == "explicit" and INDUCTIVE.match(b.type) and b.type != "Int":
                others = [x for x in names if x != b.name and x in {y.name for y in s.binders}]
                gen = f" generalizing {' '.join(others)}" if others else ""
                prem.append(intro + f"induction {b.name}{gen} <;> simp_all [{both}]")
                prem.append(intro + f"induction {b.name}{gen} <;> (try simp_all [{both}]) <;> (try omega) <;> "
                            "(try grind)")
        out.append(tier("premises", prem))
    return [t for t in out if t.proofs]


def _call_arguments(conclusion: str, name: str, bound: list[str]) -> list[str] | None:
    """The arguments of the first call `name a b ...` in the goal when they are all bound variables
    (`fun_induction f x y`), [] to let Lean find the call itself, None if the goal does not call `name`."""
    m = re.search(rf"(?<![\w.']){re.escape(name)}(?![\w'!?])((?:\s+[A-Za-z_][\w']*)*)(?!\s*[\w(\[])", conclusion)
    if not re.search(rf"(?<![\w.']){re.escape(name)}(?![\w'!?])", conclusion):
        return None
    args = m.group(1).split() if m else []
    return args if args and all(a in bound for a in args) else []


def candidates(statement: str, *, context: str = "", lemmas: Sequence[str] = ()) -> list[str]:
    """All tiers' candidates in order (the bare closers `omega`, `simp`, `simp_all`, `grind` first)."""
    return [p for t in tiers(statement, context=context, lemmas=lemmas) for p in t.proofs]
