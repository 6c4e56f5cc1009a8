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
@click.option("--self-contained", "self_contained", is_flag=True,
              help="Print the lemmas the proof needs before the theorem, so the text checks after the context alone.")
@kb_option
@json_option
@handle_errors
def prove(statement, natural, context_file, name, informal, model, api_base, no_llm, n, budget_seconds,
          max_llm_calls, max_tokens, max_cost, self_contained, kb_path, as_json):
    """Prove STATEMENT (a Lean proposition, or with --nl a statement in words). Exit 0 proved, 1 failed (or,
    with --nl, no faithful formalization), 2 bad input, 3 backend/LLM unreachable or no model for --nl."""
    if not statement.strip():
        raise BadInput("the statement is empty")
    config = make_config()
    context = _read_context(context_file)
    budget = Budget(seconds=budget_seconds, llm_calls=max_llm_calls, tokens=max_tokens, cost_usd=max_cost)
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    if natural:
        _prove_natural(statement, context, name, informal, model, api_base, no_llm, n, budget, progress, kb_path,
                       as_json, config)
        return
    llm = from_options(model, api_base, no_llm=no_llm, config=config)
    with open_kb(kb_path) as kb:
        prover = Prover(get_backend(config), kb=kb, llm=llm, budget=budget, progress=lambda m: progress(m))
        result = prover.prove(statement, context=context, name=name, informal=informal)
    progress.done()
    payload = result.to_json()
    if as_json:
        emit_json(payload)
    else:
        _echo_result(result, self_contained=self_contained)
    sys.exit(0 if result.status == "proved" else 1)


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


def _prove_natural(text, context, name, informal, model, api_base, no_llm, n, budget, progress, kb_path, as_json,
                   config) -> None:
    """`prove --nl`: formalize with the model, then prove the chosen statement; the text is stored with it."""
    from ..formalize import ModelRequired, formalize_and_prove

    if informal:
        raise BadInput("--informal cannot be combined with --nl: the natural-language statement is stored as is")
    if no_llm:
        raise ModelRequired()
    llm = from_options(model, api_base, no_llm=False, config=config)
    if llm is None:
        raise ModelRequired()
    with open_kb(kb_path) as kb:
        fp = formalize_and_prove(text, llm=llm, backend=get_backend(config), kb=kb, context=context, n=n,
                                 budget=budget, name=name, progress=lambda m: progress(m))
    progress.done()
    best = fp.formalization.best
    fidelity = None if best is None else {
        "faithful": best.faithful, "back_translation": best.back_translation, "judgement": best.judgement,
        "vacuous": best.vacuous, "trivial": best.trivial, "reasons": list(best.reasons)}
    if as_json:
        emit_json(fp.to_json() | {"fidelity": fidelity})
    else:
        if best is None:
            click.echo(f"not formalized: {fp.reason}")
        else:
            click.echo(f"statement: {best.statement}")
            verdict = "faithful" if best.faithful else "NOT judged faithful"
            click.echo(f"fidelity: {verdict}" + (f" (reads as: {best.back_translation})" if best.back_translation
                                                 else ""))
            for reason in best.reasons:
                click.echo(f"  - {reason}")
            if fp.proof is None:
                click.echo(f"not proved: {fp.reason}")
            else:
                _echo_result(fp.proof)
    sys.exit(0 if fp.status == "proved" else 1)
