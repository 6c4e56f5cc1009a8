"""Benchmark of the background Lean service (docs/service.md), everything measured side by side in one run.

    python bench/service.py [--rss-checks 300] [--out bench/results]

1. cold baseline: one `AXIOMATIC_SERVER=off AXIOMATIC_LEAN_MODE=process axiomatic check` of a one-line file;
   the in-process default (`--no-server`, host mode) for the same file;
2. the first command on a service that was not running (it starts it and is answered while sessions warm);
3. the README example `axiomatic prove ...` on a warm service;
4. 10 easy theorems proved one CLI call at a time on the warm service (total), against (1);
5. RSS of the service's process tree over many mixed checks on two headers (plain Init, the verifier's);
6. 20 concurrent `axiomatic verify` calls (10 correct proofs, 10 wrong ones): every verdict right.
The service runs in a temporary directory of its own and is stopped at the end.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _results import write_results  # noqa: E402  (bench/_results.py)

README_GOAL = "∀ (xs ys : List Nat), (xs ++ ys).length = ys.length + xs.length"
EASY = [  # (statement, a correct proof for the verify part)
    ("∀ n : Nat, n + 0 = n", "by omega"), ("∀ n : Nat, 0 + n = n", "by omega"),
    ("∀ a b : Nat, a + b = b + a", "by omega"), ("∀ a b : Nat, a * b = b * a", "fun a b => Nat.mul_comm a b"),
    ("∀ (xs : List Nat), xs ++ [] = xs", "by simp"), ("∀ p q : Prop, p ∧ q → q ∧ p", "fun _ _ h => ⟨h.2, h.1⟩"),
    ("∀ n : Nat, n * 1 = n", "by omega"), ("∀ a b c : Nat, a + b + c = a + (b + c)", "by omega"),
    ("∀ (xs : List Nat), ([] ++ xs) = xs", "by simp"), ("∀ n : Nat, n ≤ n + 1", "by omega"),
]


def cli(*args: str, env: dict, timeout: float = 1800) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "axiomatic", *args], capture_output=True, text=True, env=env,
                       timeout=timeout, cwd=ROOT)
    return time.monotonic() - started, r


def tree_rss_mb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            p = int(stat.parent.name)
            children.setdefault(int(fields[1]), []).append(p)
            rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total // (1 << 20)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rss-checks", type=int, default=300)
    parser.add_argument("--skip-prove", action="store_true", help="skip the `axiomatic prove` parts (README, 10 easy)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="axbench-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT), AXIOMATIC_SERVER_DIR=str(work / "svc"),
               AXIOMATIC_HOME=str(work / "home"), AXIOMATIC_SERVER_IDLE="1800")
    os.environ.update({k: env[k] for k in ("AXIOMATIC_SERVER_DIR", "AXIOMATIC_HOME")})
    one_line = work / "One.lean"
    one_line.write_text("theorem one : 1 + 1 = 2 := rfl\n")
    results: dict = {"load_before": os.getloadavg()}

    def step(name, value):
        results[name] = value
        print(f"{name}: {json.dumps(value)}", flush=True)

    try:
        # 1 + 2: the three ways of running one check, one after the other
        t, r = cli("check", str(one_line), "--json", env=dict(env, AXIOMATIC_SERVER="off", AXIOMATIC_LEAN_MODE="process"))
        cold = t
        step("cold_process_mode_check_s", round(t, 2))
        t, r = cli("check", str(one_line), "--json", env=dict(env, AXIOMATIC_SERVER="off"))
        step("in_process_host_mode_check_s", round(t, 2))
        t, r = cli("check", str(one_line), "--json", env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        step("first_check_starting_the_service_s", round(t, 2))

        from axiomatic.config import Config
        from axiomatic.lean.service_client import ServiceBackend, request

        def status():
            return request(Config(), {"op": "status"}, timeout=60)

        # warm both headers: plain Init (already warming) and the verifier's
        cli("verify", "--statement", "True", "--proof", "trivial", "--json", env=env)
        started = time.monotonic()
        while True:
            envs = status()["environments"]
            if len(envs) >= 2 and all(e["state"] == "warm" for e in envs):
                break
            if time.monotonic() - started > 1800:
                raise SystemExit("the sessions did not warm up in 30 min")
            time.sleep(2)
        step("waited_for_two_warm_sessions_s", round(time.monotonic() - started, 1))
        pid = status()["pid"]
        step("rss_two_warm_sessions_mb", tree_rss_mb(pid))

        # 6: 20 concurrent verify calls
        jobs = [(goal, proof, True) for goal, proof in EASY] + [(goal, "by exact rfl_nonsense", False) for goal, _ in EASY]

        def verify(job):
            goal, proof, good = job
            _, r = cli("verify", "--statement", goal, "--proof", proof, "--json", env=env)
            out = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}
            return good, r.returncode, out.get("verdict") or out.get("error")

        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(verify, jobs))
        step("twenty_concurrent_verify_s", round(time.monotonic() - started, 1))
        step("twenty_concurrent_verify_answers", [a[1:] for a in answers])
        right = all((code, verdict) == ((0, "verified") if good else (1, "rejected")) for good, code, verdict in answers)
        step("twenty_concurrent_verify_all_verdicts_right", right)
        step("twenty_concurrent_verify_none_lost", all(code in (0, 1) for _, code, _ in answers))

        # 5: RSS over many mixed checks on two headers, in-process client (no CLI start-up in the loop)
        from axiomatic.verify import verify as verify_proof

        backend = ServiceBackend(Config())
        samples, seconds, verdicts = [], [], {}
        for i in range(args.rss_checks):
            started = time.monotonic()
            if i % 2 == 0:
                ok = backend.check(f"theorem t{i} : {i} + {i} = {2 * i} := by decide\n").ok
                verdicts.setdefault("check", []).append(ok)
            else:
                v = verify_proof(f"∀ n : Nat, n + {i} = {i} + n", "by omega", "", f"v{i}", backend=backend)
                verdicts.setdefault("verify", []).append(type(v).__name__)
            seconds.append(time.monotonic() - started)
            if i % 10 == 0 or i == args.rss_checks - 1:
                samples.append((i, tree_rss_mb(pid)))
        step("rss_checks", args.rss_checks)
        step("rss_samples_mb", samples)
        step("rss_max_mb", max(m for _, m in samples))
        step("rss_mixed_check_seconds_p50", round(sorted(seconds)[len(seconds) // 2], 3))
        step("rss_mixed_all_checks_ok", all(verdicts.get("check", [])))
        step("rss_mixed_all_verifies_verified", all(v == "Verified" for v in verdicts.get("verify", [])))
        # 4a: 10 easy theorems checked one `axiomatic verify` CLI call at a time (proof given)
        times, verdicts_ = [], []
        for goal, proof in EASY:
            t, r = cli("verify", "--statement", goal, "--proof", proof, "--json", env=env)
            times.append(round(t, 2))
            verdicts_.append(json.loads(r.stdout).get("verdict") if r.stdout.strip().startswith("{") else f"exit {r.returncode}")
        step("ten_easy_verify_cli_s", times)
        step("ten_easy_verify_cli_verdicts", verdicts_)
        step("ten_easy_verify_total_over_cold_check", round(sum(times) / cold, 3))

        if not args.skip_prove:
            # 3: the README example on the warm service
            t, r = cli("prove", README_GOAL, "--json", env=env)
            step("readme_prove_warm_s", round(t, 2))
            step("readme_prove_status", json.loads(r.stdout).get("status") if r.stdout.strip().startswith("{") else r.stderr[-300:])

            # 4: 10 easy theorems, one CLI call each
            times, statuses = [], []
            for goal, _ in EASY:
                t, r = cli("prove", goal, "--no-llm", "--json", env=env)
                times.append(round(t, 2))
                statuses.append(json.loads(r.stdout).get("status") if r.stdout.strip().startswith("{") else f"exit {r.returncode}")
            step("ten_easy_proofs_s", times)
            step("ten_easy_proofs_status", statuses)
            step("ten_easy_total_over_cold_check", round(sum(times) / cold, 3))

        step("service_status_end", status())
    finally:
        cli("server", "stop", env=env)
        results["load_after"] = os.getloadavg()
        write_results(args.out, "service", results)  # service.md is written by hand from it
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
