"""Search over names, statements and informal text, reading identifiers the way Lean does.

A query word that looks like a Lean identifier is matched against names up to namespaces (`length_append`
finds `List.length_append`, `List.length_append` finds an item stored as `length_append` under an opened
namespace) and against the constants of statements, field notation included (`List.length` finds
`xs.length`). The words are also ranked by the knowledge base's own retrieval (FTS5 and shared symbols), and
conjectures are searched by the identifiers and words of their statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...lean.statement import identifiers
from ...lean.syntax import LexError, code_tokens
from ..retrieval import retrieve, words
from .library import CONJECTURE_PREFIX, item_status, node_url

if TYPE_CHECKING:
    from ..store import KnowledgeBase

MAX_RESULTS = 200
# how much each kind of match weighs; the text ranking of `retrieve` adds at most 2
EXACT_NAME, NAME_UP_TO_NAMESPACE, NAME_PART = 10.0, 8.0, 3.0
CONSTANT, FIELD_NOTATION, WORDS = 4.0, 2.0, 1.0


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str  # theorem | definition | conjecture
    status: str
    statement: str
    informal: str
    score: float
    matched: tuple[str, ...]  # name | constant | field | text

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status, "statement": self.statement,
                "informal": self.informal, "score": round(self.score, 3), "matched": list(self.matched),
                "url": node_url(self.id)}


def search(kb: "KnowledgeBase", query: str, limit: int = 50) -> list[Hit]:
    """Best first; ties by name. Empty for a query with no word in it."""
    query = query.strip()
    if not query:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    idents = [i.rstrip(".") for i in identifiers(query) if len(i.rstrip(".")) > 1 or len(query) == 1]
    scores: dict[str, float] = {}
    matched: dict[str, set[str]] = {}

    def credit(key: str, points: float, why: str) -> None:
        scores[key] = scores.get(key, 0.0) + points
        matched.setdefault(key, set()).add(why)

    proved = {r["theorem"] for r in kb.db.query("select theorem from conjectures where status = 'proved' and "
                                                "theorem is not null")}
    rows = {r["name"]: r for r in kb.db.query("select name, kind, statement, informal, verified from items")}
    for name, r in rows.items():
        for ident in idents:
            points = name_match(ident, name)
            if points:
                credit(name, points, "name")
            points, why = constant_match(ident, r["statement"])
            if points:
                credit(name, points, why)
    for item, score in retrieve(kb, query, k=limit * 2, verified_only=False):
        credit(item.name, score, "text")
    conjectures = list(kb.db.query("select id, statement, status from conjectures where status != 'abandoned'"))
    query_words = words(query) | {w.lower() for w in re.findall(r"\w{2,}", query)}
    for c in conjectures:
        key = f"{CONJECTURE_PREFIX}{c['id']}"
        for ident in idents:
            points, why = constant_match(ident, c["statement"])
            if points:
                credit(key, points, why)
        shared = query_words & (words(c["statement"]) | {w.lower() for w in re.findall(r"\w{2,}", c["statement"])})
        if shared and query_words:
            credit(key, WORDS * len(shared) / len(query_words), "text")
    by_id = {f"{CONJECTURE_PREFIX}{c['id']}": c for c in conjectures}
    hits = []
    for key, score in scores.items():
        if key in rows:
            r = rows[key]
            hits.append(Hit(key, r["kind"], item_status(r["kind"], bool(r["verified"]), key in proved),
                            r["statement"], r["informal"] or "", score, tuple(sorted(matched[key]))))
        else:
            c = by_id[key]
            status = {"open": "conjecture-open", "disproved": "conjecture-refuted"}.get(c["status"],
                                                                                      "conjecture-proved")
            hits.append(Hit(key, "conjecture", status, c["statement"], "", score, tuple(sorted(matched[key]))))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]


def name_match(ident: str, name: str) -> float:
    """How well a query identifier names an item: exactly, up to namespaces, or as a part of the name."""
    if ident == name:
        return EXACT_NAME
    if name.endswith("." + ident) or ident.endswith("." + name):
        return NAME_UP_TO_NAMESPACE
    low, parts = ident.lower(), re.split(r"[._]", name.lower())
    if low in parts or (len(low) > 2 and low in name.lower()):
        return NAME_PART
    return 0.0


def constant_match(ident: str, statement: str) -> tuple[float, str]:
    """Whether a statement mentions the constant `ident`: by its name (up to namespaces) or in field notation
    (`xs.length` or `(xs ++ ys).length` for `List.length` or `length`)."""
    last = ident.rsplit(".", 1)[-1]
    best: tuple[float, str] = (0.0, "")
    for used, after_dot in _mentions(statement):
        head, _, fields = used.partition(".")
        on_value = after_dot or (bool(fields) and head[:1].islower())  # a field of a value, not a namespace
        if used == ident and not after_dot:
            return CONSTANT, "constant"
        if not on_value and (used.endswith("." + ident) or ident.endswith("." + used)):
            return CONSTANT, "constant"
        if on_value and last in ([head] if after_dot else []) + fields.split("."):
            best = (FIELD_NOTATION, "field")
    return best


def _mentions(statement: str) -> set[tuple[str, bool]]:
    """Identifiers of a statement, each with whether it follows a dot (`(xs ++ ys).length`)."""
    try:
        toks = code_tokens(statement)
    except LexError:
        return set()
    return {(t.text, t.start > 0 and statement[t.start - 1] == ".") for t in toks if t.kind == "ident"}
