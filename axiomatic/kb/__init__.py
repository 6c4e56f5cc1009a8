"""The knowledge base: every verified result with its proof, provenance and dependencies."""

from .hashing import content_hash
from .lean_export import lean_context_for
from .retrieval import retrieve
from .store import Item, KnowledgeBase

__all__ = ["Item", "KnowledgeBase", "content_hash", "lean_context_for", "retrieve"]
