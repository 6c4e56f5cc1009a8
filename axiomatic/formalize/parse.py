"""Robust extraction of one Lean proposition from whatever text a model sends back.

Accepted shapes: a ```lean block (or bare text) holding `theorem NAME BINDERS : PROP := PROOF`, `lemma ...`,
`example BINDERS : PROP := ...`, or just `PROP`. Binders before the colon become a leading `∀`, the proof after
a top-level `:=` is dropped, comments are removed and whitespace is collapsed to one line. A reply with no
statement gives `(None, reason)`: it is recorded, never guessed at.
"""

from __future__ import annotations

import re

from ..lean.syntax import BRACKETS, balanced, matching_bracket, strip_comments, top_level_find

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
HEADER = re.compile(r"(?m)^[ \t]*(?:@\[[^\]]*\][ \t]*)?(?:private[ \t]+|protected[ \t]+)?(theorem|lemma|example)\b")
LEAN_HINTS = ("∀", "∃", "→", "↔", "=", "≤", "<", "≠", "∣", "¬", "∧", "∨", ":")
MAX_LENGTH = 2000


def _cut_proof(text: str) -> str:
    """The part before a top-level `:=` (the proof) or `where`."""
    at = top_level_find(text, ":=")
    if at >= 0:
        text = text[:at]
    m = re.search(r"\s(?:where|termination_by|decreasing_by)\b", text)
    return text[: m.start()] if m else text


def split_declaration(decl: str) -> tuple[str, str] | None:
    """`BINDERS : TYPE` (the text after `theorem NAME`) -> (binders, type), or None if there is no colon."""
    i, n = 0, len(decl)
    binders: list[str] = []
    while i < n:
        ch = decl[i]
        if ch.isspace():
            i += 1
        elif ch in BRACKETS and ch != "⟨":
            j = matching_bracket(decl, i)
            if j < 0:
                return None
            binders.append(decl[i:j + 1])
            i = j + 1
        elif ch == ":" and not decl.startswith(":=", i):
            return " ".join(binders), decl[i + 1:]
        else:
            return None
    return None


def normalize(statement: str) -> str:
    return " ".join(statement.split())


def proposition_of(block: str) -> tuple[str | None, str]:
    """The proposition stated by one Lean snippet, or (None, reason)."""
    block = strip_comments(block)
    header = HEADER.search(block)
    if header:
        rest = block[header.end():]
        if header.group(1) != "example":
            name = re.match(r"\s*([^\s:(){}\[\]⦃⦄]+)", rest)
            if name and not rest.lstrip().startswith(":"):
                rest = rest[name.end():]
        rest = _cut_proof(rest)
        parts = split_declaration(rest)
        if parts is None:
            return None, "a declaration without a `: statement` part"
        binders, prop = parts
        prop = normalize(prop)
        if binders.strip() and prop:
            prop = f"∀ {normalize(binders)}, {prop}"
    else:
        lines = [ln for ln in block.splitlines() if ln.strip() and not re.match(
            r"\s*(import|open|set_option|namespace|section|end|variable|universe)\b", ln)]
        if any(re.match(r"\s*(def|abbrev|structure|inductive|instance|class)\b", ln) for ln in lines):
            return None, "the reply defines something but states no theorem"
        prop = normalize(_cut_proof("\n".join(lines)))
        if prop.startswith(":") and not prop.startswith(":="):
            prop = prop[1:].strip()
    if not prop:
        return None, "an empty statement"
    if not balanced(prop):
        return None, "unbalanced brackets (a truncated reply?)"
    if len(prop) > MAX_LENGTH:
        return None, f"a statement longer than {MAX_LENGTH} characters"
    if prop.strip() in ("sorry", "True", "False"):
        return None, f"a degenerate statement `{prop.strip()}`"
    return prop, ""


def _looks_like_lean(text: str) -> bool:
    """Bare text (no code block) counts only if it is a single line that reads as a formula, not prose."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1:
        return False
    line = lines[0].strip().rstrip(".")
    if not any(h in line for h in LEAN_HINTS):
        return False
    prose = re.findall(r"\b(?:the|is|are|that|this|cannot|sorry|i|you|with|for|of|a|an)\b", line.lower())
    return len(prose) <= 1


def extract_statement(reply: object) -> tuple[str | None, str]:
    """The proposition in a model's reply, or (None, why the reply was skipped)."""
    if not isinstance(reply, str) or not reply.strip():
        return None, "empty reply"
    blocks = [(lang.lower(), body) for lang, body in FENCE.findall(reply) if body.strip()]
    if blocks:
        # prefer Lean blocks that declare a theorem, then any Lean block, then any block
        ranked = sorted(enumerate(blocks), key=lambda p: (
            not HEADER.search(p[1][1]), p[1][0] not in ("lean", "lean4", ""), p[0]))
        reasons = []
        for _, (_, body) in ranked:
            prop, why = proposition_of(body)
            if prop is not None:
                return prop, ""
            reasons.append(why)
        return None, f"no statement in the code block: {reasons[0]}"
    if HEADER.search(reply):
        return proposition_of(reply[HEADER.search(reply).start():])
    if _looks_like_lean(reply):
        return proposition_of(reply.strip().rstrip("."))
    return None, "no Lean statement found in the reply (no code block, no theorem)"
