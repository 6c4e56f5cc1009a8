"""Knowledge-base benchmark: what a reader pays, alone and while another process holds the write lock.

    python bench/kb_concurrency.py [--baseline REV] [--items 2000] [--hold 8] [--out bench/results]

Runs the same measurements side by side, in one run, on this checkout and (with --baseline) on an earlier
revision exported with `git archive`, each tree against a knowledge base written by its own code:

  open          median seconds of `KnowledgeBase(path)` + close, in-process (20 opens)
  list          median wall-clock seconds of `axiomatic kb list --json` (a fresh process each time)
  list-locked   `axiomatic kb list --json` while another process holds the write lock (BEGIN IMMEDIATE) for
                --hold seconds: its wall-clock seconds and exit code
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from _results import write_results  # noqa: E402  (bench/_results.py)

FILL = """
import sys
from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Verified
path, n = sys.argv[1], int(sys.argv[2])
with KnowledgeBase(path) as kb:
    with kb.transaction():
        for i in range(n):
            v = Verified(None, f"∀ n : Nat, n + {i} = {i} + n", "by omega", (), 0.1, "embedded", "4.28.0-pre",
                         ("Nat", "HAdd.hAdd"))
            kb.add_theorem(v, name=f"bench_{i}", informal=f"commutativity instance {i}")
"""

OPEN = """
import statistics, sys, time
from axiomatic.kb import KnowledgeBase
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    KnowledgeBase(sys.argv[1]).close()
    times.append(time.perf_counter() - t)
print(statistics.median(times))
"""

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def run_py(tree: Path, code: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(tree), LITELLM_LOCAL_MODEL_COST_MAP="True")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=tree)


def kb_list(tree: Path, kb: Path, timeout: float = 120) -> tuple[float, int, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), LITELLM_LOCAL_MODEL_COST_MAP="True")
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "axiomatic", "kb", "list", "--json", "--kb", str(kb)],
                       capture_output=True, text=True, env=env, timeout=timeout, cwd=tree)
    said = (r.stderr.strip().splitlines() or [""])[-1]
    if r.returncode != 0:
        try:
            said = json.loads(r.stdout)["message"]
        except (ValueError, KeyError, TypeError):
            pass
    return time.perf_counter() - started, r.returncode, said.replace(str(kb), kb.name)[:200]


def measure(tree: Path, work: Path, items: int, hold: float) -> dict:
    kb = work / "kb.sqlite"
    r = run_py(tree, FILL, str(kb), str(items))
    if r.returncode != 0:
        raise SystemExit(f"filling the knowledge base with {tree} failed:\n{r.stderr}")
    opened = float(run_py(tree, OPEN, str(kb), "20").stdout.strip())
    listed = statistics.median(kb_list(tree, kb)[0] for _ in range(5))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(kb), str(hold)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        seconds, code, last = kb_list(tree, kb)
    finally:
        holder.wait(timeout=hold + 60)
    return {"open_s": round(opened, 4), "list_s": round(listed, 3), "list_locked_s": round(seconds, 3),
            "list_locked_exit": code, "list_locked_stderr": last}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", default=None, help="a git revision to compare against (e.g. main)")
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--hold", type=float, default=8.0, help="seconds the other process holds the write lock")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this checkout": ROOT}
        if args.baseline:
            base = Path(tmp) / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline], capture_output=True,
                                     check=True, timeout=120).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True, timeout=120)
            trees = {f"baseline {args.baseline}": base, **trees}
        for label, tree in trees.items():
            work = Path(tmp) / f"work-{len(results)}"
            work.mkdir()
            results[label] = measure(tree, work, args.items, args.hold)
            print(label, json.dumps(results[label]), file=sys.stderr)
    report = {"date": time.strftime("%Y-%m-%d"), "items": args.items, "hold_s": args.hold,
              "python": platform.python_version(), "results": results}
    lines = ["# Knowledge base: readers alone and beside a writer\n",
             f"{report['date']}; {args.items} items; the writer holds the lock for {args.hold} s; "
             f"Python {report['python']}. Produced by `python bench/kb_concurrency.py"
             f"{' --baseline ' + args.baseline if args.baseline else ''}`.\n",
             "| tree | open (median) | `kb list` (median) | `kb list` while locked | exit code while locked |",
             "|---|---|---|---|---|"]
    for label, r in results.items():
        lines.append(f"| {label} | {r['open_s'] * 1000:.1f} ms | {r['list_s']:.2f} s | {r['list_locked_s']:.2f} s | "
                     f"{r['list_locked_exit']} |")
    for label, r in results.items():
        if r["list_locked_exit"] != 0:
            lines.append(f"\n{label}, while locked: `{r['list_locked_stderr']}`")
    if len(results) == 2:
        (a, ra), (b, rb) = results.items()
        lines.append(f"\nRatios ({a} / {b}): open {ra['open_s'] / rb['open_s']:.1f}x, "
                     f"list while locked {ra['list_locked_s'] / rb['list_locked_s']:.1f}x.")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        write_results(args.out, "kb_concurrency", report, text)


if __name__ == "__main__":
    main()
