"""The subset's types, outcomes and names: how a Python value is written as a Lean type.

Python `int` is Lean `Int` (both unbounded), `bool` is `Bool`, `str` is `List Char` (a list of code points,
so every list construct applies to it and the kernel evaluates it cheaply), `list[T]` is `List T`, and
`tuple[A, B]` is `(A × B)`. Comparisons and connectives are translated to `Prop` and turned into `Bool`
(`decide`) where a value is needed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...errors import BadInput

INT, BOOL, PROP = "Int", "Bool", "Prop"
STR = "List Char"
LIST, LIST_BOOL, LIST_STR = "List Int", "List Bool", "List (List Char)"
LEAN_KEYWORDS = {
    "fun", "let", "in", "if", "then", "else", "match", "with", "do", "have", "show", "from", "by", "at", "theorem",
    "def", "end", "namespace", "section", "open", "where", "return", "for", "unless", "mut", "try", "catch", "this",
    "structure", "class", "instance", "example", "axiom", "variable", "universe", "import", "macro", "syntax",
    "calc", "nomatch", "deriving", "private", "protected", "partial", "unsafe", "local", "scoped", "break",
    "continue", "Type", "Sort", "Prop", "true", "false", "sorry", "λ", "abbrev", "opaque", "omit",
}
PY_NAMES = {"int": INT, "bool": BOOL, "str": STR}


class Unsupported(BadInput):
    """A construct outside the translated subset (exit code 2), with the line it is on."""

    def __init__(self, what: str, node: ast.AST | None = None, *, fname: str = "") -> None:
        line = getattr(node, "lineno", None)
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{what} is outside the supported Python subset (see docs/equivalence.md)")
        self.construct = what
        self.line = line


@dataclass
class Signature:
    name: str  # Python name
    lean_name: str
    params: list[tuple[str, str]]  # (python name, Lean type)
    returns: str
    preconditions: list[str] = field(default_factory=list)  # Lean propositions over the parameters
    python_preconditions: list[str] = field(default_factory=list)  # the same, as Python expressions

    @property
    def lean_params(self) -> list[tuple[str, str]]:
        return [(lean_ident(p), t) for p, t in self.params]


@dataclass
class Translation:
    signature: Signature
    definitions: list[str]  # Lean source of the aux loop definitions then the function, in order
    variants: list[list[str]] = field(default_factory=list)  # alternatives when termination needs a guess
    calls: list[str] = field(default_factory=list)  # other functions of the module this one calls
    direct: str = ""  # the function's value as one loop call (see FunctionTranslator.direct_form), if it is one
    translated_by: str = "axiomatic"  # or "llm" (equiv/llm_translation.py): then only sample-tested
    prelude: list[str] = field(default_factory=list)  # helpers of subset/prelude.py the definitions use
    loops: list[str] = field(default_factory=list)  # names of the loop definitions (for loop lemmas)
    recursive: bool = False


def lean_ident(name: str) -> str:
    if name == "_":
        return "_i"  # Python's throwaway name; a bare `_` is a hole in Lean
    return f"«{name}»" if name in LEAN_KEYWORDS else name


def is_list(t: str) -> bool:
    return t.startswith("List ")


def is_tuple(t: str) -> bool:
    return t.startswith("(") and " × " in t


def elem_type(t: str) -> str:
    """The element type of a list type (`List (Int × Int)` -> `(Int × Int)`, `List (List Char)` -> str)."""
    inner = t[5:]
    if inner.startswith("(") and inner.endswith(")") and not is_tuple(inner):
        inner = inner[1:-1]
    return inner


def list_of(t: str) -> str:
    return f"List ({t})" if " " in t and not is_tuple(t) else f"List {t}"


def tuple_parts(t: str) -> list[str]:
    """`(Int × List Int × Bool)` -> its parts (the products nest to the right, parentheses respected)."""
    if not is_tuple(t):
        return [t]
    inner, parts, depth, start = t[1:-1], [], 0, 0
    i = 0
    while i < len(inner):
        ch = inner[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and inner.startswith(" × ", i):
            parts.append(inner[start:i])
            i += 3
            start = i
            continue
        i += 1
    parts.append(inner[start:])
    return parts


def default_value(t: str) -> str:
    """A value of type `t`, used only where the guard makes it unreachable."""
    if t == INT:
        return "0"
    if t == BOOL:
        return "false"
    if is_list(t):
        return "[]"
    if is_tuple(t):
        return "(" + ", ".join(default_value(p) for p in tuple_parts(t)) + ")"
    raise BadInput(f"no default value for {t}")


def py_name(t: str) -> str:
    names = {INT: "int", BOOL: "bool", PROP: "bool", STR: "str"}
    if t in names:
        return names[t]
    if is_list(t):
        return f"list[{py_name(elem_type(t))}]"
    if is_tuple(t):
        return "tuple[" + ", ".join(py_name(p) for p in tuple_parts(t)) + "]"
    return t


def lean_type(node: ast.expr | None, what: str, owner: ast.AST | None = None) -> str:
    if node is None:
        raise Unsupported(f"a missing type hint ({what})", owner)

    def conv(n: ast.expr) -> str:
        if isinstance(n, ast.Name) and n.id in PY_NAMES:
            return PY_NAMES[n.id]
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name):
            head = n.value.id
            if head in ("list", "List"):
                return list_of(conv(n.slice))
            if head in ("tuple", "Tuple") and isinstance(n.slice, ast.Tuple) and len(n.slice.elts) >= 2 \
                    and not any(isinstance(e, ast.Constant) and e.value is Ellipsis for e in n.slice.elts):
                return "(" + " × ".join(conv(e) for e in n.slice.elts) + ")"
        raise Unsupported(f"the type `{ast.unparse(node)}` ({what}); supported: int, bool, str, list[...] and "
                          f"tuple[...] of those", node)

    return conv(node)
