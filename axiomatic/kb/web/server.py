"""Serving the web app on a local port (stdlib only): a threading WSGI server, quiet about each request.
The app itself (`KnowledgeBaseApp`) knows nothing of this, so another server can mount it instead."""

from __future__ import annotations

import socketserver
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as wsgi_server

from .app import KnowledgeBaseApp


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a stuck browser connection never keeps the process alive


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # the CLI says what it serves; one line per request would bury it


def make_server(path: Path, host: str = "127.0.0.1", port: int = 8765) -> WSGIServer:
    """A server bound to (host, port) (port 0: any free port; read it back from `server.server_port`)."""
    return wsgi_server(host, port, KnowledgeBaseApp(path), server_class=_ThreadingServer,
                       handler_class=_QuietHandler)


def run(server: WSGIServer) -> None:
    """Serve until interrupted (Ctrl-C), then release the port."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve(path: Path, host: str, port: int) -> None:
    run(make_server(path, host, port))
