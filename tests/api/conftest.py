"""A real `axiomatic serve --http` process on 127.0.0.1 (a free port), its token read from the user directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


class Server:
    def __init__(self, url: str, token: str, proc: subprocess.Popen) -> None:
        self.url, self.token, self.proc = url.rstrip("/"), token, proc

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def start_server(tmp_path, isolated_home):
    procs: list[subprocess.Popen] = []

    def start(*options: str) -> Server:
        proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "serve", "--http", "127.0.0.1:0", "--json",
                                 "--kb", str(tmp_path / "kb.sqlite"), *options],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        procs.append(proc)
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the server did not start: {proc.stderr.read()}")
        info = json.loads(line)
        token = Path(info["token_file"]).read_text().strip()
        return Server(info["url"], token, proc)

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
