"""The autoformalizer: English statements to core Lean 4 propositions, checked by Lean (elaboration,
triviality, vacuity) and judged for fidelity by back-translation. See docs/formalize.md."""

from .candidates import Candidate
from .engine import Formalization, ModelRequired, formalize
from .parse import extract_statement
from .prove import FormalProof, formalize_and_prove

__all__ = ["Candidate", "FormalProof", "Formalization", "ModelRequired", "extract_statement", "formalize",
           "formalize_and_prove"]
