"""Rank knowledge-base items by relevance to a goal: full-text match plus shared constants and symbols."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..lean.statement import Statement, identifiers, parse_statement

if TYPE_CHECKING:
    from .store import Item, KnowledgeBase

STOP_WORDS = frozenset("a an and are as at be by for from if in is it its of on or that the then to with".split())
SYMBOLS = ("++", "::", "+", "*", "-", "/", "%", "∣", "≤", "<", "≠", "=", "↔", "¬", "∧", "∨", "∀", "∃", "^")


def words(text: str) -> set[str]:
    """Lowercase word pieces of identifiers (`List.length_append` -> list, length, append)."""
    out: set[str] = set()
    for ident in identifiers(text):
        for piece in re.split(r"[._]", ident):
            if len(piece) > 1 and piece.lower() not in STOP_WORDS:
                out.add(piece.lower())
    return out


def fts_query(text: str) -> str:
    """An FTS5 query matching any word piece of `text` (quoted, so no FTS syntax can be injected)."""
    pieces = sorted(words(text) | {w.lower() for w in re.findall(r"\w{2,}", text) if w.lower() not in STOP_WORDS})
    return " OR ".join('"' + p.replace('"', "") + '"' for p in pieces)


def symbols(statement: str, parsed: Statement | None = None) -> set[str]:
    """Constants (not bound variables) and operators of a statement (`parsed`: its parse, when the caller has
    it already)."""
    try:
        bound = (parsed if parsed is not None else parse_statement(statement)).variables()
    except Exception:  # a statement we cannot split is still searchable by its words
        bound = set()
    consts = {i for i in identifiers(statement) if i not in bound}
    consts |= {i.split(".", 1)[1] for i in identifiers(statement) if "." in i and i.split(".", 1)[0] in bound}
    return consts | {s for s in SYMBOLS if s in statement}


def retrieve(kb: "KnowledgeBase", goal: str, k: int = 8, *, verified_only: bool = True, parsed: Statement | None = None,
             symbols_of: dict[str, set[str]] | None = None) -> list[tuple["Item", float]]:
    """The k items most relevant to `goal`, best first, with scores in [0, 2]. Deterministic. `parsed`: the goal's
    parse when the caller has it; `symbols_of`, when given, receives each item's symbols by name (so a caller
    that filters the items by symbols does not parse their statements again)."""
    items = kb.items(verified_only=verified_only)
    if not items:
        return []
    fts_rank: dict[str, float] = {}
    q = fts_query(goal)
    if q:
        rows = list(kb.db.query(
            "select items.name as name from items_fts join items on items.rowid = items_fts.rowid "
            "where items_fts match ? order by bm25(items_fts) limit 200", [q]))
        for position, row in enumerate(rows):
            fts_rank[row["name"]] = 1.0 - position / max(1, len(rows))
    goal_symbols, goal_words = symbols(goal, parsed), words(goal)
    scored = []
    for item in items:
        theirs = symbols(item.statement)
        if symbols_of is not None:
            symbols_of[item.name] = theirs
        overlap = len(goal_symbols & theirs) / len(goal_symbols | theirs) if goal_symbols | theirs else 0.0
        word_overlap = len(goal_words & words(item.statement + " " + item.informal)) / max(1, len(goal_words))
        score = overlap + 0.5 * fts_rank.get(item.name, 0.0) + 0.5 * word_overlap
        if score > 0:
            scored.append((item, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].name))
    return scored[:k]
