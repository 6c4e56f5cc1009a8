"""The service process: a Unix socket server in front of a SessionPool (axiomatic/lean/pool.py).

Only this user can connect: the socket's directory is 0700 and the socket 0600, and every connection's peer
credentials (SO_PEERCRED) are checked too. One service per installation holds an exclusive lock file, so two
clients that start one at the same moment end up with one. Requests are JSON lines; each connection is
served by its own thread, so a slow check does not hold up other clients (checks with the same header queue
on their environment; others run side by side). The service exits after `server_idle` seconds without
requests, on `stop`, or on SIGTERM.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import socket
import socketserver
import struct
import threading
import time

from ..config import Config
from ..errors import AxiomaticError, BadInput
from ..lean.embedded import EmbeddedBackend
from ..lean.pool import SessionPool
from ..lean.service_client import PROTOCOL, service_files

log = logging.getLogger(__name__)


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, path: str, service: "Service") -> None:
        self.service = service
        old = os.umask(0o177)  # the socket is created 0600, never briefly wider
        try:
            super().__init__(path, _Handler)
        finally:
            os.umask(old)
        os.chmod(path, 0o600)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        service: Service = self.server.service
        if not _same_user(self.request):
            log.warning("refused a connection from another user")
            return
        for raw in self.rfile:
            if not raw.strip():
                continue
            try:
                req = json.loads(raw)
                answer = service.answer(req)
            except ValueError:
                answer = {"ok": False, "error": "BadInput", "message": "the request is not JSON"}
            self.wfile.write((json.dumps(answer) + "\n").encode())
            self.wfile.flush()
            if isinstance(req, dict) and req.get("op") == "stop":
                threading.Thread(target=service.stop, daemon=True).start()
                return


def _same_user(sock: socket.socket) -> bool:
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except (OSError, AttributeError):  # no SO_PEERCRED here: the 0700 directory and 0600 socket still apply
        return True
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


class Service:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.files = service_files(config)
        self.pool = SessionPool(EmbeddedBackend(config, mode="host"))
        self.started = time.time()
        self.last_request = time.monotonic()
        self.in_flight = 0
        self._count_lock = threading.Lock()
        self.ops: dict[str, int] = {}  # requests answered, by op (status: a command pings at most once)
        self.server: _Server | None = None
        self._stopping = threading.Event()

    # -- requests -------------------------------------------------------------------------------------------

    def answer(self, req: dict) -> dict:
        if not isinstance(req, dict):
            return {"ok": False, "error": "BadInput", "message": "a request is a JSON object"}
        op = req.get("op")
        with self._count_lock:
            self.ops[str(op)] = self.ops.get(str(op), 0) + 1
        if req.get("protocol", PROTOCOL) != PROTOCOL:
            return {"ok": False, "error": "LeanCrash", "message": f"the running Lean service speaks protocol "
                    f"{PROTOCOL}, this client {req.get('protocol')}: stop it (`axiomatic server stop`)"}
        if op == "ping":
            return {"ok": True, "protocol": PROTOCOL, "pid": os.getpid()}
        if op == "status":
            return {"ok": True, **self.status()}
        if op == "stop":
            return {"ok": True, "stopping": True, "pid": os.getpid()}
        if op == "check":
            return self._check(req)
        return {"ok": False, "error": "BadInput", "message": f"unknown op {op!r}"}

    def _check(self, req: dict) -> dict:
        with self._count_lock:
            self.in_flight += 1
            self.last_request = time.monotonic()
        try:
            text = req.get("text")
            if not isinstance(text, str):
                raise BadInput("a check needs a text")
            raw = self.pool.run(text, file_name=str(req.get("file_name") or "Check.lean"),
                                timeout=float(req.get("timeout") or self.config.lean_timeout),
                                max_heartbeats=int(req.get("max_heartbeats") or 200_000))
            return {"ok": True, "run": {"stdout_lines": raw.stdout_lines, "stderr": raw.stderr,
                                        "returncode": raw.returncode, "seconds": raw.seconds}}
        except AxiomaticError as exc:
            return {"ok": False, "error": type(exc).__name__, "message": exc.message, "detail": exc.detail}
        except Exception as exc:  # noqa: BLE001 (the service survives a bug in one request; the client sees a crash)
            log.exception("check failed")
            return {"ok": False, "error": "LeanCrash", "message": f"the Lean service failed: {exc}"}
        finally:
            with self._count_lock:
                self.in_flight -= 1
                self.last_request = time.monotonic()

    def status(self) -> dict:
        return {"pid": os.getpid(), "protocol": PROTOCOL, "socket": str(self.files["socket"]),
                "uptime_seconds": round(time.time() - self.started, 1), "in_flight": self.in_flight,
                "idle_seconds": round(time.monotonic() - self.last_request, 1),
                "idle_exit_seconds": self.config.server_idle, "runtime": str(self.config.runtime_dir),
                "lean_version": self.pool.fallback.lean_version, "ops": dict(self.ops), **self.pool.status()}

    # -- life cycle -----------------------------------------------------------------------------------------

    def run(self) -> int:
        d = self.files["dir"]
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(d, 0o700)
        lock = open(self.files["lock"], "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log.info("another service already runs for %s; exiting", self.files["socket"])
            return 0
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        path = self.files["socket"]
        if path.exists() or path.is_symlink():
            path.unlink()  # left by a service that died: we hold the lock, so nobody else uses it
        self.server = _Server(str(path), self)
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=self.stop, daemon=True).start())
        threading.Thread(target=self._watch_idle, daemon=True, name="idle-watch").start()
        log.info("Lean service %d listening on %s (idle exit after %.0f s)", os.getpid(), path,
                 self.config.server_idle)
        try:
            self.server.serve_forever(poll_interval=0.5)
        finally:
            try:
                path.unlink()
            except OSError:
                pass
            self.pool.close()
            lock.truncate(0)  # no stale pid for anyone to signal
            lock.close()
            log.info("Lean service %d stopped", os.getpid())
        return 0

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self.server is not None:
            self.server.shutdown()

    def _watch_idle(self) -> None:
        while not self._stopping.wait(1.0):
            self.pool.tidy()
            with self._count_lock:
                idle = self.in_flight == 0 and time.monotonic() - self.last_request > self.config.server_idle
            if idle:
                log.info("idle for %.0f s: exiting", self.config.server_idle)
                self.stop()
                return


def serve(config: Config) -> int:
    return Service(config).run()
