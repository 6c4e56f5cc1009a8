"""A documented subset of Python, translated deterministically into total Lean functions (docs/equivalence.md).

The translation is exact for the subset: every construct outside it is refused with its line and name, never
approximated. One module per kind of construct: types.py (what a value is in Lean), statements.py, loops.py,
expressions.py, calls.py (builtins, str methods), sequences.py (indexing, slices, comprehensions), guards.py
(the facts that make a partial operation safe), prelude.py (Lean helpers), function.py and module.py (entry).
"""

from .function import FunctionTranslator
from .module import Module
from .prelude import prelude
from .types import (BOOL, INT, LIST, LIST_BOOL, LIST_STR, PROP, STR, Signature, Translation, Unsupported,
                    elem_type, is_list, is_tuple, lean_ident, list_of, tuple_parts)

__all__ = ["BOOL", "INT", "LIST", "LIST_BOOL", "LIST_STR", "PROP", "STR", "FunctionTranslator", "Module",
           "Signature", "Translation", "Unsupported", "elem_type", "is_list", "is_tuple", "lean_ident", "list_of",
           "prelude", "tuple_parts"]
