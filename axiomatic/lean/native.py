"""A native Lean toolchain: `lake env lean` in lean_project/ when lake is present, else `lean` on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cached_property
from pathlib import Path

from ..config import Config
from .backend import LeanBackend, RawRun
from .process import run_lean_process


def find_native(config: Config) -> list[str] | None:
    """The command prefix that runs native Lean, or None when no toolchain is on PATH."""
    lake = shutil.which("lake")
    if lake and (config.lean_project / "lakefile.toml").exists():
        return [lake, "env", "lean"]
    lean = shutil.which("lean")
    return [lean] if lean else None


class NativeBackend(LeanBackend):
    name = "native"

    def __init__(self, config: Config, command: list[str]) -> None:
        super().__init__(config)
        self.command = command

    @cached_property
    def lean_version(self) -> str:
        try:
            out = subprocess.run(self.command + ["--version"], capture_output=True, text=True, timeout=60,
                                 cwd=self.config.lean_project)
            return out.stdout.strip() or "unknown"
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    def run_file(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        argv = self.command + ["--json", f"-DmaxHeartbeats={max_heartbeats}", "-DmaxErrors=1000000", str(path)]
        cwd = self.config.lean_project if self.command[0].endswith("lake") else path.parent
        return run_lean_process(argv, cwd=cwd, env=dict(os.environ), timeout=timeout)
