"""Proving `∀ inputs, domain → left inputs = right inputs` in few Lean runs.

Run 1 (only when a side has a loop or recursion): candidate *lemmas*, each with a few induction proofs, all
in one batch of the trusted verifier. A function shaped `init; loop; return acc` is definitionally its loop
called on the initial values (its direct form); stated about that call, the goal exposes the constants, and
generalising them gives the accumulator lemma induction needs: `∀ xs acc, loop xs acc = acc + other xs`
(prover/generalize.py makes the guesses; a constant shared by both sides' loops is generalised on both, which
is how recursion meets iteration and one loop meets another). Comprehensions (`filter`/`map`) and early
returns (`Except`) are handled by the same induction, with `split` for the branches.

Runs 2 (and 3 for what is still open): the theorem through the prover's public `prove_many_from_candidates`, the
likely candidates first: the portfolio, induction with
the recursive side unfolded one step (`rw`), and closings that carry each proved lemma inline (`have`), so the
stored proof depends on the definitions only. With a model configured, the prover's full search follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lean.statement import Binder, Statement, parse_statement
from ..prover import Prover
from ..prover.search import Candidates
from ..prover.generalize import LITERAL, generalizations
from ..prover.portfolio import candidates as portfolio_candidates
from ..prover.portfolio import definitions_in, intro_names
from ..verify import Obligation, Verified, verify_batch
from .programs import Program, call, rename_identifiers
from .subset import lean_ident

MAX_LEMMAS = 8
MAX_CLOSED_LEMMAS = 2


@dataclass(frozen=True)
class Lemma:
    statement: str
    proof: str


def _loop_names(program: Program) -> list[str]:
    return [n for t in program.translations for n in t.loops] if program.language == "python" else []


def direct(program: Program) -> str:
    return program.translations[-1].direct if program.language == "python" and program.translations else ""


def recursive_names(*programs: Program) -> list[str]:
    return [t.signature.lean_name for p in programs if p.language == "python" for t in p.translations if t.recursive]


def _split_theorem(theorem: str) -> tuple[str, str]:
    """(`∀ binders, hyps → ` prefix, conclusion)."""
    s = parse_statement(theorem)
    prefix = theorem[: len(theorem) - len(s.conclusion)]
    return prefix, s.conclusion


def loop_goals(left: Program, right: Program, theorem: str) -> list[str]:
    """The theorem restated about the direct forms (loop calls with their initial values)."""
    dl, dr = direct(left), direct(right)
    names = [lean_ident(p) for p, _ in left.signature.params]
    rename_right = {lean_ident(p): n for (p, _), n in zip(right.signature.params, names)}
    lhs_call, rhs_call = call(left, names), call(right, names)
    rhs_direct = rename_identifiers(dr, rename_right) if dr else ""
    prefix, _ = _split_theorem(theorem)
    goals = []
    if dl:
        goals.append(f"{prefix}{dl} = {rhs_direct or rhs_call}")
        if rhs_direct:
            goals.append(f"{prefix}{dl} = {rhs_call}")
    if rhs_direct:
        goals.append(f"{prefix}{rhs_direct} = {dl or lhs_call}")
    return goals


def shared_generalizations(goal: str) -> list[str]:
    """A constant that appears on both sides (two loops started alike) replaced by one variable on both."""
    s = parse_statement(goal)
    rel = s.relation()
    if not rel or rel[1] != "=":
        return []
    lhs, _, rhs = rel
    out = []
    for m in LITERAL.finditer(lhs):
        token = m.group(0)
        if token not in rhs:
            continue
        acc = "acc"
        while acc in s.variables():
            acc += "'"
        typ = (m.group("t") or "Int").strip()
        new = f"{lhs.replace(token, acc, 1)} = {rhs.replace(token, acc, 1)}"
        g = Statement(s.binders + (Binder(acc, typ),), s.hypotheses, new, s.hypothesis_names)
        out.append(g.render())
    return out


def lemma_candidates(statement: str, definitions: str, recursive: list[str]) -> list[str]:
    """Induction proofs for a loop lemma: on the loop's list (or count), the other variables generalised; the
    recursive side unfolded one step by `rw`. Few on purpose: every candidate costs elaboration time."""
    s = parse_statement(statement)
    names = intro_names(s)
    defs = definitions_in(definitions)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    on = next((b for b in s.binders if b.type.startswith("List") or b.type == "Nat"), None)
    if on is None:
        return []
    others = [x for x in names if x != on.name and x in s.variables()]
    gen = f" generalizing {' '.join(others)}" if others else ""
    unfold = "".join(f"(try rw [{r}]) <;> " for r in recursive)
    simp = ", ".join(defs)
    every = ", ".join(defs + recursive)  # grind instantiates equations instead of rewriting with them
    return [f"by\n  {intro}induction {on.name}{gen} <;> {unfold}{closer}" for closer in (
        f"(try simp_all [{simp}]) <;> (try omega) <;> (try grind)",
        f"grind [{every}]",
        f"(try simp_all [{simp}]) <;> (try split) <;> (try simp_all) <;> (try omega) <;> (try grind)")]


ACCUMULATED = re.compile(r"= (?:\(?acc'* (?:\+|\*|\+\+|&&|\|\|) |.* (?:\+|\+\+) acc'*$)")


def accumulator_guesses(goal: str, context: str) -> list[str]:
    """The prover's generalisations of a loop goal that keep the accumulator on the outside (`acc + rhs`,
    `rhs ++ acc`, `acc && rhs`...): the shapes a loop's accumulated value has."""
    return [g.lemma for g in generalizations(goal, context) if ACCUMULATED.search(g.lemma)]


