"""Lean helpers for Python builtins core Lean has no exact counterpart of, emitted once before the definitions.

Each helper is structurally recursive, so the kernel evaluates it (`decide +kernel`) and `induction` applies.
Python's `sorted` on ints is an ascending sort, and every correct sort of a list of ints returns the same list,
so insertion sort is exact. Python's `isspace`/`strip` on ASCII whitespace: space, \\t \\n \\v \\f \\r and the
separators \\x1c-\\x1f (str values range over ASCII, see docs/equivalence.md).
"""

from __future__ import annotations

HELPERS: dict[str, str] = {
    "AxPy.insort": """def AxPy.insort (x : Int) : List Int → List Int
  | [] => [x]
  | y :: ys => if x ≤ y then x :: y :: ys else y :: AxPy.insort x ys""",
    "AxPy.sort": """def AxPy.sort : List Int → List Int
  | [] => []
  | x :: xs => AxPy.insort x (AxPy.sort xs)""",
    "AxPy.enumFrom": """def AxPy.enumFrom {α : Type} (k : Int) : List α → List (Int × α)
  | [] => []
  | x :: r => (k, x) :: AxPy.enumFrom (k + 1) r""",
    "AxPy.isSpace": """def AxPy.isSpace (c : Char) : Bool :=
  c.toNat == 32 || (9 ≤ c.toNat && c.toNat ≤ 13) || (28 ≤ c.toNat && c.toNat ≤ 31)""",
    "AxPy.strip": """def AxPy.strip (s : List Char) : List Char :=
  ((s.dropWhile AxPy.isSpace).reverse.dropWhile AxPy.isSpace).reverse""",
    "AxPy.isInfix": """def AxPy.isInfix (t : List Char) : List Char → Bool
  | [] => t.isEmpty
  | c :: r => t.isPrefixOf (c :: r) || AxPy.isInfix t r""",
}
NEEDS = {"AxPy.sort": ["AxPy.insort"], "AxPy.strip": ["AxPy.isSpace"]}


def prelude(names) -> str:
    """The helpers named (and those they use), in dependency order, as Lean source ("" when none)."""
    wanted: list[str] = []

    def add(n: str) -> None:
        for dep in NEEDS.get(n, []):
            add(dep)
        if n not in wanted:
            wanted.append(n)

    for n in sorted(set(names)):
        add(n)
    return "\n\n".join(HELPERS[n] for n in HELPERS if n in wanted)
