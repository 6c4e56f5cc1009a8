"""The `axiomatic` command. Each area's module registers its commands on `main`."""

from __future__ import annotations

from .common import main

# Importing registers the commands. Keep this list in step with the folders under axiomatic/.
from . import (batch_cmds, conjecture_cmds, equiv_cmds, formalize_cmds, kb_cmds, lean_cmds,  # noqa: E402,F401
               leanfile_cmds, mcp_cmds, prove_cmds, serve_cmds, server_cmds, verify_cmds)

__all__ = ["main"]
