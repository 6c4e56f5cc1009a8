"""`axiomatic prove`: search for a kernel-checked proof and store it in the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import BadInput
from ..lean import get_backend
from ..llm import Budget, from_options
from ..prover import Prover
from .common import Progress, emit_json, handle_errors, json_option, main, make_config
from .kb_cmds import kb_option, open_kb
from .lean_cmds import read_lean_file


@main.command()
@click.argument("statement")
@click.option("--context", "context_file", type=click.Path(path_type=Path), default=None,
              help="A Lean file with the definitions the statement uses (trusted).")
@click.option("--name", default=None, help="Name to store the theorem under (default: derived from the statement).")
@click.option("--informal", default="", help="The statement in words (stored with the result).")
@click.option("--model", default=None, help="litellm model name, e.g. openai/gpt-4o or openai/<local> (with --api-base).")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--no-llm", is_flag=True, help="Automation only.")
@click.option("--budget-seconds", type=float, default=600.0, show_default=True)
@click.option("--max-llm-calls", type=int, default=8, show_default=True)
@click.option("--max-tokens", type=int, default=None, help="Token budget for LLM calls.")
@click.option("--max-cost", type=float, default=None, help="Cost budget in USD (litellm's accounting).")
@kb_option
@json_option
@handle_errors
def prove(statement, context_file, name, informal, model, api_base, no_llm, budget_seconds, max_llm_calls,
          max_tokens, max_cost, kb_path, as_json):
    """Prove STATEMENT (a Lean proposition). Exit 0 proved, 1 failed, 2 bad input, 3 backend/LLM unreachable."""
    if not statement.strip():
        raise BadInput("the statement is empty")
    config = make_config()
    context = read_lean_file(context_file) if context_file else ""
    llm = from_options(model, api_base, no_llm=no_llm, config=config)
    budget = Budget(seconds=budget_seconds, llm_calls=max_llm_calls, tokens=max_tokens, cost_usd=max_cost)
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    with open_kb(kb_path) as kb:
        prover = Prover(get_backend(config), kb=kb, llm=llm, budget=budget, progress=lambda m: progress(m))
        result = prover.prove(statement, context=context, name=name, informal=informal)
    if progress.enabled:
        sys.stderr.write("\n")
    payload = result.to_json()
    if as_json:
        emit_json(payload)
    elif result.status == "proved":
        click.echo(f"proved {result.name} ({result.how}, {result.seconds:.1f} s, {result.attempts} checks)")
        click.echo(result.proof)
        for lemma in result.lemmas:
            click.echo(f"  with lemma {lemma}")
    else:
        click.echo(f"failed: {result.reason} ({result.seconds:.1f} s, {result.attempts} checks)")
    sys.exit(0 if result.status == "proved" else 1)
