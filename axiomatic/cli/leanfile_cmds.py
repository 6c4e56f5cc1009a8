"""Lean-file workflows on the command line: `prove FILE.lean` (called by `prove`), `kb import FILE.lean`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import ops
from ..lean import get_backend
from .common import Progress, emit_json, handle_errors, json_option, main, make_config, say
from .kb_cmds import kb, kb_option
from .lean_cmds import read_lean_file


def is_lean_file(argument: str) -> bool:
    return argument.endswith(".lean") and Path(argument).is_file()


def _run_on_file(operation, path: Path, *, in_place: bool, output: Path | None, request: dict, as_json: bool,
                 suffix: str):
    """Run a file operation, write its `source` where asked (FILE itself with --in-place, --output, else
    FILE<suffix>; nowhere with --json alone) when it changed anything. Returns (answer, document)."""
    source = read_lean_file(path)
    config = make_config()
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    answer = operation(request | {"source": source}, backend=get_backend(config), config=config,
                       progress=lambda m: progress(m))
    if progress.enabled:
        sys.stderr.write("\n")
    document = answer.document
    target = path if in_place else output if output else None if as_json else path.with_suffix(suffix)
    written = None
    if document["changed"] and target is not None:
        target.write_text(document["source"], encoding="utf-8")
        written = str(target)
    return answer, {"file": str(path), "written": written} | document


def _echo_goals(path: Path, document: dict) -> None:
    for g in document["goals"]:
        where = f"{path}:{g['line']}:{g['column']}"
        if g["status"] == "closed":
            click.echo(f"{where}: closed ({g['theorem']}, by {g['how']})")
        else:
            click.echo(f"{where}: open ({g['theorem']}): {g['reason']}")
    if document["note"]:
        say(document["note"])


def prove_file(path: Path, *, in_place: bool, output: Path | None, request: dict, as_json: bool) -> None:
    """`axiomatic prove FILE.lean`: fill the sorries, write what closed (see docs/lean-files.md)."""
    answer, document = _run_on_file(ops.prove_file, path, in_place=in_place, output=output, request=request,
                                    as_json=as_json, suffix=".proved.lean")
    if as_json:
        emit_json(document)
    else:
        _echo_goals(path, document)
        say(f"{document['closed']} closed, {document['open']} open; "
            + (f"written to {document['written']}" if document["written"] else "the file is unchanged"))
    sys.exit(answer.exit_code)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--in-place", is_flag=True, help="Write the result back into FILE.")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Where to write the result (default FILE.decomposed.lean; none with --json).")
@click.option("--model", default=None, help="litellm model for the prover (optional).")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--no-llm", is_flag=True, help="Automation only.")
@click.option("--budget-seconds", type=float, default=300.0, show_default=True)
@json_option
@handle_errors
def decompose(file, in_place, output, model, api_base, no_llm, budget_seconds, as_json):
    """Turn the top-level `have`s of each theorem's `by` block into lemmas of their own (before the theorem,
    which then cites them), and prove them and the remaining sorries like `prove FILE.lean`. Exit 0 all
    closed, 1 some open."""
    request = {"model": model, "api_base": api_base, "no_llm": no_llm, "budget_seconds": budget_seconds}
    answer, document = _run_on_file(ops.decompose, file, in_place=in_place, output=output, request=request,
                                    as_json=as_json, suffix=".decomposed.lean")
    if as_json:
        emit_json(document)
    else:
        for lm in document["lemmas"]:
            click.echo(f"{lm['name']}: {lm['status']}  ({lm['statement']})" + (f"  {lm['reason']}" if lm["reason"]
                                                                               else ""))
        if document["fill"]:
            _echo_goals(file, document["fill"])
        say(f"written to {document['written']}" if document["written"] else "nothing written")
    sys.exit(answer.exit_code)


@kb.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--tag", "tags", multiple=True)
@kb_option
@json_option
@handle_errors
def kb_import(file, tags, kb_path, as_json):
    """Check every theorem of FILE.lean with the trusted verifier and store those it accepts, with their
    dependencies (the file's earlier theorems become edges). Exit 0 all stored, 1 some failed (never stored)."""
    source = read_lean_file(file)
    config = make_config()
    answer = ops.kb_import({"source": source, "tags": list(tags)}, backend=get_backend(config), config=config,
                           kb_path=kb_path)
    document = answer.document
    if as_json:
        emit_json(document)
    else:
        for s in document["stored"]:
            click.echo(f"stored {s['name']}" + (f" (uses {', '.join(s['uses'])})" if s["uses"] else ""))
        for n in document["present"]:
            click.echo(f"already present {n}")
        for f in document["failed"]:
            click.echo(f"{file}:{f['line']}: not stored {f['name']}: {f['reason']}")
        for s in document["skipped"]:
            click.echo(f"{file}:{s['line']}: skipped: {s['reason']}")
    sys.exit(answer.exit_code)
