"""What issue 12's fix added to each verification: today's verifier against the verifier before the fix, on the
same proofs, side by side in one run (interleaved, the order alternating per round, so load drift hits both).

    python bench/verifier_added.py [--before 5c39e5b] [--rounds 3] [--mode host]

The earlier verifier runs from a git worktree of `--before` (created under the system temp directory), in its own
Python process with its own embedded runtime (its own cache directory: the runtime's patch level differs), kept
alive across rounds so both sides are warm. Both use the same Lean build and the same mode. Each round uses a
distinct statement per proof, so no cache can answer. Writes bench/results/verifier_added.{md,json}.
(bench/verifier.py compares against a plain check with no audit at all.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _results import write_results  # noqa: E402  (bench/_results.py)
from verifier import PROOFS  # noqa: E402  (the same ten honest proofs)

# The earlier revision's side: one JSON request per line ({"items": [[statement, proof], ...]}), one answer line.
SERVE = r"""
import json, sys, time
from axiomatic.lean import get_backend
from axiomatic.verify import Obligation, verify_batch
backend = get_backend()
backend.ensure_ready()
print(json.dumps({"ready": backend.describe()}), flush=True)
for line in sys.stdin:
    items = json.loads(line)["items"]
    started = time.monotonic()
    verdicts = verify_batch([Obligation(s, p) for s, p in items], backend=backend, timeout=900)
    print(json.dumps({"seconds": time.monotonic() - started,
                      "verdicts": [type(v).__name__ for v in verdicts]}), flush=True)
"""


def worktree(rev: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"axiomatic-verifier-{rev}"
    if not (path / "axiomatic").is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev], check=True,
                       capture_output=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="5c39e5b", help="the revision before issue 12's fix")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", default="host")
    args = parser.parse_args()
    os.environ["AXIOMATIC_LEAN_MODE"] = args.mode
    os.environ["AXIOMATIC_SERVER"] = "off"
    from axiomatic.lean import get_backend
    from axiomatic.verify import Obligation, Verified, verify_batch

    old_tree = worktree(args.before)
    env = dict(os.environ, PYTHONPATH=str(old_tree),
               AXIOMATIC_CACHE=str(Path(tempfile.gettempdir()) / f"axiomatic-verifier-{args.before}-cache"))
    old = subprocess.Popen([sys.executable, "-c", SERVE], cwd=old_tree, env=env, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    backend = get_backend()
    backend.ensure_ready()
    verify_batch([Obligation("1 = 1", "rfl")], backend=backend)
    ready = json.loads(old.stdout.readline())
    print(f"earlier verifier ready: {ready}", file=sys.stderr)

    def run_old(items) -> float:
        old.stdin.write(json.dumps({"items": items}) + "\n")
        old.stdin.flush()
        answer = json.loads(old.stdout.readline())
        assert all(v == "Verified" for v in answer["verdicts"]), answer
        return answer["seconds"]

    def run_new(items) -> float:
        started = time.monotonic()
        verdicts = verify_batch([Obligation(s, p) for s, p in items], backend=backend, timeout=900)
        assert all(isinstance(v, Verified) for v in verdicts), verdicts
        return time.monotonic() - started

    run_old([("1 = 1", "rfl")])  # warm both sides the same way
    times: dict[str, list[float]] = {}
    for r in range(args.rounds):
        for n in (1, 10):
            items = [(f"({s}) ∧ {r} = {r}", f"⟨({p}), rfl⟩") for s, p in PROOFS[:n]]
            sides = [("before", run_old), ("now", run_new)]
            for label, run in sides if r % 2 == 0 else reversed(sides):
                times.setdefault(f"{label}-{n}", []).append(run(items))
            print(f"round {r} n={n}: before {times[f'before-{n}'][-1]:.2f} s, now {times[f'now-{n}'][-1]:.2f} s",
                  file=sys.stderr)
    old.stdin.close()
    old.wait(timeout=60)
    med = {k: statistics.median(v) for k, v in times.items()}
    report = {"before": args.before, "mode": args.mode, "rounds": args.rounds,
              "median_seconds": {k: round(v, 3) for k, v in med.items()},
              "all_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
              "added": {n: round(med[f"now-{n}"] / med[f"before-{n}"] - 1, 3) for n in (1, 10)},
              "load_average": os.getloadavg()}
    lines = [
        f"# What the soundness fix added to a verification ({args.mode} mode)", "",
        f"`python bench/verifier_added.py`: today's `verify_batch` against the verifier of `{args.before}` (before "
        "issue 12's fix), the same honest proofs, interleaved, "
        f"{args.rounds} rounds, median seconds. Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in report['load_average'])}.", "",
        "| proofs | before the fix | now | added |", "|---|---|---|---|",
    ]
    for n in (1, 10):
        lines.append(f"| {n} | {med[f'before-{n}']:.2f} | {med[f'now-{n}']:.2f} | {report['added'][n]:+.0%} |")
    write_results(ROOT / "bench" / "results", "verifier_added", report, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
