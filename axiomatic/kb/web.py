"""`kb serve`: a small local web page over the knowledge base (stdlib http.server, no external assets)."""

from __future__ import annotations

import html
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import graph as kbgraph
from .retrieval import retrieve
from .store import KnowledgeBase

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace;background:#f5f5f5;padding:.1rem .3rem;border-radius:3px}
pre{padding:.8rem;overflow-x:auto} a{color:#0645ad;text-decoration:none} a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left}
.tag{font-size:.8rem;background:#eef;padding:.1rem .4rem;border-radius:3px;margin-right:.3rem}
"""


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><nav><a href='/'>knowledge base</a> · <a href='/graph'>graph</a>"
            f"<form action='/' style='display:inline;margin-left:1rem'><input name='q' placeholder='search'>"
            f"<button>search</button></form></nav><h1>{html.escape(title)}</h1>{body}</body></html>").encode()


def _link(name: str) -> str:
    return f"<a href='/item/{urllib.parse.quote(name)}'>{html.escape(name)}</a>"


def index_page(kb: KnowledgeBase, query: str) -> bytes:
    if query:
        rows = [(i, s) for i, s in retrieve(kb, query, k=50, verified_only=False)]
        title = f"search: {query}"
    else:
        rows = [(i, None) for i in kb.items()]
        title = "knowledge base"
    body = "<table><tr><th>name</th><th>kind</th><th>statement</th><th>source</th></tr>"
    for item, score in rows:
        body += (f"<tr><td>{_link(item.name)}</td><td>{item.kind}</td><td><code>{html.escape(item.statement)}"
                 f"</code></td><td>{html.escape(item.source)}{'' if item.verified else ' (unverified)'}</td></tr>")
    body += "</table>"
    if not rows:
        body += "<p id='empty'>nothing found</p>"
    return _page(title, body)


def item_page(kb: KnowledgeBase, name: str) -> bytes | None:
    item = kb.get(name)
    if item is None:
        return None
    internal = kb.names()
    uses = [u for u in item.uses if u in internal]
    used_by = kb.used_by(name)
    body = f"<p><span class='tag'>{item.kind}</span><span class='tag'>{html.escape(item.source)}</span>"
    body += f"<span class='tag'>{'verified' if item.verified else 'unverified'}</span></p>"
    if item.informal:
        body += f"<p>{html.escape(item.informal)}</p>"
    body += f"<h2>statement</h2><pre>{html.escape(item.statement)}</pre>"
    if item.proof:
        body += f"<h2>proof</h2><pre id='proof'>{html.escape(item.proof)}</pre>"
    body += "<h2>uses</h2><ul id='uses'>" + "".join(f"<li>{_link(u)}</li>" for u in uses) + "</ul>"
    body += "<h2>used by</h2><ul id='used-by'>" + "".join(f"<li>{_link(u)}</li>" for u in used_by) + "</ul>"
    body += (f"<p><small>verified by {html.escape(item.backend)} Lean {html.escape(item.lean_version)}, "
             f"{html.escape(item.created)}, axioms: {html.escape(', '.join(item.axioms) or 'none')}</small></p>")
    return _page(item.name, body)


def graph_svg(kb: KnowledgeBase) -> str:
    """Layered drawing: each item at the depth of its longest dependency chain; edges point to what is used."""
    g = kbgraph.build(kb)
    order = kbgraph.dependency_order(g)
    depth: dict[str, int] = {}
    for n in order:
        depth[n] = 1 + max((depth[m] for m in g.successors(n)), default=-1)
    layers: dict[int, list[str]] = {}
    for n in order:
        layers.setdefault(depth[n], []).append(n)
    w, row_h, col_w = 220, 70, 230
    width = col_w * max((len(v) for v in layers.values()), default=1) + 40
    height = row_h * (len(layers) or 1) + 40
    pos = {}
    for d, names in layers.items():
        for i, n in enumerate(sorted(names)):
            pos[n] = (20 + i * col_w + w / 2, height - 30 - d * row_h)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' id='graph' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}'><defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' "
             "markerWidth='6' markerHeight='6' orient='auto'><path d='M0,0L10,5L0,10z' fill='#888'/></marker></defs>"]
    for a, b in g.edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(f"<line x1='{x1:.0f}' y1='{y1 - 12:.0f}' x2='{x2:.0f}' y2='{y2 + 12:.0f}' stroke='#888' "
                     "marker-end='url(#arrow)'/>")
    for n, (x, y) in pos.items():
        label = n if len(n) <= 28 else n[:27] + "…"
        parts.append(f"<a href='/item/{urllib.parse.quote(n)}'><rect x='{x - w / 2:.0f}' y='{y - 12:.0f}' "
                     f"width='{w}' height='24' rx='4' fill='#eef' stroke='#99c'/><text x='{x:.0f}' y='{y + 4:.0f}' "
                     f"text-anchor='middle' font-size='11' font-family='monospace'>{html.escape(label)}</text></a>")
    parts.append("</svg>")
    return "".join(parts)


def make_handler(path: Path):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            url = urllib.parse.urlparse(self.path)
            with KnowledgeBase(path) as kb:
                if url.path == "/":
                    q = urllib.parse.parse_qs(url.query).get("q", [""])[0]
                    self._send(200, index_page(kb, q))
                elif url.path.startswith("/item/"):
                    page = item_page(kb, urllib.parse.unquote(url.path[len("/item/"):]))
                    self._send(200 if page else 404, page or _page("not found", "<p>no such item</p>"))
                elif url.path == "/graph":
                    self._send(200, _page("dependency graph", graph_svg(kb)))
                else:
                    self._send(404, _page("not found", ""))

        def _send(self, code: int, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # quiet: the CLI says what it serves
            pass

    return Handler


def make_server(path: Path, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), make_handler(path))


def serve(path: Path, host: str, port: int) -> None:
    server = make_server(path, host, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


