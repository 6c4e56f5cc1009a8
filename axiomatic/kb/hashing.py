"""Content hashes of stored results: over the exact text (layout matters in Lean), line endings normalised,
tagged with the algorithm so a later change of canonical form can be told apart from tampering."""

from __future__ import annotations

import hashlib
import re

ALGORITHM = "sha256-v2"
_LEGACY = re.compile(r"^[0-9a-f]{64}$")


def exact_text(text: str) -> str:
    """The text as Lean reads it, with Windows and old-Mac line endings made `\\n` (nothing else changes)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(kind: str, statement: str, proof: str, context: str = "") -> str:
    """`sha256-v2:<hex>` over kind, statement, proof and context, each as `exact_text`."""
    canon = "\x1f".join([kind, exact_text(statement), exact_text(proof), exact_text(context)])
    return f"{ALGORITHM}:{hashlib.sha256(canon.encode()).hexdigest()}"


def legacy_content_hash(kind: str, statement: str, proof: str, context: str = "") -> str:
    """The untagged hash of knowledge bases before schema m003: whitespace runs collapsed to one space."""
    canon = "\x1f".join([kind, " ".join(statement.split()), " ".join(proof.split()), " ".join(context.split())])
    return hashlib.sha256(canon.encode()).hexdigest()


def hash_matches(stored: str, kind: str, statement: str, proof: str, context: str = "") -> bool:
    """Whether `stored` is the hash of this content under the algorithm it is tagged with (an untagged hash is
    the legacy one). An unknown tag never matches."""
    if stored.startswith(ALGORITHM + ":"):
        return stored == content_hash(kind, statement, proof, context)
    if _LEGACY.match(stored):
        return stored == legacy_content_hash(kind, statement, proof, context)
    return False
