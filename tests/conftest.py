"""Shared fixtures. The user directory is moved to a temporary one for every test; the embedded Lean runtime
cache is shared (installing it per test would cost minutes), which is what a real user's machine does too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("axiomatic-home")
    monkeypatch.setenv("AXIOMATIC_HOME", str(home))
    monkeypatch.delenv("AXIOMATIC_KB", raising=False)
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    return home


@pytest.fixture(scope="session")
def backend():
    """The real Lean backend (native if on PATH, else embedded, installed on first use)."""
    from axiomatic.lean import get_backend

    b = get_backend()
    b.ensure_ready()
    return b


def run_cli(*args: str, env: dict | None = None, timeout: float = 900, cwd: Path | None = None):
    """Run the real `axiomatic` command line in a subprocess, as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "axiomatic", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd or ROOT,
    )
