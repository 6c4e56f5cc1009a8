"""Workers as Ray actors: one actor per worker, each owning its Lean backend and LLM client (a ProblemRunner)
for its lifetime, one CPU each. `ray` is an optional extra (`pip install 'axiomatic[ray]'`)."""

from __future__ import annotations

import logging
import os
import sys

from ..errors import BackendMissing
from .events import Died, Event, Finished, Ready, StartFailed
from .worker import ProblemRunner, Task, WorkerSpec

log = logging.getLogger(__name__)


def _ray():
    try:
        import ray
    except ImportError:
        raise BackendMissing("--ray needs the `ray` package: pip install 'axiomatic[ray]'") from None
    return ray


def connect(address: str, *, num_cpus: int | None = None):
    """Join the cluster at `address` ('auto': the one running on this machine), or start a local one ('')."""
    ray = _ray()
    if ray.is_initialized():
        return ray
    _quiet_stdout()
    env = {"env_vars": {k: v for k, v in os.environ.items() if k.startswith("AXIOMATIC_")}} if not address else None
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:  # a private local cluster for this batch, stopped with it; small object store (results are small)
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                     object_store_memory=100 * 1024 * 1024, runtime_env=env)
    except ConnectionError as e:
        raise BackendMissing(f"cannot join the Ray cluster at {address!r}: {e}") from None
    return ray


_saved_stdout: list = []


def _quiet_stdout() -> None:
    """Ray's driver prints cluster messages ("(raylet) A worker died ...") on stdout, which holds the command's
    data (--json): while connected, stdout is stderr."""
    if not _saved_stdout:
        _saved_stdout.append(sys.stdout)
        sys.stdout = sys.stderr


def _restore_stdout() -> None:
    if _saved_stdout:
        sys.stdout = _saved_stdout.pop()


def cluster_cpus(address: str) -> int:
    ray = connect(address)
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class ActorRunner:
    """The actor's body (wrapped by ray.remote in RayPool): a ProblemRunner and its process id."""

    def __init__(self, spec: WorkerSpec, factory=ProblemRunner) -> None:
        self.runner = factory(spec)

    def ready(self) -> dict:
        return self.runner.identity

    def run(self, task: Task):
        return self.runner.run(task)


class RayPool:
    def __init__(self, size: int, spec: WorkerSpec, *, address: str = "", factory=ProblemRunner) -> None:
        self.size, self.spec, self.address, self.factory = size, spec, address, factory
        self.ray = connect(address, num_cpus=None if address else size)
        self.actor_class = self.ray.remote(num_cpus=1, max_restarts=0, max_concurrency=1)(ActorRunner)
        self._actors: dict[int, object] = {}
        self._pending: dict[object, tuple[int, str]] = {}  # object ref -> (slot, 'ready' | 'run')

    def describe(self) -> str:
        where = "a local Ray cluster" if not self.address else f"the Ray cluster at {self.address}"
        return f"{self.size} Ray actor{'s' if self.size != 1 else ''} on {where}"

    def start(self, slot: int) -> None:
        actor = self.actor_class.remote(self.spec, self.factory)
        self._actors[slot] = actor
        self._pending[actor.ready.remote()] = (slot, "ready")

    def submit(self, slot: int, task: Task) -> None:
        self._pending[self._actors[slot].run.remote(task)] = (slot, "run")

    def wait(self, timeout: float) -> list[Event]:
        if not self._pending:
            return []
        done, _ = self.ray.wait(list(self._pending), num_returns=1, timeout=timeout)
        events: list[Event] = []
        for ref in done:
            slot, kind = self._pending.pop(ref)
            try:
                value = self.ray.get(ref)
            except self.ray.exceptions.RayActorError as e:
                self._forget(slot)
                events.append(StartFailed(slot, _first_line(e)) if kind == "ready" and _in_init(e)
                              else Died(slot, f"the Ray actor died: {_first_line(e)}"))
                continue
            except self.ray.exceptions.RayError as e:
                self._forget(slot)
                events.append(Died(slot, f"Ray error: {_first_line(e)}"))
                continue
            events.append(Ready(slot, value) if kind == "ready" else Finished(slot, value))
        return events

    def kill(self, slot: int) -> None:
        actor = self._forget(slot)
        if actor is not None:
            self.ray.kill(actor, no_restart=True)

    def _forget(self, slot: int):
        for ref, (s, _) in list(self._pending.items()):
            if s == slot:
                del self._pending[ref]
        return self._actors.pop(slot, None)

    def close(self) -> None:
        for slot in list(self._actors):
            self.kill(slot)
        self.ray.shutdown()  # stops a cluster this batch started; only disconnects from a joined one
        _restore_stdout()


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:300]


def _in_init(e: BaseException) -> bool:
    """The actor's constructor raised (the worker could not start), as opposed to the process dying."""
    return "__init__" in str(e) or "creation task" in str(e)
