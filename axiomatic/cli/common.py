"""Shared CLI plumbing: the root group, --json output, error-to-exit-code mapping, progress."""

from __future__ import annotations

import functools
import json
import logging
import sys
from typing import Any, Callable

import click

from .. import __version__
from ..config import Config
from ..errors import AxiomaticError


@click.group()
@click.version_option(__version__, prog_name="axiomatic")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def main(verbose: int) -> None:
    """axiomatic: proofs, knowledge and code equivalence, every answer checked by the Lean 4 kernel."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def say(message: str) -> None:
    """Talk goes to stderr so stdout stays data."""
    click.echo(message, err=True)


def handle_errors(fn: Callable) -> Callable:
    """Map AxiomaticError to its exit code, with a clear message (and JSON when --json was asked)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AxiomaticError as e:
            if kwargs.get("as_json"):
                emit_json({"error": type(e).__name__, "message": e.message, "detail": e.detail})
            else:
                say(f"error: {e}")
            sys.exit(e.exit_code)

    return wrapper


def make_config(**overrides: Any) -> Config:
    return Config(**{k: v for k, v in overrides.items() if v is not None})


class Progress:
    """A progress line on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if not self.enabled:
            return
        bar = ""
        if fraction is not None:
            filled = int(30 * max(0.0, min(1.0, fraction)))
            bar = "[" + "#" * filled + "-" * (30 - filled) + f"] {fraction:4.0%} "
        sys.stderr.write("\r\033[K" + bar + message)
        sys.stderr.flush()
        if fraction is not None and fraction >= 1.0:
            sys.stderr.write("\n")
