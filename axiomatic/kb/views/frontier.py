"""The frontier between proven and open: what is stated but not proved, ranked by what proving it would unlock.

Open statements are of three sorts, each with the items it depends on:
- imported items not verified here (their dependency edges, e.g. LeanDojo premises);
- open conjectures (the proven items they were built from);
- goals: statements the prover tried and failed, with no verified item of that statement (the items their
  candidate proofs named). The prover's own generalisation lemmas are left out: they are means, not goals.
A statement is *ready* when everything it depends on is proven. Proving X *unlocks* every open statement whose
only unproven dependency is X (it becomes ready); *downstream* counts every open statement that depends on X,
directly or not. Ranked by unlocks, then downstream, then ready first, then fewest failed attempts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from .library import CONJECTURE_PREFIX, node_url

if TYPE_CHECKING:
    from ..store import KnowledgeBase

GOAL_PREFIX = "goal:"
NAME = re.compile(r"[A-Za-z_][\w.'!?]*")


@dataclass(frozen=True)
class OpenStatement:
    id: str  # item name, conjecture:<id> or goal:<n>
    sort: str  # unverified | conjecture | goal
    statement: str
    depends_on: tuple[str, ...]
    unproven: tuple[str, ...]  # of depends_on, those not proven
    unlocks: int
    downstream: int
    attempts: int  # failed attempts recorded on this statement
    last_error: str

    @property
    def ready(self) -> bool:
        return not self.unproven

    @property
    def url(self) -> str:
        return "" if self.sort == "goal" else node_url(self.id)

    def to_json(self) -> dict:
        return {"id": self.id, "sort": self.sort, "statement": self.statement, "depends_on": list(self.depends_on),
                "unproven": list(self.unproven), "ready": self.ready, "unlocks": self.unlocks,
                "downstream": self.downstream, "failed_attempts": self.attempts, "last_error": self.last_error,
                "url": self.url or None}


def frontier(kb: "KnowledgeBase") -> list[OpenStatement]:
    proven = {r["name"] for r in kb.db.query("select name from items where verified = 1")}
    proven_statements = {" ".join(r["statement"].split())
                         for r in kb.db.query("select statement from items where verified = 1")}
    failures: dict[str, tuple[int, str]] = {}
    for r in kb.db.query("select target, count(*) as n, max(id) as last from attempts where outcome != 'verified' "
                         "group by target"):
        err = next(iter(kb.db.query("select error from attempts where id = ?", [r["last"]])))["error"] or ""
        failures[" ".join(r["target"].split())] = (r["n"], err)
    deps: dict[str, tuple[str, ...]] = {}
    info: dict[str, tuple[str, str]] = {}  # id -> (sort, statement)
    item_names = {r["name"] for r in kb.db.query("select name from items")}
    edges: dict[str, list[str]] = {}
    for e in kb.db.query("select src, dst from edges join items on items.name = edges.src where items.verified = 0 "
                         "order by src, dst"):
        if e["dst"] in item_names:
            edges.setdefault(e["src"], []).append(e["dst"])
    for r in kb.db.query("select name, statement from items where verified = 0"):
        info[r["name"]] = ("unverified", r["statement"])
        deps[r["name"]] = tuple(edges.get(r["name"], ()))
    conjectured = set()
    for c in kb.db.query("select id, statement, parents from conjectures where status = 'open' order by id"):
        key = f"{CONJECTURE_PREFIX}{c['id']}"
        info[key] = ("conjecture", c["statement"])
        deps[key] = tuple(p for p in json.loads(c["parents"] or "[]") if p in item_names)
        conjectured.add(" ".join(c["statement"].split()))
    closed = {" ".join(c["statement"].split()) for c in kb.db.query(
        "select statement from conjectures where status != 'open'")}
    goals = kb.db.query("select target, group_concat(candidate, char(10)) as candidates, min(id) as first from "
                        "attempts where origin != 'generalization' group by target order by first")
    for g in goals:
        target = " ".join(g["target"].split())
        if target in proven_statements or target in conjectured or target in closed or target not in failures:
            continue
        key = f"{GOAL_PREFIX}{g['first']}"  # named after its first attempt: stable as attempts accumulate
        info[key] = ("goal", g["target"])
        named = set(NAME.findall(g["candidates"] or ""))
        deps[key] = tuple(sorted(named & item_names))
    graph = nx.DiGraph()
    graph.add_nodes_from(info)
    graph.add_edges_from((k, d) for k, ds in deps.items() for d in ds if d in info)
    unproven = {k: tuple(d for d in ds if d not in proven) for k, ds in deps.items()}
    downstream = _ancestor_counts(graph)
    out = []
    for key, (sort, statement) in info.items():
        unlocks = sum(1 for user in graph.predecessors(key) if set(unproven[user]) == {key})
        fails, err = failures.get(" ".join(statement.split()), (0, ""))
        out.append(OpenStatement(key, sort, statement, deps[key], unproven[key], unlocks, downstream[key], fails,
                                 err))
    out.sort(key=lambda o: (-o.unlocks, -o.downstream, not o.ready, o.attempts, o.id))
    return out


def _ancestor_counts(graph: nx.DiGraph) -> dict[str, int]:
    """How many nodes reach each node. One pass in topological order with bit sets, so that an import of
    thousands of statements costs milliseconds, not a search per node."""
    if not nx.is_directed_acyclic_graph(graph):
        return {n: len(nx.ancestors(graph, n)) for n in graph}
    index = {n: i for i, n in enumerate(graph)}
    reach: dict[str, int] = {}
    for n in nx.topological_sort(graph):  # users before what they use
        bits = 0
        for user in graph.predecessors(n):
            bits |= reach[user] | (1 << index[user])
        reach[n] = bits
    return {n: bin(bits).count("1") for n, bits in reach.items()}
