"""The knowledge base: every verified result with its proof, provenance and dependencies."""

from .lean_export import lean_context_for
from .retrieval import retrieve
from .store import Item, KnowledgeBase, content_hash

__all__ = ["Item", "KnowledgeBase", "content_hash", "lean_context_for", "retrieve"]
