"""The `axiomatic` command. Each area's module registers its commands on `main`."""

from __future__ import annotations

from .common import main

# Importing registers the commands. Keep this list in step with the folders under axiomatic/.
from . import batch_cmds, conjecture_cmds, equiv_cmds, formalize_cmds, kb_cmds, lean_cmds, prove_cmds, verify_cmds  # noqa: E402,F401

__all__ = ["main"]
