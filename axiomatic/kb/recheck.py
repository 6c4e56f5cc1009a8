"""`kb verify`: re-check stored results against the kernel and report drift.

Drift is a verified item whose stored proof the trusted verifier no longer accepts (a new Lean, a changed
definition, an edited file) or whose content hash does not match its stored text. Theorems go through
`axiomatic.verify.verify_batch` (one Lean run per distinct context: every item without a context shares one);
verified definitions are re-elaborated with `check_batch`. A timeout or a crash is inconclusive, never drift
and never a pass. Nothing is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..errors import BackendError, BadInput
from ..verify import Obligation, Rejected, Verified, verify_batch
from .hashing import hash_matches
from .lean_export import item_source, lean_context_for

if TYPE_CHECKING:
    from ..lean import LeanBackend
    from .store import Item, KnowledgeBase

@dataclass(frozen=True)
class Finding:
    name: str
    problem: str  # 'no longer verifies' | 'hash mismatch' | 'inconclusive'
    reason: str

    def to_json(self) -> dict:
        return {"name": self.name, "problem": self.problem, "reason": self.reason}


@dataclass(frozen=True)
class Recheck:
    verified: tuple[str, ...]  # re-verified now
    drift: tuple[Finding, ...]
    inconclusive: tuple[Finding, ...]
    skipped: tuple[str, ...]  # unverified (imported) items: nothing to re-check
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.drift and not self.inconclusive

    def to_json(self) -> dict:
        return {"ok": self.ok, "verified": list(self.verified), "drift": [f.to_json() for f in self.drift],
                "inconclusive": [f.to_json() for f in self.inconclusive], "skipped_unverified": list(self.skipped),
                "seconds": round(self.seconds, 2)}


def recheck(kb: "KnowledgeBase", backend: "LeanBackend", names: Sequence[str] = (), *,
            timeout: float | None = None) -> Recheck:
    started = time.monotonic()
    items = _selected(kb, names)
    skipped = tuple(i.name for i in items if not i.verified)
    todo = [i for i in items if i.verified]
    drift = [Finding(i.name, "hash mismatch", f"stored hash {i.content_hash[:24]}… is not the hash of the stored text")
             for i in todo if not hash_matches(i.content_hash, i.kind, i.statement, i.proof, i.context)]
    passed: list[str] = []
    inconclusive: list[Finding] = []
    known = kb.names()
    theorems = [i for i in todo if i.kind == "theorem"]
    obligations = [Obligation(i.statement, i.proof, context_of(kb, i, known), i.name) for i in theorems]
    verdicts = verify_batch(obligations, backend=backend, timeout=timeout) if obligations else []
    for item, v in zip(theorems, verdicts):
        if isinstance(v, Verified):
            passed.append(item.name)
        elif isinstance(v, Rejected):  # TimedOut / Crashed fall through: no verdict, never drift
            drift.append(Finding(item.name, "no longer verifies", v.reason))
        else:
            inconclusive.append(Finding(item.name, "inconclusive", getattr(v, "reason", "no verdict")))
    definitions = [i for i in todo if i.kind == "definition"]
    if definitions:
        snippets = [context_of(kb, d, known) + "\n" + item_source(d) for d in definitions]
        try:
            results = backend.check_batch(snippets, timeout=timeout)
        except BackendError as e:  # a timeout or crash of the run: no verdict for any of them
            inconclusive += [Finding(d.name, "inconclusive", e.message) for d in definitions]
        else:
            for d, r in zip(definitions, results):
                if r.ok:
                    passed.append(d.name)
                else:
                    first = next((m.text for m in r.errors), "Lean reported errors")
                    drift.append(Finding(d.name, "no longer verifies", f"the definition does not elaborate: {first}"))
    drift.sort(key=lambda f: (f.name, f.problem))
    return Recheck(tuple(sorted(passed)), tuple(drift), tuple(inconclusive), skipped, time.monotonic() - started)


def context_of(kb: "KnowledgeBase", item: "Item", known: set[str]) -> str:
    """The trusted context the item was proved in, as the prover writes it: the item's own context, then the
    stored results it uses (and theirs), in dependency order."""
    deps = [u for u in item.uses if u in known and u != item.name]
    kb_part = lean_context_for(kb, deps, already=item.context) if deps else ""
    return "\n".join(p for p in (item.context.strip(), kb_part.strip()) if p)


def _selected(kb: "KnowledgeBase", names: Sequence[str]) -> list["Item"]:
    if not names:
        return kb.items()
    missing = [n for n in names if kb.get(n) is None]
    if missing:
        raise BadInput(f"no item named {', '.join(repr(n) for n in missing)}")
    return [kb.get(n) for n in dict.fromkeys(names)]
