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


def test_the_session_is_keyed_on_the_header_python_splits(backend):
    """lsp_host.js does no Lean lexing: it keys its session on the import lines sent with each request (split by
    syntax.split_header), and refuses a request without them."""
    if backend.name != "embedded":
        pytest.skip("session mode belongs to the embedded runtime")
    import os

    from axiomatic.config import Config
    from axiomatic.errors import LeanCrash
    from axiomatic.lean.install import EmbeddedRuntime, require_node
    from axiomatic.lean.session import start_lsp_host

    node, _ = require_node()
    host = start_lsp_host(node, EmbeddedRuntime(Config().runtime_dir).current, env=dict(os.environ))
    check = lambda text: host.check_text(text, file_name="Check.lean", timeout=600, max_heartbeats=200000)  # noqa: E731
    try:
        assert check("theorem a : 1 + 1 = 2 := rfl\n").returncode == 0
        assert host.last_answer["session"] == "new"
        # comments before the first command are no header: the same (empty) header, the same session
        assert check("-- no imports here\n/- nor here -/\ntheorem b : 2 + 2 = 4 := rfl\n").returncode == 0
        assert host.last_answer["session"] == "reused"
        with pytest.raises(LeanCrash) as refused:
            host.exchange({"text": "theorem c : 1 = 1 := rfl\n", "max_heartbeats": 200000}, timeout=60, grace=30)
        assert "header" in refused.value.detail
        assert host.alive()
        # another header: another session
        assert check("import Init\ntheorem d : 3 = 3 := rfl\n").returncode == 0
        assert host.last_answer["session"] == "new"
        assert check("import Init\n\ntheorem e : 3 = 3 := rfl\n").returncode == 0
        assert host.last_answer["session"] == "reused"
    finally:
        host.close()
