"""The HTTP face: an ASGI application (Starlette) over the operations layer, served by uvicorn.

`make_app(settings)` builds it; `axiomatic serve --http HOST:PORT` runs it. Bodies are the CLI's `--json`
documents (docs/http.md)."""

from .app import Settings, make_app
from .token import load_or_create_token

__all__ = ["Settings", "load_or_create_token", "make_app"]