def hint(own: str, recursive: list[str]) -> str:
    """The definitions proofs may unfold, as text the portfolio reads (`def NAME` lines): the pair's own,
    without the recursive ones (`simp` would unfold those forever; they are unfolded one step by `rw`)."""
    return "\n".join(f"def {n}" for n in definitions_in(own) if n not in recursive)


def lemma_obligations(job: "Job", context: str) -> list[Obligation]:
    """Every lemma guess of one pair with its candidate proofs."""
    recursive = recursive_names(job.left, job.right)
    names = hint(job.own, recursive)
    statements: list[str] = []
    for goal in loop_goals(job.left, job.right, job.theorem):
        statements.append(goal)
        statements += accumulator_guesses(goal, names)
        statements += shared_generalizations(goal)
    statements = list(dict.fromkeys(" ".join(s.split()) for s in statements))[:MAX_LEMMAS]
    return [Obligation(s, p, context) for s in statements for p in lemma_candidates(s, names, recursive)]


def _inline(lemma: Lemma, hyp: str) -> str:
    body = lemma.proof
    if body.startswith("by"):
        tactic_lines = body[2:].strip("\n").splitlines()
        body = "by\n" + "\n".join("      " + line.strip() if line.strip() else "" for line in
                                  _reindent(tactic_lines))
    return f"have {hyp} : {lemma.statement} := {body}"


def _reindent(lines: list[str]) -> list[str]:
    # keep the relative indentation of the tactic block (nested `|` alternatives), shifted right
    base = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return [" " * (len(x) - len(x.lstrip()) - base) + x.strip() for x in lines]


def main_candidates(job: "Job", lemmas: list[Lemma]) -> list[str]:
    left, right, theorem = job.left, job.right, job.theorem
    recursive = recursive_names(left, right)
    definitions = hint(job.own, recursive)
    out = list(portfolio_candidates(theorem, context=definitions))
    s = parse_statement(theorem)
    names = intro_names(s)
    intro = f"intro {' '.join(names)}\n  " if names else ""
    defs = definitions_in(definitions)
    simp = ", ".join(defs)
    if "Int.fdiv" in job.own or "Int.fmod" in job.own or re.search(r"[/%] [a-z_]", job.own):
        # division by a variable: the quotient and remainder put back together (floor or Euclidean)
        unfold = f"simp only [{simp}] at *\n  " if simp else ""
        out.append(f"by\n  {intro}{unfold}(try split) <;> grind [Int.fmod_add_mul_fdiv, Int.emod_add_ediv, "
                   f"Int.ediv_add_emod]")
    for r in recursive:  # recursion: unfold one step in each case of an induction
        for b in s.binders:
            if b.type.startswith("List"):
                out.append(f"by\n  {intro}induction {b.name} <;> (rw [{r}]) <;> (try simp_all [{simp}]) <;> "
                           f"(try split) <;> (try simp_all) <;> (try omega) <;> (try grind)")
    for b in s.binders:
        if b.type.startswith("List"):
            # grind last: simp_all leaves goals such as `¬x = t ⊢ t = x → x ∈ rest` (an equation the other way)
            out.append(f"by\n  {intro}induction {b.name} <;> (try simp_all [{simp}]) <;> (try split) <;> "
                       f"(try simp_all) <;> (try omega) <;> (try grind)")
    for i, lemma in enumerate(lemmas[:MAX_CLOSED_LEMMAS]):
        hyp = f"hlemma{i}"
        have = _inline(lemma, hyp)
        # unfold the side whose loop the lemma is about (its loop call then matches the lemma), or both
        loops = [p.lean_name for p in (left, right) if any(n in lemma.statement for n in _loop_names(p))]
        args = " ".join(names)
        for unfold in (loops or [left.lean_name, right.lean_name],):
            u = ", ".join(unfold)
            for closing in (f"simp only [{u}]\n  simp [{hyp}]", f"simp only [{u}]\n  rw [{hyp}]\n  try simp",
                            f"simp only [{u}]\n  simp [{hyp}] <;> omega",
                            f"simp only [{u}]\n  first | exact {hyp} {args} | exact ({hyp} {args}).symm"):
                out.append(f"by\n  {have}\n  {intro}{closing}")
        out.append(f"by\n  {have}\n  {intro}simp_all [{left.lean_name}, {right.lean_name}, {hyp}]")
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Job:
    left: Program
    right: Program
    theorem: str
    name: str
    informal: str
    own: str  # the pair's own definitions (the shared context may hold other pairs' too)


