"""How often one `prove` parses statements (`axiomatic.lean.statement.parse_statement`), by the text parsed.

    python bench/parse_count.py [--out bench/results/parse_count.md] [--label after]

Runs three real proofs in-process (`ops.engine.prove`, the `axiomatic prove` path, real Lean, --no-llm) with a
counting wrapper around parse_statement in every module that imported it: a goal closed by automation, a goal
proved through an accumulator lemma (the lemma stage: generalisations, closing proofs), and a later goal that
retrieves that lemma from the knowledge base. Prints and appends a table: calls in all, calls on the goal's own
text, distinct texts parsed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import axiomatic.lean.statement as statement_module  # noqa: E402
from axiomatic.config import Config  # noqa: E402
from axiomatic.lean import get_backend  # noqa: E402
from axiomatic.ops import engine  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402  (bench/_results.py)

SUM_ACC = "def sumAcc : List Nat → Nat → Nat\n  | [], acc => acc\n  | x :: xs, acc => sumAcc xs (acc + x)\n"
CASES = [
    ("automation", "∀ (x y : Int), x - y + y = x", ""),
    ("lemma stage", "∀ xs : List Nat, sumAcc xs 0 = xs.sum", SUM_ACC),
    ("retrieves the lemma", "∀ xs : List Nat, sumAcc xs 7 = 7 + xs.sum", SUM_ACC),
]


def _patch(counter: Counter) -> None:
    original = statement_module.parse_statement

    def counting(text: str):
        counter[" ".join(text.split())] += 1
        return original(text)

    for name, module in list(sys.modules.items()):
        if name.startswith("axiomatic") and getattr(module, "parse_statement", None) is original:
            module.parse_statement = counting


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("bench/results/parse_count.md"))
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    import axiomatic.prover  # noqa: F401  (load every module that imports parse_statement before patching)
    import axiomatic.prover.lemma_stage  # noqa: F401
    import axiomatic.kb.retrieval  # noqa: F401

    counter: Counter = Counter()
    _patch(counter)
    backend = get_backend(Config())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb.sqlite"
        for label, goal, context in CASES:
            counter.clear()
            t0 = time.monotonic()
            answer = engine.prove({"statement": goal, "context": context, "no_llm": True}, backend=backend,
                                  kb_path=kb)
            seconds = time.monotonic() - t0
            own = counter[" ".join(goal.split())]
            rows.append((label, goal, answer.document.get("status"), answer.document.get("how"),
                         sum(counter.values()), own, len(counter), seconds))
    backend.close()
    lines = [f"\n## {args.label or 'run'} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n",
             "| case | goal | status | how | parses | of the goal | distinct texts | seconds |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r[0]} | `{r[1]}` | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]:.0f} |" for r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not args.out.exists():
        args.out.write_text("# Statement parses per `prove` (bench/parse_count.py)\n")
    with args.out.open("a", encoding="utf-8") as f:  # the Markdown keeps every run (before / after)
        f.write(text)
    keys = ("case", "goal", "status", "how", "parses", "of_the_goal", "distinct_texts", "seconds")
    write_results(args.out.parent, args.out.stem, {"label": args.label, "rows": [dict(zip(keys, r)) for r in rows]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
