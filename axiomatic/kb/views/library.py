"""The whole knowledge base as one read-only snapshot of nodes and edges: what the graph, the frontier and the
search pages start from. Only SELECT statements; nothing here writes."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from ..store import KnowledgeBase

# A node's status, in the order the legend shows them.
STATUSES = ("theorem", "definition", "conjecture-proved", "conjecture-open", "conjecture-refuted", "unverified")
STATUS_LABELS = {
    "theorem": "verified theorem",
    "definition": "definition",
    "conjecture-proved": "conjecture, proved",
    "conjecture-open": "conjecture, open",
    "conjecture-refuted": "conjecture, refuted",
    "unverified": "imported, not verified",
}
# How an edge came about: a constant of the kernel's proof term, a name only in the proof text, stored before
# the two were told apart, or the items a conjecture was built from.
EDGE_KINDS = ("kernel", "text", "unknown", "parent")
CONJECTURE_PREFIX = "conjecture:"


@dataclass(frozen=True)
class Node:
    id: str  # the item's name, or `conjecture:<id>`
    label: str
    kind: str  # theorem | definition | conjecture
    status: str  # one of STATUSES
    source: str
    tags: tuple[str, ...]
    statement: str

    @property
    def url(self) -> str:
        return node_url(self.id)

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind, "status": self.status, "source": self.source,
                "tags": list(self.tags), "statement": self.statement, "url": self.url}


@dataclass(frozen=True)
class Edge:
    src: str  # uses ...
    dst: str  # ... this
    kind: str  # one of EDGE_KINDS

    def to_json(self) -> dict:
        return {"src": self.src, "dst": self.dst, "kind": self.kind}


@dataclass(frozen=True)
class Library:
    nodes: dict[str, Node]
    edges: tuple[Edge, ...]

    def graph(self) -> nx.DiGraph:
        """An edge A -> B means A uses B (or conjecture A was built from B). Both ends are nodes."""
        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        for e in self.edges:
            g.add_edge(e.src, e.dst, kind=e.kind)
        return g


def node_url(node_id: str) -> str:
    if node_id.startswith(CONJECTURE_PREFIX):
        return f"/conjecture/{node_id[len(CONJECTURE_PREFIX):]}"
    return "/item/" + urllib.parse.quote(node_id, safe="")


def edge_kind(kernel: int | None) -> str:
    return "unknown" if kernel is None else ("kernel" if kernel else "text")


def item_status(kind: str, verified: bool, proved_conjecture: bool) -> str:
    if not verified:
        return "unverified"
    if kind == "definition":
        return "definition"
    return "conjecture-proved" if proved_conjecture else "theorem"


def load_library(kb: "KnowledgeBase", *, conjectures: bool = True) -> Library:
    """Every item, and (unless `conjectures` is False) the open and refuted conjectures, with the edges
    between them. Edges to constants outside the knowledge base (core Lean) are left out; a proved conjecture
    is its theorem's node, linked to the items it was built from unless it uses them already."""
    rows = list(kb.db.query("select name, kind, statement, source, tags, verified from items"))
    conj_rows = list(kb.db.query(
        "select id, statement, status, rule, parents, theorem from conjectures "
        "where status in ('open', 'disproved', 'proved') order by id")) if conjectures else []
    proved = {c["theorem"] for c in conj_rows if c["status"] == "proved" and c["theorem"]}
    nodes: dict[str, Node] = {}
    for r in rows:
        nodes[r["name"]] = Node(r["name"], r["name"], r["kind"], item_status(r["kind"], bool(r["verified"]),
                                r["name"] in proved), r["source"], tuple(json.loads(r["tags"] or "[]")),
                                r["statement"])
    edges = [Edge(r["src"], r["dst"], edge_kind(r["kernel"]))
             for r in kb.db.query("select src, dst, kernel from edges order by src, dst")
             if r["dst"] in nodes and r["src"] in nodes and r["src"] != r["dst"]]
    linked = {(e.src, e.dst) for e in edges}
    for c in conj_rows:
        if c["status"] == "proved":  # drawn as its theorem (or, proved by an existing item, nothing new to draw)
            theorem = c["theorem"]
            if theorem in nodes:
                edges += [Edge(theorem, p, "parent") for p in dict.fromkeys(json.loads(c["parents"] or "[]"))
                          if p in nodes and p != theorem and (theorem, p) not in linked]
            continue
        cid = f"{CONJECTURE_PREFIX}{c['id']}"
        status = "conjecture-open" if c["status"] == "open" else "conjecture-refuted"
        nodes[cid] = Node(cid, conjecture_label(c["statement"]), "conjecture", status, "conjecturer", (),
                          c["statement"])
        edges += [Edge(cid, p, "parent") for p in dict.fromkeys(json.loads(c["parents"] or "[]")) if p in nodes]
    return Library(nodes, tuple(edges))


def conjecture_label(statement: str, width: int = 24) -> str:
    text = " ".join(statement.split())
    return text if len(text) <= width else text[:width - 1] + "…"
