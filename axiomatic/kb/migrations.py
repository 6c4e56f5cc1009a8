"""Versioned schema migrations. Each runs once, recorded in `_migrations` by the transaction that applies it.

`apply_migrations` runs inside the caller's write transaction (BEGIN IMMEDIATE), and reads the applied set
there: two processes opening a new or old file at once cannot both apply a migration."""

from __future__ import annotations

import datetime
from typing import Callable

import sqlite_utils

from .hashing import content_hash, legacy_content_hash

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """Items (theorems, definitions), dependency edges, proof attempts, conjectures, full-text index."""
    db["items"].create(
        {
            "name": str, "kind": str, "statement": str, "proof": str, "context": str, "informal": str,
            "tags": str, "source": str, "created": str, "backend": str, "lean_version": str, "axioms": str,
            "content_hash": str, "verified": int,
        },
        pk="name",
        not_null={"kind", "statement", "source", "created", "content_hash", "verified"},
        defaults={"proof": "", "context": "", "informal": "", "tags": "[]", "axioms": "[]", "verified": 0},
    )
    db["edges"].create({"src": str, "dst": str}, pk=("src", "dst"), foreign_keys=[("src", "items", "name")])
    db["edges"].create_index(["dst"])
    db["attempts"].create(
        {
            "id": int, "target": str, "candidate": str, "outcome": str, "error": str, "model": str,
            "tokens": int, "cost_usd": float, "seconds": float, "created": str, "origin": str,
        },
        pk="id",
        defaults={"error": "", "model": "", "tokens": 0, "cost_usd": 0.0, "origin": ""},
    )
    db["attempts"].create_index(["target"])
    db["conjectures"].create(
        {
            "id": int, "statement": str, "status": str, "reason": str, "rule": str, "parents": str,
            "theorem": str, "created": str, "updated": str,
        },
        pk="id",
        defaults={"reason": "", "rule": "", "parents": "[]", "theorem": None},
    )
    db["conjectures"].create_index(["statement"], unique=True)
    db["items"].enable_fts(["name", "statement", "informal"], create_triggers=True, tokenize="unicode61")


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied now. The caller holds the write lock."""
    if not db.conn.in_transaction:
        raise RuntimeError("apply_migrations must run inside the write transaction (BEGIN IMMEDIATE)")
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():  # a savepoint inside the caller's transaction
            fn(db)
            db["_migrations"].insert({"name": name, "applied": _now()})
        applied.append(name)
    return applied


def pending(applied: set[str] | frozenset[str]) -> list[str]:
    return [name for name, _ in MIGRATIONS if name not in applied]


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@migration
def m002_attempt_check_hash(db: sqlite_utils.Database) -> None:
    """Identical checks (same statement, context and proof) are never repeated: index them by hash."""
    db["attempts"].add_column("check_hash", str)
    db["attempts"].create_index(["check_hash"])


@migration
def m003_content_hash_v2(db: sqlite_utils.Database) -> None:
    """Content hashes over the exact text (line endings normalised), tagged `sha256-v2:`. An untagged
    (whitespace-collapsing) hash that matches the stored text is recomputed; one that does not is kept as it
    is, so `kb verify` and `kb doctor` still report that mismatch instead of it being silently blessed."""
    rows = list(db.query("select name, kind, statement, proof, context, content_hash from items"))
    for r in rows:
        text = (r["kind"], r["statement"], r["proof"] or "", r["context"] or "")
        if r["content_hash"] == legacy_content_hash(*text):
            db.execute("update items set content_hash = ? where name = ?", [content_hash(*text), r["name"]])


@migration
def m004_edge_kernel(db: sqlite_utils.Database) -> None:
    """Tell kernel dependencies (constants of the proof term, as the verifier reports them: `kernel = 1`) from
    textual ones (items only named in the proof text, e.g. in a `simp [...]` set that did nothing: `kernel = 0`).
    Edges stored before keep NULL, except those the proof text does not name: only the kernel can have put
    them there."""
    import re

    db["edges"].add_column("kernel", int)
    named = re.compile(r"[A-Za-z_][\w.'!?]*")
    rows = db.query("select name, proof from items where kind = 'theorem' and verified = 1")
    for row in list(rows):
        words = set(named.findall(row["proof"] or ""))
        for edge in list(db.query("select dst from edges where src = ?", [row["name"]])):
            if edge["dst"] not in words:
                db.execute("update edges set kernel = 1 where src = ? and dst = ?", [row["name"], edge["dst"]])
