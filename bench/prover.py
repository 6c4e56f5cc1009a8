"""Prover benchmark: the full search (Lean's own search, portfolio tiers, lemmas; with --model the LLM rounds)
against single-tactic baselines (`by grind`, `by omega`, `by simp` alone), on the core-Lean problems in
shared/benchmarks plus bench/problems/extra.jsonl.

    python bench/prover.py [--per-source 25] [--no-extra] [--budget-seconds 300] [--out bench/results]
    python bench/prover.py --model openai/<name> --api-base http://host:port/v1   # adds the LLM rounds
    python bench/prover.py --from-json bench/results/prover.json                   # re-render, no Lean
    python bench/prover.py --workers 2          # or --ray [ADDRESS]: proved by prove-batch's workers
    python bench/prover.py --write-problems p.jsonl && axiomatic prove-batch p.jsonl --out out.jsonl --no-llm
    python bench/prover.py --from-batch out.jsonl   # the table for that prove-batch results file

Each problem is proved by a fresh `Prover` (no knowledge base), as `axiomatic prove` would; its wall clock and
Lean runs are measured on their own. The baselines are checked by the trusted verifier, one batch per distinct
context, separately from the prover (the prover is not told their verdicts). Every reported proof is checked
again by a separate `axiomatic verify` process (statement, proof, and the problem's context plus the lemmas
the proof lists). Reports solved counts by method and source against the issue's targets, seconds (median over
solved problems) and Lean runs per problem, and what was tried on what stays unsolved.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from axiomatic.config import Config  # noqa: E402
from axiomatic.errors import AxiomaticError  # noqa: E402
from axiomatic.lean import get_backend  # noqa: E402
from axiomatic.llm import Budget, from_options  # noqa: E402
from axiomatic.prover import Prover  # noqa: E402
from axiomatic.verify import Obligation, Verified, verify_batch  # noqa: E402
from _results import write_results  # noqa: E402  (bench/_results.py)

SOURCES = ("minif2f", "minicodeprops", "verina", "clever")
BASELINES = ("grind", "omega", "simp")
TARGETS = {"minicodeprops": 0.60, "verina": 0.20, "clever": 0.15, "minif2f": 0.25}


def shared_benchmarks(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    for base in (ROOT.parent, ROOT.parent.parent):  # a checkout beside shared/, or a worktree one level down
        if (base / "shared" / "benchmarks").is_dir():
            return base / "shared" / "benchmarks"
    raise SystemExit("shared/benchmarks not found: pass --problems DIR")


def load(per_source: int, problems_dir: Path, extra: bool) -> list[dict]:
    problems = []
    for source in SOURCES:
        path = problems_dir / f"{source}.jsonl"
        if path.exists():
            rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            problems += rows[:per_source]
    if extra:
        problems += [json.loads(line) for line in (ROOT / "bench/problems/extra.jsonl").read_text().splitlines()
                     if line]
    for p in problems:
        # the shared contexts need `noncomputable section` on the embedded build (shared/benchmarks/README.md)
        if p["context"].strip() and p["source"] != "extra":
            p["context"] = f"noncomputable section\n{p['context']}\nend\n"
    return problems


def baselines(problems: list[dict], backend) -> dict[str, set[int]]:
    """Which problems `by grind` / `by omega` / `by simp` alone prove (the verifier, one batch per context)."""
    obs, owner = [], []
    for i, p in enumerate(problems):
        for tactic in BASELINES:
            obs.append(Obligation(p["statement"], f"by\n  {tactic}", p["context"]))
            owner.append((i, tactic))
    solved: dict[str, set[int]] = {t: set() for t in BASELINES}
    for (i, tactic), v in zip(owner, verify_batch(obs, backend=backend, timeout=1800)):
        if isinstance(v, Verified):
            solved[tactic].add(i)
    return solved


def reverify(problem: dict, result: dict) -> tuple[bool, str]:
    """The reported proof, checked again by a separate `axiomatic verify` process."""
    lemmas = "\n".join(f"theorem {u['name']} : {u['statement']} :=\n(\n{u['proof']}\n)\n" for u in result["lemmas"])
    with tempfile.TemporaryDirectory(prefix="axiomatic-bench-") as tmp:
        ctx = Path(tmp) / "Context.lean"
        ctx.write_text(problem["context"] + "\n" + lemmas)
        argv = [sys.executable, "-m", "axiomatic", "verify", "--statement", problem["statement"], "--proof",
                result["proof"], "--json"]
        if (problem["context"] + lemmas).strip():
            argv += ["--context", str(ctx)]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        r = subprocess.run(argv, capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    return r.returncode == 0, (r.stdout.strip().splitlines() or [r.stderr.strip()[-300:]])[-1][:300]


def run(problems: list[dict], args, llm=None) -> dict:
    backend = get_backend()
    backend.ensure_ready()
    t0 = time.monotonic()
    print(f"[{time.strftime('%H:%M:%S')}] baselines for {len(problems)} problems", file=sys.stderr, flush=True)
    base = baselines(problems, backend) if not args.no_baselines else {t: set() for t in BASELINES}
    baseline_seconds = time.monotonic() - t0
    if args.from_batch or args.workers > 1 or args.ray is not None:
        rows = _batch_rows(problems, args, llm)
        details = []
        for i, p in enumerate(problems):
            d = _detail_from_row(p, rows.get(p["id"]), [t for t in BASELINES if i in base[t]])
            if d["solved"] and not args.no_reverify:
                d["reverified"], d["reverify_note"] = reverify(p, {"proof": d["proof"], "lemmas": d["lemmas"]})
            details.append(d)
        return {"details": details, "baseline_seconds": round(baseline_seconds, 1), "backend": backend.describe(),
                "total_seconds": round(time.monotonic() - t0, 1), "batch": rows.get("__summary__")}
    details = []
    for i, p in enumerate(problems):
        print(f"[{time.strftime('%H:%M:%S')}] {i + 1}/{len(problems)} {p['id']}", file=sys.stderr, flush=True)
        prover = Prover(backend, llm=llm, budget=Budget(seconds=args.budget_seconds, llm_calls=args.max_llm_calls))
        started = time.monotonic()
        try:
            r = prover.prove(p["statement"], context=p["context"], name=f"p{i}", informal=p.get("informal", ""))
            out = r.to_json()
        except AxiomaticError as e:
            out = {"status": "error", "reason": f"{type(e).__name__}: {e.message}"[:300], "tried": [], "lemmas": []}
        seconds = time.monotonic() - started
        d = {"id": p["id"], "source": p["source"], "tags": p.get("tags", []), "solved": out["status"] == "proved",
             "how": out.get("how", ""), "proof": out.get("proof"), "lemmas": out.get("lemmas", []),
             "seconds": round(seconds, 2), "lean_runs": prover.lean_runs, "checks": prover.attempts,
             "llm_calls": out.get("llm_calls", 0), "tried": out.get("tried", []), "reason": out.get("reason", ""),
             "best_partial": out.get("best_partial"),
             "baselines": [t for t in BASELINES if i in base[t]]}
        if d["solved"] and not args.no_reverify:
            d["reverified"], d["reverify_note"] = reverify(p, out)
        details.append(d)
        print(f"    {'proved' if d['solved'] else 'failed'} ({d['how'] or d['reason'][:60]}) in {seconds:.1f} s, "
              f"{d['lean_runs']} Lean runs", file=sys.stderr, flush=True)
    return {"details": details, "baseline_seconds": round(baseline_seconds, 1),
            "backend": backend.describe(), "total_seconds": round(time.monotonic() - t0, 1)}


def _batch_rows(problems: list[dict], args, llm) -> dict:
    """The problems proved by prove-batch's workers (--workers/--ray), or the rows of an earlier prove-batch
    results file (--from-batch), by id. Each problem gets a fresh prover, as in the one-process run."""
    from axiomatic.batch import BatchOptions, Problem, ResultsFile, WorkerSpec, run_batch

    if args.from_batch:
        return {r["id"]: r for r in map(json.loads, args.from_batch.read_text().splitlines()) if r.get("id")}
    batch = [Problem(p["id"], p["statement"], p["context"], p.get("informal", "")) for p in problems]
    spec = WorkerSpec(model=args.model, api_base=args.api_base, no_llm=llm is None, max_llm_calls=args.max_llm_calls)
    options = BatchOptions(workers=args.workers, ray=args.ray, budget_seconds=args.budget_seconds, spec=spec)
    with tempfile.TemporaryDirectory(prefix="axiomatic-bench-batch-") as tmp:
        with ResultsFile(Path(tmp) / "results.jsonl") as results:
            summary = run_batch(batch, results, options)
            rows = results.finished()
    if summary.interrupted:
        raise KeyboardInterrupt
    return rows | {"__summary__": summary.to_json()}


def _detail_from_row(p: dict, row: dict | None, baselines_solved: list[str]) -> dict:
    row = row or {"status": "not run", "reason": "no result from the batch"}
    return {"id": p["id"], "source": p["source"], "tags": p.get("tags", []), "solved": row["status"] == "proved",
            "how": row.get("method", ""), "proof": row.get("proof"), "lemmas": row.get("lemmas", []),
            "seconds": row.get("seconds") or 0.0, "lean_runs": row.get("lean_runs", 0),
            "checks": row.get("attempts", 0), "llm_calls": row.get("llm_calls", 0), "tried": row.get("tried", []),
            "reason": row.get("reason", "") if row["status"] in ("proved", "failed") else
            f"{row['status']}: {row.get('reason', '')}", "best_partial": row.get("best_partial"),
            "baselines": baselines_solved}


def _median(xs: list[float]) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def build_report(outcome: dict, args) -> dict:
    details = outcome["details"]
    sources = [s for s in (*SOURCES, "extra") if any(d["source"] == s for d in details)]
    rows = []
    for method in (*BASELINES, "axiomatic"):
        solved = [d for d in details if (d["solved"] if method == "axiomatic" else method in d["baselines"])]
        rows.append({"method": method, "solved": len(solved), "of": len(details),
                     "by_source": {s: sum(1 for d in solved if d["source"] == s) for s in sources}})
    per_source = {}
    for s in sources:
        mine = [d for d in details if d["source"] == s]
        solved = [d for d in mine if d["solved"]]
        per_source[s] = {"problems": len(mine), "solved": len(solved),
                         "median_seconds_solved": round(_median([d["seconds"] for d in solved]), 1),
                         "median_seconds_all": round(_median([d["seconds"] for d in mine]), 1),
                         "lean_runs_per_problem": round(sum(d["lean_runs"] for d in mine) / max(1, len(mine)), 2),
                         "how": dict(sorted(_count(d["how"] for d in solved).items()))}
    solved = [d for d in details if d["solved"]]
    return {"date": time.strftime("%Y-%m-%d"), "problems": len(details), "per_source": args.per_source,
            "budget_seconds": args.budget_seconds, "llm": args.model, "backend": outcome["backend"],
            "total_seconds": outcome["total_seconds"], "baseline_seconds": outcome["baseline_seconds"],
            "results": rows, "per_source_results": per_source,
            "median_seconds_solved": round(_median([d["seconds"] for d in solved]), 1),
            "median_seconds_all": round(_median([d["seconds"] for d in details]), 1),
            "lean_runs_per_problem": round(sum(d["lean_runs"] for d in details) / max(1, len(details)), 2),
            "reverified": sum(1 for d in solved if d.get("reverified")),
            "reverify_failed": [d["id"] for d in solved if d.get("reverified") is False],
            "problems_detail": details}


def _count(items) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for x in items:
        out[x] += 1
    return out


def targets(report: dict) -> list[str]:
    rows = {r["method"]: r for r in report["results"]}
    ax = rows["axiomatic"]
    best = max((rows[t] for t in BASELINES), key=lambda r: r["solved"])
    lines = [f"- overall: {ax['solved']} vs 2 × {best['solved']} (`by {best['method']}`, the best single tactic): "
             f"{'met' if ax['solved'] >= 2 * best['solved'] else 'NOT met'}"]
    for s, stats in report["per_source_results"].items():
        b = max(rows[t]["by_source"].get(s, 0) for t in BASELINES)
        share = stats["solved"] / max(1, stats["problems"])
        goal = TARGETS.get(s)
        parts = [f"{stats['solved']}/{stats['problems']} = {share:.0%}"]
        if goal is not None:
            parts.append(f"target ≥ {goal:.0%}: {'met' if share >= goal else 'NOT met'}")
        if b:
            parts.append(f"vs 2 × {b} (best single tactic): {'met' if stats['solved'] >= 2 * b else 'NOT met'}")
        lines.append(f"- {s}: " + "; ".join(parts))
    solved = report["reverified"] + len(report["reverify_failed"])
    lines.append(f"- re-verified by a separate `axiomatic verify`: {report['reverified']}/{solved}"
                 + (f" (FAILED: {', '.join(report['reverify_failed'])})" if report["reverify_failed"] else ""))
    lines.append(f"- median seconds per solved problem: {report['median_seconds_solved']} (target ≤ 3 s on a warm "
                 f"service; this run: backend {report['backend'].get('mode', report['backend'].get('backend'))})")
    return lines


def render(report: dict) -> str:
    rows, per_source = report["results"], report["per_source_results"]
    sources = list(per_source)
    llm = report.get("llm")
    lines = [f"# Prover benchmark ({'automation only, no LLM' if not llm else f'with LLM {llm}'})", "",
             f"{report['date']}; {report['problems']} problems (the first {report['per_source']} of each "
             f"core-Lean source in shared/benchmarks, plus bench/problems/extra.jsonl when present); a fresh prover "
             f"per problem, budget {report['budget_seconds']} s; backend {report['backend']}; "
             f"{report['total_seconds']} s wall clock in all ({report['baseline_seconds']} s of it the baselines).",
             "", "## Solved, by method", "",
             "| method | solved | " + " | ".join(sources) + " |", "|---|---|" + "---|" * len(sources)]
    for r in rows:
        name = "axiomatic prove" if r["method"] == "axiomatic" else f"`by {r['method']}`"
        lines.append(f"| {name} | {r['solved']}/{r['of']} | " + " | ".join(
            f"{r['by_source'][s]}/{per_source[s]['problems']}" for s in sources) + " |")
    lines += ["", "## Targets (issue 15)", "", *targets(report), "", "## Per source", "",
              "| source | solved | median s (solved) | median s (all) | Lean runs / problem | solved by |",
              "|---|---|---|---|---|---|"]
    for s, st in per_source.items():
        how = ", ".join(f"{k} {v}" for k, v in st["how"].items())
        lines.append(f"| {s} | {st['solved']}/{st['problems']} | {st['median_seconds_solved']} | "
                     f"{st['median_seconds_all']} | {st['lean_runs_per_problem']} | {how} |")
    lines += ["", f"All problems: median {report['median_seconds_all']} s, {report['lean_runs_per_problem']} Lean "
              "runs per problem (search runs plus verifier runs).", "", "## Unsolved", ""]
    for d in report["problems_detail"]:
        if not d["solved"]:
            stages = ", ".join(f"{t['stage']} ({t['note'] or t['outcome']})" for t in d["tried"])
            lines.append(f"- {d['id']}: {d['reason'][:120]}; tried: {stages[:300]}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-source", type=int, default=25)
    parser.add_argument("--problems", type=Path, default=None, help="the shared/benchmarks directory")
    parser.add_argument("--no-extra", action="store_true", help="leave out bench/problems/extra.jsonl")
    parser.add_argument("--only", default=None, help="comma-separated sources to run (default: all)")
    parser.add_argument("--budget-seconds", type=float, default=300.0, help="wall-clock budget per problem")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-reverify", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--model", default=None, help="litellm model name: adds the LLM revision rounds")
    parser.add_argument("--api-base", default=None, help="OpenAI-compatible base URL for --model")
    parser.add_argument("--max-llm-calls", type=int, default=8, help="LLM calls per problem")
    parser.add_argument("--from-json", type=Path, default=None, help="re-render from an earlier prover.json")
    parser.add_argument("--workers", type=int, default=1, help="prove with prove-batch's worker processes")
    parser.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                        help="prove on Ray actors (no value: a local cluster; `auto`: the running one)")
    parser.add_argument("--from-batch", type=Path, default=None,
                        help="report on a prove-batch results file of the same problems (no proving)")
    parser.add_argument("--write-problems", type=Path, default=None,
                        help="write the selected problems (contexts wrapped as here) as a prove-batch file, and stop")
    args = parser.parse_args()
    if args.from_json:
        report = json.loads(args.from_json.read_text())
    else:
        llm = from_options(args.model, args.api_base, no_llm=args.model is None, config=Config())
        problems = load(args.per_source, shared_benchmarks(args.problems), not args.no_extra)
        if args.only:
            keep = set(args.only.split(","))
            problems = [p for p in problems if p["source"] in keep]
        if args.write_problems:
            args.write_problems.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in problems))
            print(f"{len(problems)} problems written to {args.write_problems}")
            return
        report = build_report(run(problems, args, llm), args)
    text = render(report)
    write_results(args.out, "prover", report, text)
    print(text)


if __name__ == "__main__":
    main()
