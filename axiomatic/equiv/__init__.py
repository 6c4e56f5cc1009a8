"""Code equivalence: translate, search for counterexamples, prove in Lean (see docs/equivalence.md)."""

from .engine import EXIT_CODES, EquivalenceResult, check_equivalence, equivalence_statement
from .subset import Module, Unsupported

__all__ = ["EXIT_CODES", "EquivalenceResult", "Module", "Unsupported", "check_equivalence", "equivalence_statement"]
