"""HTTP verify throughput: N concurrent `POST /v1/verify` against one `axiomatic serve --http` process, versus
sequential `axiomatic verify --json` command-line calls, side by side in one run.

    python bench/http_verify.py [--concurrent 50] [--sequential 5] [--out bench/results]

The statements are small closed arithmetic facts, half with a right proof and half with a wrong one; every
answer is checked against the expected verdict (a wrong verdict fails the run). The server batches the verify
requests waiting in its queue into one verifier call (one Lean run per distinct context), so the comparison
is what a tool gains by sending its checks to the server instead of spawning the CLI per check. Throughput is
answers per second of wall clock; the CLI figure includes each call's process start and Lean run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
from _results import write_results  # noqa: E402  (bench/_results.py)


def obligation(i: int) -> tuple[dict, str]:
    if i % 2 == 0:
        return {"statement": f"{i} + {i} = {2 * i}", "proof": "rfl", "name": f"r{i}"}, "verified"
    return {"statement": f"{i} + {i} = {2 * i + 1}", "proof": "by decide", "name": f"w{i}"}, "rejected"


def start_server(home: Path, workers: int) -> tuple[subprocess.Popen, str, str]:
    env = dict(os.environ, AXIOMATIC_HOME=str(home), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "serve", "--http", "127.0.0.1:0", "--json",
                             "--workers", str(workers), "--queue", "1000"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    info = json.loads(proc.stdout.readline())
    return proc, info["url"].rstrip("/"), Path(info["token_file"]).read_text().strip()


def http_run(url: str, token: str, n: int) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=3600) as http:
        warm = http.post("/v1/verify", json=obligation(0)[0], headers=headers)  # the worker's backend starts
        assert warm.json()["verdict"] == "verified", warm.text

        def one(i):
            body, expect = obligation(i)
            r = http.post("/v1/verify", json=body, headers=headers)
            return r.status_code == 200 and r.json()["verdict"] == expect

        started = time.monotonic()
        with ThreadPoolExecutor(n) as pool:
            ok = list(pool.map(one, range(n)))
        seconds = time.monotonic() - started
    return {"requests": n, "correct": sum(ok), "seconds": round(seconds, 2), "per_second": round(n / seconds, 3)}


def cli_run(home: Path, n: int) -> dict:
    env = dict(os.environ, AXIOMATIC_HOME=str(home), PYTHONPATH=str(ROOT))
    correct = 0
    started = time.monotonic()
    for i in range(n):
        body, expect = obligation(i)
        r = subprocess.run([sys.executable, "-m", "axiomatic", "verify", "--statement", body["statement"],
                            "--proof", body["proof"], "--json"], capture_output=True, text=True, env=env, timeout=900)
        correct += json.loads(r.stdout).get("verdict") == expect
    seconds = time.monotonic() - started
    return {"calls": n, "correct": correct, "seconds": round(seconds, 2), "per_second": round(n / seconds, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrent", type=int, default=50)
    ap.add_argument("--sequential", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        proc, url, token = start_server(home, args.workers)
        try:
            http = http_run(url, token, args.concurrent)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        cli = cli_run(home, args.sequential)
    ratio = round(http["per_second"] / cli["per_second"], 1)
    result = {"date": date.today().isoformat(), "lean_mode": os.environ.get("AXIOMATIC_LEAN_MODE", "host"),
              "http": http, "cli": cli, "throughput_ratio": ratio, "workers": args.workers}
    print(json.dumps(result, indent=2))
    if http["correct"] != http["requests"] or cli["correct"] != cli["calls"]:
        sys.exit("a verdict was wrong")
    write_results(args.out, "http", result)  # http.md is written by hand from it


if __name__ == "__main__":
    main()
