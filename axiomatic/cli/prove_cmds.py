"""`axiomatic prove`: search for a kernel-checked proof and store it in the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import ops
from ..errors import BadInput
from ..lean import get_backend
from .common import Progress, emit_json, handle_errors, json_option, main, make_config
from .kb_cmds import kb_option
from .leanfile_cmds import is_lean_file, prove_file
from .lean_cmds import read_lean_file


@main.command()
@click.argument("statement")
@click.option("--nl", "natural", is_flag=True,
              help="STATEMENT is natural language: formalize it with the model first (needs --model).")
@click.option("--context", "context_file", type=click.Path(path_type=Path), default=None,
              help="A Lean file with the definitions the statement uses (trusted).")
@click.option("--name", default=None, help="Name to store the theorem under (default: derived from the statement).")
@click.option("--informal", default="", help="The statement in words (stored with the result).")
@click.option("--model", default=None, help="litellm model name, e.g. openai/gpt-4o or openai/<local> (with --api-base).")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--no-llm", is_flag=True, help="Automation only.")
@click.option("--n", "n", type=click.IntRange(1, 16), default=4, show_default=True,
              help="With --nl: how many candidate formalizations to ask for.")
@click.option("--budget-seconds", type=float, default=600.0, show_default=True)
@click.option("--max-llm-calls", type=int, default=8, show_default=True)
@click.option("--max-tokens", type=int, default=None, help="Token budget for LLM calls.")
@click.option("--max-cost", type=float, default=None, help="Cost budget in USD (litellm's accounting).")
@click.option("--in-place", is_flag=True, help="With FILE.lean: write the closed sorries back into FILE.")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="With FILE.lean: where to write the result (default FILE.proved.lean; none with --json).")
@click.option("--self-contained", "self_contained", is_flag=True,
              help="Print the lemmas the proof needs before the theorem, so the text checks after the context alone.")
@kb_option
@json_option
@handle_errors
def prove(statement, natural, context_file, name, informal, model, api_base, no_llm, n, budget_seconds,
          max_llm_calls, max_tokens, max_cost, in_place, output, self_contained, kb_path, as_json):
    """Prove STATEMENT (a Lean proposition, or with --nl a statement in words), or every `sorry` of FILE.lean.
    Exit 0 proved (every sorry closed), 1 failed (or, with --nl, no faithful formalization), 2 bad input,
    3 backend/LLM unreachable or no model for --nl."""
    if not statement.strip():
        raise BadInput("the statement is empty")
    if statement.endswith(".lean") and not is_lean_file(statement) and " " not in statement.strip():
        raise BadInput(f"{statement}: no such file")
    if is_lean_file(statement):
        request = {"model": model, "api_base": api_base, "no_llm": no_llm, "budget_seconds": budget_seconds,
                   "max_llm_calls": max_llm_calls}
        prove_file(Path(statement), in_place=in_place, output=output, request=request, as_json=as_json)
        return
    if in_place or output:
        raise BadInput("--in-place and --output go with a FILE.lean argument")
    config = make_config()
    context = _read_context(context_file)
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    request = {"statement": statement, "nl": natural, "context": context, "name": name, "informal": informal,
               "model": model, "api_base": api_base, "no_llm": no_llm, "n": n, "budget_seconds": budget_seconds,
               "max_llm_calls": max_llm_calls, "max_tokens": max_tokens, "max_cost": max_cost}
    if natural and no_llm:
        from ..formalize import ModelRequired

        raise ModelRequired()
    answer = ops.prove(request, backend=get_backend(config), config=config, kb_path=kb_path,
                       progress=lambda m: progress(m))
    progress.done()
    if as_json:
        emit_json(answer.document)
    elif natural:
        _echo_natural(answer.value, answer.document["fidelity"])
    else:
        _echo_result(answer.value, self_contained=self_contained)
    sys.exit(answer.exit_code)


def _read_context(path: Path | None) -> str:
    """The context file's text; an empty (or blank) file is no context, not bad input."""
    if path is None:
        return ""
    if path.is_file() and not path.read_bytes().strip():
        return ""
    return read_lean_file(path)


def _echo_result(result, *, self_contained: bool = False) -> None:
    if result.status == "proved":
        click.echo(f"proved {result.name} ({result.how}, {result.seconds:.1f} s, {result.attempts} checks, "
                   f"{result.lean_runs} Lean runs)", err=True)
        if self_contained:
            click.echo(result.self_contained().rstrip("\n"))
            return
        click.echo(result.proof)
        if result.used:
            names = ", ".join(u.name for u in result.used)
            click.echo(f"-- needs, before the theorem: {names} (print them with --self-contained, or see --json)")
    else:
        click.echo(f"failed: {result.reason} ({result.seconds:.1f} s, {result.attempts} checks)")
        if result.best_partial:
            click.echo(f"best partial attempt:\n{result.best_partial['proof']}\nLean says: "
                       f"{result.best_partial['lean_says'][:400]}")


def _echo_natural(fp, fidelity) -> None:
    best = fp.formalization.best
    if best is None:
        click.echo(f"not formalized: {fp.reason}")
        return
    click.echo(f"statement: {best.statement}")
    verdict = "faithful" if best.faithful else "NOT judged faithful"
    click.echo(f"fidelity: {verdict}" + (f" (reads as: {best.back_translation})" if best.back_translation else ""))
    for reason in best.reasons:
        click.echo(f"  - {reason}")
    if fp.proof is None:
        click.echo(f"not proved: {fp.reason}")
    else:
        _echo_result(fp.proof)
