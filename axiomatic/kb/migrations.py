"""Versioned schema migrations. Each runs once, inside the transaction that records it."""

from __future__ import annotations

import datetime
from typing import Callable

import sqlite_utils

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
    """Apply pending migrations; return the names applied now."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            fn(db)
            db["_migrations"].insert({"name": name, "applied": _now()})
        applied.append(name)
    return applied


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@migration
def m002_attempt_check_hash(db: sqlite_utils.Database) -> None:
    """Identical checks (same statement, context and proof) are never repeated: index them by hash."""
    db["attempts"].add_column("check_hash", str)
    db["attempts"].create_index(["check_hash"])


@migration
def m003_edge_kernel(db: sqlite_utils.Database) -> None:
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
