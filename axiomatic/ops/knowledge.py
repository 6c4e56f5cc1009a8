"""Knowledge-base operations: search, show, graph (read-only: they never take the write lock)."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import Config
from ..errors import BadInput
from ..kb import KnowledgeBase, retrieve
from ..kb import graph as kbgraph
from .answer import Answer, field


def open_kb(kb_path: Path | None, *, readonly: bool = False, config: Config | None = None) -> KnowledgeBase:
    """The knowledge base at `kb_path`, else the configured one."""
    config = config or Config()
    return KnowledgeBase(kb_path or config.knowledge_base, readonly=readonly, busy_timeout=config.kb_busy_timeout)


def kb_search(request: dict, *, kb_path: Path | None = None, config: Config | None = None) -> Answer:
    """Items ranked by relevance. Request: {"query", "limit"?}. Exit 0 something found, 1 nothing."""
    query = field(request, "query", str)
    limit = field(request, "limit", int, 10)
    if limit < 1:
        raise BadInput("limit must be at least 1")
    with open_kb(kb_path, readonly=True, config=config) as base:
        ranked = retrieve(base, query, k=limit, verified_only=False)
    document = [{"name": i.name, "statement": i.statement, "score": s} for i, s in ranked]
    return Answer(document, 0 if ranked else 1, ranked)


def kb_show(request: dict, *, kb_path: Path | None = None, config: Config | None = None) -> Answer:
    """One item: statement, proof, informal text, uses, used-by, provenance. Request: {"name"}.
    BadInput when there is no such item."""
    name = field(request, "name", str)
    with open_kb(kb_path, readonly=True, config=config) as base:
        item = base.get(name)
        if item is None:
            raise BadInput(f"no item named {name!r}")
        used_by = base.used_by(name)
        internal = base.names()
    document = item.to_json() | {"uses": [u for u in item.uses if u in internal],
                                 "uses_external": [u for u in item.uses if u not in internal], "used_by": used_by}
    return Answer(document, 0, item)


def kb_graph(request: dict, *, kb_path: Path | None = None, config: Config | None = None) -> Answer:
    """The dependency graph, of everything or of one item (what it uses transitively and what uses it).
    Request: {"name"?, "external"?, "format"?: json|dot|graphml}; json gives a document, the others text."""
    name = field(request, "name", str, None)
    fmt = field(request, "format", str, "json")
    if fmt not in ("json", "dot", "graphml"):
        raise BadInput("format must be json, dot or graphml")
    with open_kb(kb_path, readonly=True, config=config) as base:
        g = kbgraph.build(base, include_external=field(request, "external", bool, False))
    if name:
        if name not in g:
            raise BadInput(f"no item named {name!r}")
        g = g.subgraph({name} | set(kbgraph.uses(g, name, transitive=True)) | set(kbgraph.used_by(g, name)))
    text = kbgraph.export(g, fmt)
    return Answer(json.loads(text) if fmt == "json" else text, 0, g)
