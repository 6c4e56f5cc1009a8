"""The graph page's data: which nodes to draw (filters, the neighbourhood of one node, a size limit) and where.

A selection larger than the limit keeps, in every layer, its most connected nodes (the focus always) and folds
the rest of the layer into one "+N more" node, so a library of thousands still draws as a readable picture;
the folded node says how to see what it holds (narrower filters, or a neighbourhood).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from ...errors import BadInput
from . import layout as lay
from .library import STATUSES, Edge, Library, Node, load_library

if TYPE_CHECKING:
    from ..store import KnowledgeBase

DEFAULT_LIMIT = 1000
MAX_LIMIT = 20000
MAX_DEPTH = 50
FOLDED_PREFIX = "more:"


@dataclass(frozen=True)
class GraphQuery:
    """What to draw. Empty fields do not filter. `name` is a regular expression searched in the node's name
    (an item) or statement (a conjecture), case-insensitive."""

    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    name: str = ""
    focus: str = ""
    depth: int = 2
    direction: str = "both"  # both | uses | used-by
    limit: int = DEFAULT_LIMIT
    layer: int | None = None  # only this layer of the selection (how a folded "+N more" node opens)

    def __post_init__(self) -> None:
        unknown = [s for s in self.statuses if s not in STATUSES]
        if unknown:
            raise BadInput(f"unknown status {unknown[0]!r} (one of {', '.join(STATUSES)})")
        if self.direction not in ("both", "uses", "used-by"):
            raise BadInput(f"unknown direction {self.direction!r} (both, uses, used-by)")
        if not 0 <= self.depth <= MAX_DEPTH:
            raise BadInput(f"depth must be between 0 and {MAX_DEPTH}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise BadInput(f"limit must be between 1 and {MAX_LIMIT}")
        if len(self.name) > 300:
            raise BadInput("the name pattern is longer than 300 characters")
        try:
            re.compile(self.name)
        except re.error as e:
            raise BadInput(f"the name pattern is not a regular expression: {e}") from None

    def to_json(self) -> dict:
        return {"sources": list(self.sources), "tags": list(self.tags), "statuses": list(self.statuses),
                "name": self.name, "focus": self.focus, "depth": self.depth, "direction": self.direction,
                "limit": self.limit, "layer": self.layer}


@dataclass(frozen=True)
class Folded:
    """Nodes of one layer left out of the drawing because the selection exceeds the limit."""

    id: str
    layer: int
    count: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class DrawnNode:
    node: Node
    x: float
    y: float
    layer: int

    def to_json(self) -> dict:
        return self.node.to_json() | {"x": self.x, "y": self.y, "layer": self.layer}


@dataclass(frozen=True)
class GraphView:
    query: GraphQuery
    nodes: tuple[DrawnNode, ...]
    edges: tuple[Edge, ...]
    folded: tuple[tuple[Folded, float, float], ...]  # (folded group, x, y)
    bands: tuple[lay.Band, ...]
    width: float
    height: float
    node_w: float
    node_h: float
    total: int  # nodes in the whole library
    selected: int  # nodes the query selects (drawn + folded)
    status_counts: dict[str, int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "query": self.query.to_json(), "total": self.total, "selected": self.selected,
            "drawn": len(self.nodes), "width": self.width, "height": self.height,
            "status_counts": self.status_counts,
            "nodes": [n.to_json() for n in self.nodes], "edges": [e.to_json() for e in self.edges],
            "folded": [{"id": f.id, "layer": f.layer, "count": f.count, "members": list(f.members), "x": x, "y": y}
                       for f, x, y in self.folded],
            "layers": [{"layer": b.layer, "count": b.count} for b in self.bands],
            "sources": list(self.sources), "tags": list(self.tags),
        }


def graph_view(kb: "KnowledgeBase", query: GraphQuery) -> GraphView:
    """Raises BadInput when the focus names nothing in the knowledge base."""
    return view_of(load_library(kb), query)


def view_of(library: Library, query: GraphQuery) -> GraphView:
    g = library.graph()
    chosen = select(library, g, query)
    # copies: networkx's subgraph views are slow to walk
    sub = g if len(chosen) == len(g) else g.subgraph(chosen).copy()
    layer_of = lay.layers_of(sub)
    if query.layer is not None:
        chosen = {n for n in chosen if layer_of[n] == query.layer}
        sub = g.subgraph(chosen).copy()
        layer_of = lay.layers_of(sub)
    kept, folded = fold(sub, layer_of, query.limit, keep={query.focus} if query.focus else set())
    placement_graph = sub.subgraph(kept).copy()
    placement_layers = {n: layer_of[n] for n in kept}
    for f in folded:  # a folded group takes a slot at the end of its layer
        placement_graph.add_node(f.id)
        placement_layers[f.id] = f.layer
    placed = lay.layout(placement_graph, placement_layers)
    nodes = tuple(DrawnNode(library.nodes[n], placed.nodes[n].x, placed.nodes[n].y, placed.nodes[n].layer)
                  for n in sorted(kept, key=lambda n: (placed.nodes[n].y, placed.nodes[n].x)))
    edges = tuple(e for e in library.edges if e.src in kept and e.dst in kept)
    counts = {s: 0 for s in STATUSES}
    for n in chosen:
        counts[library.nodes[n].status] += 1
    return GraphView(
        query, nodes, edges, tuple((f, placed.nodes[f.id].x, placed.nodes[f.id].y) for f in folded), placed.bands,
        placed.width, placed.height, placed.node_w, placed.node_h, len(library.nodes), len(chosen), counts,
        tuple(sorted({n.source for n in library.nodes.values()})),
        tuple(sorted({t for n in library.nodes.values() for t in n.tags})),
    )


def select(library: Library, g: nx.DiGraph, query: GraphQuery) -> set[str]:
    """The node ids the query asks for: the focus's neighbourhood (if any), then the filters (the focus stays)."""
    candidates = set(g.nodes)
    if query.focus:
        if query.focus not in g:
            raise BadInput(f"no item named {query.focus!r}")
        candidates = neighbourhood(g, query.focus, query.depth, query.direction)
    pattern = re.compile(query.name, re.IGNORECASE) if query.name else None
    out = set()
    for n in candidates:
        node = library.nodes[n]
        if n == query.focus or (
            (not query.sources or node.source in query.sources)
            and (not query.tags or set(node.tags) & set(query.tags))
            and (not query.statuses or node.status in query.statuses)
            and (pattern is None or pattern.search(node.id if node.kind != "conjecture" else node.statement))
        ):
            out.add(n)
    return out


