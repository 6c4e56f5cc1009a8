"""Configuration: one user directory, prefixed environment variables, an explicit object passed around.

Nothing here touches the disk at import time; directories are created by the code that writes into them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_home() -> Path:
    if env := os.environ.get("AXIOMATIC_HOME"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "axiomatic"


def _default_cache() -> Path:
    if env := os.environ.get("AXIOMATIC_CACHE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "axiomatic"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class Config:
    """Everything a component needs to know about its surroundings.

    home:      user data (knowledge base, LLM cache); AXIOMATIC_HOME
    cache:     the embedded Lean runtime and other re-creatable data; AXIOMATIC_CACHE
    kb_path:   the knowledge-base SQLite file; AXIOMATIC_KB
    backend:   'auto' | 'native' | 'embedded'; AXIOMATIC_BACKEND
    model:     default LLM model for litellm, or None; AXIOMATIC_MODEL
    api_base:  OpenAI-compatible base URL for the model, or None; AXIOMATIC_API_BASE
    api_key:   the model's API key, or None (then the provider's own variable); AXIOMATIC_API_KEY
    kb_busy_timeout: seconds a write waits (retrying with backoff) for another writer's lock before giving up
               with exit 3; AXIOMATIC_KB_BUSY_TIMEOUT
    llm_run:   the run id in LLM cache keys: unset, every run samples afresh; set it to replay (resume) a run
               made with the same id; AXIOMATIC_LLM_RUN
    raise_errors: a bug (an unexpected exception) prints its full traceback, not one line;
               AXIOMATIC_RAISE_ERRORS=1
    server:    'auto' (use the background Lean service when one is running, else check in-process) | 'on'
               (start the service when none runs, and use it) | 'off' (always in-process); AXIOMATIC_SERVER,
               or `axiomatic --no-server ...`. Not 'on' by default until the service beats the in-process host
               on its benchmark (bench/results/service.md)
    server_idle: seconds without a request after which the service exits; AXIOMATIC_SERVER_IDLE (default 900)
    lean_mode: how the in-process embedded runtime checks: '' or 'host' (one long-lived Node host), 'session'
               (Lean's file worker kept alive), 'process' (a process per check); AXIOMATIC_LEAN_MODE
    lean_host: False runs a process per check, like lean_mode='process'; AXIOMATIC_LEAN_HOST=0
    lean_wasm_pool: pthread workers the embedded Lean starts up front per check (host and process mode);
               AXIOMATIC_LEAN_WASM_POOL (the older name LEAN_WASM_POOL is still read), default 2
    llm_timeout: seconds one model call may take (a slow local model on a busy machine may need more);
               AXIOMATIC_LLM_TIMEOUT, default 120
    pool_max_envs, pool_env_rss_mb, pool_batch_to_host, pool_spare_mb, pool_recycle_mb: the Lean service's
               pool of warm environments (docs/service.md); AXIOMATIC_POOL_MAX_ENVS (2), AXIOMATIC_POOL_ENV_RSS_MB
               (3500), AXIOMATIC_POOL_BATCH_TO_HOST (40), AXIOMATIC_POOL_SPARE_MB (600), AXIOMATIC_POOL_RECYCLE_MB
               (1900)
    server_dir: where the service's socket, lock and log live (mode 0700); AXIOMATIC_SERVER_DIR, default
               <cache>/service
    """

    home: Path = field(default_factory=_default_home)
    cache: Path = field(default_factory=_default_cache)
    kb_path: Path | None = None
    backend: str = field(default_factory=lambda: os.environ.get("AXIOMATIC_BACKEND", "auto"))
    model: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_MODEL") or None)
    api_base: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_API_BASE") or None)
    api_key: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_API_KEY") or None, repr=False)
    lean_timeout: float = field(default_factory=lambda: float(os.environ.get("AXIOMATIC_LEAN_TIMEOUT", "300")))
    kb_busy_timeout: float = field(default_factory=lambda: float(os.environ.get("AXIOMATIC_KB_BUSY_TIMEOUT", "60")))
    llm_run: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_LLM_RUN") or None)
    raise_errors: bool = field(default_factory=lambda: os.environ.get("AXIOMATIC_RAISE_ERRORS", "") not in ("", "0"))
    server: str = field(default_factory=lambda: os.environ.get("AXIOMATIC_SERVER", "auto").strip().lower() or "auto")
    server_idle: float = field(default_factory=lambda: float(os.environ.get("AXIOMATIC_SERVER_IDLE", "900")))
    lean_mode: str = field(default_factory=lambda: os.environ.get("AXIOMATIC_LEAN_MODE", "").strip().lower())
    lean_host: bool = field(default_factory=lambda: os.environ.get("AXIOMATIC_LEAN_HOST", "1").strip().lower()
                            not in ("0", "no", "false", "off"))
    lean_wasm_pool: int = field(default_factory=lambda: _env_int("AXIOMATIC_LEAN_WASM_POOL",
                                                                 _env_int("LEAN_WASM_POOL", 2)))
    llm_timeout: float = field(default_factory=lambda: float(os.environ.get("AXIOMATIC_LLM_TIMEOUT") or 120.0))
    pool_max_envs: int = field(default_factory=lambda: _env_int("AXIOMATIC_POOL_MAX_ENVS", 2))
    pool_env_rss_mb: int = field(default_factory=lambda: _env_int("AXIOMATIC_POOL_ENV_RSS_MB", 3500))
    pool_batch_to_host: int = field(default_factory=lambda: _env_int("AXIOMATIC_POOL_BATCH_TO_HOST", 40))
    pool_spare_mb: int = field(default_factory=lambda: _env_int("AXIOMATIC_POOL_SPARE_MB", 600))
    pool_recycle_mb: int = field(default_factory=lambda: _env_int("AXIOMATIC_POOL_RECYCLE_MB", 1900))

    @property
    def server_dir(self) -> Path:
        if env := os.environ.get("AXIOMATIC_SERVER_DIR"):
            return Path(env).expanduser()
        return self.cache / "service"

    @property
    def knowledge_base(self) -> Path:
        if self.kb_path is not None:
            return self.kb_path
        if env := os.environ.get("AXIOMATIC_KB"):
            return Path(env).expanduser()
        return self.home / "kb.sqlite"

    @property
    def runtime_dir(self) -> Path:
        return self.cache / "lean-wasm"

    @property
    def repo_root(self) -> Path:
        """The source checkout (holds lean_project/ and knowledge_base/); in an installed package, the
        site-packages directory, which holds neither: nothing an installed package needs lives here."""
        return Path(__file__).resolve().parent.parent

    @property
    def in_checkout(self) -> bool:
        return (self.repo_root / "pyproject.toml").is_file() and (self.repo_root / "knowledge_base").is_dir()

    @property
    def lean_project(self) -> Path:
        """The Lake project native Lean runs in (`lake env lean`): lean_project/ of a source checkout. An installed
        package has none and uses the current directory (plain `lean`, or `lake env lean` when run inside the
        user's own Lake project)."""
        checkout = self.repo_root / "lean_project"
        return checkout if (checkout / "lakefile.toml").is_file() else Path.cwd()

    @property
    def lean_export_dir(self) -> Path:
        """Default directory of `kb export-lean`: knowledge_base/lean in a checkout, else under `home`."""
        return self.repo_root / "knowledge_base" / "lean" if self.in_checkout else self.home / "lean"
