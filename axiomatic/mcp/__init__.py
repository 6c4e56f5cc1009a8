"""The MCP face: `axiomatic mcp` serves the operations as tools over stdio (the official `mcp` SDK), so a
coding agent can check, verify, prove and search with every verdict from the Lean kernel (docs/mcp.md)."""

from .server import build_server

__all__ = ["build_server"]
