"""A candidate formalization and everything learned about it, and the order in which candidates are ranked."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lean.statement import canonical


@dataclass
class Candidate:
    """One Lean proposition proposed for the informal text.

    `sample` is the index of the model reply it came from; `repairs` lists the earlier versions Lean rejected
    (statement and Lean's errors), oldest first. `votes` counts the replies that proposed the same statement
    (up to renaming of bound variables and spacing).
    """

    statement: str
    sample: int
    elaborates: bool = False
    errors: list[str] = field(default_factory=list)
    back_translation: str = ""
    faithful: bool = False
    judgement: str = ""
    lexical: float = 0.0
    trivial: bool = False
    trivial_by: str = ""
    vacuous: bool = False
    vacuous_by: str = ""
    votes: int = 1
    repairs: list[dict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def key(self) -> str:
        try:
            return canonical(self.statement)
        except Exception:  # a statement the light parser cannot split is compared as written
            return " ".join(self.statement.split())

    def to_json(self) -> dict:
        return {
            "statement": self.statement, "elaborates": self.elaborates, "errors": list(self.errors),
            "back_translation": self.back_translation, "faithful": self.faithful, "reasons": list(self.reasons),
            "trivial": self.trivial, "trivial_by": self.trivial_by or None, "vacuous": self.vacuous,
            "vacuous_by": self.vacuous_by or None, "lexical_overlap": round(self.lexical, 3), "votes": self.votes,
            "sample": self.sample, "repairs": list(self.repairs),
        }

    @property
    def acceptable(self) -> bool:
        """What a successful formalization needs: it elaborates, is judged faithful, and is not vacuous."""
        return self.elaborates and self.faithful and not self.vacuous


def merge_duplicates(cands: list[Candidate]) -> list[Candidate]:
    """Keep the first of each group of identical statements; the others add a vote to it."""
    seen: dict[str, Candidate] = {}
    out: list[Candidate] = []
    for c in cands:
        k = c.key()
        if k in seen:
            seen[k].votes += c.votes
            seen[k].reasons.append(f"also proposed by reply {c.sample + 1}")
            continue
        seen[k] = c
        out.append(c)
    return out


def original_is_trivial(cands: list[Candidate]) -> bool:
    """The informal statement is itself trivial when every acceptable candidate is closed by automation."""
    good = [c for c in cands if c.acceptable]
    return bool(good) and all(c.trivial for c in good)


def rank(cands: list[Candidate]) -> list[Candidate]:
    """Best first: elaborates > judged faithful > not vacuous > not trivial (unless the original is trivial) >
    agreement between replies > lexical overlap of the back-translation > order of the replies."""
    trivial_ok = original_is_trivial(cands)
    order = sorted(enumerate(cands), key=lambda p: (
        not p[1].elaborates, not p[1].faithful, p[1].vacuous, p[1].trivial and not trivial_ok,
        -p[1].votes, -p[1].lexical, p[0]))
    return [c for _, c in order]
