"""The knowledge base: verified results with proofs, provenance and dependencies, in one SQLite file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

import sqlite_utils

from ..config import Config
from ..errors import KnowledgeBaseError
from . import sqlite_file
from .hashing import content_hash
from .migrations import MIGRATIONS, apply_migrations, pending
from .sqlite_file import FORMAT, MARKER_TABLE

log = logging.getLogger(__name__)

SOURCES = ("user", "prover", "conjecturer", "import", "starter")
IMPORT_SUFFIX = "@import"  # an unverified import whose name a verified result already holds is stored so

_Method = TypeVar("_Method", bound=Callable)


def _mapped(method: _Method) -> _Method:
    """Reads report a damaged or locked file as a KnowledgeBaseError, never as a raw sqlite3 error, after
    retrying a lock like a write does."""

    @functools.wraps(method)
    def wrapper(self: "KnowledgeBase", *args, **kwargs):
        with self._errors():
            if self.db.conn.in_transaction:  # inside our own write transaction nothing can be locked against us
                return method(self, *args, **kwargs)
            # a reader meets a lock only for a moment (a crashed writer's WAL being recovered): retry
            return sqlite_file.retry_busy(lambda: method(self, *args, **kwargs), self.path, self.busy_timeout)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Item:
    name: str
    kind: str  # 'theorem' | 'definition'
    statement: str
    proof: str = ""
    context: str = ""
    informal: str = ""
    tags: tuple[str, ...] = ()
    source: str = "user"
    created: str = ""
    backend: str = ""
    lean_version: str = ""
    axioms: tuple[str, ...] = ()
    content_hash: str = ""
    verified: bool = False
    uses: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict:
        return {
            "name": self.name, "kind": self.kind, "statement": self.statement, "proof": self.proof,
            "context": self.context, "informal": self.informal, "tags": list(self.tags), "source": self.source,
            "created": self.created, "backend": self.backend, "lean_version": self.lean_version,
            "axioms": list(self.axioms), "content_hash": self.content_hash, "verified": self.verified,
        }


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class KnowledgeBase:
    """Open (creating if absent) the knowledge base at `path`. Raises KnowledgeBaseError for a foreign file or
    one from a newer axiomatic, which is never modified.

    Opening takes no lock and checks no pages (`kb doctor` does). A reader (`readonly=True`) uses a read-only
    connection and never takes the write lock; the one exception is a file that must first be created or
    brought to the current schema, which a short write transaction does once. Every write is one IMMEDIATE
    transaction, retried with backoff for `busy_timeout` seconds (default: Config.kb_busy_timeout) while another
    process writes; then KnowledgeBaseBusy (exit 3) with nothing written.
    """

    def __init__(self, path: Path, *, readonly: bool = False, busy_timeout: float | None = None) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout = Config().kb_busy_timeout if busy_timeout is None else busy_timeout
        known = {name for name, _ in MIGRATIONS}
        state = sqlite_file.inspect(self.path, known)
        if readonly and (not state.initialised or pending(state.applied)):
            KnowledgeBase(self.path, busy_timeout=self.busy_timeout).close()
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._errors():
            self.db = sqlite_utils.Database(sqlite_file.connect(self.path, readonly=readonly))
            try:
                if not readonly:
                    self._prepare(state)
            except BaseException:
                self.db.close()
                raise

    def _prepare(self, state: sqlite_file.FileState) -> None:
        """WAL mode (persistent in the file), then marker and migrations in ONE write transaction that reads
        the applied set itself. Nothing to do (the usual case): no lock is taken."""
        conn = self.db.conn
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            # needs a moment's exclusive lock: two first opens of a new file may meet here
            sqlite_file.retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"), self.path, self.busy_timeout)
        if state.initialised and not pending(state.applied):
            return
        with self.transaction():
            if MARKER_TABLE not in self.db.table_names():
                self.db[MARKER_TABLE].create({"key": str, "value": str}, pk="key")
                self.db[MARKER_TABLE].insert({"key": "format", "value": FORMAT})
            apply_migrations(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _errors(self, unsaved: dict | None = None):
        return sqlite_file.sql_errors(self.path, self.busy_timeout, unsaved)

    @contextlib.contextmanager
    def transaction(self, *, unsaved: dict | None = None) -> Iterator[None]:
        """An IMMEDIATE transaction: the write lock is taken at the start (retried with backoff), so concurrent
        writers queue up instead of failing half-way. Nested use joins the outer transaction (a savepoint).
        `unsaved` describes what the block writes, reported if the lock cannot be had."""
        if self.readonly:
            raise KnowledgeBaseError(f"{self.path}: opened read-only; cannot write")
        conn = self.db.conn
        if conn.in_transaction:
            with self._errors(unsaved), self.db.atomic():
                yield
            return
        with self._errors(unsaved):
            sqlite_file.begin_immediate(conn, self.path, self.busy_timeout, unsaved)
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    # -- writing --------------------------------------------------------------------------------------------

    def add_theorem(self, verdict, *, name: str, informal: str = "", tags: Sequence[str] = (),
                    source: str = "user", context: str = "", replace: bool = False) -> Item:
        """Store a result the trusted verifier accepted (`axiomatic.verify.Verified`) with its dependency edges.

        Anything else is refused: only verified results enter as theorems.
        """
        from ..verify import Verified  # the verifier is the only way in

        if not isinstance(verdict, Verified):
            raise TypeError("only a Verified verdict from axiomatic.verify can be stored as a theorem")
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        item = Item(
            name=name, kind="theorem", statement=verdict.statement, proof=verdict.proof, context=context,
            informal=informal, tags=tuple(tags), source=source, created=now(), backend=verdict.backend,
            lean_version=verdict.lean_version, axioms=tuple(verdict.axioms),
            content_hash=content_hash("theorem", verdict.statement, verdict.proof, context), verified=True,
            uses=tuple(dict.fromkeys([*verdict.uses, *self._named_in(verdict.proof, exclude=name)])),
        )
        self._write(item, replace=replace, kernel_uses=set(verdict.uses))
        return item

    @_mapped
    def _named_in(self, proof: str, *, exclude: str) -> list[str]:
        """Stored items the proof *text* names. The kernel term may not mention them (a `try simp [lemma]` that
        did nothing), but re-checking the text needs them in scope, so they count as dependencies."""
        words = set(re.findall(r"[A-Za-z_][\w.'!?]*", proof)) - {exclude}
        if not words:
            return []
        names = sorted(words)
        found: list[str] = []
        for i in range(0, len(names), 500):
            chunk = names[i:i + 500]
            rows = self.db.execute(f"select name from items where name in ({','.join('?' * len(chunk))})", chunk)
            found += [r[0] for r in rows]
        return found

    def add_definition(self, *, name: str, source_text: str, informal: str = "", tags: Sequence[str] = (),
                       source: str = "user", backend: str = "", lean_version: str = "", uses: Sequence[str] = (),
                       verified: bool = True, replace: bool = False) -> Item:
        """Store a definition (its full Lean text in `statement`), checked by Lean by the caller."""
        item = Item(
            name=name, kind="definition", statement=source_text, informal=informal, tags=tuple(tags), source=source,
            created=now(), backend=backend, lean_version=lean_version,
            content_hash=content_hash("definition", source_text, ""), verified=verified, uses=tuple(uses),
        )
        self._write(item, replace=replace)
        return item

    def add_unverified(self, item: Item) -> str:
        """Imported material (e.g. LeanDojo premises), stored with verified=False and never used as proven.

        A verified item is never replaced: the import is stored beside it as `<name>@import` (not a Lean name,
        so it can never be confused with, or exported as, the verified result). Returns the name used."""
        with self.transaction(unsaved=item.to_json()):
            old = self.get(item.name)
            name = item.name + IMPORT_SUFFIX if old is not None and old.verified else item.name
            self._write(dataclasses.replace(item, name=name, verified=False), replace=True)
        return name

    def _write(self, item: Item, *, replace: bool, kernel_uses: set[str] | None = None) -> None:
        """`kernel_uses`: the constants of the proof term; the other uses are only named in its text. None when
        the caller cannot tell (definitions, imports)."""
        row = item.to_json()
        row["tags"] = json.dumps(list(item.tags))
        row["axioms"] = json.dumps(list(item.axioms))
        row["verified"] = int(item.verified)
        with self.transaction(unsaved=item.to_json()):
            old = self.get(item.name)
            if old is not None and old.verified and not item.verified:
                raise KnowledgeBaseError(f"{item.name!r} is a verified result: unverified content never replaces it")
            if old is not None and not replace:
                if old.content_hash == item.content_hash:
                    return  # the same result again: nothing to do
                raise KnowledgeBaseError(f"an item named {item.name!r} already exists with different content")
            self.db["items"].upsert(row, pk="name")
            self.db.execute("DELETE FROM edges WHERE src = ?", [item.name])
            edges = [{"src": item.name, "dst": u, "kernel": None if kernel_uses is None else int(u in kernel_uses)}
                     for u in dict.fromkeys(item.uses) if u and u != item.name]
            if edges:
                self.db["edges"].insert_all(edges, pk=("src", "dst"), ignore=True)

    def record_attempt(self, *, target: str, candidate: str, outcome: str, error: str = "", model: str = "",
                       tokens: int = 0, cost_usd: float = 0.0, seconds: float = 0.0, origin: str = "",
                       check_hash: str = "") -> None:
        row = {"target": target, "candidate": candidate, "outcome": outcome, "error": error[:2000], "model": model,
               "tokens": tokens, "cost_usd": cost_usd, "seconds": seconds, "created": now(), "origin": origin,
               "check_hash": check_hash or None}
        with self.transaction(unsaved=row):
            self.db["attempts"].insert(row)

    @_mapped
    def rejected_checks(self, hashes: list[str]) -> set[str]:
        """Which of these check hashes were already tried and rejected (so are not tried again)."""
        if not hashes:
            return set()
        marks = ",".join("?" * len(hashes))
        rows = self.db.query(f"select distinct check_hash from attempts where outcome = 'rejected' "
                             f"and check_hash in ({marks})", hashes)
        return {r["check_hash"] for r in rows}

    def record_conjecture(self, statement: str, *, status: str = "open", reason: str = "", rule: str = "",
                          parents: Sequence[str] = (), theorem: str | None = None) -> None:
        if status not in ("open", "proved", "disproved", "abandoned"):
            raise ValueError(f"unknown conjecture status {status!r}")
        unsaved = {"conjecture": statement, "status": status}
        with self.transaction(unsaved=unsaved):
            existing = list(self.db["conjectures"].rows_where("statement = ?", [statement]))
            row = {"statement": statement, "status": status, "reason": reason, "rule": rule,
                   "parents": json.dumps(list(parents)), "theorem": theorem, "updated": now()}
            if existing:
                # an update keeps what it does not restate (how the conjecture was made, its parents)
                old = existing[0]
                row["rule"] = rule or old["rule"]
                row["parents"] = row["parents"] if parents else old["parents"]
                row["reason"] = reason or old["reason"]
                row["theorem"] = theorem or old["theorem"]
                self.db["conjectures"].update(old["id"], row)
            else:
                self.db["conjectures"].insert({**row, "created": now()})

    # -- reading --------------------------------------------------------------------------------------------

    @_mapped
    def get(self, name: str) -> Item | None:
        rows = list(self.db["items"].rows_where("name = ?", [name]))
        return _item(rows[0], self._uses(name)) if rows else None

    @_mapped
    def items(self, *, kind: str | None = None, verified_only: bool = False) -> list[Item]:
        where, args = [], []
        if kind:
            where.append("kind = ?")
            args.append(kind)
        if verified_only:
            where.append("verified = 1")
        rows = self.db["items"].rows_where(" and ".join(where) or None, args, order_by="created, name")
        uses = self._all_uses()
        return [_item(r, tuple(uses.get(r["name"], ()))) for r in rows]

    @_mapped
    def names(self) -> set[str]:
        return {r["name"] for r in self.db.query("select name from items")}

    @_mapped
    def edges(self) -> list[tuple[str, str]]:
        return [(r["src"], r["dst"]) for r in self.db.query("select src, dst from edges order by src, dst")]

    @_mapped
    def used_by(self, name: str) -> list[str]:
        return [r["src"] for r in self.db.query("select src from edges where dst = ? order by src", [name])]

    @_mapped
    def attempts(self, target: str | None = None) -> list[dict]:
        if target is None:
            return list(self.db["attempts"].rows_where(order_by="id"))
        return list(self.db["attempts"].rows_where("target = ?", [target], order_by="id"))

    @_mapped
    def conjectures(self, status: str | None = None) -> list[dict]:
        rows = self.db["conjectures"].rows_where("status = ?" if status else None, [status] if status else [],
                                                 order_by="id")
        return [{**r, "parents": json.loads(r["parents"] or "[]")} for r in rows]

    @_mapped
    def search(self, query: str, limit: int = 20) -> list[Item]:
        """Full-text search over names, statements and informal text (FTS5)."""
        from .retrieval import fts_query

        q = fts_query(query)
        if not q:
            return []
        rows = self.db.query(
            "select items.* from items_fts join items on items.rowid = items_fts.rowid "
            "where items_fts match ? order by bm25(items_fts) limit ?", [q, limit])
        return [_item(r, self._uses(r["name"])) for r in rows]

    @_mapped
    def schema_version(self) -> list[str]:
        return [r["name"] for r in self.db["_migrations"].rows_where(order_by="name")]

    def _uses(self, name: str) -> tuple[str, ...]:
        return tuple(r["dst"] for r in self.db.query("select dst from edges where src = ? order by dst", [name]))

    def _all_uses(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for src, dst in self.edges():
            out.setdefault(src, []).append(dst)
        return out


def _item(row: dict, uses: tuple[str, ...]) -> Item:
    return Item(
        name=row["name"], kind=row["kind"], statement=row["statement"], proof=row["proof"] or "",
        context=row["context"] or "", informal=row["informal"] or "", tags=tuple(json.loads(row["tags"] or "[]")),
        source=row["source"], created=row["created"], backend=row["backend"] or "",
        lean_version=row["lean_version"] or "", axioms=tuple(json.loads(row["axioms"] or "[]")),
        content_hash=row["content_hash"], verified=bool(row["verified"]), uses=uses,
    )
