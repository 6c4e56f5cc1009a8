"""The client side of the background Lean service (`axiomatic server`, docs/service.md).

`ServiceBackend` is a LeanBackend whose runs happen in the per-user service: the same checks, end markers and
verdict rules as in-process, but on warm Lean environments kept between commands. If no service is running,
the first check starts one (detached, `python -m axiomatic.service`) and uses it; the service answers while
its sessions warm up, in host mode, so that first check is no slower than the in-process path.

No ping before a request: a request is sent straight away, and only when nothing listens on the socket is the
service started (then the same request is retried until it connects). So a command pings at most once, in
`get_backend` with AXIOMATIC_SERVER=auto, to decide whether a service runs at all. Every request carries the
protocol version; a service speaking another one refuses it (a LeanCrash naming both).

Wire protocol (one JSON object per line, one answer line per request, over a Unix socket that only this user
can open): {"op": "check", "text", "file_name", "timeout", "max_heartbeats"} -> {"ok": true, "run": {...}} or
{"ok": false, "error": "<AxiomaticError subclass>", "message", "detail"}; also "ping", "status", "stop".
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
import time
from functools import cached_property
from pathlib import Path

from .. import errors
from ..config import Config
from ..errors import LeanCrash
from .backend import LeanBackend, RawRun
from .embedded import EmbeddedBackend
from .install import EmbeddedRuntime, ProgressFn, _quiet

log = logging.getLogger(__name__)

PROTOCOL = 1
START_WAIT = 60.0  # seconds a client waits for a service it started to answer
ANSWER_GRACE = 120.0  # beyond the request's own timeout: the service's own queueing and bookkeeping


def service_files(config: Config) -> dict[str, Path]:
    """Socket, lock and log of the service for this installation (package + runtime), in the server dir.
    Two checkouts on one machine get two services, so neither runs the other's code."""
    tag = hashlib.sha256(f"{Path(__file__).resolve().parent}\0{config.runtime_dir}".encode()).hexdigest()[:10]
    d = config.server_dir
    return {"dir": d, "socket": d / f"{tag}.sock", "lock": d / f"{tag}.lock", "log": d / f"{tag}.log"}


def server_enabled(config: Config) -> bool:
    return config.server not in ("off", "0", "no", "false") and hasattr(socket, "AF_UNIX")


