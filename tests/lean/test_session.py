"""Session mode (AXIOMATIC_LEAN_MODE=session): Lean's file worker kept alive, imports paid once per header."""

from __future__ import annotations

import pytest

from axiomatic.lean.embedded import EmbeddedBackend

pytestmark = pytest.mark.lean

ERROR_FILE = "theorem fine : 1 + 1 = 2 := rfl\n\nexample : (3 : Nat) < 2 := by\n  decide\n"


def test_session_mode_gives_the_same_messages_and_reuses_the_environment(monkeypatch, backend):
    if backend.name != "embedded":  # the embedded runtime, in-process or through the Lean service
        pytest.skip("session mode belongs to the embedded runtime")
    monkeypatch.setenv("AXIOMATIC_LEAN_MODE", "session")
    b = EmbeddedBackend()
    try:
        assert b.describe()["mode"] == "session"
        first = b.check(ERROR_FILE)
        session = b._session
        assert session is not None and session.alive()
        warm = [b.check(f"theorem t{i} (n : Nat) : n + {i} = {i} + n := by omega\n") for i in range(3)]
        assert all(r.ok for r in warm)
        assert b._session is session  # one session served every check
        # a wrong proof is still wrong in a warm session, at the same place
        again = b.check(ERROR_FILE)
        key = lambda r: [(m.line, m.column, m.end_line, m.end_column, m.severity, m.text) for m in r.messages]  # noqa: E731
        assert key(again) == key(first)
        assert [(m.line, m.column) for m in first.errors] == [(4, 2)]
        # and the same as the one-process-per-file runtime reports
        monkeypatch.setenv("AXIOMATIC_LEAN_MODE", "process")
        assert key(EmbeddedBackend().check(ERROR_FILE)) == key(first)
    finally:
        b.close()
