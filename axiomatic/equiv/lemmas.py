"""Loop lemmas for equivalence goals.

A function `init; for ...; return acc` is a loop call with constant starting values behind `let`s. Stated
about the loop call itself (`loop xs [] = other xs`), the goal exposes those constants, and the prover's
generalisation stage (prover/generalize.py) turns them into the accumulator lemma induction needs
(`∀ acc, loop xs acc = acc ++ other xs`). The original goal then follows by unfolding: the function *is* the
loop call, definitionally.
"""

from __future__ import annotations

from ..kb.lean_export import lean_context_for
from ..prover import ProofResult, Prover
from .programs import Program, call, rename_identifiers
from .python_subset import lean_ident


def direct(program: Program) -> str:
    return program.translations[-1].direct if program.language == "python" and program.translations else ""


def prove_with_loop_lemmas(prover: Prover, left: Program, right: Program, theorem: str, definitions: str,
                           name: str, informal: str) -> ProofResult | None:
    dl, dr = direct(left), direct(right)
    if not dl and not dr:
        return None
    names = [lean_ident(p) for p, _ in left.signature.params]
    rename_right = {lean_ident(p): n for (p, _), n in zip(right.signature.params, names)}
    lhs = dl or call(left, names)
    rhs = rename_identifiers(dr, rename_right) if dr else call(right, names)
    head, _, _ = theorem.partition(", ")
    pres = theorem[len(head) + 2:].rsplit(" → ", 1)[0] + " → " if " → " in theorem else ""
    loop_goal = f"{head}, {pres}{lhs} = {rhs}" if names else f"{pres}{lhs} = {rhs}"
    # the side with the loop goes on the left, where generalisation looks for constants
    if not dl:
        loop_goal = f"{head}, {pres}{rhs} = {lhs}" if names else f"{pres}{rhs} = {lhs}"
    lemma = prover.prove(loop_goal, context=definitions, name=f"{name}_loop", informal=f"loop form of: {informal}",
                         depth=0)
    if lemma.status != "proved":
        return None
    hyps = [f"h{i}" for i in range(pres.count(" → "))]
    args = " ".join(names + hyps)
    closing = [
        f"fun {args} => {lemma.name} {args}" if args else lemma.name,
        f"fun {args} => ({lemma.name} {args}).symm" if args else f"{lemma.name}.symm",
        f"by\n  intro {args}\n  simp only [{left.lean_name}, {right.lean_name}]\n  first | exact {lemma.name} {args} "
        f"| exact ({lemma.name} {args}).symm" if args else f"by\n  simp only [{left.lean_name}, {right.lean_name}]",
    ]
    # the lemma and the generalisations it rests on, as the knowledge base renders them (dependency order)
    context = definitions + "\n\n" + lean_context_for(prover.kb, [lemma.name], already=definitions)
    verdict, proof = prover._first_verified(theorem, closing, context, origin="loop-lemma")
    if verdict is None:
        return None
    result = ProofResult("proved", name, theorem)
    result.lemmas = [lemma.name, *lemma.lemmas]
    return prover._store(result, verdict, proof, name, informal, definitions, "loop-lemma")
