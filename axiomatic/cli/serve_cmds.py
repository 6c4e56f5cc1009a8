"""`axiomatic serve --http HOST:PORT`: the HTTP API and the knowledge-base pages in one server."""

from __future__ import annotations

import json
import socket
import sys

import click

from ..errors import BadInput
from .common import handle_errors, json_option, main, make_config, say
from .kb_cmds import kb_option, open_kb


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise BadInput(f"--http wants HOST:PORT (e.g. 127.0.0.1:8765), not {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


@main.command()
@click.option("--http", "address", default="127.0.0.1:8765", show_default=True,
              help="Where to listen. Port 0 picks a free one (reported on start).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Lean jobs run at once (each worker has its own Lean backend).")
@click.option("--queue", "max_queued", type=click.IntRange(0, 100000), default=64, show_default=True,
              help="Jobs that may wait; beyond that requests get 429.")
@click.option("--max-body", type=click.IntRange(1, 1 << 30), default=1_000_000, show_default=True,
              help="Largest request body in bytes; beyond that 413.")
@click.option("--batch", type=click.IntRange(1, 10000), default=64, show_default=True,
              help="Verify requests waiting together are judged in one Lean run, up to this many.")
@kb_option
@json_option
@handle_errors
def serve(address, workers, max_queued, max_body, batch, kb_path, as_json):
    """Serve the HTTP API (check, verify, prove, equiv, formalize, kb search/show/graph; docs/http.md) and the
    knowledge-base web pages. A bearer token is generated into the user directory on first start (printed
    once). Runs until Ctrl-C; with --json, one line {"url", "token_file"} on stdout once it listens."""
    import uvicorn

    from ..api import Settings, load_or_create_token, make_app

    host, port = _address(address)
    config = make_config()
    path = kb_path or config.knowledge_base
    if path.exists():
        open_kb(path, readonly=True).close()  # refuse a foreign or corrupt file before starting
    token, created = load_or_create_token(config.home)
    token_file = config.home / "http-token"
    app = make_app(Settings(token=token, kb_path=path, workers=workers, max_queued=max_queued, max_body=max_body,
                            batch=batch, config=config))
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        raise BadInput(f"cannot serve on {host}:{port}: {e.strerror or e}") from None
    bound = sock.getsockname()[1]
    url = f"http://{host}:{bound}/"
    if created:
        say(f"a bearer token was generated into {token_file} (mode 0600); it is shown this once:\n{token}")
    else:
        say(f"bearer token: {token_file}")
    if as_json:
        click.echo(json.dumps({"url": url, "token_file": str(token_file), "knowledge_base": str(path)}))
        sys.stdout.flush()
    say(f"serving the API on {url}v1/ and the knowledge base on {url} (Ctrl-C to stop)")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
