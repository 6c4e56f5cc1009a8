"""Prover benchmark: the automation portfolio (+ generalisation lemmas) against single-tactic baselines
(`grind`, `omega`, `simp` alone), on the core-Lean problems in shared/benchmarks plus bench/problems/extra.jsonl.

    python bench/prover.py [--per-source 25] [--batch 150] [--out bench/results]
    python bench/prover.py --model openai/<name> --api-base http://host:port/v1   # adds the LLM rounds

Problems sharing a context are checked together (one portfolio batch per context; the baselines are the
portfolio's first candidates, read off the same run); every verdict comes from the trusted verifier. Reports
solved counts by method and source, seconds and Lean runs per problem, and how `by grind` failed on what stays
unsolved.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from axiomatic.config import Config  # noqa: E402
from axiomatic.errors import BadInput, LLMError  # noqa: E402
from axiomatic.lean import get_backend  # noqa: E402
from axiomatic.llm import Budget, from_options  # noqa: E402
from axiomatic.prover import Prover  # noqa: E402
from axiomatic.prover.portfolio import candidates, definitions_in  # noqa: E402
from axiomatic.prover.search import _check_key  # noqa: E402
from axiomatic.verify import Obligation, Verified, verify_batch  # noqa: E402

SOURCES = ("minif2f", "minicodeprops", "verina", "clever")
BASELINES = ("grind", "omega", "simp")


def load(per_source: int) -> list[dict]:
    shared = ROOT.parent / "shared" / "benchmarks"
    problems = []
    for source in SOURCES:
        path = shared / f"{source}.jsonl"
        if path.exists():
            rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            problems += rows[:per_source]
    problems += [json.loads(line) for line in (ROOT / "bench/problems/extra.jsonl").read_text().splitlines() if line]
    for p in problems:
        # the benchmark contexts need `noncomputable section` on the embedded build (see shared README)
        if p["context"].strip() and p["source"] != "extra":
            p["context"] = f"noncomputable section\n{p['context']}\nend\n"
    return problems


def _classify(v) -> str:
    """A short label for why a candidate failed (used to describe what the automation misses)."""
    if isinstance(v, Verified):
        return "verified"
    return _label(v.family, v.reason)


def _label(family: str, reason: str) -> str:
    text = reason.lower()
    if family in ("timeout", "resource", "crash"):
        return family
    if family == "statement":
        return "statement does not elaborate"
    for needle, label in (("`grind` failed", "grind failed"), ("omega could not", "omega failed"),
                          ("unsolved goals", "unsolved goals"), ("simp made no progress", "simp made no progress"),
                          ("failed to synthesize", "failed to synthesize instance"),
                          ("motive is not type correct", "motive is not type correct")):
        if needle in text:
            return label
    return f"{family}: {reason.splitlines()[0][:60] if reason else ''}"


def _relabel(stored: str) -> str:
    """The label of a stored `grind` outcome (older reports kept `family: reason`)."""
    if stored in ("", "verified", "timeout", "resource", "crash") or ": " not in stored:
        return stored
    family, reason = stored.split(": ", 1)
    return _label(family, reason)


def run(problems: list[dict], batch: int, llm=None, max_llm_calls: int = 8) -> dict:
    backend = get_backend()
    backend.ensure_ready()
    # count Lean runs (each is one `run_file`), to report runs per problem
    lean_runs = [0]
    real_run_file = backend.run_file

    def counting_run_file(*args, **kwargs):
        lean_runs[0] += 1
        return real_run_file(*args, **kwargs)

    backend.run_file = counting_run_file
    by_context: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(problems):
        by_context[p["context"]].append(i)
    llm_calls = [0]
    solved: dict[str, set[int]] = {name: set() for name in (*BASELINES, "portfolio", "axiomatic")}
    how: dict[int, str] = {}
    seconds: dict[str, float] = defaultdict(float)
    per_problem = [{"seconds": 0.0, "lean_runs": 0.0, "candidates": 0, "stage": "", "grind": "", "note": "",
                    "families": defaultdict(int)} for _ in problems]

    def check(obs: list[Obligation]) -> list:
        out = []
        for k in range(0, len(obs), batch):
            out += verify_batch(obs[k:k + batch], backend=backend, timeout=900)
        return out

    for n_context, (context, members) in enumerate(by_context.items()):
        print(f"[{time.strftime('%H:%M:%S')}] context {n_context + 1}/{len(by_context)}: {len(members)} problem(s)",
              file=sys.stderr, flush=True)
        # 1. the portfolio, one batch per context. Its first candidates are the bare single tactics
        #    (`by grind`, `by omega`, `by simp`), so the baselines are read off the same run.
        t, r0 = time.monotonic(), lean_runs[0]
        obs, owner = [], []
        for i in members:
            for proof in candidates(problems[i]["statement"], context=context):
                obs.append(Obligation(problems[i]["statement"], proof, context))
                owner.append(i)
                per_problem[i]["candidates"] += 1
        verdicts = check(obs)
        dt, dr = time.monotonic() - t, lean_runs[0] - r0
        seconds["portfolio"] += dt
        for i in members:  # the shared run, charged to each problem by its share of the obligations
            share = per_problem[i]["candidates"] / max(1, len(obs))
            per_problem[i]["seconds"] += dt * share
            per_problem[i]["lean_runs"] += dr * share
        for i, v, ob in zip(owner, verdicts, obs):
            per_problem[i]["families"][v.verdict if isinstance(v, Verified) else v.family] += 1
            for tactic in BASELINES:
                if ob.proof == f"by\n  {tactic}":
                    if isinstance(v, Verified):
                        solved[tactic].add(i)
                    if tactic == "grind":
                        per_problem[i]["grind"] = _classify(v)
            if isinstance(v, Verified) and i not in solved["portfolio"]:
                solved["portfolio"].add(i)
                how[i] = ob.proof
                per_problem[i]["stage"] = "portfolio"
        # 2. generalisation lemmas for what the portfolio left open (needs definitions in the context).
        #    The prover is told the portfolio verdicts already made, so it does not run them again.
        t = time.monotonic()
        #    With a model (--model), the LLM rounds run too, for every problem still open.
        seen = {_check_key(ob): v for ob, v in zip(obs, verdicts)}
        for i in members:
            if i in solved["portfolio"] or (llm is None and not definitions_in(context)):
                continue
            prover = Prover(backend, llm=llm, budget=Budget(llm_calls=max_llm_calls), max_depth=1)
            prover._seen.update(seen)
            ti, ri = time.monotonic(), lean_runs[0]
            try:
                result = prover.prove(problems[i]["statement"], context=context, name=f"p{i}",
                                      informal=problems[i].get("informal", ""))
            except (BadInput, LLMError) as e:
                per_problem[i]["note"] = f"{type(e).__name__}: {e}"[:200]
                continue
            finally:
                per_problem[i]["seconds"] += time.monotonic() - ti
                per_problem[i]["lean_runs"] += lean_runs[0] - ri
                llm_calls[0] += prover.budget.used_calls
            if result.status == "proved":
                solved["axiomatic"].add(i)
                per_problem[i]["stage"] = result.how
                how[i] = result.proof + (f"  [lemmas: {', '.join(result.lemmas)}]" if result.lemmas else "")
        seconds["generalization"] += time.monotonic() - t
    solved["axiomatic"] |= solved["portfolio"]
    seconds["axiomatic"] = seconds["portfolio"] + seconds["generalization"]
    return {"solved": solved, "how": how, "seconds": seconds, "per_problem": per_problem,
            "lean_runs": lean_runs[0], "llm_calls": llm_calls[0]}


def _quantile(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(q * (len(xs) - 1)))))
    return xs[k]


def build_report(problems: list[dict], outcome: dict, total: float, args) -> dict:
    pp = outcome["per_problem"]
    sources = [s for s in (*SOURCES, "extra") if any(p["source"] == s for p in problems)]
    hard = {i for i, p in enumerate(problems) if {"induction", "auxiliary"} & set(p.get("tags", []))}
    rows = []
    for m in (*BASELINES, "axiomatic"):
        s = outcome["solved"][m]
        rows.append({"method": m, "solved": len(s), "of": len(problems), "induction_or_aux_solved": len(s & hard),
                     "induction_or_aux_of": len(hard),
                     "by_source": {src: sum(1 for i in s if problems[i]["source"] == src) for src in sources}})
    per_source = {}
    for src in sources:
        idx = [i for i, p in enumerate(problems) if p["source"] == src]
        secs = [pp[i]["seconds"] for i in idx]
        runs = [pp[i]["lean_runs"] for i in idx]
        per_source[src] = {
            "problems": len(idx), "solved": sum(1 for i in idx if i in outcome["solved"]["axiomatic"]),
            "contexts": len({problems[i]["context"] for i in idx}),
            "median_seconds": round(_quantile(secs, 0.5), 1), "p95_seconds": round(_quantile(secs, 0.95), 1),
            "lean_runs_per_problem": round(sum(runs) / max(1, len(idx)), 2),
            "max_lean_runs": round(max(runs, default=0), 2),
        }
    all_secs = [x["seconds"] for x in pp]
    return {
        "date": time.strftime("%Y-%m-%d"), "problems": len(problems), "per_source": args.per_source,
        "batch": args.batch, "total_seconds": round(total, 1), "lean_runs": outcome["lean_runs"],
        "backend": get_backend().describe(), "llm": args.model, "llm_calls": outcome["llm_calls"],
        "stage_seconds": {k: round(v, 1) for k, v in outcome["seconds"].items()},
        "results": rows, "per_source_results": per_source,
        "median_seconds_per_problem": round(_quantile(all_secs, 0.5), 1),
        "p95_seconds_per_problem": round(_quantile(all_secs, 0.95), 1),
        "lean_runs_per_problem": round(outcome["lean_runs"] / max(1, len(problems)), 2),
        "solved_by_axiomatic": {problems[i]["id"]: outcome["how"].get(i, "")
                                for i in sorted(outcome["solved"]["axiomatic"])},
        "problems_detail": [{"id": p["id"], "source": p["source"], "tags": p.get("tags", []),
                             "solved": i in outcome["solved"]["axiomatic"], "stage": pp[i]["stage"],
                             "seconds": round(pp[i]["seconds"], 2), "lean_runs": round(pp[i]["lean_runs"], 3),
                             "candidates": pp[i]["candidates"], "candidate_verdicts": dict(pp[i]["families"]),
                             "grind": pp[i]["grind"], "note": pp[i]["note"]} for i, p in enumerate(problems)],
    }


def failure_kinds(report: dict) -> dict[str, dict[str, int]]:
    """Unsolved problems per source, by what `by grind` said about them."""
    out: dict[str, dict[str, int]] = {}
    for d in report["problems_detail"]:
        if d["solved"]:
            continue
        kind = d["note"][:40] or _relabel(d["grind"]) or "no verdict"
        source = d.get("source") or d["id"].split("/", 1)[0]
        out.setdefault(source, {}).setdefault(kind, 0)
        out[source][kind] += 1
    return out


def render(report: dict) -> str:
    rows, per_source = report["results"], report["per_source_results"]
    sources = list(per_source)
    llm = report.get("llm")
    n_extra = per_source.get("extra", {}).get("problems", 0)
    title = "automation only, no LLM" if not llm else f"with LLM {llm}"
    llm_note = ("**No LLM rounds were exercised** (no model was reachable where this ran): the numbers are the "
                "automation portfolio plus accumulator generalisation only. To include the model stages, run "
                "`python bench/prover.py --model <litellm name> [--api-base <url>] [--max-llm-calls 8]`.") \
        if not llm else f"LLM rounds with {llm}: {report.get('llm_calls', 0)} calls in all."
    best_single = max(r["solved"] for r in rows[:3])
    best_single_hard = max(r["induction_or_aux_solved"] for r in rows[:3])
    ax = rows[-1]
    ax_name = "axiomatic (portfolio + generalisation" + (" + LLM)" if llm else ")")
    lines = [f"# Prover benchmark ({title})", "",
             f"{report['date']}; {report['problems']} problems: the first {report['per_source']} of each core-Lean "
             f"source in shared/benchmarks plus the {n_extra} of bench/problems/extra.jsonl; one run, every verdict "
             f"from the trusted verifier; backend {report['backend']}; {report['total_seconds']} s wall clock in "
             f"all, {report['lean_runs']} Lean runs.", "", llm_note, "",
             "## Solved, by method", "",
             "| method | solved | induction / auxiliary lemma | " + " | ".join(sources) + " |",
             "|---|---|---|" + "---|" * len(sources)]
    for r in rows:
        name = ax_name if r["method"].startswith("axiomatic") else r["method"]
        lines.append(f"| {name} | {r['solved']}/{r['of']} | {r['induction_or_aux_solved']}/"
                     f"{r['induction_or_aux_of']} | " + " | ".join(str(r["by_source"][s]) for s in sources) + " |")
    lines += ["", "The single-tactic baselines are the portfolio's first candidates (`by grind`, `by omega`, "
              "`by simp`), read off the same Lean runs.", "",
              f"Targets: more than the best single tactic overall ({ax['solved']} vs {best_single}: "
              f"{'met' if ax['solved'] > best_single else 'NOT met'}); at least twice as many on the induction / "
              f"auxiliary-lemma problems ({ax['induction_or_aux_solved']} vs 2 × {best_single_hard}: "
              f"{'met' if ax['induction_or_aux_solved'] >= 2 * best_single_hard else 'NOT met'}).", "",
              "## Per source", "",
              "| source | solved | distinct contexts | median s / problem | p95 s / problem | Lean runs / problem "
              "| max Lean runs |", "|---|---|---|---|---|---|---|"]
    for src, s in per_source.items():
        lines.append(f"| {src} | {s['solved']}/{s['problems']} | {s['contexts']} | {s['median_seconds']} | "
                     f"{s['p95_seconds']} | {s['lean_runs_per_problem']} | {s['max_lean_runs']} |")
    stages = report["stage_seconds"]
    lines += ["", f"All problems: median {report['median_seconds_per_problem']} s, p95 "
              f"{report['p95_seconds_per_problem']} s, {report['lean_runs_per_problem']} Lean runs per problem. "
              "A problem's seconds and runs are its share (by number of candidates) of the portfolio run of its "
              "context, plus its own generalisation runs; problems sharing a context share runs, so a problem "
              "with a context of its own costs at least one whole run.", "",
              f"Stage wall clock: portfolio {stages.get('portfolio', 0)} s, generalisation "
              f"{stages.get('generalization', 0)} s.", "",
              "## Unsolved problems, by what `by grind` said", ""]
    for src, kinds in report["unsolved_by_grind_outcome"].items():
        unsolved = [d["id"] for d in report["problems_detail"] if not d["solved"]
                    and (d.get("source") or d["id"].split("/", 1)[0]) == src]
        lines.append(f"- {src}: " + "; ".join(f"{k} ({n})" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
                     + f" — {', '.join(unsolved)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-source", type=int, default=25)
    parser.add_argument("--batch", type=int, default=150)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--model", default=None, help="litellm model name: adds the LLM revision rounds")
    parser.add_argument("--api-base", default=None, help="OpenAI-compatible base URL for --model")
    parser.add_argument("--max-llm-calls", type=int, default=8, help="LLM calls per problem")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="re-render prover.json/prover.md from an earlier run's prover.json (no Lean)")
    args = parser.parse_args()
    if args.from_json:
        report = json.loads(args.from_json.read_text())
    else:
        llm = from_options(args.model, args.api_base, no_llm=args.model is None, config=Config())
        problems = load(args.per_source)
        started = time.monotonic()
        outcome = run(problems, args.batch, llm, args.max_llm_calls)
        report = build_report(problems, outcome, time.monotonic() - started, args)
    report["unsolved_by_grind_outcome"] = failure_kinds(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "prover.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    text = render(report)
    (args.out / "prover.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
