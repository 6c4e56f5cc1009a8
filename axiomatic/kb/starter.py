"""The starter library: core lemmas about Nat, Int, List and Bool, verified in one Lean run on seeding.

The library ships inside the package (`axiomatic/kb/data/starter.jsonl`, a link in the source tree to
`knowledge_base/starter.jsonl`, which the build copies into the wheel), so `kb seed` works from an install."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import BadInput
from ..lean import LeanBackend
from ..verify import Obligation, Verified, verify_batch
from .store import KnowledgeBase

STARTER_LIBRARY = Path(__file__).parent / "data" / "starter.jsonl"


def load(path: Path) -> list[dict]:
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: cannot read the library ({e})") from None
    for r in rows:
        if not isinstance(r, dict) or not {"name", "statement", "proof"} <= set(r):
            got = sorted(r) if isinstance(r, dict) else r
            raise BadInput(f"{path}: every entry needs name, statement and proof (got {got!r:.200})")
    return rows


def seed(kb: KnowledgeBase, path: Path, backend: LeanBackend) -> dict:
    """Verify every entry not yet present, all in one batch, and store those the verifier accepts."""
    rows = load(path)
    present = [r["name"] for r in rows if kb.get(r["name"]) is not None]
    todo = [r for r in rows if r["name"] not in present]
    verdicts = verify_batch([Obligation(r["statement"], r["proof"], name=r["name"]) for r in todo], backend=backend)
    accepted = [(row, v) for row, v in zip(todo, verdicts) if isinstance(v, Verified)]
    rejected = [{"name": row["name"], "reason": getattr(v, "reason", "no verdict")}
                for row, v in zip(todo, verdicts) if not isinstance(v, Verified)]
    # one transaction: the library is stored whole or not at all (a busy file reports what was verified)
    with kb.transaction(unsaved={"seed": str(path), "verified": [row["name"] for row, _ in accepted]}):
        for row, verdict in accepted:
            kb.add_theorem(verdict, name=row["name"], informal=row.get("informal", ""), tags=row.get("tags", []),
                           source="starter")
    added = [row["name"] for row, _ in accepted]
    return {"added": added, "present": present, "rejected": rejected}
