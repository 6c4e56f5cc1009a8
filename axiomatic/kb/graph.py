"""The dependency graph over the knowledge base (networkx), and its exports."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from .store import KnowledgeBase


def build(kb: "KnowledgeBase", *, include_external: bool = False) -> nx.DiGraph:
    """Nodes are items (and, optionally, the external constants they use); an edge A -> B means A uses B."""
    g = nx.DiGraph()
    for item in kb.items():
        g.add_node(item.name, kind=item.kind, source=item.source, verified=item.verified, statement=item.statement)
    names = set(g.nodes)
    for src, dst in kb.edges():
        if dst in names:
            g.add_edge(src, dst)
        elif include_external:
            g.add_node(dst, kind="external", source="", verified=True, statement="")
            g.add_edge(src, dst)
    return g


def uses(g: nx.DiGraph, name: str, *, transitive: bool = False) -> list[str]:
    if name not in g:
        return []
    return sorted(nx.descendants(g, name) if transitive else g.successors(name))


def used_by(g: nx.DiGraph, name: str, *, transitive: bool = False) -> list[str]:
    if name not in g:
        return []
    return sorted(nx.ancestors(g, name) if transitive else g.predecessors(name))


def dependency_order(g: nx.DiGraph, names: list[str] | None = None) -> list[str]:
    """Items before the items that use them (stable: ties broken by name). `names` restricts to those items
    and everything they need."""
    if names is not None:
        keep = set(names)
        for n in names:
            if n in g:
                keep |= nx.descendants(g, n)
        g = g.subgraph(keep)
    return list(reversed(list(nx.lexicographical_topological_sort(g, key=str))))


def most_reused(g: nx.DiGraph, k: int = 10) -> list[tuple[str, int]]:
    counts = [(n, g.in_degree(n)) for n in g.nodes if g.nodes[n].get("kind") != "external"]
    counts.sort(key=lambda p: (-p[1], p[0]))
    return [c for c in counts if c[1] > 0][:k]


def unused(g: nx.DiGraph) -> list[str]:
    return sorted(n for n in g.nodes if g.in_degree(n) == 0 and g.nodes[n].get("kind") != "external")


def export(g: nx.DiGraph, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), indent=2, ensure_ascii=False)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue().decode()
    if fmt == "dot":
        lines = ["digraph knowledge_base {", "  rankdir=BT;", "  node [shape=box, fontname=monospace];"]
        for n, data in sorted(g.nodes(data=True)):
            style = ', style=dashed' if data.get("kind") == "external" else ""
            lines.append(f"  {_dot_id(n)} [label={_dot_id(n)}{style}];")
        for a, b in sorted(g.edges):
            lines.append(f"  {_dot_id(a)} -> {_dot_id(b)};")
        lines.append("}")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown graph format {fmt!r} (dot, graphml, json)")


def _dot_id(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
