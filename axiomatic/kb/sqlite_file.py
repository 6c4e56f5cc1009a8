"""The knowledge-base file on disk: refusing a foreign, damaged or newer file untouched, read-only connections
for readers, the write lock taken with retries and backoff, and SQLite's errors as ours."""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from ..errors import KnowledgeBaseBusy, KnowledgeBaseError

MARKER_TABLE = "_axiomatic_meta"
FORMAT = "axiomatic-knowledge-base"
# SQLite's own wait for a lock, per attempt; the retry loop around it backs off between attempts
_ATTEMPT_WAIT_MS = 200
_MAX_BACKOFF = 1.0
_T = TypeVar("_T")


@dataclass(frozen=True)
class FileState:
    """What a look at the file (read-only, no lock) found. `initialised`: our marker table is there."""

    initialised: bool
    applied: frozenset[str]


def inspect(path: Path, known_migrations: set[str]) -> FileState:
    """Refuse, untouched, a file that is not SQLite, is damaged where we must read, is someone else's database,
    or was written by a newer axiomatic. A missing or empty file is a new knowledge base."""
    if path.is_dir():
        raise KnowledgeBaseError(f"{path}: a directory, not a knowledge-base file")
    if not path.exists() or path.stat().st_size == 0:
        return FileState(False, frozenset())
    with open(path, "rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise KnowledgeBaseError(f"{path}: not an SQLite database (refusing to touch it)")
    try:
        with contextlib.closing(connect(path, readonly=True)) as conn:
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
            marker = None
            if MARKER_TABLE in tables:
                row = conn.execute(f"select value from {MARKER_TABLE} where key = 'format'").fetchone()
                marker = row[0] if row else None
            applied = frozenset()
            if "_migrations" in tables:
                applied = frozenset(r[0] for r in conn.execute("select name from _migrations"))
    except sqlite3.OperationalError as e:
        if is_busy(e):
            raise KnowledgeBaseBusy(f"{path}: the knowledge base is locked ({e}); try again") from None
        raise KnowledgeBaseError(f"{path}: cannot read this knowledge base ({e}); it was left untouched") from None
    except sqlite3.DatabaseError as e:
        raise KnowledgeBaseError(f"{path}: the database is damaged ({e}); it was left untouched "
                                 "(`axiomatic kb doctor` reports what is wrong)") from None
    if tables and marker != FORMAT:
        raise KnowledgeBaseError(f"{path}: an SQLite file that is not an axiomatic knowledge base; left untouched")
    if applied - known_migrations:
        raise KnowledgeBaseError(
            f"{path}: written by a newer axiomatic (schema {sorted(applied - known_migrations)}); upgrade axiomatic "
            "to use it")
    return FileState(marker == FORMAT, applied)


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection; a read-only one (`mode=ro`) can never take the write lock, whatever code runs on it."""
    if readonly:
        uri = f"file:{urllib.parse.quote(str(Path(path).resolve()))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {_ATTEMPT_WAIT_MS}")
    return conn


def is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def retry_busy(action: Callable[[], _T], path: Path, timeout: float, unsaved: dict | None = None) -> _T:
    """Run `action`, retrying while SQLite says the file is locked, with exponential backoff and jitter, for
    `timeout` seconds; then KnowledgeBaseBusy. Only for actions that change nothing when they fail: taking
    the write lock, setting the journal mode, a read."""
    deadline = time.monotonic() + max(0.0, timeout)
    backoff = 0.02
    while True:
        try:
            return action()
        except sqlite3.OperationalError as e:
            if not is_busy(e):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                raise busy_error(path, timeout, unsaved) from None
            time.sleep(min(left, backoff * random.uniform(0.5, 1.0)))
            backoff = min(_MAX_BACKOFF, backoff * 2)


def begin_immediate(conn: sqlite3.Connection, path: Path, timeout: float, unsaved: dict | None = None) -> None:
    """Take the write lock (BEGIN IMMEDIATE), retrying while another process holds it; then KnowledgeBaseBusy,
    with nothing written."""
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"), path, timeout, unsaved)


def busy_error(path: Path, timeout: float, unsaved: dict | None) -> KnowledgeBaseBusy:
    detail = describe(unsaved) if unsaved else ""
    return KnowledgeBaseBusy(
        f"{path}: the knowledge base stayed locked by another process for {timeout:g} s (AXIOMATIC_KB_BUSY_TIMEOUT); "
        "nothing was written", detail=detail, unsaved=unsaved)


def describe(unsaved: dict) -> str:
    """One readable line for what could not be stored (the full record goes into --json output)."""
    if unsaved.get("kind") in ("theorem", "definition"):
        proof = f" := {unsaved['proof']}" if unsaved.get("proof") else ""
        return f"not stored: {unsaved['kind']} {unsaved.get('name')} : {unsaved.get('statement')}{proof}"
    if isinstance(unsaved.get("verified"), list) and unsaved["verified"]:
        found = unsaved["verified"]
        shown = "; ".join(f"{p['statement']} := {p['proof']}" if isinstance(p, dict) else str(p) for p in found)
        return f"verified but not stored: {shown}"
    if "candidate" in unsaved:
        outcome, target = unsaved.get("outcome"), unsaved.get("target")
        return f"not stored: the {outcome} attempt {unsaved['candidate']!r} for {target!r}"
    if "import" in unsaved:
        return f"not stored: the import of {unsaved['import']} (run it again)"
    return "not stored: " + ", ".join(f"{k}={v}" for k, v in unsaved.items())


_DAMAGE = ("malformed", "corrupt", "not a database", "disk i/o error", "unable to open", "file is not")


@contextlib.contextmanager
def sql_errors(path: Path, timeout: float, unsaved: dict | None = None) -> Iterator[None]:
    """SQLite's errors about the file as ours: a lock held too long is KnowledgeBaseBusy (exit 3); a damaged or
    unreadable file is a KnowledgeBaseError pointing at `kb doctor`. Errors of our own SQL pass through."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        text = str(e).lower()
        if is_busy(e):
            raise busy_error(path, timeout, unsaved) from None
        if "readonly" in text or "read-only" in text:
            raise KnowledgeBaseError(f"{path}: cannot write ({e})") from None
        if type(e) is sqlite3.DatabaseError or any(word in text for word in _DAMAGE):
            raise KnowledgeBaseError(f"{path}: the knowledge base cannot be read ({e}); `axiomatic kb doctor` "
                                     "checks the file; nothing was changed") from None
        raise
