"""One function per page: read the knowledge base through `kb.views`, return the data (the JSON body) and the
template that shows it. Nothing here writes."""

from __future__ import annotations

import math
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import BadInput
from .. import views
from ..views.graph import DEFAULT_LIMIT, GraphQuery, select
from ..views.library import STATUSES, node_url
from . import svg

if TYPE_CHECKING:
    from ..store import KnowledgeBase

PAGE_SIZE = 100
FRONTIER_SHOWN = 200


@dataclass(frozen=True)
class Page:
    """What a route answers: `data` is the JSON body; `template` and `context` make the HTML page from it."""

    template: str
    title: str
    data: Any
    context: dict = field(default_factory=dict)
    status: int = 200
    text: str | None = None  # a plain-text answer instead (the Lean block)


class NotFound(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Params = dict[str, list[str]]


def one(params: Params, key: str, default: str = "") -> str:
    return (params.get(key) or [default])[0].strip()


def number(params: Params, key: str, default: int) -> int:
    raw = one(params, key)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"{key} must be a whole number, not {raw!r}") from None


def graph_query(params: Params) -> GraphQuery:
    layer = one(params, "layer")
    return GraphQuery(
        sources=tuple(s for s in params.get("source", []) if s), tags=tuple(t for t in params.get("tag", []) if t),
        statuses=tuple(s for s in params.get("status", []) if s), name=one(params, "name"),
        focus=one(params, "focus"), depth=number(params, "depth", 2), direction=one(params, "direction") or "both",
        limit=number(params, "limit", DEFAULT_LIMIT), layer=number(params, "layer", 0) if layer else None)


# -- pages ----------------------------------------------------------------------------------------------------

def home(kb: "KnowledgeBase", params: Params) -> Page:
    library = views.load_library(kb)
    counts = {s: 0 for s in STATUSES}
    for n in library.nodes.values():
        counts[n.status] += 1
    open_now = views.frontier(kb)
    rounds = views.grow_history(kb)
    recent = list(kb.db.query("select name, kind, statement, source, created from items order by created desc, "
                              "name limit 15"))
    data = {"items": sum(1 for n in library.nodes.values() if n.kind != "conjecture"),
            "status_counts": counts, "edges": len(library.edges), "open_statements": len(open_now),
            "grow_rounds": len(rounds), "recent": recent}
    return Page("home.html", "knowledge base", data, {
        "counts": counts, "items_total": data["items"], "edges": data["edges"], "open_total": len(open_now),
        "rounds": len(rounds), "recent": recent, "frontier": open_now[:10]})


def graph(kb: "KnowledgeBase", params: Params) -> Page:
    query = graph_query(params)
    view = views.graph_view(kb, query)
    title = f"neighbourhood of {query.focus}" if query.focus else "dependency graph"
    return Page("graph.html", title, view.to_json(), {
        "view": view, "svg": svg.render(view), "query": query})


def items(kb: "KnowledgeBase", params: Params) -> Page:
    query = graph_query(params)
    library = views.load_library(kb)
    chosen = sorted(select(library, library.graph(), query), key=lambda n: (library.nodes[n].kind == "conjecture", n))
    page_no = max(1, number(params, "page", 1))
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    shown = [library.nodes[n] for n in chosen[(page_no - 1) * PAGE_SIZE:page_no * PAGE_SIZE]]
    data = {"query": query.to_json(), "total": len(chosen), "page": page_no, "pages": pages,
            "items": [n.to_json() for n in shown]}
    keep = [(k, v) for k, vs in params.items() if k != "page" for v in vs]
    return Page("items.html", "items", data, {
        "nodes": shown, "query": query, "total": len(chosen), "page": page_no, "pages": pages, "sources":
        sorted({n.source for n in library.nodes.values()}), "tags": sorted({t for n in library.nodes.values()
                                                                            for t in n.tags}),
        "prev": _page_url("/items", keep, page_no - 1) if page_no > 1 else "",
        "next": _page_url("/items", keep, page_no + 1) if page_no < pages else ""})


