"""`axiomatic kb import FILE.lean`: the file's theorems, each judged by the trusted verifier, stored in the
knowledge base with their dependencies. What fails is reported and never stored.

Every theorem of the file is stored with the same context: the file's other commands (definitions, `open`,
namespaces), so the knowledge base writes that context once when it renders the file's results. A theorem
that uses earlier theorems of the file is verified after them, with them (as stored) in its context, so they
become its dependency edges. Theorems are judged in waves: all those whose file lemmas are already in,
together, in one Lean run per wave."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..errors import KnowledgeBaseError
from ..kb import KnowledgeBase, lean_context_for
from ..lean import LeanBackend
from ..lean.syntax import identifiers
from ..verify import Obligation, Verified, verify_batch
from .document import Theorem, read


@dataclass
class ImportReport:
    stored: list[dict] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"stored": self.stored, "present": self.present, "failed": self.failed, "skipped": self.skipped}


def import_file(text: str, kb: KnowledgeBase, backend: LeanBackend, *, tags=(),
                progress: Callable[[str], None] = lambda m: None) -> ImportReport:
    file = read(text)
    report = ImportReport()
    theorems = [t for t in file.theorems if t.name is not None]
    for t in file.theorems:
        if t.name is None:
            report.skipped.append({"line": file.line_of(t.start), "reason": "an `example` has no name to store"})
    spans = [(t.start, t.end) for t in file.theorems]
    context = _definitions(text, spans, file)
    names = {t.full_name: t for t in theorems}
    pending = []
    for t in theorems:
        if t.sorries:
            report.failed.append({"name": t.full_name, "line": file.line_of(t.start),
                                  "reason": "the proof uses sorry"})
        else:
            pending.append(t)
    accepted: list[str] = []
    while pending:
        ready = [t for t in pending if not (_file_lemmas(t, text, names) - set(accepted))]
        if not ready:  # what is left waits on a theorem that failed
            for t in pending:
                missing = sorted(_file_lemmas(t, text, names) - set(accepted))
                report.failed.append({"name": t.full_name, "line": file.line_of(t.start),
                                      "reason": f"uses {', '.join(missing)}, which did not check"})
            break
        progress(f"verifying {len(ready)} theorems")
        lemmas = lean_context_for(kb, accepted, already=context) if accepted else ""
        full = "\n".join(p for p in (context, lemmas) if p.strip())
        obs = [Obligation(t.statement, t.as_term(text[t.proof_start:t.end]), full, t.full_name) for t in ready]
        for t, verdict in zip(ready, verify_batch(obs, backend=backend)):
            pending.remove(t)
            if not isinstance(verdict, Verified):
                report.failed.append({"name": t.full_name, "line": file.line_of(t.start), "verdict": verdict.verdict,
                                      "reason": verdict.reason})
                continue
            try:
                before = kb.get(t.full_name)
                item = kb.add_theorem(verdict, name=t.full_name, tags=tags, source="user", context=context)
            except KnowledgeBaseError as e:
                report.failed.append({"name": t.full_name, "line": file.line_of(t.start), "verdict": "verified",
                                      "reason": f"not stored: {e.message}"})
                continue
            accepted.append(t.full_name)
            if before is not None:
                report.present.append(t.full_name)
            else:
                report.stored.append({"name": t.full_name, "statement": t.statement, "uses": list(item.uses),
                                      "axioms": list(item.axioms)})
    return report


def _definitions(text: str, spans, file) -> str:
    """The file without its theorems, and the namespaces it declares opened at the end."""
    parts, at = [], 0
    for start, end in spans:
        parts.append(text[at:start])
        at = end
    parts.append(text[at:])
    body = re.sub(r"\n{3,}", "\n\n", "".join(parts)).strip("\n")
    spaces = sorted({".".join(t.namespaces) for t in file.theorems if t.namespaces})
    return body + ("\n" + "open " + " ".join(spaces) if spaces else "")


def _file_lemmas(t: Theorem, text: str, names: dict[str, Theorem]) -> set[str]:
    """The file's other theorems this one's proof names (by full or short name)."""
    words = set(identifiers(text[t.proof_start:t.end]))
    return {n for n, other in names.items() if other is not t and (n in words or other.name in words)}
