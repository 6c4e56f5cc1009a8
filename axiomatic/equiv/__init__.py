"""Code equivalence: translate, test differentially, prove in Lean (see docs/equivalence.md)."""

from .engine import EquivalenceResult, check_equivalence, equivalence_statement
from .python_subset import Module, Unsupported

__all__ = ["EquivalenceResult", "Module", "Unsupported", "check_equivalence", "equivalence_statement"]
