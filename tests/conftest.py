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


@pytest.fixture(scope="session", autouse=True)
def lean_service():
    """Where the run's background Lean service lives (docs/service.md): tests/service starts it there (and stops
    it when done); every other test checks in-process, the default when no service is running. The directory
    belongs to this run (not pytest's basetemp, which concurrent pytest runs prune); every service started
    there is stopped at the end, so no test leaves a daemon behind."""
    import shutil
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="axiomatic-svc-"))
    old = os.environ.get("AXIOMATIC_SERVER_DIR")
    os.environ["AXIOMATIC_SERVER_DIR"] = str(directory)
    yield directory
    stop_services(directory)
    shutil.rmtree(directory, ignore_errors=True)
    if old is None:
        os.environ.pop("AXIOMATIC_SERVER_DIR", None)
    else:
        os.environ["AXIOMATIC_SERVER_DIR"] = old


def stop_services(directory: Path) -> None:
    """SIGTERM every service whose lock file is in `directory` (a service writes its pid there)."""
    import signal
    import time

    for lock in directory.glob("*.lock"):
        try:
            pid = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            continue
        try:
            if pid <= 0 or b"axiomatic.service" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue  # not (or no longer) a service: never signal anything else
        except OSError:
            continue
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)


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
