"""The README's first command on a warm Lean service against the in-process path, alternated in one run.

    python bench/service_prove.py [--rounds 3]

Starts a service of its own (a temporary AXIOMATIC_SERVER_DIR), proves the README statement once (the cold
service: answered by its host-mode fallback while the environments warm), waits until both headers it uses
(plain `Init` for the search runs, the verifier's `Lean.*`) are warm, then runs the whole CLI command `axiomatic
prove ... --no-llm --json` with `AXIOMATIC_SERVER=on` and with `AXIOMATIC_SERVER=off`, alternating the order per
round, each with a fresh knowledge base (so no answer comes from a stored result). Writes
bench/results/service_prove.{json,md}. Issue 13's target: ≤ 3 s for the warm command.
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
sys.path.insert(0, str(ROOT / "bench"))

from _results import write_results  # noqa: E402  (bench/_results.py)

STATEMENT = "∀ (xs ys : List Nat), (xs ++ ys).length = ys.length + xs.length"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    base = dict(os.environ, AXIOMATIC_SERVER_DIR=tempfile.mkdtemp(prefix="axiomatic-bench-svc-"))

    def cli(argv: list[str], server: str) -> tuple[float, subprocess.CompletedProcess]:
        started = time.monotonic()
        p = subprocess.run([str(ROOT / "bin" / "axiomatic"), *argv], env=dict(base, AXIOMATIC_SERVER=server),
                           capture_output=True, text=True, cwd=ROOT)
        return time.monotonic() - started, p

    def prove(server: str) -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, p = cli(["prove", STATEMENT, "--no-llm", "--kb", str(Path(tmp) / "kb.sqlite"), "--json"], server)
        doc = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
        row = {"server": server, "seconds": round(seconds, 2), "exit": p.returncode, "status": doc.get("status"),
               "how": doc.get("how")}
        print(row, file=sys.stderr, flush=True)
        return row

    def environments() -> list[dict]:
        _, p = cli(["server", "status", "--json"], "on")
        status = json.loads(p.stdout or "{}")
        return (status.get("pool") or status).get("environments", [])

    cli(["server", "start", "--json"], "on")
    try:
        cold = prove("on")
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            envs = environments()
            if len(envs) >= 2 and all(e.get("state") == "warm" for e in envs):
                break
            time.sleep(10)
        rows = []
        for r in range(args.rounds):
            for server in ("on", "off") if r % 2 == 0 else ("off", "on"):
                rows.append(prove(server))
        end_envs = environments()
    finally:
        cli(["server", "stop"], "on")
    on = [x["seconds"] for x in rows if x["server"] == "on"]
    off = [x["seconds"] for x in rows if x["server"] == "off"]
    report = {"statement": STATEMENT, "cold_service": cold, "rows": rows,
              "median_on": statistics.median(on), "median_off": statistics.median(off),
              "environments_at_end": [{k: e.get(k) for k in ("header", "state", "checks", "wasm_heap_mb",
                                                             "baseline_heap_mb", "warmed_on_text")}
                                      for e in end_envs]}
    all_proved = all(x["status"] == "proved" and x["exit"] == 0 for x in rows)
    md = "\n".join([
        "# The README's first command: warm Lean service vs in-process", "",
        f"`python bench/service_prove.py --rounds {args.rounds}`: `axiomatic prove \"{STATEMENT}\" --no-llm --json`,"
        " the whole CLI command, a fresh knowledge base each time, service and in-process alternated.", "",
        f"- cold service (first command, answered while the environments warm): {cold['seconds']} s, {cold['status']}",
        f"- warm service: median **{report['median_on']:.1f} s** ({', '.join(str(x) for x in on)})",
        f"- in-process (`AXIOMATIC_SERVER=off`, host mode): median **{report['median_off']:.1f} s** "
        f"({', '.join(str(x) for x in off)})",
        f"- ratio in-process / warm service: {report['median_off'] / report['median_on']:.1f}x; every run proved: "
        f"{'yes' if all_proved else 'NO'}",
        f"- issue 13's target, ≤ 3 s on a warm service: {'met' if report['median_on'] <= 3 else 'not met'} "
        "(absolute times depend on the machine's load, recorded above)",
    ])
    write_results(ROOT / "bench" / "results", "service_prove", report, md)
    print(md)


if __name__ == "__main__":
    main()
