"""A pool of warm Lean environments for the embedded runtime, one per import header (used by the service).

Each environment is its own `node lsp_host.js` process (session mode, docs/lean-runtime.md) whose Lean file
worker has imported one header once; a check with that header then costs only elaboration (~0.3 s).
Environments are independent processes, so a check with another header (plain `Init`, the verifier's `Lean.*`
imports, a user's context) never restarts the others.

An environment that is not warm yet (just started, or re-warming after a timeout or a crash) does not make
anyone wait: its checks go to one shared host-mode process (node/host.js, ~8 s a check, the in-process
default's speed) until the session is ready. So the first command after a start is no slower than without
the pool, and a timeout stops only its own request: the next one is served by the fallback while the
session warms again. Large batches also go to host mode, which is faster for them (measured: 100 theorems,
15 s in host mode vs 29 s in a session).

A warm-up imports the header and then elaborates the text of one real check with that header, so that what all
its files share (the verifier's harness) is elaborated once, before the session serves: a session re-elaborates
only what changed (docs/service.md: 0.4-0.65 s per verification instead of 70-150 s).

Memory: a session's wasm heap grows with every check (tens to hundreds of MB) towards the 2 GB wasm limit. When
it has grown `spare_mb` beyond its size after the warm-up (or is 300 MB short of `recycle_mb`), the pool starts a replacement environment (another process) that imports in the background while
the old one keeps serving; the first check after the replacement is warm switches to it and the old process
is closed. If the old one reaches `recycle_mb` first, it is retired at once and checks go to the host-mode
fallback until the replacement is ready. (lsp_host.js's own in-process spare is switched off: two sessions in
one process doubled its RSS.) An environment whose process passes `env_rss_mb` is replaced after its check, and
at most `max_envs` environments are kept (the least recently used idle one goes).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import LeanCrash, LeanTimeout
from .backend import RawRun
from .embedded import EmbeddedBackend
from .install import require_node
from .session import LeanLspHost, start_lsp_host
from .syntax import split_header

log = logging.getLogger(__name__)

WARM_UP_TIMEOUT = 900.0  # a session's imports under heavy load (measured 30-60 s, allow for far worse)
WARM_TEXT_TIMEOUT = 300.0  # elaborating a check's text during the warm-up (the verifier's harness: 50-80 s loaded)
WARM_UP_DEFER = 120.0  # at most this long a warm-up waits for the host-mode fallback to be idle


@dataclass
class PoolSettings:
    max_envs: int = 2  # warm environments kept at once (each 1.7-2.3 GB RSS, see docs/service.md)
    env_rss_mb: int = 3500  # an environment whose process is bigger than this is replaced after its check
    batch_to_host: int = 40  # files with at least this many end markers (check_batch snippets) go to host mode
    fallback_idle: float = 120.0  # the host-mode fallback process stops after this long unused
    spare_mb: int = 600  # wasm heap growth since warm-up at which a replacement environment starts warming...
    recycle_mb: int = 1900  # ...and the heap at which the old one stops serving even if the replacement is not ready

    @classmethod
    def from_config(cls, config: Config) -> "PoolSettings":
        return cls(max_envs=config.pool_max_envs, env_rss_mb=config.pool_env_rss_mb,
                   batch_to_host=config.pool_batch_to_host, spare_mb=config.pool_spare_mb,
                   recycle_mb=config.pool_recycle_mb)


def header_key(text: str, max_heartbeats: int) -> tuple[str, int]:
    """What a warm environment is for: the file's imports, and the heartbeat limit its worker was started with."""
    imports, _ = split_header(text)
    return "\n".join(imports), max_heartbeats


