"""What a guard tells the translator: facts that make a partial Python operation safe where it is used.

`xs[0]` raises IndexError on an empty list and `a // d` raises ZeroDivisionError when d is 0; a total Lean
function cannot show either. Such an operation is accepted only where the code around it rules the error out:
inside `if xs:` / `if len(xs) > 0:` / after `if not xs: return ...`, inside `for i in range(len(xs))`, under
`if d != 0:`, or under a precondition. The facts are read off conditions syntactically (no solver), flow with
the translation (a branch sees its condition, the rest of a block after an early return sees the negation),
and are forgotten when a variable they mention is assigned.

Facts (keys of `Facts`, values are bounds, the larger the stronger):
  ("minlen", xs) = k      len(xs) >= k
  ("lower", i) = L        i >= L
  ("upper", i, xs) = m    i + m < len(xs)
  ("nonzero", d) = 1      d != 0
  ("samelen", xs, ys) = 1 len(xs) == len(ys)
"""

from __future__ import annotations

import ast

from .syntax import const_int, is_call

Facts = dict


def merge(facts: Facts, new: Facts) -> Facts:
    out = dict(facts)
    for k, v in new.items():
        out[k] = max(out.get(k, v), v)
    return out


def forget(facts: Facts, name: str) -> Facts:
    """Facts that survive an assignment to `name`."""
    return {k: v for k, v in facts.items() if name not in k[1:]}


def _len_of(node) -> str | None:
    if is_call(node, "len") and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
        return node.args[0].id
    return None


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _len_minus(node) -> tuple[str, int] | None:
    """`len(xs) - k` (or `len(xs)`) -> (xs, k)."""
    xs = _len_of(node)
    if xs:
        return xs, 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        xs, k = _len_of(node.left), const_int(node.right)
        if xs and k is not None:
            return xs, k
    return None


FLIP = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
MIRROR = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def facts_of(test: ast.expr, types: dict[str, str], positive: bool = True) -> Facts:
    """Facts that hold when `test` is true (positive) or false."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return facts_of(test.operand, types, not positive)
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == positive:  # `a and b` true, or `a or b` false: both parts
            out: Facts = {}
            for v in test.values:
                out = merge(out, facts_of(v, types, positive))
            return out
        return {}
    if isinstance(test, ast.Name) and types.get(test.id, "").startswith("List ") and positive:
        return {("minlen", test.id): 1}
    if isinstance(test, ast.Name) and types.get(test.id) == "Int" and positive:
        return {("nonzero", test.id): 1}
    if isinstance(test, ast.Compare):
        out = {}
        left = test.left
        for op, right in zip(test.ops, test.comparators):
            if positive or len(test.ops) == 1:
                kind = type(op) if positive else FLIP.get(type(op))
                if kind is not None:
                    out = merge(out, _compare_facts(left, kind, right, types))
            left = right
        return out
    return {}


def _compare_facts(a, op, b, types) -> Facts:
    out: Facts = {}
    if op not in MIRROR:
        return out
    for x, o, y in ((a, op, b), (b, MIRROR[op], a)):
        # len(xs) o k
        xs, k = _len_of(x), const_int(y)
        if xs and k is not None:
            need = {ast.Gt: k + 1, ast.GtE: k, ast.Eq: k}.get(o)
            if o is ast.NotEq and k == 0:
                need = 1
            if need and need > 0:
                out[("minlen", xs)] = max(out.get(("minlen", xs), 0), need)
        # len(xs) == len(ys): an index safe for one is safe for the other
        ys = _len_of(y)
        if xs and ys and o is ast.Eq:
            out[("samelen", xs, ys)] = 1
            out[("samelen", ys, xs)] = 1
        # xs != []
        if _name(x) and isinstance(y, ast.List) and not y.elts and o is ast.NotEq:
            out[("minlen", x.id)] = 1
        # i o len(xs) - k
        i, lm = _name(x), _len_minus(y)
        if i and lm and types.get(i) == "Int":
            xs, k = lm
            if o is ast.Lt:
                out[("upper", i, xs)] = k
            elif o is ast.LtE:
                out[("upper", i, xs)] = k - 1
        # i o c
        c = const_int(y)
        if i and c is not None and types.get(i) == "Int":
            low = {ast.Gt: c + 1, ast.GtE: c, ast.Eq: c}.get(o)
            if low is not None:
                out[("lower", i)] = low
            if (o is ast.NotEq and c == 0) or (low is not None and low > 0) or \
                    (o in (ast.Lt,) and c <= 0) or (o is ast.LtE and c < 0) or (o is ast.Eq and c != 0):
                out[("nonzero", i)] = 1
    return out


def nonzero(facts: Facts, name: str) -> bool:
    return ("nonzero", name) in facts or facts.get(("lower", name), 0) >= 1


def positive(facts: Facts, name: str) -> bool:
    return facts.get(("lower", name), 0) >= 1


def index_offset(node: ast.expr) -> tuple[str | None, int] | None:
    """An index as (variable or None, constant offset): `i` -> (i, 0), `i + 1` -> (i, 1), `2` -> (None, 2)."""
    c = const_int(node)
    if c is not None:
        return None, c
    if isinstance(node, ast.Name):
        return node.id, 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and isinstance(node.left, ast.Name):
        k = const_int(node.right)
        if k is not None:
            return node.left.id, k if isinstance(node.op, ast.Add) else -k
    return None


def safe_index(facts: Facts, xs: str, index: ast.expr) -> str | None:
    """How `xs[index]` is safe: "from-start" (0 <= index < len), "from-end" (a negative constant in range), or
    None when the facts do not rule out IndexError."""
    lm = _len_minus(index)
    if lm and lm[0] == xs and lm[1] >= 1 and facts.get(("minlen", xs), 0) >= lm[1]:
        return "len-minus"
    io = index_offset(index)
    if io is None:
        return None
    var, off = io
    if var is None:
        if off >= 0 and facts.get(("minlen", xs), 0) >= off + 1:
            return "from-start"
        if off < 0 and facts.get(("minlen", xs), 0) >= -off:
            return "from-end"
        return None
    low = facts.get(("lower", var))
    ups = [facts.get(("upper", var, other)) for other in [xs] + [k[2] for k in facts if k[0] == "samelen"
                                                                  and k[1] == xs]]
    ups = [u for u in ups if u is not None]
    up = max(ups) if ups else None
    if low is not None and low + off >= 0 and up is not None and off <= up:
        return "from-start"
    return None
