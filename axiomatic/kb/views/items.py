"""One item, or one conjecture, with everything its page shows: the definitions its statement is about,
kernel and textual dependencies both ways, provenance, the attempts that failed, and a Lean block that checks
on its own. Read-only."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...lean.statement import identifiers
from ..lean_export import lean_context_for
from .library import edge_kind, item_status, node_url

if TYPE_CHECKING:
    from ..store import Item, KnowledgeBase

ATTEMPTS_SHOWN = 30
DECLARATION = re.compile(
    r"^(?:@\[[^\]]*\]\s*)?(?:(?:noncomputable|private|protected|partial|unsafe)\s+)*"
    r"(def|abbrev|theorem|lemma|structure|inductive|class|instance|axiom|opaque|example)\b\s*([^\s:({\[]*)")


@dataclass(frozen=True)
class Declaration:
    """A top-level declaration of an item's trusted context. `about`: the statement mentions it."""

    keyword: str
    name: str
    text: str
    about: bool

    def to_json(self) -> dict:
        return {"keyword": self.keyword, "name": self.name, "text": self.text, "about": self.about}


@dataclass(frozen=True)
class Dependency:
    name: str
    kind: str  # kernel | text | unknown
    internal: bool  # an item of the knowledge base (else a constant of core Lean)
    status: str  # the item's status, "" for an external constant
    statement: str

    @property
    def url(self) -> str:
        return node_url(self.name) if self.internal else ""

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "internal": self.internal, "status": self.status,
                "statement": self.statement, "url": self.url or None}


@dataclass(frozen=True)
class Attempt:
    candidate: str
    outcome: str
    error: str
    origin: str
    model: str
    created: str
    seconds: float

    def to_json(self) -> dict:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Provenance:
    source: str
    created: str
    backend: str
    lean_version: str
    axioms: tuple[str, ...]
    content_hash: str
    stage: str  # the prover stage whose candidate the verifier accepted ("" when no attempt recorded it)
    model: str
    conjecture: dict | None  # the conjecture this theorem proved: id, rule, parents

    def to_json(self) -> dict:
        return {**self.__dict__, "axioms": list(self.axioms)}


@dataclass(frozen=True)
class ItemView:
    item: "Item"
    status: str
    context: tuple[Declaration, ...]
    definitions: tuple[Dependency, ...]  # definition items among the dependencies
    uses: tuple[Dependency, ...]
    used_by: tuple[Dependency, ...]
    provenance: Provenance
    failed: tuple[Attempt, ...]
    failed_total: int
    lean: str  # the item with everything it needs, in dependency order ("" when it cannot be given)
    lean_note: str  # why there is no block, or what it leaves out

    def to_json(self) -> dict:
        return {
            "item": self.item.to_json(), "status": self.status, "url": node_url(self.item.name),
            "context": [d.to_json() for d in self.context],
            "definitions": [d.to_json() for d in self.definitions],
            "uses": [d.to_json() for d in self.uses], "used_by": [d.to_json() for d in self.used_by],
            "provenance": self.provenance.to_json(),
            "failed_attempts": [a.to_json() for a in self.failed], "failed_attempts_total": self.failed_total,
            "lean": self.lean, "lean_note": self.lean_note,
        }


@dataclass(frozen=True)
class ConjectureView:
    id: int
    statement: str
    status: str  # open | proved | disproved | abandoned
    reason: str
    rule: str
    parents: tuple[Dependency, ...]
    theorem: str | None
    created: str
    updated: str
    failed: tuple[Attempt, ...]
    failed_total: int

    def to_json(self) -> dict:
        return {"id": self.id, "statement": self.statement, "status": self.status, "reason": self.reason,
                "rule": self.rule, "parents": [p.to_json() for p in self.parents], "theorem": self.theorem,
                "theorem_url": node_url(self.theorem) if self.theorem else None, "created": self.created,
                "updated": self.updated, "failed_attempts": [a.to_json() for a in self.failed],
                "failed_attempts_total": self.failed_total}


def item_view(kb: "KnowledgeBase", name: str) -> ItemView | None:
    item = kb.get(name)
    if item is None:
        return None
    conj = _first(kb.db.query("select id, rule, parents from conjectures where theorem = ? and status = 'proved' "
                              "order by id limit 1", [name]))
    status = item_status(item.kind, item.verified, conj is not None)
    uses = _dependencies(kb, "select dst as other, kernel from edges where src = ? order by dst", name)
    used_by = _dependencies(kb, "select src as other, kernel from edges where dst = ? order by src", name)
    won = _first(kb.db.query("select origin, model from attempts where target = ? and candidate = ? and "
                             "outcome = 'verified' order by id limit 1", [item.statement, item.proof]))
    provenance = Provenance(
        item.source, item.created, item.backend, item.lean_version, item.axioms, item.content_hash,
        won["origin"] if won else "", won["model"] if won else "",
        {"id": conj["id"], "rule": conj["rule"], "parents": json.loads(conj["parents"] or "[]"),
         "url": f"/conjecture/{conj['id']}"} if conj else None)
    failed, total = _failed_attempts(kb, item.statement) if item.kind == "theorem" else ((), 0)
    lean, note = _lean_block(kb, item, uses)
    return ItemView(item, status, context_declarations(item.context, item.statement),
                    tuple(d for d in uses if d.status == "definition"), uses, used_by, provenance, failed, total,
                    lean, note)


