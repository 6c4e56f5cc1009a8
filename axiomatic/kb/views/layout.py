"""A layered drawing of a dependency graph: what a result needs sits below it.

Layers are networkx's topological generations of the reversed graph, so layer 0 holds what needs nothing and
an item sits one layer above the highest thing it uses (every edge points down). Nodes are ordered inside a
layer by the barycentre of their neighbours (fewer crossings); a layer wider than the drawing's row length is
wrapped onto several rows, so that thousands of nodes make a roughly screen-shaped picture rather than one
long line. Items connected to nothing are set apart in a band of their own at the bottom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

NODE_W, NODE_H = 168.0, 30.0
GAP_X, ROW_GAP, LAYER_GAP = 14.0, 16.0, 64.0
MARGIN = 24.0
GUTTER = 96.0  # room on the left for the layer labels
NO_WRAP = 8  # a layer this wide is never wrapped: small drawings stay one row per layer
ASPECT = 1.5  # width / height the wrapping aims for (the graph pane beside the legend, on a landscape screen)
UNCONNECTED = -1  # the layer number of the band of items with no edges
SWEEPS = 4


@dataclass(frozen=True)
class Placed:
    id: str
    layer: int
    x: float  # centre
    y: float  # centre


@dataclass(frozen=True)
class Band:
    layer: int
    top: float
    bottom: float
    count: int


@dataclass(frozen=True)
class Layout:
    nodes: dict[str, Placed]
    bands: tuple[Band, ...]
    width: float
    height: float
    node_w: float = NODE_W
    node_h: float = NODE_H


def layers_of(g: nx.DiGraph) -> dict[str, int]:
    """Layer per node (edge A -> B: A uses B, so A is above B). Nodes with no edge at all get UNCONNECTED,
    unless nothing has edges. A cycle (never made by the kernel, possible with textual uses) is drawn as one
    layer: its strongly connected component is layered as a whole."""
    connected = [n for n in g.nodes if g.degree(n) > 0]
    out = {n: UNCONNECTED for n in g.nodes if g.degree(n) == 0} if connected else {n: 0 for n in g.nodes}
    h = g.subgraph(connected).copy()  # networkx's subgraph views are slow to walk
    if nx.is_directed_acyclic_graph(h):
        for depth, generation in enumerate(nx.topological_generations(h.reverse(copy=False))):
            out.update({n: depth for n in generation})
        return out
    cond = nx.condensation(h)
    for depth, generation in enumerate(nx.topological_generations(cond.reverse(copy=False))):
        for c in generation:
            out.update({n: depth for n in cond.nodes[c]["members"]})
    return out


def row_length(layer_sizes: list[int]) -> int:
    """How many nodes a row holds so that the drawing comes closest to a landscape screen's shape (ASPECT)."""
    if not layer_sizes:
        return 1
    best, best_gap = min(NO_WRAP, max(layer_sizes)), math.inf
    for per_row in range(best, max(layer_sizes) + 1):
        rows = sum(math.ceil(n / per_row) for n in layer_sizes)
        width = GUTTER + MARGIN + min(per_row, max(layer_sizes)) * (NODE_W + GAP_X)
        height = rows * (NODE_H + ROW_GAP) + len(layer_sizes) * (LAYER_GAP - ROW_GAP)
        gap = abs(math.log(width / height / ASPECT))
        if gap < best_gap:
            best, best_gap = per_row, gap
    return best


def layout(g: nx.DiGraph, layer_of: dict[str, int] | None = None) -> Layout:
    """Positions for every node of `g` (given layers, or `layers_of(g)`). Deterministic."""
    layer_of = layer_of if layer_of is not None else layers_of(g)
    by_layer: dict[int, list[str]] = {}
    for n in sorted(g.nodes, key=str):
        by_layer.setdefault(layer_of[n], []).append(n)
    _order(g, by_layer)
    per_row = row_length([len(v) for v in by_layer.values()])
    widest = min(per_row, max((len(v) for v in by_layer.values()), default=1))
    width = GUTTER + MARGIN + widest * (NODE_W + GAP_X) - GAP_X
    # top to bottom: the highest layer first, the unconnected band last
    order = sorted((k for k in by_layer if k != UNCONNECTED), reverse=True)
    if UNCONNECTED in by_layer:
        order.append(UNCONNECTED)
    placed: dict[str, Placed] = {}
    bands: list[Band] = []
    y = MARGIN
    for k in order:
        names = by_layer[k]
        top = y
        for start in range(0, len(names), per_row):
            row = names[start:start + per_row]
            row_w = len(row) * (NODE_W + GAP_X) - GAP_X
            x0 = GUTTER + (width - GUTTER - MARGIN - row_w) / 2 + NODE_W / 2
            for i, n in enumerate(row):
                placed[n] = Placed(n, k, round(x0 + i * (NODE_W + GAP_X), 1), round(y + NODE_H / 2, 1))
            y += NODE_H + ROW_GAP
        bands.append(Band(k, top - ROW_GAP / 2, y - ROW_GAP / 2, len(names)))
        y += LAYER_GAP - ROW_GAP
    height = y - (LAYER_GAP - ROW_GAP) + MARGIN if order else 2 * MARGIN
    return Layout(placed, tuple(bands), round(width, 1), round(height, 1))


def _order(g: nx.DiGraph, by_layer: dict[int, list[str]]) -> None:
    """Barycentre sweeps, in place: up (by what a node uses), then down (by what uses it)."""
    keys = sorted(k for k in by_layer if k != UNCONNECTED)
    pos: dict[str, float] = {}

    def index(k: int) -> None:
        names = by_layer[k]
        for i, n in enumerate(names):
            pos[n] = i / max(1, len(names) - 1)

    for k in keys:
        index(k)
    def centre(n: str, neighbours) -> float:
        near = [pos[m] for m in neighbours(n) if m in pos]
        return sum(near) / len(near) if near else pos[n]

    for _ in range(SWEEPS):
        for sweep, neighbours in ((keys[1:], g.successors), (list(reversed(keys[:-1])), g.predecessors)):
            for k in sweep:
                by_layer[k].sort(key=lambda n, around=neighbours: (centre(n, around), n))
                index(k)
