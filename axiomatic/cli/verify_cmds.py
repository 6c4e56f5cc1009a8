"""`axiomatic verify`: judge an untrusted proof of a statement."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import ops
from ..errors import BadInput
from ..lean import get_backend
from .common import Progress, emit_json, handle_errors, json_option, main, make_config, say
from .lean_cmds import read_lean_file


@main.command()
@click.option("--statement", required=True, help="The Lean proposition to prove (trusted: it is what you ask).")
@click.option("--proof", required=True, help="A term or `by` block (untrusted). Use - to read it from stdin.")
@click.option("--context", "context_file", type=click.Path(path_type=Path), default=None,
              help="A Lean file with the definitions the statement mentions (trusted).")
@click.option("--name", default=None, help="A name for the result (reported back).")
@click.option("--timeout", type=float, default=None, help="Wall-clock limit in seconds.")
@json_option
@handle_errors
def verify(statement: str, proof: str, context_file: Path | None, name: str | None, timeout: float | None,
           as_json: bool) -> None:
    """Verify that PROOF proves exactly STATEMENT, with no sorry, new axioms or kernel bypass.

    Exit 0 verified, 1 rejected, 2 bad input (e.g. the statement does not elaborate), 3 no verdict (Lean
    timed out or crashed, or the backend is missing).
    """
    if proof == "-":
        proof = sys.stdin.read()
    if not statement.strip():
        raise BadInput("the statement is empty")
    context = read_lean_file(context_file) if context_file else ""
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    progress("verifying with Lean")
    try:
        answer = ops.verify({"statement": statement, "proof": proof, "context": context, "name": name,
                             "timeout": timeout}, backend=get_backend(make_config()))
    finally:
        progress.done()
    payload, code = answer.document, answer.exit_code
    if as_json:
        emit_json(payload)
    else:
        click.echo(payload["verdict"])
        say(payload["reason"])
        for m in payload["messages"]:
            say(f"  proof:{m['line']}:{m['column']}: {m['severity']}: {m['text']}")
    sys.exit(code)
