"""`axiomatic mcp`: the MCP server over stdio (docs/mcp.md)."""

from __future__ import annotations

import click

from .common import handle_errors, main, make_config
from .kb_cmds import kb_option


@main.command("mcp")
@kb_option
@click.option("--json", "as_json", is_flag=True, help="Accepted like everywhere; the protocol on stdout is JSON.")
@handle_errors
def mcp_server(kb_path, as_json) -> None:
    """Serve the tools check, verify_proof, prove, kb_search, kb_show, equiv and formalize to an MCP client
    over stdio (stdout carries the protocol; logs go to stderr). Register it with an agent client as the
    command `axiomatic mcp`."""
    from ..mcp import build_server

    build_server(make_config(), kb_path).run("stdio")
