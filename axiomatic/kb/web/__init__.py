"""`kb serve`: the knowledge base as web pages, read like a blueprint (docs/knowledge_base.md, "Web pages").

`KnowledgeBaseApp` is a WSGI application (mountable by any server); `make_server`/`serve` start the stdlib one.
"""

from .app import KnowledgeBaseApp
from .server import make_server, run, serve

__all__ = ["KnowledgeBaseApp", "make_server", "run", "serve"]
