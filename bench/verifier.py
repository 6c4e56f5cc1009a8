"""What the trusted verifier costs on top of a plain check of the same proofs (issue 12's target: < 10 %).

For batches of 1 and 10 honest proofs, side by side in one run (interleaved, so load drift hits both):
  - check:  the theorems pasted into one file after the statement, elaborated by `backend.check` (no audit);
  - verify: `verify_batch` on the same (statement, proof) pairs: parse gate, elaboration around the parsed
            syntax, kernel replay, axiom audit.
Writes bench/results/verifier.md and .json.

    python bench/verifier.py [--rounds 3] [--mode host|session|process]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _results import write_results  # noqa: E402  (bench/_results.py)

PROOFS = [
    ("∀ n : Nat, n + 0 = n", "fun n => rfl"),
    ("∀ a b : Nat, a + b = b + a", "Nat.add_comm"),
    ("∀ a b : Nat, a ≤ a + b", "by omega"),
    ("∀ xs : List Nat, (xs ++ []).length = xs.length", "by simp"),
    ("∀ a b : Nat, a < b → a + 1 ≤ b", "by grind"),
    ("∀ n : Nat, 0 + n = n", "by\n  intro n\n  induction n with\n  | zero => rfl\n  | succ k ih => rw [← Nat.add_assoc, ih]"),
    ("(37 : Nat) ≠ 38", "by decide"),
    ("∀ p q : Prop, p ∧ q → q ∧ p", "fun _ _ ⟨hp, hq⟩ => ⟨hq, hp⟩"),
    ("∀ b : Bool, b = true ∨ b = false", "by intro b; cases b <;> simp"),
    ("∀ xs ys : List Nat, (xs ++ ys).length = ys.length + xs.length", "by intro xs ys; rw [List.length_append]; omega"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", default=os.environ.get("AXIOMATIC_LEAN_MODE", "host"))
    args = parser.parse_args()
    os.environ["AXIOMATIC_LEAN_MODE"] = args.mode
    from axiomatic.lean import get_backend
    from axiomatic.verify import Obligation, Verified, verify_batch

    backend = get_backend()
    backend.ensure_ready()
    backend.check("theorem warm : 1 = 1 := rfl\n")
    verify_batch([Obligation("1 = 1", "rfl")], backend=backend)
    times: dict[str, list[float]] = {}
    for r in range(args.rounds):
        for n in (1, 10):
            items = PROOFS[:n]
            # a distinct statement per round, so that no layer can answer from a cache
            items = [(f"({s}) ∧ {r} = {r}", f"⟨({p}), rfl⟩") for s, p in items]
            source = "".join(f"theorem t{i} : {s} :=\n{p}\n\n" for i, (s, p) in enumerate(items))
            started = time.monotonic()
            result = backend.check(source, timeout=900)
            times.setdefault(f"check-{n}", []).append(time.monotonic() - started)
            assert result.ok, [m.text for m in result.errors]
            started = time.monotonic()
            verdicts = verify_batch([Obligation(s, p) for s, p in items], backend=backend, timeout=900)
            times.setdefault(f"verify-{n}", []).append(time.monotonic() - started)
            assert all(isinstance(v, Verified) for v in verdicts), verdicts
            print(f"round {r} n={n}: check {times[f'check-{n}'][-1]:.2f} s, verify {times[f'verify-{n}'][-1]:.2f} s",
                  file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    report = {"mode": backend.describe().get("mode", backend.name), "rounds": args.rounds,
              "median_seconds": {k: round(v, 3) for k, v in med.items()},
              "all_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
              "overhead": {n: round(med[f"verify-{n}"] / med[f"check-{n}"] - 1, 3) for n in (1, 10)},
              "load_average": os.getloadavg()}
    suffix = "" if report["mode"] == "host" else f"-{report['mode']}"
    lines = [
        f"# Verifier overhead ({report['mode']} mode)", "",
        "`python bench/verifier.py` — a plain `backend.check` of the pasted theorems against `verify_batch` of the same",
        f"proofs, interleaved, {args.rounds} rounds, median seconds. Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in report['load_average'])}.", "",
        "| proofs | check | verify | overhead |", "|---|---|---|---|",
    ]
    for n in (1, 10):
        lines.append(f"| {n} | {med[f'check-{n}']:.2f} | {med[f'verify-{n}']:.2f} | {report['overhead'][n]:+.0%} |")
    write_results(ROOT / "bench" / "results", f"verifier{suffix}", report, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
