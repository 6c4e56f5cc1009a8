"""What the autoformalizer says to the model, and how numbered answers are read back."""

from __future__ import annotations

import re
from typing import Sequence

CORE_LEAN = (
    "The checker is core Lean 4 (Init and Std only): there is NO Mathlib, so there is no ℕ, ℤ, Finset, "
    "Nat.Prime, ∑ or Real. Use core types and functions: Nat, Int, Bool, List, Array, Option, String, Prod, "
    "+ - * / %, ∣, ^, ≤, <, List.length, List.sum, List.range, List.reverse, List.map, List.filter, ..."
)
CANDIDATE_SYSTEM = (
    "You translate mathematical statements written in English into Lean 4 propositions. " + CORE_LEAN + " "
    "Do not prove anything. Quantify every variable explicitly with its type, write hypotheses as "
    "implications, and keep the meaning exact: not weaker, not stronger, no extra or missing hypotheses. "
    "Reply with exactly one ```lean code block holding `theorem formal_statement : <proposition> := by sorry`."
)
BACK_SYSTEM = (
    "You read Lean 4 propositions aloud for a mathematician. Translate literally: every quantifier with its "
    "type, every hypothesis, the conclusion. Do not guess what was intended and do not correct mistakes."
)
JUDGE_SYSTEM = (
    "You check whether a formal statement says exactly what an informal statement says: the same variables "
    "over the same ranges, the same hypotheses, the same conclusion. A weaker or stronger statement, a special "
    "case, or one with contradictory hypotheses does NOT mean the same."
)


def candidate_messages(text: str, *, context: str = "", definitions: Sequence[str] = (),
                       known: Sequence[tuple[str, str]] = ()) -> list[dict]:
    parts = [f"Statement:\n{text.strip()}"]
    if context.strip():
        parts.append(f"These definitions are in scope; use them where they fit:\n```lean\n{context.strip()}\n```")
    if definitions:
        parts.append("Definitions from the knowledge base, in scope; reuse these names instead of redefining "
                     "them:\n```lean\n" + "\n\n".join(d.strip() for d in definitions) + "\n```")
    if known:
        parts.append("Related proven results (their vocabulary is available):\n"
                     + "\n".join(f"- {name} : {statement}" for name, statement in known))
    parts.append("Formalize the statement as one Lean 4 proposition.")
    return [{"role": "system", "content": CANDIDATE_SYSTEM}, {"role": "user", "content": "\n\n".join(parts)}]


def repair_messages(base: list[dict], statement: str, errors: Sequence[str], text: str) -> list[dict]:
    """The candidate conversation continued with the rejected statement and Lean's errors."""
    listed = "\n".join(f"- {e}" for e in errors) or "- (no message)"
    return base + [
        {"role": "assistant",
         "content": f"```lean\ntheorem formal_statement : {statement} := by sorry\n```"},
        {"role": "user",
         "content": f"Lean rejected this statement (it does not elaborate):\n{listed}\n\n"
                    f"Fix the statement so that it elaborates in core Lean 4 and still means exactly: "
                    f"{text.strip()}\nReply with one ```lean block as before."},
    ]


def back_translation_messages(statements: Sequence[str], context: str = "") -> list[dict]:
    parts = []
    if context.strip():
        parts.append(f"Definitions in scope:\n```lean\n{context.strip()}\n```")
    parts.append("Translate each numbered Lean proposition into English. Answer with one line per "
                 "proposition, in the form `[k] sentence`, and nothing else.")
    parts.append("\n".join(f"[{k}] {s}" for k, s in enumerate(statements, 1)))
    return [{"role": "system", "content": BACK_SYSTEM}, {"role": "user", "content": "\n\n".join(parts)}]


def judge_messages(text: str, pairs: Sequence[tuple[str, str]]) -> list[dict]:
    listing = "\n".join(f"[{k}] Lean: {s}\n    Reading: {b or '(none)'}" for k, (s, b) in enumerate(pairs, 1))
    body = (f"Original statement:\n{text.strip()}\n\nCandidates (each a Lean proposition and a literal English "
            f"reading of it):\n{listing}\n\nDoes each candidate mean exactly the original? Answer one line per "
            f"candidate: `[k] YES: reason` or `[k] NO: reason`.")
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": body}]


_ITEM = re.compile(r"^\s*(?:[-*]\s*)?(?:\*\*)?(?:\[(\d+)\]|\((\d+)\)|(\d+)[.):])(?:\*\*)?\s*(.*)$")


def numbered(reply: str, count: int) -> dict[int, str]:
    """`[k] text` (or `k.`, `k)`, `(k)`) items of a reply, 1-based; continuation lines join their item."""
    found: dict[int, str] = {}
    current: int | None = None
    for line in (reply or "").splitlines():
        m = _ITEM.match(line)
        if m:
            k = int(next(g for g in m.groups()[:3] if g))
            if 1 <= k <= count and k not in found:
                current = k
                found[k] = m.group(4).strip()
                continue
            current = None
            continue
        if current is not None and line.strip() and not line.strip().startswith("```"):
            found[current] = (found[current] + " " + line.strip()).strip()
    if not found and count == 1 and (reply or "").strip():
        found[1] = " ".join(reply.split())
    return found


_VERDICT = re.compile(r"^[\s*_`\"'(]*(yes|no|same|different|faithful|unfaithful)\b[\s*_`\"')]*[:,.\-–—]?\s*(.*)$",
                      re.IGNORECASE | re.DOTALL)


def verdict(item: str) -> tuple[bool | None, str]:
    """(True for YES, False for NO, None when the line says neither) and the stated reason."""
    m = _VERDICT.match(item or "")
    if not m:
        return None, (item or "").strip()
    word = m.group(1).lower()
    return word in ("yes", "same", "faithful"), m.group(2).strip()