def conjecture_view(kb: "KnowledgeBase", conjecture_id: int) -> ConjectureView | None:
    row = _first(kb.db.query("select * from conjectures where id = ?", [conjecture_id]))
    if row is None:
        return None
    parents = []
    for p in json.loads(row["parents"] or "[]"):
        it = _first(kb.db.query("select kind, verified, statement from items where name = ?", [p]))
        parents.append(Dependency(p, "parent", it is not None,
                                  item_status(it["kind"], bool(it["verified"]), False) if it else "",
                                  it["statement"] if it else ""))
    failed, total = _failed_attempts(kb, row["statement"])
    theorem = row["theorem"] if row["theorem"] and kb.get(row["theorem"]) is not None else None
    return ConjectureView(row["id"], row["statement"], row["status"], row["reason"] or "", row["rule"] or "",
                          tuple(parents), theorem, row["created"], row["updated"], failed, total)


def context_declarations(context: str, statement: str) -> tuple[Declaration, ...]:
    """The context split at its top-level declarations (a doc comment or attribute goes with the declaration
    after it); those the statement names come first."""
    if not context.strip():
        return ()
    chunks: list[list[str]] = [[]]
    pending: list[str] = []  # a doc comment waiting for its declaration
    for line in context.splitlines():
        if DECLARATION.match(line):
            chunks.append(pending + [line])
            pending = []
        elif line.startswith("/--") and not pending:
            pending = [line]
        elif pending and not pending[-1].rstrip().endswith("-/"):
            pending.append(line)
        elif pending:
            chunks[-1].extend(pending)
            pending = []
            chunks[-1].append(line)
        else:
            chunks[-1].append(line)
    chunks[-1].extend(pending)
    mentioned = set(identifiers(statement))
    mentioned |= {i.rsplit(".", 1)[-1] for i in mentioned}
    decls = []
    for chunk in chunks:
        text = "\n".join(chunk).strip("\n")
        if not text.strip():
            continue
        m = next((DECLARATION.match(line) for line in chunk if DECLARATION.match(line)), None)
        keyword, name = (m.group(1), m.group(2)) if m else ("", "")
        about = bool(name) and (name in mentioned or name.rsplit(".", 1)[-1] in mentioned)
        decls.append(Declaration(keyword, name, text, about))
    return tuple(sorted(decls, key=lambda d: not d.about))


def _dependencies(kb: "KnowledgeBase", sql: str, name: str) -> tuple[Dependency, ...]:
    rows = list(kb.db.query(sql, [name]))
    others = [r["other"] for r in rows]
    info: dict[str, dict] = {}
    for i in range(0, len(others), 500):
        chunk = others[i:i + 500]
        for r in kb.db.query(f"select name, kind, verified, statement from items where name in "
                             f"({','.join('?' * len(chunk))})", chunk):
            info[r["name"]] = r
    proved = {r["theorem"] for r in kb.db.query("select theorem from conjectures where status = 'proved' and "
                                                "theorem is not null")}
    deps = []
    for r in rows:
        it = info.get(r["other"])
        status = item_status(it["kind"], bool(it["verified"]), r["other"] in proved) if it else ""
        deps.append(Dependency(r["other"], edge_kind(r["kernel"]), it is not None, status,
                               it["statement"] if it else ""))
    # items first, then core constants; kernel before textual
    order = {"kernel": 0, "unknown": 1, "text": 2}
    return tuple(sorted(deps, key=lambda d: (not d.internal, order[d.kind], d.name)))


def _failed_attempts(kb: "KnowledgeBase", statement: str) -> tuple[tuple[Attempt, ...], int]:
    targets = list(dict.fromkeys([statement, " ".join(statement.split())]))
    marks = ",".join("?" * len(targets))
    total = next(iter(kb.db.query(f"select count(*) as n from attempts where target in ({marks}) and "
                                  f"outcome != 'verified'", targets)))["n"]
    rows = kb.db.query(f"select candidate, outcome, error, origin, model, created, seconds from attempts where "
                       f"target in ({marks}) and outcome != 'verified' order by id desc limit {ATTEMPTS_SHOWN}",
                       targets)
    return tuple(Attempt(r["candidate"] or "", r["outcome"] or "", r["error"] or "", r["origin"] or "",
                         r["model"] or "", r["created"] or "", float(r["seconds"] or 0.0)) for r in rows), total


def _lean_block(kb: "KnowledgeBase", item: "Item", uses: tuple[Dependency, ...]) -> tuple[str, str]:
    if not item.verified:
        return "", "Imported and never checked here: no Lean block is offered for it."
    missing = [d.name for d in uses if d.internal and d.status == "unverified"]
    block = lean_context_for(kb, [item.name])
    if missing:
        return block, (f"It uses items that were imported and not verified ({', '.join(missing)}); they are left "
                       "out, so this block does not check on its own.")
    return block, ""


def _first(rows) -> dict | None:
    return next(iter(rows), None)
