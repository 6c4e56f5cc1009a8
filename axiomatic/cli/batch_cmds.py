"""`axiomatic prove-batch`: prove a file of problems with a pool of workers, resumably (docs/batch.md)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ..batch import BatchOptions, ResultsFile, WorkerSpec, load_problems, run_batch
from ..batch.results import RETRYABLE
from ..errors import BadInput
from .common import EXIT_INTERRUPTED, Progress, emit_json, handle_errors, json_option, main, make_config, say
from .kb_cmds import kb_option, open_kb


def worker_options(fn):
    """--workers / --ray, shared by prove-batch and grow."""
    fn = click.option("--ray", "ray", is_flag=False, flag_value="", default=None, metavar="[ADDRESS]",
                      help="Run the workers as Ray actors: `auto` joins the running cluster, an address joins that "
                           "one, no value starts a local cluster (needs the `ray` extra). Write --ray=auto or put "
                           "--ray last when no address is given.")(fn)
    fn = click.option("--workers", type=click.IntRange(1, 4096), default=None,
                      help="Worker processes, each with its own Lean backend and LLM client [default: 1; with "
                           "--ray: the cluster's CPUs].")(fn)
    return fn


def resolve_workers(workers: int | None, ray: str | None) -> int:
    if workers is not None:
        return workers
    if ray is None:
        return 1
    from ..batch.ray_pool import cluster_cpus

    return cluster_cpus(ray)


@main.command("prove-batch")
@click.argument("problems_file", metavar="PROBLEMS.jsonl", type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Results file (JSONL, appended; default: PROBLEMS.results.jsonl beside the problems file).")
@worker_options
@click.option("--budget-seconds", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Wall-clock budget of each problem.")
@click.option("--batch-seconds", type=click.FloatRange(min=1), default=None,
              help="Wall-clock budget of the whole batch; what is left is tried by the next run.")
@click.option("--problem-timeout", type=click.FloatRange(min=1), default=None,
              help="Hard limit per run of a problem, after which its worker is killed [default: 2 x budget + 60].")
@click.option("--retry-crashed", is_flag=True, help="Run again the problems an earlier run reported crashed or timeout.")
@click.option("--model", default=None, help="litellm model name for the LLM rounds.")
@click.option("--api-base", default=None, help="OpenAI-compatible base URL for the model.")
@click.option("--no-llm", is_flag=True, help="Automation only.")
@click.option("--max-llm-calls", type=int, default=8, show_default=True, help="LLM calls per problem.")
@click.option("--no-store", is_flag=True, help="Do not store the proofs in the knowledge base.")
@kb_option
@json_option
@handle_errors
def prove_batch(problems_file, out_path, workers, ray, budget_seconds, batch_seconds, problem_timeout, retry_crashed,
                model, api_base, no_llm, max_llm_calls, no_store, kb_path, as_json):
    """Prove every problem of PROBLEMS.jsonl (one JSON object per line: id, statement, optional context and
    informal), appending each result to the results file as it finishes. Re-running the same command resumes.

    Exit 0 when every problem has a final result (proved, failed, invalid, crashed or timeout: see the file and
    the summary), 1 when the batch stopped before (the batch budget ran out, no worker left), 2 bad input, 3 no
    worker could start (Lean or the LLM unavailable) or the results file is in use, 130 interrupted (Ctrl-C;
    every finished result is kept)."""
    problems = load_problems(problems_file)
    out = out_path or problems_file.with_name(problems_file.name.removesuffix(".jsonl") + ".results.jsonl")
    if out.resolve() == problems_file.resolve():
        raise BadInput("--out must not be the problems file")
    config = make_config()
    spec = WorkerSpec(backend=config.backend, model=model, api_base=api_base, no_llm=no_llm,
                      max_llm_calls=max_llm_calls)
    options = BatchOptions(workers=resolve_workers(workers, ray), ray=ray, budget_seconds=budget_seconds,
                           batch_seconds=batch_seconds, problem_timeout=problem_timeout,
                           retry=RETRYABLE if retry_crashed else (), spec=spec)
    progress = Progress(enabled=not as_json and sys.stderr.isatty())
    with contextlib.ExitStack() as stack:
        kb = None if no_store else stack.enter_context(open_kb(kb_path))
        results = stack.enter_context(ResultsFile(out))
        summary = run_batch(problems, results, options, kb=kb,
                            on_progress=lambda s, running: _show(progress, s, running))
    if progress.enabled:
        sys.stderr.write("\n")
    if as_json:
        emit_json(summary.to_json())
    else:
        c = summary.counts
        click.echo(f"{summary.done} finished this run ({c['proved']} proved, {c['failed']} failed, {c['invalid']} "
                   f"invalid, {c['crashed']} crashed, {c['timeout']} timeout), {summary.skipped} finished earlier, "
                   f"{summary.unfinished} left; {summary.seconds:.0f} s on {summary.workers or 'no workers'}; "
                   f"results in {summary.output}")
        if summary.stopped:
            say(f"stopped: {summary.stopped}")
    if summary.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(0 if summary.complete else 1)


def _show(progress: Progress, s, running: int) -> None:
    if not progress.enabled:
        return
    todo = s.total - s.skipped
    rate = 60 * s.rate() if s.seconds else 0.0
    progress(f"proved {s.counts['proved']} failed {s.counts['failed']} other "
             f"{s.counts['invalid'] + s.counts['crashed'] + s.counts['timeout']} remaining {todo - s.done} "
             f"(running {running}) {rate:.1f}/min", s.done / max(1, todo))