def request(config: Config, payload: dict, *, timeout: float) -> dict:
    """One request to the running service. Raises ConnectionError/FileNotFoundError if none is listening,
    LeanCrash if it stopped answering mid-request."""
    path = service_files(config)["socket"]
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10.0)
        sock.connect(str(path))
        sock.sendall((json.dumps({"protocol": PROTOCOL, **payload}) + "\n").encode())
        sock.settimeout(timeout)
        chunks = []
        try:
            while True:
                chunk = sock.recv(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    break
        except (socket.timeout, OSError) as exc:
            raise LeanCrash("the Lean service stopped answering", detail=str(exc)) from None
    line = b"".join(chunks).decode("utf-8", "replace").strip()
    if not line:
        raise LeanCrash("the Lean service closed the connection without an answer (it stopped or crashed)")
    return json.loads(line)


def ping(config: Config) -> dict | None:
    """The running service's identity, or None when none answers."""
    try:
        answer = request(config, {"op": "ping"}, timeout=10.0)
    except (OSError, ValueError, LeanCrash):
        return None
    return answer if answer.get("ok") and answer.get("protocol") == PROTOCOL else None


def start_service(config: Config, *, wait: float = START_WAIT, known_down: bool = False) -> dict | None:
    """Start the service in the background (detached from this process and its terminal) unless one runs
    (`known_down`: the caller has just found none, so do not ask again); wait until it answers. Returns its
    ping answer, or None if it did not come up."""
    info = None if known_down else ping(config)
    if info is not None:
        return info
    spawn_service(config)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        info = ping(config)
        if info is not None:
            return info
        time.sleep(0.1)
    return None


def spawn_service(config: Config) -> None:
    """Start a service process, detached, without waiting for it. If one is running already (or two clients
    start one at once), the newcomer cannot take the service's lock and exits at once."""
    files = service_files(config)
    files["dir"].mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(files["dir"], 0o700)
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["AXIOMATIC_SERVER_IDLE"] = str(config.server_idle)
    with open(files["log"], "ab") as log_file:
        os.chmod(files["log"], 0o600)
        subprocess.Popen(
            [sys.executable, "-m", "axiomatic.service", "--runtime", str(config.runtime_dir)],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, env=env, cwd="/",
            start_new_session=True, close_fds=True,
        )


class ServiceBackend(LeanBackend):
    """Lean runs in the background service; the in-process embedded backend when the service cannot be used."""

    name = "embedded"

    def __init__(self, config: Config | None = None, progress: ProgressFn = _quiet) -> None:
        super().__init__(config)
        self.runtime = EmbeddedRuntime(self.config.runtime_dir)
        self.progress = progress
        self._local: EmbeddedBackend | None = None
        self._ready = False
        self._unavailable = ""  # why the service is not used (then checks run in-process)

    @cached_property
    def lean_version(self) -> str:
        return self.runtime.info().get("lean_version", "4.28.0-pre")

    def local(self) -> EmbeddedBackend:
        if self._local is None:
            self._local = EmbeddedBackend(self.config, self.progress)
        return self._local

    def describe(self) -> dict:
        info = super().describe()
        info["mode"] = "service" if not self._unavailable else self.local().describe().get("mode", "host")
        info["socket"] = str(service_files(self.config)["socket"])
        if self._unavailable:
            info["service_error"] = self._unavailable
        return info

    def ensure_ready(self) -> None:
        if not self._ready:
            self.local().ensure_ready()  # install the runtime here, in the foreground, with progress
            self._ready = True

    def close(self) -> None:
        if self._local is not None:
            self._local.close()

    def run_file(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        return self._send(path.read_text(encoding="utf-8"), path.name, timeout, max_heartbeats)

    def _run_source(self, source: str, *, timeout: float | None, max_heartbeats: int) -> RawRun:
        self.ensure_ready()
        return self._send(source, "Check.lean", timeout or self.config.lean_timeout, max_heartbeats)

    def _send(self, text: str, file_name: str, timeout: float, max_heartbeats: int) -> RawRun:
        if not self._unavailable:
            payload = {"op": "check", "text": text, "file_name": file_name, "timeout": timeout,
                       "max_heartbeats": max_heartbeats}
            answer = self._request_starting(payload, timeout=timeout + ANSWER_GRACE)
            if answer is not None:
                return _run_from(answer)
            self._unavailable = (f"the Lean service did not start (see {service_files(self.config)['log']}); "
                                 "checking in-process")
            log.warning("%s", self._unavailable)
        return self.local()._run_source(text, timeout=timeout, max_heartbeats=max_heartbeats)

    def _request_starting(self, payload: dict, *, timeout: float) -> dict | None:
        """The service's answer to `payload`. Nothing listening (none started yet, or it exited when idle)
        starts one, and the request is sent again until it connects; None if it did not come up in time."""
        try:
            return request(self.config, payload, timeout=timeout)
        except (ConnectionError, FileNotFoundError):
            pass
        spawn_service(self.config)
        deadline = time.monotonic() + START_WAIT
        while True:
            try:
                return request(self.config, payload, timeout=timeout)
            except (ConnectionError, FileNotFoundError):
                if time.monotonic() >= deadline:
                    return None
                time.sleep(0.1)


def _run_from(answer: dict) -> RawRun:
    """The RawRun of a check answer, or the exception the in-process path would have raised."""
    if not answer.get("ok"):
        raise _error_from(answer)
    run = answer["run"]
    return RawRun(stdout_lines=list(run["stdout_lines"]), stderr=run.get("stderr", ""),
                  returncode=int(run["returncode"]), seconds=float(run.get("seconds", 0.0)))


def _error_from(answer: dict) -> errors.AxiomaticError:
    """The service's error as the exception the in-process path would have raised."""
    cls = getattr(errors, str(answer.get("error", "")), None)
    if not (isinstance(cls, type) and issubclass(cls, errors.BackendError)):
        cls = LeanCrash
    return cls(str(answer.get("message", "the Lean service failed")), detail=str(answer.get("detail", "")))