class HeaderEnv:
    """One warm session for one header. `run` returns None when the session is not warm (use the fallback)."""

    def __init__(self, key: tuple[str, int], node: str, runtime_root: Path, env: dict[str, str],
                 fallback_quiet: threading.Event | None = None) -> None:
        self.key = key
        self.header = key[0].split("\n") if key[0] else []  # the import lines, as split_header gave them
        # a warm-up waits (a bounded time) until the host-mode fallback is idle, so that the check being served
        # there meanwhile is not slowed down by the import competing for the same cores
        self._fallback_quiet = fallback_quiet
        self._node, self._root, self._env = node, runtime_root, env
        self.host: LeanLspHost | None = None
        self.state = "cold"  # cold -> warming -> warm; back to cold after a timeout or crash
        self.lock = threading.Lock()  # one check at a time in a session; waiting callers queue here
        self.starts = 0
        self.checks = 0
        self.baseline_heap_mb = 0  # wasm heap right after the warm-up (the imports and the warm-up text)
        self.warmed_on_text = False  # the last warm-up elaborated a check's text (not the header alone)
        self.last_used = time.monotonic()
        self.last_error = ""

    def warm_up_async(self, text: str) -> None:
        """Warm this environment in the background on `text`, the check that asked for it (a no-op if it is
        warm or warming already). After the imports the warm-up elaborates that text once: a session
        re-elaborates only what changed since its last file, so the part every file of the header shares (the
        verifier's ~340-line harness) is ready before the first real check. Warming on the header alone left
        that first check to elaborate the harness in the session (~50-80 s under load, 230+ Lean threads)
        while a caller waited."""
        if self.state in ("warming", "warm"):
            return
        self.state = "warming"
        threading.Thread(target=self._warm_up, args=(text,), daemon=True, name=f"warm-{self.key[0][:20]}").start()

    def _warm_up(self, text: str) -> None:
        if self._fallback_quiet is not None:
            self._fallback_quiet.wait(timeout=WARM_UP_DEFER)
        with self.lock:
            try:
                if self.host is None or not self.host.alive():
                    self.starts += 1
                    self.host = start_lsp_host(self._node, self._root, env=self._env)
                self._warm_on_header()
                self.warmed_on_text = self._warm_on_text(text)
                self.baseline_heap_mb = int(self.host.last_answer.get("wasm_heap_mb") or 0)
                self.state = "warm"
            except Exception as exc:  # noqa: BLE001 (any failure leaves the env cold; checks use the fallback)
                self.last_error = str(exc)[:500]
                log.warning("warming the Lean session for %r failed: %s", self.key[0][:80], exc)
                self._drop_host()
                self.state = "cold"

    def _warm_on_header(self) -> None:
        """The imports alone (lsp_host.js starts a session for the header if it has none)."""
        header = self.key[0] + "\n" if self.key[0] else ""
        self.host.check_text(header + "-- warm-up\n", file_name="Warm.lean", timeout=WARM_UP_TIMEOUT,
                             max_heartbeats=self.key[1], header=self.header)

    def _warm_on_text(self, text: str) -> bool:
        """Elaborate a real check's text once (its answer is dropped). Errors in it do not matter; a warm-up that
        runs out of time only costs the session (lsp_host.js drops it), which is then warmed on its header
        alone. True when the text was elaborated."""
        try:
            self.host.check_text(text, file_name="Warm.lean", timeout=WARM_TEXT_TIMEOUT, max_heartbeats=self.key[1],
                                 header=self.header)
            return True
        except LeanTimeout:
            log.info("warming on a check's text timed out for %r; warming on the header alone", self.key[0][:80])
            self._warm_on_header()
            return False

    def run(self, text: str, file_name: str, timeout: float, max_heartbeats: int) -> RawRun | None:
        if self.state != "warm":  # never queue behind a warm-up
            return None
        with self.lock:
            if self.state != "warm" or self.host is None or not self.host.alive():
                return None
            self.last_used = time.monotonic()
            try:
                raw = self.host.check_text(text, file_name=file_name, timeout=timeout, max_heartbeats=max_heartbeats,
                                           header=self.header)
            except LeanTimeout:
                # lsp_host.js dropped the session (the elaboration may still be running); its process lives
                self.state = "cold"
                raise
            except LeanCrash as exc:
                self.last_error = str(exc)[:500]
                self._drop_host()
                self.state = "cold"
                raise
            finally:
                self.checks += 1
                self.last_used = time.monotonic()
            if self.rss_mb() > self._rss_limit:
                log.info("Lean session for %r passed %d MB: replacing it", self.key[0][:80], self._rss_limit)
                self._drop_host()
                self.state = "cold"
            return raw

    _rss_limit = 3500

    def rss_mb(self) -> int:
        host = self.host
        if host is None:
            return 0
        try:
            for line in Path(f"/proc/{host.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def heap_mb(self) -> int:
        host = self.host
        return int((host.last_answer.get("wasm_heap_mb") if host is not None else 0) or 0)

    def retire(self) -> None:
        """Serve no more checks (a replacement takes over); the process is closed when that happens."""
        with self.lock:
            self.state = "retired"
            self._drop_host()

    def _drop_host(self) -> None:
        if self.host is not None:
            self.host.close()
            self.host = None

    def close(self) -> None:
        with self.lock:
            self._drop_host()
            self.state = "cold"

    def status(self) -> dict:
        host = self.host
        return {
            "header": self.key[0], "max_heartbeats": self.key[1], "state": self.state,
            "pid": host.proc.pid if host is not None and host.alive() else None,
            "starts": self.starts, "checks": self.checks, "rss_mb": self.rss_mb(),
            "wasm_heap_mb": (host.last_answer.get("wasm_heap_mb") if host is not None else None),
            "baseline_heap_mb": self.baseline_heap_mb, "warmed_on_text": self.warmed_on_text,
            "idle_seconds": round(time.monotonic() - self.last_used, 1), "last_error": self.last_error,
        }


class SessionPool:
    """Route each check to the warm environment of its header, or to the host-mode fallback."""

    def __init__(self, fallback: EmbeddedBackend, settings: PoolSettings | None = None) -> None:
        self.fallback = fallback  # a host-mode EmbeddedBackend: runtime, version, and the not-yet-warm path
        self.settings = settings or PoolSettings.from_config(fallback.config)
        self.envs: dict[tuple[str, int], HeaderEnv] = {}
        self._lock = threading.Lock()
        self._fallback_used = time.monotonic()
        self._fallback_busy = 0
        self._fallback_quiet = threading.Event()
        self._fallback_quiet.set()
        self.counts = {"session": 0, "host": 0}
        env = dict(os.environ)
        env["LEAN_LSP_SPARE_MB"] = env["LEAN_LSP_RECYCLE_MB"] = "100000"  # recycling is done here, see above
        self._replacements: dict[tuple[str, int], HeaderEnv] = {}
        self._env = env
        self._node: str | None = None

    def run(self, text: str, *, file_name: str = "Check.lean", timeout: float, max_heartbeats: int) -> RawRun:
        key = header_key(text, max_heartbeats)
        big_batch = text.count('#print "axiomatic-end-') >= self.settings.batch_to_host
        if big_batch:
            return self._run_fallback(text, file_name, timeout, max_heartbeats)
        # Whichever is free first: the header's warm session, or the host-mode fallback (which runs one check
        # at a time, so queueing there behind others while the session becomes warm would only add waiting).
        first = True
        while True:
            env = self._env_for(key)
            if env.state == "warm":
                try:
                    raw = env.run(text, file_name, timeout, max_heartbeats)
                finally:
                    if env.state == "cold":
                        env.warm_up_async(text)  # after a timeout or crash; this request's answer stands as it is
                if raw is not None:
                    self.counts["session"] += 1
                    self._recycle_if_large(env, text)
                    return raw
            if first or self._fallback_busy == 0:
                if self._fallback_busy == 0 or env.state not in ("warming", "retired"):
                    return self._run_fallback(text, file_name, timeout, max_heartbeats, then_warm=env)
            if env.state == "cold":
                env.warm_up_async(text)
            first = False
            time.sleep(0.2)

    def _recycle_if_large(self, env: HeaderEnv, text: str) -> None:
        heap = env.heap_mb()
        # The heap after the warm-up differs per header (~0.4 GB for Init; 1.4-1.7 GB for the verifier's header
        # once its harness is elaborated): the replacement starts after `spare_mb` of growth beyond it, or 300 MB
        # before the retirement point, whichever is first, but never right after the warm-up (a session whose
        # baseline is already that high would be replaced after every check, each replacement again).
        spare_at = min(env.baseline_heap_mb + self.settings.spare_mb, self.settings.recycle_mb - 300)
        spare_at = max(spare_at, min(env.baseline_heap_mb + 100, self.settings.recycle_mb))
        with self._lock:
            if heap >= spare_at and env.key not in self._replacements and self.envs.get(env.key) is env:
                log.info("Lean session for %r: wasm heap %d MB, warming a replacement", env.key[0][:80], heap)
                replacement = self._new_env(env.key)
                self._replacements[env.key] = replacement
                replacement.warm_up_async(text)
        if heap >= self.settings.recycle_mb and env.state == "warm":
            log.info("Lean session for %r: wasm heap %d MB, retired", env.key[0][:80], heap)
            env.retire()

    def _new_env(self, key: tuple[str, int]) -> HeaderEnv:
        if self._node is None:
            self._node, _ = require_node()
        env = HeaderEnv(key, self._node, self.fallback.runtime.current, self._env, self._fallback_quiet)
        env._rss_limit = self.settings.env_rss_mb
        return env

    def _env_for(self, key: tuple[str, int]) -> HeaderEnv:
        with self._lock:
            replacement = self._replacements.get(key)
            if replacement is not None and replacement.state == "warm":
                old = self.envs.get(key)
                self.envs[key] = replacement
                del self._replacements[key]
                if old is not None:
                    threading.Thread(target=old.close, daemon=True).start()
            elif replacement is not None and replacement.state == "cold":  # its warm-up failed
                del self._replacements[key]
                old = self.envs.get(key)
                if old is not None and old.state == "retired":
                    old.state = "cold"
            env = self.envs.get(key)
            if env is None:
                env = self._new_env(key)
                self._evict_for_new()
                self.envs[key] = env
            return env

    def _evict_for_new(self) -> None:
        """Keep at most max_envs environments: close the least recently used one that is not in use."""
        while len(self.envs) >= self.settings.max_envs:
            idle = [e for e in self.envs.values() if not e.lock.locked()]
            if not idle:
                return
            oldest = min(idle, key=lambda e: e.last_used)
            del self.envs[oldest.key]
            threading.Thread(target=oldest.close, daemon=True).start()

    def _run_fallback(self, text: str, file_name: str, timeout: float, max_heartbeats: int,
                      then_warm: HeaderEnv | None = None) -> RawRun:
        with self._lock:
            self._fallback_busy += 1
            self._fallback_quiet.clear()
        if then_warm is not None and then_warm.state == "cold":
            then_warm.warm_up_async(text)  # starts once this fallback run (and any other) is done
        try:
            with tempfile.TemporaryDirectory(prefix="axiomatic-svc-") as tmp:
                path = Path(tmp) / file_name
                path.write_text(text, encoding="utf-8")
                raw = self.fallback.run_file(path, timeout=timeout, max_heartbeats=max_heartbeats)
            self.counts["host"] += 1
            return raw
        finally:
            with self._lock:
                self._fallback_busy -= 1
                self._fallback_used = time.monotonic()
                if self._fallback_busy == 0:
                    self._fallback_quiet.set()

    def tidy(self) -> None:
        """Periodic: stop the fallback host when it has not been needed for a while (it holds ~1 GB)."""
        with self._lock:
            quiet = self._fallback_busy == 0 and time.monotonic() - self._fallback_used > self.settings.fallback_idle
        if quiet and self.fallback._host is not None:
            self.fallback.close()

    def busy(self) -> bool:
        return self._fallback_busy > 0 or any(e.lock.locked() and e.state == "warm" for e in self.envs.values())

    def status(self) -> dict:
        host = self.fallback._host
        return {
            "environments": [e.status() for e in list(self.envs.values())],
            "replacements_warming": [e.status() for e in list(self._replacements.values())],
            "fallback_host": {"running": host is not None and host.alive(),
                              "pid": host.proc.pid if host is not None and host.alive() else None},
            "served": dict(self.counts),
        }

    def close(self) -> None:
        for env in [*self.envs.values(), *self._replacements.values()]:
            env.close()
        self.envs.clear()
        self._replacements.clear()
        self.fallback.close()
