"""`kb doctor`: the checks that opening does not pay for. SQLite's full integrity check, foreign keys, the
schema version and every item's content hash, all on a read-only connection (the file is never changed)."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput, KnowledgeBaseError
from . import sqlite_file
from .hashing import ALGORITHM, hash_matches
from .migrations import MIGRATIONS, pending

_MAX_MESSAGES = 100


@dataclass(frozen=True)
class Health:
    path: str
    problems: tuple[str, ...]  # anything here means the file needs attention (exit 1)
    notes: tuple[str, ...]  # worth knowing, nothing wrong
    schema: tuple[str, ...] = ()
    items: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"path": self.path, "ok": self.ok, "problems": list(self.problems), "notes": list(self.notes),
                "schema": list(self.schema), "items": self.items}


def examine(path: Path) -> Health:
    """Raises BadInput for a missing file and KnowledgeBaseError for a file that is not ours (not SQLite,
    foreign, newer schema); damage inside our file is reported as problems."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no knowledge-base file here")
    if path.stat().st_size == 0:
        return Health(str(path), (), ("an empty file: it becomes a knowledge base at first use",))
    with open(path, "rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise KnowledgeBaseError(f"{path}: not an SQLite database")
    try:
        with contextlib.closing(sqlite_file.connect(path, readonly=True)) as conn:
            integrity = [r[0] for r in conn.execute(f"PRAGMA integrity_check({_MAX_MESSAGES})")]
    except sqlite3.DatabaseError as e:
        integrity = [str(e)]
    if integrity != ["ok"]:
        return Health(str(path), tuple(f"integrity_check: {m}" for m in integrity),
                      ("the file was not changed; restore it from a backup, or `sqlite3 kb.sqlite .recover`",))
    state = sqlite_file.inspect(path, {name for name, _ in MIGRATIONS})
    problems: list[str] = []
    notes: list[str] = []
    with contextlib.closing(sqlite_file.connect(path, readonly=True)) as conn:
        conn.row_factory = sqlite3.Row
        if not state.initialised:
            return Health(str(path), (), ("an SQLite file without tables: it becomes a knowledge base at first use",))
        for row in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: a row of {row[0]} points at a missing {row[2]} row")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            notes.append(f"journal mode {mode} (WAL is set again at the next write)")
        todo = pending(state.applied)
        if todo:
            notes.append(f"schema {', '.join(todo)} not applied yet: it is, once, at the next open")
        legacy = 0
        count = 0
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        if "items" in tables:
            for r in conn.execute("select name, kind, statement, proof, context, content_hash, verified from items"):
                count += 1
                stored = r["content_hash"] or ""
                if not hash_matches(stored, r["kind"], r["statement"], r["proof"] or "", r["context"] or ""):
                    problems.append(f"{r['name']}: content hash does not match the stored text")
                elif not stored.startswith(ALGORITHM + ":"):
                    legacy += 1
                if r["verified"] and r["kind"] == "theorem" and not (r["proof"] or "").strip():
                    problems.append(f"{r['name']}: marked verified but has no proof")
        if legacy:
            notes.append(f"{legacy} items carry the legacy untagged hash (they match; m003 retags them)")
        notes.append("`axiomatic kb verify` re-checks the stored proofs with Lean")
    return Health(str(path), tuple(problems), tuple(notes), tuple(sorted(state.applied)), count)
