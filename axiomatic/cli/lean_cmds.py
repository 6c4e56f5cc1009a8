"""`setup`, `doctor`, `check`: the Lean backend from the command line."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from .. import ops
from ..errors import BadInput, BackendError
from ..lean import get_backend
from ..lean.install import EmbeddedRuntime, node_version
from .common import Progress, emit_json, handle_errors, json_option, main, make_config, say


@main.command()
@json_option
@handle_errors
def setup(as_json: bool) -> None:
    """Install and prepare the Lean backend (the embedded Lean unless a native toolchain is on PATH)."""
    config = make_config()
    backend = get_backend(config)
    if hasattr(backend, "progress"):
        backend.progress = Progress(enabled=not as_json and sys.stderr.isatty())
    backend.ensure_ready()
    info = backend.describe()
    if as_json:
        emit_json({"ok": True, **info})
    else:
        say(f"Lean backend ready: {info['backend']} (Lean {info['lean_version']})")


@main.command()
@json_option
@handle_errors
def doctor(as_json: bool) -> None:
    """Report the backend, Lean version, cache path, Node version, LLM and knowledge-base configuration."""
    config = make_config()
    node = shutil.which("node")
    runtime = EmbeddedRuntime(config.runtime_dir)
    report: dict = {
        "backend": None,
        "lean_version": None,
        "runtime_cache": str(config.runtime_dir),
        "embedded_installed": runtime.is_ready(),
        "node": node_version(node) if node else None,
        "npm": shutil.which("npm"),
        "native_lean": shutil.which("lean"),
        "native_lake": shutil.which("lake"),
        "lean_project": str(config.lean_project) if (config.lean_project / "lakefile.toml").is_file() else None,
        "knowledge_base": str(config.knowledge_base),
        "llm_model": config.model,
        "llm_api_base": config.api_base,
        "llm_api_key_set": any(k.endswith("_API_KEY") and os.environ.get(k) for k in os.environ),
        "problems": [],
    }
    try:
        backend = get_backend(config)
        report["backend"] = backend.name
        if backend.name == "native" or runtime.is_ready():
            report["lean_version"] = backend.lean_version
        else:
            report["problems"].append("embedded Lean not installed yet: run `axiomatic setup` (automatic on first use)")
    except BackendError as e:
        report["problems"].append(str(e))
    if not node and not report["native_lean"]:
        report["problems"].append("neither node nor a native lean was found: no Lean backend can run")
    if as_json:
        emit_json(report)
    else:
        for key, value in report.items():
            if key != "problems":
                click.echo(f"{key:20} {value}")
        for p in report["problems"]:
            click.echo(f"problem: {p}")
    sys.exit(3 if (not node and not report["native_lean"]) else 0)


def read_lean_file(path: Path) -> str:
    """The text of a user's Lean file, or BadInput saying what is wrong with it."""
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if not path.is_file():
        raise BadInput(f"{path}: not a regular file")
    data = path.read_bytes()
    if not data.strip():
        raise BadInput(f"{path}: the file is empty")
    if b"\0" in data:
        raise BadInput(f"{path}: looks binary (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--timeout", type=float, default=None, help="Wall-clock limit in seconds.")
@click.option("--max-heartbeats", type=int, default=200000, show_default=True, help="Lean's maxHeartbeats.")
@json_option
@handle_errors
def check(file: Path, timeout: float | None, max_heartbeats: int, as_json: bool) -> None:
    """Elaborate FILE.lean. Exit 0 when Lean reports no errors, 1 when it does."""
    source = read_lean_file(file)
    backend = get_backend(make_config())
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    if hasattr(backend, "progress"):
        backend.progress = progress
    progress(f"checking {file.name} with Lean")
    try:
        answer = ops.check({"source": source, "timeout": timeout, "max_heartbeats": max_heartbeats}, backend=backend)
    finally:
        progress.done()
    result = answer.value
    if as_json:
        emit_json(answer.document)
    else:
        for m in result.messages:
            click.echo(f"{file}:{m.line}:{m.column}: {m.severity}: {m.text}")
        say(f"{'ok' if result.ok else 'errors'} ({result.backend}, {result.seconds:.1f} s)")
    sys.exit(answer.exit_code)
