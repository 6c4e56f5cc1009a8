"""`axiomatic conjecture` and `axiomatic grow`: new knowledge from what is already proven."""

from __future__ import annotations

import sys

import click

from ..conjecture.engine import grow as grow_kb
from ..conjecture.engine import propose, prove_conjectures
from ..lean import get_backend
from ..llm import Budget, from_options
from ..prover import Prover
from ..batch import BatchOptions, WorkerSpec
from ..batch.goals import prove_goals
from .batch_cmds import resolve_workers, worker_options
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
            # without a model the conjecturer, like `grow`, relies on the batched portfolio alone (the prover's
            # extra stages cost a Lean run per goal, one goal at a time)
            prover = Prover(backend, kb=kb, llm=llm, budget=budget) if llm is not None else None
            prove_conjectures(kb, backend, chosen, prover=prover)
    disproved = stats.pop("disproved", [])
    llm_report = stats.pop("llm", None)
    payload = {"conjectures": [c.to_json() for c in chosen], "disproved": disproved, "filtered": stats}
    if llm_report is not None:
        payload["llm"] = llm_report
    if as_json:
        emit_json(payload)
    else:
        for c in chosen:
            click.echo(f"{c.score:5.2f} [{c.status}] {c.statement}   ({c.rule})")
        for d in disproved:
            shown = ", ".join(f"{k} := {v}" for k, v in d["counterexample"].items())
            click.echo(f"      [disproved] {d['statement']}   ({d['rule']}; counterexample {shown})")
        if llm_report is not None:
            for s in llm_report["skipped"]:
                say(f"skipped model line {s['text']!r}: {s['reason']}")
        say(f"generated {stats['generated']}: known {stats['known']}, screened {stats['screened']}, ill-typed "
            f"{stats['ill_typed']}, trivial {stats['trivial']}, refuted {stats['refuted']}, survivors "
            f"{stats['survivors']}")
    sys.exit(0 if chosen else 1)


GOAL_SECONDS = 120.0  # the full search's budget per conjecture with --workers/--ray


@main.command()
@click.option("--rounds", default=1, show_default=True)
@click.option("--count", default=12, show_default=True, help="Conjectures per round.")
@click.option("--no-llm", is_flag=True)
@click.option("--model", default=None)
@click.option("--api-base", default=None)
@click.option("--budget-seconds", type=float, default=3600.0, show_default=True)
@worker_options
@kb_option
@json_option
@handle_errors
def grow(rounds, count, no_llm, model, api_base, budget_seconds, workers, ray, kb_path, as_json):
    """The self-improvement loop: conjecture -> prove -> add, with a report per round. With --workers or --ray,
    the conjectures the quick portfolio does not close are proved in parallel, each by the full search."""
    config = make_config()
    backend = get_backend(config)
    llm = from_options(model, api_base, no_llm=no_llm, config=config)
    budget = Budget(seconds=budget_seconds, llm_calls=4 * rounds)
    with open_kb(kb_path) as kb:
        before = len(kb.items())
        prove_rest = None
        if workers is not None or ray is not None:
            spec = WorkerSpec(backend=config.backend, model=model, api_base=api_base, no_llm=no_llm, max_llm_calls=2,
                              prover_options={"max_depth": 0})
            n = resolve_workers(workers, ray)

            def prove_rest(goals):
                left = max(1.0, budget.remaining_seconds() or 1.0)
                return prove_goals(goals, kb=kb, options=BatchOptions(
                    workers=n, ray=ray, budget_seconds=min(GOAL_SECONDS, left), batch_seconds=left, spec=spec,
                    source="conjecturer"))
        reports = grow_kb(kb, backend, rounds=rounds, count=count, llm=llm, budget=budget, prove_rest=prove_rest,
                          prover=Prover(backend, kb=kb, llm=llm, budget=budget, max_depth=0) if llm else None,
                          on_round=None if as_json else lambda r: say(
                              f"round {r.round}: proposed {r.proposed}, screened {r.filtered.get('screened', 0)}, "
                              f"refuted {r.filtered.get('refuted', 0)}, survivors {r.survivors}, proved {r.proved}, "
                              f"knowledge base {r.kb_size} ({r.seconds:.0f} s)"))
        after = len(kb.items())
    if as_json:
        emit_json({"rounds": [r.to_json() for r in reports], "added": after - before, "kb_size": after})
    sys.exit(0 if after > before else 1)
