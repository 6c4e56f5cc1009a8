"""`axiomatic formalize`: an English statement to a core Lean 4 proposition, checked by Lean and judged for
fidelity by back-translation."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import ops
from ..errors import BadInput
from ..lean import get_backend
from .common import Progress, emit_json, handle_errors, json_option, main, make_config
from .kb_cmds import kb_option
from .lean_cmds import read_lean_file


def _flags(c) -> str:
    flags = ["elaborates" if c.elaborates else "ill-typed", "faithful" if c.faithful else "not faithful"]
    if c.vacuous:
        flags.append("VACUOUS")
    if c.trivial:
        flags.append("trivial")
    return ", ".join(flags)


@main.command()
@click.argument("text")
@click.option("--context", "context_file", type=click.Path(path_type=Path), default=None,
              help="A Lean file with definitions the statement may use (trusted).")
@click.option("--model", default=None, help="litellm model name, e.g. openai/gpt-4o or openai/<local> (with --api-base).")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--n", "n", type=click.IntRange(1, 16), default=4, show_default=True,
              help="How many candidate statements to ask for.")
@click.option("--repair-rounds", type=click.IntRange(0, 4), default=2, show_default=True,
              help="Rounds of feeding Lean's errors back for ill-typed candidates.")
@click.option("--budget-seconds", type=float, default=600.0, show_default=True)
@click.option("--max-llm-calls", type=int, default=16, show_default=True)
@click.option("--max-tokens", type=int, default=None, help="Token budget for LLM calls.")
@click.option("--max-cost", type=float, default=None, help="Cost budget in USD (litellm's accounting).")
@kb_option
@json_option
@handle_errors
def formalize(text, context_file, model, api_base, n, repair_rounds, budget_seconds, max_llm_calls, max_tokens,
              max_cost, kb_path, as_json):
    """Formalize TEXT (a statement in English) as a Lean 4 proposition.

    Exit 0 when a well-typed statement judged faithful and not vacuous was found, 1 otherwise, 2 bad input,
    3 no model configured / model unreachable / Lean backend broken.
    """
    if not text.strip():
        raise BadInput("the statement to formalize is empty")
    config = make_config()
    context = read_lean_file(context_file) if context_file else ""
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    request = {"text": text, "context": context, "model": model, "api_base": api_base, "n": n,
               "repair_rounds": repair_rounds, "budget_seconds": budget_seconds, "max_llm_calls": max_llm_calls,
               "max_tokens": max_tokens, "max_cost": max_cost}
    answer = ops.formalize(request, backend=get_backend(config), config=config, kb_path=kb_path,
                           progress=lambda m: progress(m))
    result = answer.value
    progress.done()
    if as_json:
        emit_json(answer.document)
    else:
        best = result.best
        if best is None:
            click.echo(f"failed: {result.reason}")
        else:
            click.echo(("formalized" if result.ok else f"failed: {result.reason}; best attempt") + ":")
            click.echo(f"  {best.statement}")
            click.echo(f"  ({_flags(best)})")
            if best.back_translation:
                click.echo(f"  reads as: {best.back_translation}")
            for reason in best.reasons:
                click.echo(f"  - {reason}")
            for c in result.alternatives:
                click.echo(f"alternative ({_flags(c)}): {c.statement}")
        for s in result.skipped:
            click.echo(f"skipped reply {s['reply']}: {s['reason']}", err=True)
        click.echo(f"({result.llm_calls} LLM calls, {result.lean_runs} Lean runs, {result.seconds:.1f} s)", err=True)
    sys.exit(answer.exit_code)
