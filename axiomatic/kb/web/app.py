"""The web app as a plain WSGI application (PEP 3333): no server in here, so any WSGI server, or an ASGI one
through an adapter, can mount it. Every page is also JSON: ask with `Accept: application/json` or add `.json`
to the path (an item's page also has `.lean`: its Lean block as text)."""

from __future__ import annotations

import datetime
import json
import logging
import re
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from ...errors import BadInput, KnowledgeBaseError
from ..store import KnowledgeBase
from ..views.library import STATUS_LABELS, STATUSES, node_url
from . import pages
from .highlight import highlight

log = logging.getLogger(__name__)

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
SAFE_FILE = re.compile(r"^[A-Za-z0-9_-]+\.[a-z]+$")
HEADERS = [("X-Content-Type-Options", "nosniff"),
           ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")]

StartResponse = Callable[..., object]


def _open_readonly(path: Path) -> KnowledgeBase:
    return KnowledgeBase(path, readonly=True)


class KnowledgeBaseApp:
    """WSGI app over the knowledge base at `path`. Each request opens the store read-only (it never waits for a
    writer), reads, and closes it: `open_kb` says how."""

    def __init__(self, path: Path, *, open_kb: Callable[[Path], KnowledgeBase] = _open_readonly) -> None:
        self.path = Path(path)
        self.open_kb = open_kb
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("axiomatic.kb.web", "templates"),
            autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.templates.filters["lean"] = highlight
        self.templates.globals.update(url=node_url, labels=STATUS_LABELS, statuses=STATUSES, quote=_quote)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        body = self._handle(environ, start_response)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else body

    def _handle(self, environ: dict, start_response: StartResponse) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        if method not in ("GET", "HEAD"):
            return self._send(start_response, 405, "text/plain; charset=utf-8", b"only GET and HEAD\n",
                              [("Allow", "GET, HEAD")])
        if path.startswith("/static/"):
            return self._static(start_response, path[len("/static/"):])
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        wants_json = _accepts_json(environ.get("HTTP_ACCEPT", ""))
        try:
            with self.open_kb(self.path) as kb:
                page, suffix = pages.route(kb, path, params)
                if suffix == "lean":
                    body = (page.text or "").encode()
                    return self._send(start_response, 200, "text/plain; charset=utf-8", body)
                if suffix == "json" or wants_json:
                    return self._json(start_response, page.status, page.data)
                html = self._render(page.template, page.title, page.context)
                return self._send(start_response, page.status, "text/html; charset=utf-8", html.encode())
        except pages.NotFound as e:
            return self._error(start_response, 404, "not found", e.message, wants_json or path.endswith(".json"))
        except BadInput as e:
            return self._error(start_response, 400, "bad request", e.message, wants_json or path.endswith(".json"))
        except KnowledgeBaseError as e:
            return self._error(start_response, 503, "knowledge base unavailable", e.message,
                               wants_json or path.endswith(".json"))

    # -- responses ------------------------------------------------------------------------------------------

    def _render(self, template: str, title: str, context: dict) -> str:
        return self.templates.get_template(template).render(title=title, **context)

    def _json(self, start_response: StartResponse, status: int, data) -> list[bytes]:
        body = json.dumps(data, ensure_ascii=False, indent=1, default=_json_default).encode()
        return self._send(start_response, status, "application/json; charset=utf-8", body)

    def _error(self, start_response: StartResponse, status: int, title: str, message: str, as_json: bool):
        if as_json:
            return self._json(start_response, status, {"error": title, "message": message})
        html = self._render("error.html", title, {"message": message, "code": status})
        return self._send(start_response, status, "text/html; charset=utf-8", html.encode())

    def _static(self, start_response: StartResponse, name: str):
        kind = STATIC_TYPES.get(Path(name).suffix)
        resource = resources.files("axiomatic.kb.web").joinpath("static", name)
        if not SAFE_FILE.match(name) or kind is None or not resource.is_file():
            return self._send(start_response, 404, "text/plain; charset=utf-8", b"not found\n")
        return self._send(start_response, 200, kind, resource.read_bytes(), [("Cache-Control", "max-age=300")])

    @staticmethod
    def _send(start_response: StartResponse, status: int, content_type: str, body: bytes,
              extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                  503: "Service Unavailable"}[status]
        start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                              *HEADERS, *(extra or [])])
        return [body]


def _accepts_json(accept: str) -> bool:
    """JSON when the client asks for it and not for HTML (browsers list text/html first)."""
    kinds = [part.split(";")[0].strip() for part in accept.split(",")]
    return "application/json" in kinds and "text/html" not in kinds


def _quote(name: str) -> str:
    return urllib.parse.quote(name, safe="")


def _json_default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
