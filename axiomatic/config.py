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


@dataclass(frozen=True)
class Config:
    """Everything a component needs to know about its surroundings.

    home:      user data (knowledge base, LLM cache); AXIOMATIC_HOME
    cache:     the embedded Lean runtime and other re-creatable data; AXIOMATIC_CACHE
    kb_path:   the knowledge-base SQLite file; AXIOMATIC_KB
    backend:   'auto' | 'native' | 'embedded'; AXIOMATIC_BACKEND
    model:     default LLM model for litellm, or None; AXIOMATIC_MODEL
    api_base:  OpenAI-compatible base URL for the model, or None; AXIOMATIC_API_BASE
    """

    home: Path = field(default_factory=_default_home)
    cache: Path = field(default_factory=_default_cache)
    kb_path: Path | None = None
    backend: str = field(default_factory=lambda: os.environ.get("AXIOMATIC_BACKEND", "auto"))
    model: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_MODEL") or None)
    api_base: str | None = field(default_factory=lambda: os.environ.get("AXIOMATIC_API_BASE") or None)
    lean_timeout: float = field(default_factory=lambda: float(os.environ.get("AXIOMATIC_LEAN_TIMEOUT", "300")))

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
        """The source checkout (holds lean_project/ and knowledge_base/)."""
        return Path(__file__).resolve().parent.parent

    @property
    def lean_project(self) -> Path:
        return self.repo_root / "lean_project"
