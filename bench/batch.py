"""prove-batch throughput: the same problems proved by `axiomatic prove-batch` with 1 worker and with 2 workers,
one after the other in one run; reports the throughput ratio, whether the verdicts are identical, and the
machine's load during each phase (the machine is shared: the ratio is only meaningful next to the load).

    python bench/batch.py [--per-source 6] [--budget-seconds 300] [--workers 1,2] [--out bench/results]

Problems: the first `--per-source` of each core-Lean source in shared/benchmarks (as bench/prover.py loads them,
contexts wrapped in `noncomputable section`), automation only (no model), nothing stored in a knowledge base.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import prover as prover_bench  # noqa: E402  (bench/prover.py: the same problem selection)
from _results import write_results  # noqa: E402


class LoadSampler:
    """The 1-minute load average, sampled every few seconds while a phase runs."""

    def __init__(self, every: float = 5.0) -> None:
        self.every, self.samples, self._stop = every, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> "LoadSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        s = self.samples or [0.0]
        return {"mean": round(sum(s) / len(s), 1), "min": round(min(s), 1), "max": round(max(s), 1)}


def phase(problems_file: Path, workers: int, args, tmp: Path) -> dict:
    out = tmp / f"results-{workers}.jsonl"
    argv = [sys.executable, "-m", "axiomatic", "prove-batch", str(problems_file), "--out", str(out), "--workers",
            str(workers), "--no-llm", "--no-store", "--budget-seconds", str(args.budget_seconds), "--json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print(f"[{time.strftime('%H:%M:%S')}] {workers} worker(s)", file=sys.stderr, flush=True)
    with LoadSampler() as load:
        started = time.monotonic()
        r = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
        seconds = time.monotonic() - started
    if r.returncode != 0:
        raise SystemExit(f"prove-batch with {workers} workers exited {r.returncode}: {r.stderr[-2000:]}")
    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    return {"workers": workers, "seconds": round(seconds, 1), "per_minute": round(60 * len(rows) / seconds, 2),
            "load": load.summary(), "summary": json.loads(r.stdout),
            "verdicts": {k: v["status"] for k, v in rows.items()},
            "problem_seconds": {k: v["seconds"] for k, v in rows.items()}}


def render(report: dict) -> str:
    base = report["phases"][0]
    lines = ["# prove-batch: throughput with more workers", "",
             f"{report['date']}; {report['problems']} problems (the first {report['per_source']} of each core-Lean "
             f"source in shared/benchmarks{', leaving out ' + report['excluded'] if report.get('excluded') else ''}), automation only, budget {report['budget_seconds']} s per problem, "
             f"backend {report['backend']}; machine: {report['cpus']} CPUs shared with other jobs. The phases ran one "
             "after the other in one run of `bench/batch.py`.", "",
             "| workers | wall s | problems / min | throughput vs 1 worker | proved | failed | other | load (1-min avg: "
             "mean, min-max) |", "|---|---|---|---|---|---|---|---|"]
    for p in report["phases"]:
        s = p["summary"]
        other = s["invalid"] + s["crashed"] + s["timeout"]
        lines.append(f"| {p['workers']} | {p['seconds']} | {p['per_minute']} | "
                     f"{base['seconds'] / p['seconds']:.2f}x | {s['proved']} | {s['failed']} | {other} | "
                     f"{p['load']['mean']} ({p['load']['min']}-{p['load']['max']}) |")
    lines += ["", f"Verdicts identical across the phases: **{'yes' if report['identical'] else 'NO'}**"]
    if not report["identical"]:
        for pid, vs in report["differences"].items():
            lines.append(f"- {pid}: {vs}")
    lines += ["", "Target (issue 19): 2 workers ≥ 1.6x the throughput of 1 worker on this 2-core machine. "
              f"Measured: {report['ratio']:.2f}x — "
              f"{'met' if report['ratio'] >= 1.6 else 'NOT met'}. With a load average well above the core count, "
              "a second worker competes with other jobs, not with an idle core: the ratio measures the machine as it "
              "was, and is only comparable between phases of the same run."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-source", type=int, default=6)
    parser.add_argument("--problems", type=Path, default=None, help="the shared/benchmarks directory")
    parser.add_argument("--budget-seconds", type=float, default=300.0)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts, run in this order")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--exclude", default="", help="comma-separated problem ids to leave out")
    args = parser.parse_args()
    problems = prover_bench.load(args.per_source, prover_bench.shared_benchmarks(args.problems), extra=False)
    problems = [p for p in problems if p["id"] not in set(args.exclude.split(","))]
    with tempfile.TemporaryDirectory(prefix="axiomatic-bench-batch-") as tmp:
        path = Path(tmp) / "problems.jsonl"
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in problems))
        phases = [phase(path, int(n), args, Path(tmp)) for n in args.workers.split(",")]
    ids = [p["id"] for p in problems]
    differences = {i: [ph["verdicts"].get(i) for ph in phases] for i in ids
                   if len({ph["verdicts"].get(i) for ph in phases}) > 1}
    from axiomatic.lean import get_backend

    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "problems": len(problems),
              "per_source": args.per_source, "excluded": args.exclude, "budget_seconds": args.budget_seconds, "cpus": os.cpu_count(),
              "backend": get_backend().describe(), "phases": phases, "identical": not differences,
              "differences": differences, "ratio": phases[0]["seconds"] / phases[-1]["seconds"]}
    text = render(report)
    write_results(args.out, "batch", report, text)
    print(text)


if __name__ == "__main__":
    main()
