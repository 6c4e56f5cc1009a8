"""Expressions: arithmetic with Python's floor division, comparisons and connectives (as `Prop`), literals,
conditional expressions. Builtins and methods are in calls.py, indexing and comprehensions in sequences.py."""

from __future__ import annotations

import ast

from .env import Env
from .guards import facts_of, nonzero, positive
from .syntax import const_int
from .types import BOOL, INT, PROP, STR, Unsupported, is_list, is_tuple, lean_ident, list_of, py_name


def char_literal(ch: str) -> str:
    if ch.isascii() and (ch.isalnum() or ch in " !#$%&()*+,-./:;<=>?@[]^_`{|}~\""):
        return f"'{ch}'"
    return f"(Char.ofNat {ord(ch)})"


def str_literal(s: str) -> str:
    return "(" + "[" + ", ".join(char_literal(c) for c in s) + "] : List Char)"


class ExpressionTranslator:
    def expr_as(self, node: ast.expr, env: Env, want: str) -> str:
        v, t = self.expr(node, env)
        return self._coerce(v, t, want, node)

    def _coerce(self, v: str, t: str, want: str, node) -> str:
        if t == want:
            return v
        if t == PROP and want == BOOL:
            return f"decide ({v})"
        if t == BOOL and want == PROP:
            return f"{v} = true"
        if is_list(t) and is_list(want) and v.startswith("([] : "):
            return f"([] : {want})"
        raise Unsupported(f"a value of type {py_name(t)} where {py_name(want)} is expected", node)

    @staticmethod
    def _coerce_type(t: str, want: str) -> str:
        return want if t == PROP and want == BOOL else (BOOL if t == PROP else t)

    def prop(self, node: ast.expr, env: Env) -> str:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            v, t = self.expr(node.operand, env)
            if is_list(t):
                return f"{v} = []"
            if t == INT:
                return f"{v} = 0"
            if t == BOOL:
                return f"{v} = false"
        v, t = self.expr(node, env)
        if t == PROP:
            return v
        if t == BOOL:
            return f"{v} = true"
        if is_list(t):
            return f"{v} ≠ []"
        if t == INT:
            return f"{v} ≠ 0"
        raise Unsupported(f"truth value of a {py_name(t)}", node)

    def value(self, node: ast.expr, env: Env) -> tuple[str, str]:
        """A value (never a Prop: comparisons come back as Bool)."""
        v, t = self.expr(node, env)
        return (self._coerce(v, t, BOOL, node), BOOL) if t == PROP else (v, t)

    def expr(self, node: ast.expr, env: Env) -> tuple[str, str]:
        """(Lean term, type). Comparisons and boolean connectives come back as Prop."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return ("true" if node.value else "false"), BOOL
            if isinstance(node.value, int):
                return (f"({node.value} : Int)" if node.value >= 0 else f"(({node.value}) : Int)"), INT
            if isinstance(node.value, str):
                return str_literal(node.value), STR
            raise Unsupported(f"the constant {node.value!r}", node)
        if isinstance(node, ast.Name):
            if node.id not in env.types:
                raise Unsupported(f"the name `{node.id}` (not a parameter or local variable)", node)
            return lean_ident(node.id), env.types[node.id]
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                c = const_int(node)
                if c is not None:
                    return f"(({c}) : Int)", INT
                return f"(-{self.expr_as(node.operand, env, INT)})", INT
            if isinstance(node.op, ast.UAdd):
                return self.expr_as(node.operand, env, INT), INT
            if isinstance(node.op, ast.Not):
                return f"(¬ {self.prop(node.operand, env)})", PROP
            raise Unsupported("the operator `~`", node)
        if isinstance(node, ast.BinOp):
            return self.binop(node, env)
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                if self.expr(v, env)[1] not in (PROP, BOOL):
                    raise Unsupported("`and`/`or` on non-boolean values (Python returns an operand)", node)
            # Python evaluates an operand only when the ones before it did not decide: each sees their facts
            parts, seen = [], env
            is_and = isinstance(node.op, ast.And)
            for v in node.values:
                parts.append(self.prop(v, seen))
                seen = seen.knowing(facts_of(v, seen.types, is_and))
            return "(" + (" ∧ " if is_and else " ∨ ").join(parts) + ")", PROP
        if isinstance(node, ast.Compare):
            return self.compare(node, env)
        if isinstance(node, ast.IfExp):
            cond = self.prop(node.test, env)
            a, ta = self.value(node.body, env.knowing(facts_of(node.test, env.types)))
            b, tb = self.value(node.orelse, env.knowing(facts_of(node.test, env.types, False)))
            if ta != tb and is_list(ta) and is_list(tb):
                a, b = self._coerce(a, ta, tb, node) if a.startswith("([]") else a, \
                    self._coerce(b, tb, ta, node) if b.startswith("([]") else b
                ta = tb = ta if not a.startswith("([]") else tb
            if ta != tb:
                raise Unsupported("a conditional expression whose branches have different types", node)
            return f"(if {cond} then {a} else {b})", ta
        if isinstance(node, ast.Call):
            return self.call(node, env)
        if isinstance(node, ast.List):
            if not node.elts:
                return "([] : List Int)", "List Int"
            vals = [self.value(e, env) for e in node.elts]
            t = vals[0][1]
            return "[" + ", ".join(self._coerce(v, vt, t, node) for v, vt in vals) + "]", list_of(t)
        if isinstance(node, ast.Tuple):
            vals = [self.value(e, env) for e in node.elts]
            if len(vals) < 2:
                raise Unsupported("a tuple of fewer than two elements", node)
            return "(" + ", ".join(v for v, _ in vals) + ")", "(" + " × ".join(t for _, t in vals) + ")"
        if isinstance(node, ast.Subscript):
            return self.subscript(node, env)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self.listcomp(node, env)
        raise Unsupported(f"the expression `{ast.unparse(node)[:40]}` ({type(node).__name__})", node)

    def binop(self, node: ast.BinOp, env: Env) -> tuple[str, str]:
        a, ta = self.value(node.left, env)
        if isinstance(node.op, ast.Pow):
            e = const_int(node.right)
            if e is None or e < 0:
                raise Unsupported("`**` with an exponent that is not a nonnegative constant", node)
            return f"({self._coerce(a, ta, INT, node)} ^ {e})", INT
        b, tb = self.value(node.right, env)
        if is_list(ta) and isinstance(node.op, ast.Add):
            if tb != ta:
                b = self._coerce(b, tb, ta, node)
            return f"({a} ++ {b})", ta
        if is_list(ta) and isinstance(node.op, ast.Mult) and tb == INT:
            return f"((List.replicate {b}.toNat {a}).flatten)", ta
        if ta == BOOL or tb == BOOL:
            raise Unsupported("arithmetic on booleans", node)
        if ta != INT or tb != INT:
            raise Unsupported(f"the operator `{ast.unparse(node)[:30]}` on {py_name(ta)} and {py_name(tb)}", node)
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            return self.division(node, a, b, env), INT
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
        sym = ops.get(type(node.op))
        if isinstance(node.op, ast.Div):
            raise Unsupported("true division `/` (it gives a float; use `//`)", node)
        if sym is None:
            raise Unsupported(f"the operator `{type(node.op).__name__}`", node)
        return f"({a} {sym} {b})", INT

    def division(self, node: ast.BinOp, a: str, b: str, env: Env) -> str:
        """Python's `//` and `%` floor; Lean's `/` and `%` on Int are Euclidean. They agree for a positive
        divisor; otherwise `Int.fdiv`/`Int.fmod` (floor). A divisor that may be 0 (ZeroDivisionError) is refused
        unless a guard or precondition rules 0 out."""
        floor = isinstance(node.op, ast.FloorDiv)
        c = const_int(node.right)
        if c is not None:
            if c == 0:
                raise Unsupported("`//` or `%` by zero", node)
            pos = c > 0
        elif isinstance(node.right, ast.Name) and nonzero(env.facts, node.right.id):
            pos = positive(env.facts, node.right.id)
        else:
            raise Unsupported("`//` or `%` by something that may be zero (ZeroDivisionError); guard it with "
                              "`if d != 0:` or a precondition", node)
        if pos:
            return f"({a} {'/' if floor else '%'} {b})"
        return f"({'Int.fdiv' if floor else 'Int.fmod'} {a} {b})"

    def compare(self, node: ast.Compare, env: Env) -> tuple[str, str]:
        ops = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠",
               ast.Is: "=", ast.IsNot: "≠"}
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                p = self.membership(left, right, env, node)
                parts.append(p if isinstance(op, ast.In) else f"¬ ({p})")
            else:
                sym = ops.get(type(op))
                if sym is None or isinstance(op, (ast.Is, ast.IsNot)):
                    raise Unsupported(f"the comparison `{type(op).__name__}`", node)
                a, ta = self.value(left, env)
                b, tb = self.value(right, env)
                if ta != tb and is_list(ta) and is_list(tb):
                    a, b = (self._coerce(a, ta, tb, node), b) if a.startswith("([]") else (a, self._coerce(b, tb,
                                                                                                              ta, node))
                    ta = tb
                if ta != tb:
                    raise Unsupported(f"comparing {py_name(ta)} with {py_name(tb)}", node)
                if sym not in ("=", "≠") and ta != INT:
                    raise Unsupported(f"ordering comparison on {py_name(ta)}", node)
                parts.append(f"{a} {sym} {b}")
            left = right
        return ("(" + " ∧ ".join(parts) + ")" if len(parts) > 1 else parts[0]), PROP

    def membership(self, item: ast.expr, container: ast.expr, env: Env, node) -> str:
        xs, txs = self.value(container, env)
        x, tx = self.value(item, env)
        if txs == STR and tx == STR:
            return f"AxPy.isInfix {x} {xs} = true" if self.use("AxPy.isInfix") else ""
        if not is_list(txs) or is_tuple(txs):
            raise Unsupported(f"`in` on a {py_name(txs)}", node)
        from .types import elem_type

        x = self._coerce(x, tx, elem_type(txs), node)
        return f"{x} ∈ {xs}"
