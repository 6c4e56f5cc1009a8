"""The long-lived Node host of the embedded Lean (axiomatic/lean/node/host.js): reuse, crashes, timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from axiomatic.errors import LeanCrash, LeanTimeout
from axiomatic.lean.embedded import EmbeddedBackend

pytestmark = pytest.mark.lean

ERROR_FILE = "theorem fine : 1 + 1 = 2 := rfl\n\nexample : (3 : Nat) < 2 := by\n  decide\n"


@pytest.fixture(scope="module")
def hosted():
    b = EmbeddedBackend()
    if b._host_disabled:
        pytest.skip("host mode switched off (AXIOMATIC_LEAN_HOST=0)")
    b.ensure_ready()
    yield b
    b.close()


def _pid(b: EmbeddedBackend) -> int:
    assert b._host is not None and b._host.alive()
    return b._host.proc.pid


def test_sequential_checks_reuse_one_host_and_match_process_mode(hosted, monkeypatch):
    first = hosted.check(ERROR_FILE)
    pid = _pid(hosted)
    second = hosted.check("theorem t (n : Nat) : n + 0 = n := by omega\n")
    assert _pid(hosted) == pid and second.ok
    assert hosted.describe()["mode"] == "host"

    monkeypatch.setenv("AXIOMATIC_LEAN_HOST", "0")
    plain = EmbeddedBackend()
    reference = plain.check(ERROR_FILE)
    assert plain.describe()["mode"] == "process"
    assert not first.ok and not reference.ok
    key = lambda r: [(m.line, m.column, m.end_line, m.end_column, m.severity, m.text) for m in r.messages]  # noqa: E731
    assert key(first) == key(reference)
    assert [(m.line, m.column) for m in first.errors] == [(4, 2)]


def test_host_survives_a_crashing_request(hosted):
    pid = _pid(hosted)
    host = hosted._host
    # a working directory that does not exist makes Lean's main throw inside the worker
    with pytest.raises(LeanCrash):
        host.run(["-j1", "--json", "Missing.lean"], cwd=Path("/nonexistent/axiomatic"), env={}, timeout=120)
    assert hosted.check("theorem u : 2 + 2 = 4 := by decide\n").ok
    assert _pid(hosted) == pid


def test_host_survives_a_timeout(hosted):
    pid = _pid(hosted)
    with pytest.raises(LeanTimeout):
        hosted.check(
            "partial def spin (n : Nat) : Nat := if n = 0 then 0 else spin (n + 2)\n#eval spin 1\n",
            timeout=15, max_heartbeats=0,
        )
    assert hosted.check("theorem v : 3 = 3 := rfl\n").ok
    assert _pid(hosted) == pid
