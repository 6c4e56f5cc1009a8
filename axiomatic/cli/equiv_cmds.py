"""`axiomatic equiv`: do two programs agree on every input? A Lean proof, or a concrete counterexample."""

from __future__ import annotations

import sys

import click

from .. import ops
from ..lean import get_backend
from .common import Progress, emit_json, handle_errors, json_option, main, make_config
from .kb_cmds import kb_option


@main.command()
@click.argument("left")
@click.argument("right")
@click.option("--examples", type=int, default=400, show_default=True, help="Random inputs for differential testing.")
@click.option("--symbolic-seconds", type=float, default=10.0, show_default=True,
              help="CrossHair's budget for a symbolic counterexample search (0: skip it).")
@click.option("--model", default=None, help="litellm model for proof search (optional).")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--no-llm", is_flag=True, help="Automation only.")
@click.option("--budget-seconds", type=float, default=900.0, show_default=True)
@click.option("--max-llm-calls", type=int, default=8, show_default=True)
@kb_option
@json_option
@handle_errors
def equiv(left, right, examples, symbolic_seconds, model, api_base, no_llm, budget_seconds, max_llm_calls, kb_path,
          as_json):
    """Is LEFT equivalent to RIGHT? Each is FILE.py:FUNCTION or FILE.lean:NAME.

    Exit 0 equivalent (proved in Lean, stored in the knowledge base), 1 counterexample (inputs on which the
    two differ, run on CPython), 5 unknown (no counterexample, no proof; what was tried is listed),
    2 bad input (missing function, construct outside the supported subset), 3 backend/LLM unreachable.
    """
    config = make_config()
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    request = {"left": left, "right": right, "examples": examples, "symbolic_seconds": symbolic_seconds,
               "model": model, "api_base": api_base, "no_llm": no_llm, "budget_seconds": budget_seconds,
               "max_llm_calls": max_llm_calls}
    answer = ops.equiv(request, backend=get_backend(config), config=config, kb_path=kb_path,
                       progress=lambda m: progress(m))
    result = answer.value
    progress.done()
    by_model = [side for side, who in result.translations.items() if who == "llm"]
    if by_model and not as_json:
        click.echo(f"note: the {' and '.join(by_model)} side is outside the supported subset; its Lean translation was "
                   f"written by the model and checked on sample inputs only", err=True)
    if as_json:
        emit_json(answer.document)
    else:
        domain = "; ".join(result.domain) or "all inputs of the declared types"
        if result.verdict == "equivalent":
            click.echo(f"equivalent ({result.seconds:.1f} s): {result.name}")
            click.echo(f"domain: {domain}")
            click.echo(f"theorem: {result.theorem}")
            click.echo(f"proof:\n{result.proof}")
        elif result.verdict == "counterexample":
            ce = result.counterexample or {}
            click.echo(f"counterexample ({result.seconds:.1f} s): inputs {ce.get('inputs')}")
            click.echo(f"  {left}: {ce.get('left')}")
            click.echo(f"  {right}: {ce.get('right')}")
            click.echo(f"  found by {ce.get('found_by', 'the Lean-side search')}; checked by {ce.get('checked_by')}")
        else:
            click.echo(f"unknown ({result.seconds:.1f} s): no counterexample, no proof")
            click.echo(f"domain: {domain}")
            click.echo(f"theorem tried: {result.theorem}")
            for step in result.tried:
                click.echo(f"  - {step}")
    sys.exit(answer.exit_code)
