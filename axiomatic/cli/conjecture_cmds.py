"""`axiomatic conjecture` and `axiomatic grow`: new knowledge from what is already proven."""

from __future__ import annotations

import sys

import click

from ..conjecture.engine import grow as grow_kb
from ..conjecture.engine import propose, prove_conjectures
from ..lean import get_backend
from ..llm import Budget, from_options
from ..prover import Prover
from .common import emit_json, handle_errors, json_option, main, make_config, say
from .kb_cmds import kb_option, open_kb


@main.command()
@click.option("--count", default=10, show_default=True, help="How many conjectures to return.")
@click.option("--prove", "then_prove", is_flag=True, help="Hand the survivors to the prover and record outcomes.")
@click.option("--no-llm", is_flag=True, help="Deterministic generators only.")
@click.option("--model", default=None)
@click.option("--api-base", default=None)
@kb_option
@json_option
@handle_errors
def conjecture(count, then_prove, no_llm, model, api_base, kb_path, as_json):
    """Propose new statements built on the knowledge base, filtered by Lean (elaborates, not known, not
    refuted on small instances, not trivial) and ranked by novelty and connections."""
    config = make_config()
    backend = get_backend(config)
    llm = from_options(model, api_base, no_llm=no_llm, config=config)
    budget = Budget(seconds=1800, llm_calls=4)
    with open_kb(kb_path) as kb:
        chosen, stats = propose(kb, backend, count=count, llm=llm, budget=budget)
        if then_prove and chosen:
            prove_conjectures(kb, backend, chosen, prover=Prover(backend, kb=kb, llm=llm, budget=budget))
    payload = {"conjectures": [c.to_json() for c in chosen], "filtered": stats}
    if as_json:
        emit_json(payload)
    else:
        for c in chosen:
            click.echo(f"{c.score:5.2f} [{c.status}] {c.statement}   ({c.rule})")
        say(f"generated {stats['generated']}: known {stats['known']}, ill-typed {stats['ill_typed']}, "
            f"trivial {stats['trivial']}, refuted {stats['refuted']}, survivors {stats['survivors']}")
    sys.exit(0 if chosen else 1)


@main.command()
@click.option("--rounds", default=1, show_default=True)
@click.option("--count", default=12, show_default=True, help="Conjectures per round.")
@click.option("--no-llm", is_flag=True)
@click.option("--model", default=None)
@click.option("--api-base", default=None)
@click.option("--budget-seconds", type=float, default=3600.0, show_default=True)
@kb_option
@json_option
@handle_errors
def grow(rounds, count, no_llm, model, api_base, budget_seconds, kb_path, as_json):
    """The self-improvement loop: conjecture -> prove -> add, with a report per round."""
    config = make_config()
    backend = get_backend(config)
    llm = from_options(model, api_base, no_llm=no_llm, config=config)
    budget = Budget(seconds=budget_seconds, llm_calls=4 * rounds)
    with open_kb(kb_path) as kb:
        before = len(kb.items())
        reports = grow_kb(kb, backend, rounds=rounds, count=count, llm=llm, budget=budget,
                          prover=Prover(backend, kb=kb, llm=llm, budget=budget, max_depth=0) if llm else None,
                          on_round=None if as_json else lambda r: say(
                              f"round {r.round}: proposed {r.proposed}, survivors {r.survivors}, proved {r.proved}, "
                              f"knowledge base {r.kb_size}"))
        after = len(kb.items())
    if as_json:
        emit_json({"rounds": [r.to_json() for r in reports], "added": after - before, "kb_size": after})
    sys.exit(0 if after > before else 1)
