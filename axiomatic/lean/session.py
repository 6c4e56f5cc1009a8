"""Session mode: a persistent Lean environment for the embedded backend (node/lsp_host.js).

`lsp_host.js` runs Lean's own file worker (`lean --worker`, LSP over an in-process channel) in a worker
thread and keeps it alive: the header's imports are done once per session, and each check replaces the
document text, so a check pays only for elaboration (~0.3 s for one theorem instead of ~8 s).
Its answers use the same framing as host.js (nonce-prefixed JSON lines), so `LeanHost` does the process
handling (own process group, kill on close/GC/exit, reader thread); only the request differs: it carries the
text and its header (the import lines, split with syntax.split_header), on which lsp_host.js keys its session:
the JavaScript side does no Lean lexing. The answer's stdout lines are `lean --json` message objects, so
`parse_json_messages` and everything after it are unchanged.

Opt-in (AXIOMATIC_LEAN_MODE=session, wired in EmbeddedBackend.run_file with host mode as the fallback): the
session's wasm heap grows by tens of MB per check and lsp_host.js recycles sessions before the 2 GB limit;
a timeout ends the session. See docs/lean-runtime.md.
"""

from __future__ import annotations

from pathlib import Path

from .backend import RawRun
from .process import LeanHost
from .syntax import split_header

LSP_HOST_JS = Path(__file__).parent / "node" / "lsp_host.js"


class LeanLspHost(LeanHost):
    """`node lsp_host.js <runtime dir> <nonce>`: checks Lean texts on a kept-alive imported environment."""

    def check(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        text = path.read_text(encoding="utf-8")
        return self.check_text(text, file_name=path.name, timeout=timeout, max_heartbeats=max_heartbeats)

    def check_text(self, text: str, *, file_name: str, timeout: float, max_heartbeats: int,
                   header: list[str] | None = None) -> RawRun:
        """Check `text`. `header` is its import lines when the caller has split them already (the pool keys
        its environments on them); otherwise they are split here. lsp_host.js keys its session on them and
        warms a spare with them."""
        if header is None:
            header, _ = split_header(text)
        # a new session (first check, new header, after a timeout) also pays the import: allow for it
        return self.exchange({"text": text, "header": header, "file_name": file_name, "max_heartbeats": max_heartbeats},
                             timeout=timeout, grace=120.0)


def start_lsp_host(node: str, runtime_root: Path, env: dict[str, str]) -> LeanLspHost:
    return LeanLspHost([node, str(LSP_HOST_JS), str(runtime_root)], env=env)
