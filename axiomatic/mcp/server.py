"""The MCP server: one tool per operation, each returning the CLI's `--json` document.

Tools run the blocking operation in a worker thread, one at a time (one Lean backend per server process);
long ones (prove, equiv, formalize) forward the engine's progress lines as MCP progress notifications.
An operation that cannot answer (bad input, Lean missing or broken) becomes a tool error with its message."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from .. import __version__, ops
from ..config import Config
from ..errors import AxiomaticError
from ..lean import get_backend

log = logging.getLogger(__name__)

INSTRUCTIONS = """axiomatic: a reasoning engine whose every answer is checked by the Lean 4 kernel.
Statements are Lean 4 propositions (core Lean: Init/Std, no Mathlib unless the server's Lean project has it),
e.g. `∀ n : Nat, n + 0 = n`. Definitions a statement needs go in `context` (Lean source). A proof counts only
when the verdict is `verified`: the kernel accepted exactly the statement, with no sorry and no axioms beyond
propext, Classical.choice, Quot.sound. `timeout`/`crash` verdicts are no answer either way."""


class Engine:
    """The server's state: the configuration, the knowledge base, one Lean backend, one job at a time."""

    def __init__(self, config: Config, kb_path: Path | None) -> None:
        self.config, self.kb_path = config, kb_path
        self._backend = None
        self._lock = threading.Lock()

    @property
    def backend(self):
        if self._backend is None:
            self._backend = get_backend(self.config)
        return self._backend

    async def run(self, ctx: Context | None, operation: Callable[..., ops.Answer], request: dict, *,
                  uses_kb: bool = False, uses_lean: bool = True, reports_progress: bool = False) -> Any:
        step = 0

        def progress(message: str) -> None:
            nonlocal step
            step += 1
            if ctx is not None:
                try:
                    anyio.from_thread.run(ctx.report_progress, step, None, message)
                except Exception:  # noqa: BLE001 (a client that stopped listening must not stop the proof)
                    log.debug("progress not delivered", exc_info=True)

        def call() -> ops.Answer:
            with self._lock:
                kwargs: dict[str, Any] = {"config": self.config}
                if uses_lean:
                    kwargs["backend"] = self.backend
                if uses_kb:
                    kwargs["kb_path"] = self.kb_path
                if reports_progress:
                    kwargs["progress"] = progress
                return operation(request, **kwargs)

        try:
            answer = await anyio.to_thread.run_sync(call)
        except AxiomaticError as e:
            raise ToolError(f"{type(e).__name__}: {e.message}" + (f"\n{e.detail}" if e.detail else "")) from None
        return answer.document


def build_server(config: Config | None = None, kb_path: Path | None = None) -> MCPServer:
    engine = Engine(config or Config(), kb_path)
    server = MCPServer("axiomatic", version=__version__, instructions=INSTRUCTIONS)

    @server.tool()
    async def check(source: str, ctx: Context, timeout: float | None = None) -> dict[str, Any]:
        """Elaborate a Lean 4 file (its full text) with the Lean kernel.

        Needs: `source`, the Lean text. Returns {ok, messages: [{line, column, severity, text}], seconds, backend,
        lean_version}; `ok` is true when Lean reports no error. Use it to see whether definitions or a
        statement elaborate before proving; it does not judge proofs (use verify_proof)."""
        return await engine.run(ctx, ops.check, {"source": source, "timeout": timeout})

    @server.tool()
    async def verify_proof(statement: str, proof: str, ctx: Context, context: str = "",
                           name: str | None = None) -> dict[str, Any]:
        """The trusted verifier: does `proof` prove exactly `statement`?

        Needs: `statement`, a Lean proposition (e.g. `∀ n : Nat, n + 0 = n`); `proof`, a term or a `by` block
        (e.g. `fun n => rfl` or `by intro n; omega`); optionally `context`, Lean definitions the statement uses.
        Returns {verdict, reason, family?, axioms, messages, seconds, name}: `verified` only when the Lean kernel
        accepted exactly this statement with no sorry and only standard axioms; `rejected` with Lean's messages
        otherwise (use them to repair the proof); `timeout`/`crash` are no verdict. A statement that does not
        elaborate is an error."""
        return await engine.run(ctx, ops.verify, {"statement": statement, "proof": proof, "context": context,
                                                  "name": name})

    @server.tool()
    async def prove(statement: str, ctx: Context, context: str = "", budget_seconds: float = 120.0,
                    model: str | None = None, no_llm: bool = False) -> dict[str, Any]:
        """Search for a kernel-checked proof of a Lean proposition (automation: Lean's own search and a tactic
        portfolio, lemmas; an LLM when the server has a model configured or `model` is given).

        Needs: `statement`; optionally `context` (definitions), `budget_seconds` (wall clock, default 120).
        Returns {status: proved|failed, proof, lemmas (each with its own statement and proof), self_contained
        (Lean text to paste after the context), tried (each stage and its outcome), reason}. Every proof
        returned was accepted by the trusted verifier. Reports progress while it searches."""
        request = {"statement": statement, "context": context, "budget_seconds": budget_seconds, "model": model,
                   "no_llm": no_llm}
        return await engine.run(ctx, ops.prove, request, uses_kb=True, reports_progress=True)

    @server.tool()
    async def kb_search(query: str, limit: int = 10) -> dict[str, Any]:
        """Search the knowledge base of proven results (words or a Lean goal).

        Returns {results: [{name, statement, score}]}, best first; an empty list when nothing matches. Results
        are theorems the kernel accepted (with their dependencies), usable by name in later proofs."""
        results = await engine.run(None, ops.kb_search, {"query": query, "limit": limit}, uses_kb=True,
                                   uses_lean=False)
        return {"results": results}

    @server.tool()
    async def kb_show(name: str) -> dict[str, Any]:
        """One knowledge-base item by name: {name, kind, statement, proof, informal, uses, used_by, verified,
        backend, lean_version, ...}. An unknown name is an error."""
        return await engine.run(None, ops.kb_show, {"name": name}, uses_kb=True, uses_lean=False)

    @server.tool()
    async def equiv(left: str, right: str, ctx: Context, files: dict[str, str] | None = None,
                    budget_seconds: float = 300.0, no_llm: bool = False) -> dict[str, Any]:
        """Do two programs agree on every input of their domain?

        Needs: `left` and `right` as `FILE.py:function` (or `FILE.lean:name`); with `files` ({"a.py": source,
        ...}) the programs come inline and FILE names one of them, else FILE is a path on the server's machine.
        Returns {verdict: equivalent|counterexample|unknown, ...}: `equivalent` carries a Lean theorem the
        kernel checked, `counterexample` concrete inputs run on CPython, `unknown` what was tried."""
        request = {"left": left, "right": right, "files": files, "budget_seconds": budget_seconds, "no_llm": no_llm}
        return await engine.run(ctx, ops.equiv, request, uses_kb=True, reports_progress=True)

    @server.tool()
    async def formalize(text: str, ctx: Context, context: str = "", model: str | None = None,
                        n: int = 4) -> dict[str, Any]:
        """Turn a statement in English into a Lean 4 proposition (needs a model: `model`, or the server's
        AXIOMATIC_MODEL). Candidates are elaborated by Lean, repaired with Lean's errors, back-translated and
        judged for fidelity. Returns {ok, best: {statement, elaborates, faithful, vacuous, ...}, alternatives}.
        Without a model it is an error saying so."""
        request = {"text": text, "context": context, "model": model, "n": n}
        return await engine.run(ctx, ops.formalize, request, uses_kb=True, reports_progress=True)

    return server