def neighbourhood(g: nx.DiGraph, focus: str, depth: int, direction: str = "both") -> set[str]:
    """Nodes at most `depth` edges from `focus`: along what it uses, what uses it, or both."""
    view = {"uses": g, "used-by": g.reverse(copy=False), "both": g.to_undirected(as_view=True)}[direction]
    return set(nx.single_source_shortest_path_length(view, focus, cutoff=depth))


def fold(g: nx.DiGraph, layer_of: dict[str, int], limit: int, *, keep: set[str]) -> tuple[set[str], list[Folded]]:
    """At most `limit` nodes kept: each layer keeps a share proportional to its size, its most connected nodes
    first (and anything in `keep`); the rest of a layer becomes one Folded group."""
    if len(g) <= limit:
        return set(g.nodes), []
    by_layer: dict[int, list[str]] = {}
    for n in g.nodes:
        by_layer.setdefault(layer_of[n], []).append(n)
    kept: set[str] = set()
    folded: list[Folded] = []
    budget = max(len(by_layer), limit - len(by_layer))  # one slot per layer for its "+N more" node
    for layer, names in sorted(by_layer.items()):
        share = max(1, math.floor(budget * len(names) / len(g)))
        ranked = sorted(names, key=lambda n: (n not in keep, -g.degree(n), n))
        kept.update(ranked[:share])
        rest = ranked[share:]
        if rest:
            folded.append(Folded(f"{FOLDED_PREFIX}{layer}", layer, len(rest), tuple(sorted(rest))))
    return kept, folded
