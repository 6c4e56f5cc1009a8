"""The starter library: core lemmas about Nat, Int, List and Bool, verified in one Lean run on seeding."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import BadInput
from ..lean import LeanBackend
from ..verify import Obligation, Verified, verify_batch
from .store import KnowledgeBase


def load(path: Path) -> list[dict]:
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: cannot read the library ({e})") from None
    for r in rows:
        if not {"name", "statement", "proof"} <= set(r):
            raise BadInput(f"{path}: every entry needs name, statement and proof (got {sorted(r)})")
    return rows


def seed(kb: KnowledgeBase, path: Path, backend: LeanBackend) -> dict:
    """Verify every entry not yet present, all in one batch, and store those the verifier accepts."""
    rows = load(path)
    present = [r["name"] for r in rows if kb.get(r["name"]) is not None]
    todo = [r for r in rows if r["name"] not in present]
    verdicts = verify_batch([Obligation(r["statement"], r["proof"], name=r["name"]) for r in todo], backend=backend)
    added, rejected = [], []
    for row, verdict in zip(todo, verdicts):
        if isinstance(verdict, Verified):
            kb.add_theorem(verdict, name=row["name"], informal=row.get("informal", ""), tags=row.get("tags", []),
                           source="starter")
            added.append(row["name"])
        else:
            rejected.append({"name": row["name"], "reason": verdict.reason})
    return {"added": added, "present": present, "rejected": rejected}
