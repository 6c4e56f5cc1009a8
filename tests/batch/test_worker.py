"""The worker's own state (no Lean run: the runtime is already installed, so making it ready runs nothing)."""

from __future__ import annotations

from axiomatic.batch.worker import ProblemRunner, WorkerSpec


def test_a_worker_owns_its_lean_runtime_even_when_a_lean_service_would_be_used(monkeypatch):
    # AXIOMATIC_SERVER=on makes every other command send its checks to the background service; a worker
    # keeps its own runtime instead, or all the workers of a machine would queue on one service environment.
    monkeypatch.setenv("AXIOMATIC_SERVER", "on")
    runner = ProblemRunner(WorkerSpec(no_llm=True))
    try:
        assert type(runner.backend).__name__ != "ServiceBackend"
        assert runner.config.server == "off" and runner.identity["backend"] in ("embedded", "native")
    finally:
        close = getattr(runner.backend, "close", None)
        if close:
            close()
