"""The conjecturer's history, round by round, as the conjectures table records it.

The table has no round column; rounds are read off the order of its rows. One `propose` (a round of `grow`, or
one `conjecture` command) inserts a contiguous run of rows: first the candidates screened out (`abandoned`: does
not elaborate or trivial; `disproved`: a kernel-checked counterexample), then the ones it kept (`open`), which
the prover then updates to `proved` or leaves open with its reason. So a new round starts where a screened-out
row follows a kept one, where a kept row was inserted after the previous kept row was updated by the prover,
or after a pause of more than GAP_SECONDS between two inserts (one round inserts its rows back to back, after
its one screening run).

The table keeps what was screened out and what was kept, not the candidates generated and left unscreened or
unchosen (`grow`'s own report counts those), so a round's "recorded" is screened out + kept.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .library import node_url

if TYPE_CHECKING:
    from ..store import KnowledgeBase

GAP_SECONDS = 3.0
SCREENED_OUT = ("abandoned", "disproved")


@dataclass(frozen=True)
class Proposal:
    id: int
    statement: str
    status: str
    reason: str
    rule: str
    parents: tuple[str, ...]
    theorem: str | None

    @property
    def outcome(self) -> str:
        """ill-typed | trivial | refuted | proved | open"""
        if self.status == "disproved":
            return "refuted"
        if self.status == "abandoned":
            return "trivial" if self.reason.startswith("trivial") else "ill-typed"
        return self.status

    def to_json(self) -> dict:
        return {"id": self.id, "statement": self.statement, "status": self.status, "outcome": self.outcome,
                "reason": self.reason, "rule": self.rule, "parents": list(self.parents), "theorem": self.theorem,
                "url": f"/conjecture/{self.id}", "theorem_url": node_url(self.theorem) if self.theorem else None}


@dataclass(frozen=True)
class Round:
    number: int
    started: str
    proposals: tuple[Proposal, ...]

    def count(self, *outcomes: str) -> int:
        return sum(p.outcome in outcomes for p in self.proposals)

    def to_json(self) -> dict:
        return {"round": self.number, "started": self.started, "recorded": len(self.proposals),
                "screened_out": self.count("ill-typed", "trivial", "refuted"), "ill_typed": self.count("ill-typed"),
                "trivial": self.count("trivial"), "refuted": self.count("refuted"),
                "kept": self.count("open", "proved"), "proved": self.count("proved"), "open": self.count("open"),
                "proposals": [p.to_json() for p in self.proposals]}


def grow_history(kb: "KnowledgeBase") -> list[Round]:
    rows = list(kb.db.query("select * from conjectures order by id"))
    known = {r["name"] for r in kb.db.query("select name from items")}
    rounds: list[list[dict]] = []
    for i, row in enumerate(rows):
        if i == 0 or _starts_round(rows[i - 1], row):
            rounds.append([])
        rounds[-1].append(row)
    out = []
    for n, group in enumerate(rounds, start=1):
        proposals = tuple(Proposal(r["id"], r["statement"], r["status"], r["reason"] or "", r["rule"] or "",
                                   tuple(json.loads(r["parents"] or "[]")),
                                   r["theorem"] if r["theorem"] in known else None) for r in group)
        out.append(Round(n, group[0]["created"], proposals))
    return out


def _starts_round(prev: dict, row: dict) -> bool:
    kept_before = prev["status"] not in SCREENED_OUT
    if kept_before and row["status"] in SCREENED_OUT:
        return True
    if kept_before and prev["updated"] > prev["created"] and row["created"] > prev["updated"]:
        return True
    return _seconds(prev["created"], row["created"]) > GAP_SECONDS


def _seconds(a: str, b: str) -> float:
    try:
        return (datetime.datetime.fromisoformat(b) - datetime.datetime.fromisoformat(a)).total_seconds()
    except (TypeError, ValueError):
        return 0.0
