"""Read-only views of the knowledge base for people and tools: the web pages' data, each also as JSON.

Every function here only reads (SELECT statements on the store's connection); the web app and the HTTP API
render what they return.
"""

from .frontier import OpenStatement, frontier
from .graph import GraphQuery, GraphView, graph_view
from .history import Round, grow_history
from .items import ConjectureView, ItemView, conjecture_view, item_view
from .library import STATUS_LABELS, STATUSES, Library, load_library
from .search import Hit, search

__all__ = ["STATUSES", "STATUS_LABELS", "ConjectureView", "GraphQuery", "GraphView", "Hit", "ItemView", "Library",
           "OpenStatement", "Round", "conjecture_view", "frontier", "graph_view", "grow_history", "item_view",
           "load_library", "search"]
