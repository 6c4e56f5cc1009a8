"""Benchmark of the Lean backend: cold check, warm one-theorem checks, a 100-theorem batch, peak memory.

    python bench/lean_backend.py [--warm-runs 10] [--out bench/results]

Peak RSS is the largest sum of resident memory over the process tree below this script (Node and its
pthread workers), sampled every 100 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from axiomatic.lean import get_backend  # noqa: E402
from _results import write_results  # noqa: E402  (bench/_results.py)


class PeakRSS:
    """Samples the RSS of every descendant of this process."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(me))
            time.sleep(0.1)


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm-runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()

    backend = get_backend()
    t = time.monotonic()
    backend.ensure_ready()
    setup_s = time.monotonic() - t

    one = "theorem bench_one (n : Nat) : n + 0 = n := by simp\n"
    with PeakRSS() as rss_single:
        t = time.monotonic()
        first = backend.check(one)
        cold_s = time.monotonic() - t
        warm = []
        rss_after = []  # tree RSS after each check: a leak would show as growth
        for _ in range(args.warm_runs):
            t = time.monotonic()
            r = backend.check(one)
            warm.append(time.monotonic() - t)
            assert r.ok, r
            rss_after.append(round(_tree_rss(os.getpid()) / 1e9, 2))
    assert first.ok, first

    tactics = ["omega", "simp", "decide", "rfl"]
    snippets = []
    for i in range(args.batch):
        tac = tactics[i % 4]
        if tac == "omega":
            snippets.append(f"theorem b{i} (n : Nat) : n + {i} = {i} + n := by omega")
        elif tac == "simp":
            snippets.append(f"theorem b{i} (xs : List Nat) : (xs ++ [{i}]).length = xs.length + 1 := by simp")
        elif tac == "decide":
            snippets.append(f"theorem b{i} : {i} * 2 = {2 * i} := by decide")
        else:
            snippets.append(f"theorem b{i} (n : Nat) : n + {i} = n + {i} := rfl")
    with PeakRSS() as rss_batch:
        t = time.monotonic()
        results = backend.check_batch(snippets)
        batch_s = time.monotonic() - t
    assert all(r.ok for r in results), [r for r in results if not r.ok][:1]

    warm_sorted = sorted(warm)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "backend": backend.describe(),
        "setup_seconds": round(setup_s, 2),
        "cold_first_check_seconds": round(cold_s, 2),
        "warm_check_p50_seconds": round(statistics.median(warm), 2),
        "warm_check_p95_seconds": round(warm_sorted[min(len(warm) - 1, int(0.95 * len(warm)))], 2),
        "warm_runs": len(warm),
        "batch_theorems": args.batch,
        "batch_seconds": round(batch_s, 2),
        "peak_rss_gb_single": round(rss_single.peak / 1e9, 2),
        "peak_rss_gb_batch": round(rss_batch.peak / 1e9, 2),
        "rss_gb_after_each_warm_check": rss_after,
        "warm_check_seconds": [round(w, 2) for w in warm],
        "load_average_at_end": os.getloadavg()[0],
        "targets": {"warm_check_p50_seconds": 2.0, "batch_100_seconds": 30.0, "peak_rss_gb": 3.0},
        "baseline": {"trivial_file_seconds": 15.7, "rss_gb": 2.3},
    }
    lines = ["# Lean backend benchmark", "", f"{report['date']}, {report['machine']}, backend {report['backend']}", "",
             "| measure | value | target |", "|---|---|---|"]
    lines += [
        f"| cold first check | {report['cold_first_check_seconds']} s | |",
        f"| warm one-theorem check, p50 / p95 of {len(warm)} | {report['warm_check_p50_seconds']} s / "
        f"{report['warm_check_p95_seconds']} s | ≤ 2 s |",
        f"| {args.batch}-theorem batch (one Lean run) | {report['batch_seconds']} s | ≤ 30 s |",
        f"| peak RSS, single checks / batch | {report['peak_rss_gb_single']} GB / {report['peak_rss_gb_batch']} GB | ≤ 3 GB |",
        f"| tree RSS after each warm check | {' '.join(str(x) for x in rss_after)} GB | no growth |",
        "", f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other Lean jobs ran concurrently).",
        "", "Baseline before this work: 15.7 s per trivial file (process per check), 2.3 GB RSS.",
    ]
    write_results(args.out, "lean_backend", report, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
