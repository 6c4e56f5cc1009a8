"""The Lean backend: check Lean source with a native toolchain or the embedded WebAssembly build."""

from .backend import DEFAULT_MAX_HEARTBEATS, LeanBackend, RawRun, get_backend
from .messages import CheckResult, LeanMessage

__all__ = ["CheckResult", "DEFAULT_MAX_HEARTBEATS", "LeanBackend", "LeanMessage", "RawRun", "get_backend"]
