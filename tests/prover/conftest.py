"""Fixtures for the prover tests: the real local model (tests/llm_local)."""

from tests.llm_local import local_model  # noqa: F401  (a fixture)
