"""The knowledge base: verified results with proofs, provenance and dependencies, in one SQLite file."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import sqlite_utils

from ..errors import KnowledgeBaseError
from .migrations import MIGRATIONS, apply_migrations

log = logging.getLogger(__name__)

MARKER_TABLE = "_axiomatic_meta"
FORMAT = "axiomatic-knowledge-base"
SOURCES = ("user", "prover", "conjecturer", "import", "starter")


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


def content_hash(kind: str, statement: str, proof: str, context: str = "") -> str:
    """Hash of the canonical form: kind, and whitespace-normalised statement, proof and context."""
    canon = "\x1f".join([kind, " ".join(statement.split()), " ".join(proof.split()), " ".join(context.split())])
    return hashlib.sha256(canon.encode()).hexdigest()


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class KnowledgeBase:
    """Open (creating if absent) the knowledge base at `path`. Raises KnowledgeBaseError for a corrupt or
    foreign file, which is never modified."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        _refuse_foreign(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.conn.execute("PRAGMA busy_timeout = 30000")
            self.db.conn.execute("PRAGMA journal_mode = WAL")
            self.db.conn.execute("PRAGMA foreign_keys = ON")
            with self.transaction():
                if MARKER_TABLE not in self.db.table_names():
                    self.db[MARKER_TABLE].create({"key": str, "value": str}, pk="key")
                    self.db[MARKER_TABLE].insert({"key": "format", "value": FORMAT})
            apply_migrations(self.db)
        except sqlite3.DatabaseError as e:
            raise KnowledgeBaseError(f"{self.path}: cannot use this knowledge base ({e})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """An IMMEDIATE transaction: the write lock is taken at the start, so concurrent writers queue up
        (busy timeout) instead of failing half-way."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

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

    def add_unverified(self, item: Item) -> None:
        """Imported material (e.g. LeanDojo premises): stored with verified=False, never used as proven."""
        self._write(Item(**{**item.to_json(), "tags": tuple(item.tags), "axioms": tuple(item.axioms),
                            "verified": False, "uses": item.uses}), replace=True)

    def _write(self, item: Item, *, replace: bool, kernel_uses: set[str] | None = None) -> None:
        """`kernel_uses`: the constants of the proof term; the other uses are only named in its text. None when
        the caller cannot tell (definitions, imports)."""
        row = item.to_json()
        row["tags"] = json.dumps(list(item.tags))
        row["axioms"] = json.dumps(list(item.axioms))
        row["verified"] = int(item.verified)
        with self.transaction():
            existing = self.db["items"].count_where("name = ?", [item.name])
            if existing and not replace:
                old = self.get(item.name)
                if old and old.content_hash == item.content_hash:
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
        with self.transaction():
            self.db["attempts"].insert({
                "target": target, "candidate": candidate, "outcome": outcome, "error": error[:2000],
                "model": model, "tokens": tokens, "cost_usd": cost_usd, "seconds": seconds, "created": now(),
                "origin": origin, "check_hash": check_hash or None,
            })

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
        with self.transaction():
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

    def get(self, name: str) -> Item | None:
        rows = list(self.db["items"].rows_where("name = ?", [name]))
        return _item(rows[0], self._uses(name)) if rows else None

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

    def names(self) -> set[str]:
        return {r["name"] for r in self.db.query("select name from items")}

    def edges(self) -> list[tuple[str, str]]:
        return [(r["src"], r["dst"]) for r in self.db.query("select src, dst from edges order by src, dst")]

    def used_by(self, name: str) -> list[str]:
        return [r["src"] for r in self.db.query("select src from edges where dst = ? order by src", [name])]

    def attempts(self, target: str | None = None) -> list[dict]:
        if target is None:
            return list(self.db["attempts"].rows_where(order_by="id"))
        return list(self.db["attempts"].rows_where("target = ?", [target], order_by="id"))

    def conjectures(self, status: str | None = None) -> list[dict]:
        rows = self.db["conjectures"].rows_where("status = ?" if status else None, [status] if status else [],
                                                 order_by="id")
        return [{**r, "parents": json.loads(r["parents"] or "[]")} for r in rows]

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


def _refuse_foreign(path: Path) -> None:
    """A file that is not SQLite, is damaged, or is someone else's database is never touched."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise KnowledgeBaseError(f"{path}: not an SQLite database (refusing to touch it)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            ok = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
            marker = None
            if MARKER_TABLE in tables:
                row = conn.execute(f"select value from {MARKER_TABLE} where key = 'format'").fetchone()
                marker = row[0] if row else None
            applied = set()
            if "_migrations" in tables:
                applied = {r[0] for r in conn.execute("select name from _migrations")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise KnowledgeBaseError(f"{path}: the database is damaged ({e}); it was left untouched") from None
    if ok != "ok":
        raise KnowledgeBaseError(f"{path}: the database is damaged ({ok}); it was left untouched")
    if tables and marker != FORMAT:
        raise KnowledgeBaseError(f"{path}: an SQLite file that is not an axiomatic knowledge base; left untouched")
    known = {name for name, _ in MIGRATIONS}
    if applied - known:
        raise KnowledgeBaseError(
            f"{path}: written by a newer axiomatic (schema {sorted(applied - known)}); upgrade axiomatic to use it")