QUICK = ("omega", "decide", "simp_all", "grind", "rfl", "simp [", "split", "rw [")


def quick(job: "Job", candidates: list[str], lemmas: list[Lemma]) -> list[str]:
    """The candidates of the first round: those built on proved lemmas, and the portfolio's cheap closers
    after unfolding (at most a dozen in all)."""
    with_lemmas = [c for c in candidates if "hlemma" in c]
    plain = [c for c in candidates if "hlemma" not in c and c.count("\n") >= 1
             and any(k in c.rsplit("\n", 1)[-1] for k in QUICK)]
    unfolded = [c for c in plain if "simp only [" in c or "induction" in c or "grind [" in c]
    return (with_lemmas + unfolded)[:14] if with_lemmas or unfolded else candidates[:10]


def prove_all(jobs: list[Job], context: str, prover: Prover, *, progress=lambda m: None):
    """(ProofResult, what was tried, Lean runs) per job: the lemmas of every job in one batch, then every
    theorem in at most two batches (all share `context`), then the prover's full search where a model is
    configured."""
    tried: list[list[str]] = [[] for _ in jobs]
    runs = [0] * len(jobs)
    per_job = [lemma_obligations(j, context)
               if direct(j.left) or direct(j.right) or recursive_names(j.left, j.right) else [] for j in jobs]
    lemmas: list[list[Lemma]] = [[] for _ in jobs]
    flat = [ob for obs in per_job for ob in obs]
    if flat:
        progress(f"searching for loop lemmas ({len(flat)} candidates)")
        verdicts = iter(verify_batch(flat, backend=prover.backend))
        for i, obs in enumerate(per_job):
            found: dict[str, Lemma] = {}
            for ob in obs:
                v = next(verdicts)
                if isinstance(v, Verified) and ob.statement not in found:
                    found[ob.statement] = Lemma(ob.statement, ob.proof)
            lemmas[i] = list(found.values())
            if obs:
                runs[i] += 1
                tried[i].append(f"loop lemmas: {len(lemmas[i])} proved" + (
                    f" ({'; '.join(lemma.statement for lemma in lemmas[i][:2])})" if lemmas[i] else ""))
    # the theorems in two rounds: the likely proofs first (lemma closings, unfold-and-decide, induction), the
    # rest of the portfolio only for the pairs still open (every failing candidate costs elaboration time)
    rounds = [main_candidates(j, lemmas[i]) for i, j in enumerate(jobs)]
    first = [quick(j, c, lemmas[i]) for i, (j, c) in enumerate(zip(jobs, rounds))]
    progress(f"proving {len(jobs)} equivalence(s)")
    results = prover.prove_many_from_candidates(
        [Candidates(j.theorem, tuple(first[i]), j.name, j.informal) for i, j in enumerate(jobs)],
        context=context, how="equivalence")
    counts = [len(f) for f in first]
    later = [i for i, r in enumerate(results) if r.status != "proved" and len(rounds[i]) > len(first[i])]
    if later:
        progress(f"proving {len(later)} equivalence(s) with the rest of the portfolio")
        again = prover.prove_many_from_candidates(
            [Candidates(jobs[i].theorem, tuple(c for c in rounds[i] if c not in first[i]), jobs[i].name,
                        jobs[i].informal) for i in later], context=context, how="equivalence")
        for i, r in zip(later, again):
            results[i] = r
            counts[i] = len(rounds[i])
            runs[i] += 1
    goals = [Candidates(j.theorem, tuple(rounds[i][:counts[i]])) for i, j in enumerate(jobs)]
    out = []
    for i, (job, goal, result) in enumerate(zip(jobs, goals, results)):
        runs[i] += 1
        tried[i].append(f"{len(goal.proofs)} candidate proofs: " + (
            "one verified" if result.status == "proved" else result.reason))
        if result.status != "proved" and prover.llm is not None:
            progress(f"proof search with the model for {job.name}")
            result = prover.prove(job.theorem, context=context, name=job.name, informal=job.informal)
            tried[i].append(f"prover with the model: {result.how or result.reason}")
        out.append((result, tried[i], runs[i]))
    return out
