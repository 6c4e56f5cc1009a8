"""prove-batch's progress line: drawn on stderr when stderr is a terminal (the command run under a real pty),
never written when it is not (pipes, a file) or with --json.

The fast tests run the real command line with the scripted worker of scripted.py put in as the pool's runner (a
subprocess of its own, so the pty is its controlling terminal's output); the Lean test runs `axiomatic
prove-batch` itself, unchanged, on a real problem."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The real CLI, with the scripted worker in every pool (no Lean): what it draws is the command's own code.
SCRIPTED_CLI = """
import sys
from axiomatic.batch import driver
from axiomatic.batch.local_pool import LocalPool
from tests.batch.scripted import ScriptedRunner
driver.make_pool = lambda options: LocalPool(options.workers, options.spec, factory=ScriptedRunner)
from axiomatic.cli import main
main(sys.argv[1:], prog_name="axiomatic")
"""
ERASE = "\r\x1b[K"  # the progress line is redrawn in place: carriage return, erase to end of line


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("TERM", None)
    return env


def _problems(tmp_path: Path, n: int = 3) -> Path:
    path = tmp_path / "p.jsonl"
    # each takes a few seconds, so the batch outlives the progress line's 1 s delay by several redraws
    path.write_text("".join(json.dumps({"id": f"p{i}", "statement": "sleep 2 then proved"}) + "\n" for i in range(n)))
    return path


def run_on_pty(argv: list[str], *, stderr_to: Path | None = None, timeout: float = 300) -> tuple[int, str, str]:
    """Run argv with stdout (and stderr, unless `stderr_to`) on a new pseudo-terminal; return the exit code,
    what the terminal received, and what went to the stderr file."""
    master, slave = pty.openpty()
    err_file = open(stderr_to, "w") if stderr_to else None
    try:
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=err_file or slave, env=_env(), cwd=ROOT,
                                close_fds=True)
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer closed its end (the command and its workers exited)
                break
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            pytest.fail("the command did not finish on the pty: " + b"".join(chunks).decode(errors="replace")[-2000:])
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
        if err_file:
            err_file.close()
    return code, b"".join(chunks).decode(errors="replace"), stderr_to.read_text() if stderr_to else ""


def _scripted(*args: str) -> list[str]:
    return [sys.executable, "-c", SCRIPTED_CLI, "prove-batch", *args]


def test_the_progress_line_is_drawn_on_a_terminal(tmp_path):
    problems = _problems(tmp_path)
    code, screen, _ = run_on_pty(_scripted(str(problems), "--workers", "2", "--no-store"))
    assert code == 0, screen[-2000:]
    assert ERASE in screen, f"no progress line was drawn on the terminal:\n{screen[-2000:]}"
    lines = [part for part in screen.split(ERASE) if part.strip()]
    progress = [part for part in lines if "remaining" in part]
    assert progress, screen[-2000:]
    assert any(" (running " in p and "/min" in p and "[" in p and "%" in p for p in progress), progress
    assert any(part.startswith("[") and "proved 0 failed 0 other 0 remaining 3" in part for part in progress), \
        progress  # it is drawn while the first problems are still running
    assert "3 finished this run (3 proved" in screen  # then the summary
    assert len((tmp_path / "p.results.jsonl").read_text().splitlines()) == 3


def test_no_progress_line_without_a_terminal(tmp_path):
    problems = _problems(tmp_path)
    # pipes for both streams
    r = subprocess.run(_scripted(str(problems), "--workers", "2", "--no-store"), capture_output=True, text=True,
                       env=_env(), cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "3 finished this run (3 proved" in r.stdout
    for stream in (r.stdout, r.stderr):
        assert "\r" not in stream and "\x1b" not in stream and "remaining" not in stream, stream[-2000:]

    # stdout on a terminal, stderr (where the line would go) into a file: still nothing drawn
    second = tmp_path / "second.jsonl"
    second.write_text(problems.read_text())
    code, screen, err = run_on_pty(_scripted(str(second), "--workers", "2", "--no-store"),
                                   stderr_to=tmp_path / "stderr.txt")
    assert code == 0, screen[-2000:] + err[-2000:]
    assert "3 finished this run (3 proved" in screen
    for stream in (screen, err):
        assert "\x1b" not in stream and "remaining" not in stream, stream[-2000:]


def test_no_progress_line_with_json_even_on_a_terminal(tmp_path):
    problems = _problems(tmp_path, 2)
    code, screen, _ = run_on_pty(_scripted(str(problems), "--workers", "2", "--no-store", "--json"))
    assert code == 0, screen[-2000:]
    assert "\x1b" not in screen and "remaining" not in screen, screen[-2000:]
    summary = json.loads(screen[screen.index("{"):])
    assert summary["proved"] == 2 and summary["complete"] is True


@pytest.mark.lean
def test_prove_batch_draws_its_progress_on_a_terminal_with_real_lean(tmp_path):
    problems = tmp_path / "p.jsonl"
    problems.write_text(json.dumps({"id": "add_zero", "statement": "∀ n : Nat, n + 0 = n"}) + "\n")
    code, screen, _ = run_on_pty([sys.executable, "-m", "axiomatic", "prove-batch", str(problems), "--no-llm",
                                  "--no-store", "--budget-seconds", "900", "--workers", "1"], timeout=1800)
    assert code == 0, screen[-2000:]
    progress = [part for part in screen.split(ERASE) if "remaining" in part]
    assert any("proved 0 failed 0 other 0 remaining 1 (running 1)" in p for p in progress), screen[-2000:]
    assert "1 finished this run (1 proved" in screen
    assert json.loads((tmp_path / "p.results.jsonl").read_text())["status"] == "proved"
