"""Prover benchmark without an LLM: the automation portfolio (+ generalisation lemmas) against single-tactic
baselines (`grind`, `omega`, `simp` alone), side by side in one run, on the core-Lean problems in
shared/benchmarks plus bench/problems/extra.jsonl.

    python bench/prover.py [--per-source 25] [--batch 150] [--out bench/results]

Problems sharing a context are checked together (one Lean run per batch); every verdict comes from the
trusted verifier.
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

from axiomatic.lean import get_backend  # noqa: E402
from axiomatic.prover import Prover  # noqa: E402
from axiomatic.prover.portfolio import candidates, definitions_in  # noqa: E402
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


def run(problems: list[dict], batch: int) -> dict:
    backend = get_backend()
    backend.ensure_ready()
    by_context: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(problems):
        by_context[p["context"]].append(i)
    solved: dict[str, set[int]] = {name: set() for name in (*BASELINES, "portfolio", "axiomatic")}
    how: dict[int, str] = {}
    seconds: dict[str, float] = defaultdict(float)

    def check(obs: list[Obligation]) -> list:
        out = []
        for k in range(0, len(obs), batch):
            out += verify_batch(obs[k:k + batch], backend=backend, timeout=900)
        return out

    for context, members in by_context.items():
        for tactic in BASELINES:
            t = time.monotonic()
            verdicts = check([Obligation(problems[i]["statement"], f"by {tactic}", context) for i in members])
            seconds[tactic] += time.monotonic() - t
            solved[tactic] |= {i for i, v in zip(members, verdicts) if isinstance(v, Verified)}
        t = time.monotonic()
        obs, owner = [], []
        for i in members:
            for proof in candidates(problems[i]["statement"], context=context):
                obs.append(Obligation(problems[i]["statement"], proof, context))
                owner.append(i)
        verdicts = check(obs)
        for i, v, ob in zip(owner, verdicts, obs):
            if isinstance(v, Verified) and i not in solved["portfolio"]:
                solved["portfolio"].add(i)
                how[i] = ob.proof
        seconds["portfolio"] += time.monotonic() - t
        # generalisation lemmas for what the portfolio left open (needs definitions in the context)
        t = time.monotonic()
        prover = Prover(backend, max_depth=1)
        for i in members:
            if i in solved["portfolio"] or not definitions_in(context):
                continue
            result = prover.prove(problems[i]["statement"], context=context, name=f"p{i}")
            if result.status == "proved":
                solved["axiomatic"].add(i)
                how[i] = result.proof + (f"  [lemmas: {', '.join(result.lemmas)}]" if result.lemmas else "")
        seconds["generalization"] += time.monotonic() - t
    solved["axiomatic"] |= solved["portfolio"]
    seconds["axiomatic"] = seconds["portfolio"] + seconds["generalization"]
    return {"solved": solved, "how": how, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-source", type=int, default=25)
    parser.add_argument("--batch", type=int, default=150)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    problems = load(args.per_source)
    started = time.monotonic()
    outcome = run(problems, args.batch)
    total = time.monotonic() - started
    hard = {i for i, p in enumerate(problems) if {"induction", "auxiliary"} & set(p.get("tags", []))}
    methods = (*BASELINES, "axiomatic")
    rows = []
    for m in methods:
        s = outcome["solved"][m]
        rows.append({"method": m if m != "axiomatic" else "axiomatic (portfolio + generalisation)",
                     "solved": len(s), "of": len(problems), "induction_or_aux_solved": len(s & hard),
                     "induction_or_aux_of": len(hard), "seconds": round(outcome["seconds"][m], 1),
                     "by_source": {src: sum(1 for i in s if problems[i]["source"] == src)
                                   for src in (*SOURCES, "extra")}})
    report = {
        "date": time.strftime("%Y-%m-%d"), "problems": len(problems), "per_source": args.per_source,
        "total_seconds": round(total, 1), "backend": get_backend().describe(), "results": rows,
        "solved_by_axiomatic": {problems[i]["id"]: outcome["how"].get(i, "") for i in sorted(outcome["solved"]["axiomatic"])},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "prover.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    best_single = max(r["solved"] for r in rows[:3])
    best_single_hard = max(r["induction_or_aux_solved"] for r in rows[:3])
    lines = ["# Prover benchmark (no LLM)", "",
             f"{report['date']}; {len(problems)} problems: the first {args.per_source} of each core-Lean source in "
             "shared/benchmarks plus 20 of bench/problems/extra.jsonl; one run, every verdict from the trusted "
             f"verifier; {report['total_seconds']} s in all.", "",
             "| method | solved | induction / auxiliary lemma | seconds | " + " | ".join((*SOURCES, "extra")) + " |",
             "|---|---|---|---|" + "---|" * (len(SOURCES) + 1)]
    for r in rows:
        lines.append(f"| {r['method']} | {r['solved']}/{r['of']} | {r['induction_or_aux_solved']}/"
                     f"{r['induction_or_aux_of']} | {r['seconds']} | "
                     + " | ".join(str(r["by_source"][s]) for s in (*SOURCES, "extra")) + " |")
    ax = rows[-1]
    lines += ["", f"Targets: more than the best single tactic overall ({ax['solved']} vs {best_single}: "
              f"{'met' if ax['solved'] > best_single else 'NOT met'}); at least twice as many on the induction / "
              f"auxiliary-lemma problems ({ax['induction_or_aux_solved']} vs 2 × {best_single_hard}: "
              f"{'met' if ax['induction_or_aux_solved'] >= 2 * best_single_hard else 'NOT met'})."]
    (args.out / "prover.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
