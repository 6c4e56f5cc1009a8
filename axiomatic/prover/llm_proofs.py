"""Talking to a prover model: prompts that carry the goal, useful lemmas and Lean's errors; robust extraction
of a proof (and of proposed auxiliary lemmas) from whatever text comes back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lean.syntax import split_top

SYSTEM = (
    "You are an expert in Lean 4 theorem proving. The checker is core Lean 4.28 (Init, Std, Lean only): "
    "there is NO Mathlib, Batteries or Aesop, so use core tactics (omega, simp, simp_all, grind, decide, "
    "induction ... with, cases, rfl, exact, rw, constructor, intro, have, calc). Reply with the proof that "
    "follows `:=` (a term or a `by` block) inside one ```lean code block, and nothing that declares anything. "
    "If the goal needs auxiliary lemmas, you may first list them, one per line, in a ```lemmas block as "
    "`lemma NAME : STATEMENT`; they will be proved separately and you may then use them by name. Example reply:\n"
    "```lemmas\nlemma step : ∀ (xs : List Nat) (acc : Nat), f xs acc = acc + g xs\n```\n"
    "```lean\nby\n  intro xs\n  simp [step]\n```"
)
FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_-]*)[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)
HEADER = re.compile(r"^\s*(?:theorem|lemma|example)\b")


@dataclass(frozen=True)
class Proposal:
    proof: str | None
    lemmas: tuple[tuple[str, str], ...]  # (name, statement)


def build_messages(statement: str, context: str, lemmas: list[tuple[str, str]],
                   history: list[tuple[str, str]], informal: str = "") -> list[dict]:
    parts = []
    if context.strip():
        parts.append(f"Definitions in scope:\n```lean\n{context.strip()}\n```")
    if lemmas:
        parts.append("Proven lemmas you may use by name:\n" + "\n".join(f"- {n} : {s}" for n, s in lemmas))
    if informal:
        parts.append(f"Informally: {informal}")
    parts.append(f"Prove:\n```lean\ntheorem goal : {statement} := ?\n```")
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n\n".join(parts)}]
    for proof, errors in history:
        messages.append({"role": "assistant", "content": f"```lean\n{proof}\n```"})
        messages.append({"role": "user", "content": f"Lean rejected this proof:\n{errors}\nPlease fix it."})
    return messages


def parse_reply(text: str) -> Proposal:
    """The proof and proposed lemmas in a model's reply. Garbage gives Proposal(None, ())."""
    if not isinstance(text, str) or not text.strip():
        return Proposal(None, ())
    lemmas: list[tuple[str, str]] = []
    proof_blocks: list[str] = []
    for lang, body in FENCE.findall(text):
        if lang.lower() == "lemmas":
            for line in body.splitlines():
                m = re.match(r"^\s*(?:lemma|theorem)\s+([A-Za-z_][\w.']*)\s*:\s*(.+?)\s*(?::=.*)?$", line)
                if m:
                    lemmas.append((m.group(1), m.group(2).strip()))
        elif body.strip():
            proof_blocks.append(body)
    if not proof_blocks and "```" not in text:
        proof_blocks.append(text)
    if not proof_blocks:
        return Proposal(None, tuple(lemmas))
    # helper lemmas the model declared in its Lean block, before the theorem it proves last
    *helpers, last = _declarations(proof_blocks[-1]) or [("", "", proof_blocks[-1])]
    for name, statement, _ in helpers:
        if name and statement and (name, statement) not in lemmas:
            lemmas.append((name, statement))
    proof = strip_header(last[2] if helpers else proof_blocks[-1])
    return Proposal(proof or None, tuple(lemmas))


DECL = re.compile(r"^(?:theorem|lemma)\s+([A-Za-z_][\w.']*)\s*((?:[({][^(){}]*[)}]\s*)*):(.*?):=",
                  re.MULTILINE | re.DOTALL)


def _declarations(block: str) -> list[tuple[str, str, str]]:
    """(name, statement, text) of each `theorem`/`lemma` declaration in a block, binders folded into `∀`."""
    found = list(DECL.finditer(block))
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(block)
        binders, typ = " ".join(m.group(2).split()), " ".join(m.group(3).split())
        statement = f"∀ {binders}, {typ}" if binders and typ else typ
        out.append((m.group(1), statement, block[m.start():end]))
    return out


def strip_header(block: str) -> str:
    """Drop a restated `theorem name : statement :=` (the verifier writes the header itself)."""
    text = block.strip()
    lines = [line for line in text.splitlines() if not line.strip().startswith("import ")]
    text = "\n".join(lines).strip()
    if HEADER.match(text):
        parts = split_top(text, ":=")
        text = ":=".join(parts[1:]).strip() if len(parts) > 1 else ""
    elif text.startswith(":="):
        text = text[2:].strip()
    return text
