from __future__ import annotations

import pytest

from axiomatic.kb import KnowledgeBase
from axiomatic.verify import Verified


def verified(statement: str, proof: str = "by simp", uses: tuple[str, ...] = ()) -> Verified:
    """A verifier verdict as the storage layer receives it (the verifier itself is tested in tests/verify)."""
    return Verified(None, statement, proof, (), 0.1, "embedded", "4.28.0-pre", uses)


@pytest.fixture
def kb(tmp_path):
    base = KnowledgeBase(tmp_path / "kb.sqlite")
    yield base
    base.close()