def item(kb: "KnowledgeBase", params: Params, name: str) -> Page:
    view = views.item_view(kb, name)
    if view is None:
        raise NotFound(f"no item named {name!r}")
    links = _item_links(kb, exclude=view.item.name)
    links.update({d.name: f"#decl-{d.name}" for d in view.context if d.name})
    return Page("item.html", view.item.name, view.to_json(), {"v": view, "names": links})


def item_lean(kb: "KnowledgeBase", params: Params, name: str) -> Page:
    view = views.item_view(kb, name)
    if view is None:
        raise NotFound(f"no item named {name!r}")
    if not view.lean:
        raise NotFound(view.lean_note)
    header = f"-- {view.item.name} and everything it needs, in dependency order (from axiomatic's knowledge base)\n"
    return Page("", view.item.name, None, text=header + view.lean)


def conjecture(kb: "KnowledgeBase", params: Params, conjecture_id: str) -> Page:
    view = views.conjecture_view(kb, int(conjecture_id))
    if view is None:
        raise NotFound(f"no conjecture number {conjecture_id}")
    return Page("conjecture.html", f"conjecture {view.id}", view.to_json(), {"c": view, "names": _item_links(kb)})


def frontier(kb: "KnowledgeBase", params: Params) -> Page:
    rows = views.frontier(kb)
    sort = one(params, "sort")
    if sort:
        rows = [r for r in rows if r.sort == sort]
    data = {"total": len(rows), "open": [r.to_json() for r in rows]}
    return Page("frontier.html", "frontier: what is open", data, {"rows": rows[:FRONTIER_SHOWN], "total": len(rows),
                                                                  "sort": sort})


def history(kb: "KnowledgeBase", params: Params) -> Page:
    rounds = views.grow_history(kb)
    return Page("history.html", "the conjecturer, round by round", {"rounds": [r.to_json() for r in rounds]},
                {"rounds": rounds})


def search(kb: "KnowledgeBase", params: Params) -> Page:
    q = one(params, "q")
    limit = number(params, "limit", 50)
    hits = views.search(kb, q, limit=limit) if q else []
    return Page("search.html", f"search: {q}" if q else "search", {"query": q, "hits": [h.to_json() for h in hits]},
                {"q": q, "hits": hits})


# -- routing --------------------------------------------------------------------------------------------------

ROUTES: list[tuple[re.Pattern, Any]] = [
    (re.compile(r"^/$"), home),
    (re.compile(r"^/graph$"), graph),
    (re.compile(r"^/items$"), items),
    (re.compile(r"^/item/(?P<name>.+)$"), item),
    (re.compile(r"^/conjecture/(?P<conjecture_id>\d+)$"), conjecture),
    (re.compile(r"^/frontier$"), frontier),
    (re.compile(r"^/history$"), history),
    (re.compile(r"^/search$"), search),
]


def route(kb: "KnowledgeBase", path: str, params: Params) -> tuple[Page, str]:
    """The page for `path` and the format asked by its suffix ("json", "lean" or ""). Raises NotFound."""
    for suffix in ("json", "lean"):
        if path.endswith("." + suffix):
            base = path[:-len(suffix) - 1]
            # an item whose own name ends in ".json" is still reachable by its plain path
            if path.startswith("/item/") and kb.get(path[len("/item/"):]) is not None \
                    and kb.get(base[len("/item/"):]) is None:
                break
            page = _dispatch(kb, base, params, lean=suffix == "lean")
            if page is not None:
                return page, suffix
    page = _dispatch(kb, path, params)
    if page is None:
        raise NotFound(f"nothing at {path}")
    return page, ""


def _dispatch(kb: "KnowledgeBase", path: str, params: Params, *, lean: bool = False) -> Page | None:
    for pattern, handler in ROUTES:
        m = pattern.match(path)
        if m:
            if lean:
                return item_lean(kb, params, **m.groupdict()) if handler is item else None
            return handler(kb, params, **m.groupdict())
    return None


def _item_links(kb: "KnowledgeBase", exclude: str = "") -> dict[str, str]:
    """Every item's name -> its page, for linking names in Lean text."""
    return {r["name"]: node_url(r["name"]) for r in kb.db.query("select name from items") if r["name"] != exclude}


def _page_url(path: str, params: list[tuple[str, str]], page_no: int) -> str:
    return path + "?" + urllib.parse.urlencode(params + [("page", str(page_no))])
