"""Indexing, slices and comprehensions, with Python's meaning for negative and out-of-range bounds.

A slice never raises in Python (its bounds are clamped), so it is translated everywhere. An index raises
IndexError out of range, so it is accepted only where a guard rules that out (guards.py).
"""

from __future__ import annotations

import ast

from .env import Env
from .guards import facts_of, safe_index
from .syntax import const_int, is_call
from .types import INT, STR, Unsupported, default_value, elem_type, is_list, is_tuple, list_of, \
    py_name, tuple_parts


class SequenceTranslator:
    def subscript(self, node: ast.Subscript, env: Env) -> tuple[str, str]:
        xs, t = self.value(node.value, env)
        if is_tuple(t):
            i = const_int(node.slice)
            parts = tuple_parts(t)
            if i is None or not -len(parts) <= i < len(parts):
                raise Unsupported("indexing a tuple with other than a constant in range", node)
            i %= len(parts)
            acc = xs
            for _ in range(i):
                acc = f"{acc}.2"
            return (f"{acc}.1" if i < len(parts) - 1 else acc), parts[i]
        if not is_list(t):
            raise Unsupported(f"indexing a {py_name(t)}", node)
        if isinstance(node.slice, ast.Slice):
            return self.slice(node, xs, t, env), t
        how = safe_index(env.facts, node.value.id, node.slice) if isinstance(node.value, ast.Name) else None
        if how is None:
            raise Unsupported("an index that may be out of range (IndexError); guard it (`if xs:`, "
                              "`if i < len(xs):`, `for i in range(len(xs))`)", node)
        if how == "from-start":
            i = f"({self.expr_as(node.slice, env, INT)}).toNat"
        elif how == "from-end":
            i = f"({xs}.length - {-const_int(node.slice)})"
        else:  # len(xs) - k
            i = f"({xs}.length - {const_int(node.slice.right)})"
        if t == STR:
            return f"(({xs}.drop {i}).take 1)", STR
        elem = elem_type(t)
        return f"({xs}.getD {i} {default_value(elem)})", elem

    def slice(self, node: ast.Subscript, xs: str, t: str, env: Env) -> str:
        sl = node.slice
        lo, hi, st = sl.lower, sl.upper, sl.step
        if st is not None:
            if const_int(st) == -1 and lo is None and hi is None:
                return f"{xs}.reverse"
            raise Unsupported("a slice step other than `[::-1]`", node)
        lo_c = const_int(lo) if lo is not None else 0
        hi_c = const_int(hi) if hi is not None else None
        if hi is None and lo_c is not None and lo_c >= 0:
            return f"({xs}.drop {lo_c})" if lo_c else xs
        if lo_c == 0 and hi_c is not None and hi_c >= 0:
            return f"({xs}.take {hi_c})"
        n = f"{xs}.length"
        lo_v = self.expr_as(lo, env, INT) if lo is not None else "(0 : Int)"
        hi_v = self.expr_as(hi, env, INT) if hi is not None else f"({n} : Int)"
        lo_i = f"(if {lo_v} < 0 then (({n} : Int) + {lo_v}).toNat else min {lo_v}.toNat {n})"
        hi_i = f"(if {hi_v} < 0 then (({n} : Int) + {hi_v}).toNat else min {hi_v}.toNat {n})"
        return f"(({xs}.drop {lo_i}).take ({hi_i} - {lo_i}))"

    def range_list(self, it: ast.Call, env: Env) -> str:
        start, stop, step = self._range_args(it, env)
        if not (isinstance(step, int) and step != 0):
            raise Unsupported("a `range` step that is not a nonzero constant", it)
        count = self._range_count(start, stop, step)
        if step == 1:
            return f"((List.range ({count}).toNat).map (fun (j : Nat) => {start} + (j : Int)))"
        return f"((List.range ({count}).toNat).map (fun (j : Nat) => {start} + {step} * (j : Int)))"

    def comprehension_source(self, node, env: Env):
        """(filtered source list, environment of the element, lambda pattern) of a one-`for` comprehension."""
        from .loops import target_names, target_pattern

        g = node.generators[0]
        if g.is_async:
            raise Unsupported("an async comprehension", node)
        names = target_names(g.target, node)
        if is_call(g.iter, "range"):
            if len(names) != 1:
                raise Unsupported("unpacking a range's numbers", node)
            seq, elem = self.range_list(g.iter, env), INT
        else:
            seq, st = self.iterable(g.iter, env)
            elem = elem_type(st)
        parts = tuple_parts(elem) if len(names) > 1 else [elem]
        if len(parts) != len(names):
            raise Unsupported("unpacking items of another length", node)
        inner = env
        for n, t in zip(names, parts):
            inner = inner.assigning(n, t)
        if is_call(g.iter, "range") and len(g.iter.args) <= 2:
            from .guards import merge

            inner = inner.copy()
            inner.facts = merge(inner.facts, self._range_facts(names[0], g.iter, env))
        pattern = target_pattern(g.target)
        for cond in g.ifs:
            seq = f"({seq}.filter (fun {pattern} => decide ({self.prop(cond, inner)})))"
            inner = inner.knowing(facts_of(cond, inner.types))
        return seq, inner, pattern

    def listcomp(self, node, env: Env) -> tuple[str, str]:
        if len(node.generators) > 1:
            return self.nested_comprehension(node, env)
        seq, inner, pattern = self.comprehension_source(node, env)
        out, t = self.value(node.elt, inner)
        if out == pattern:
            return seq, list_of(t)
        return f"({seq}.map (fun {pattern} => {out}))", list_of(t)

    def nested_comprehension(self, node, env: Env) -> tuple[str, str]:
        """`[e for a in A for b in B]` = `A.flatMap (fun a => [e for b in B])`."""
        first = ast.ListComp(elt=ast.ListComp(elt=node.elt, generators=node.generators[1:]),
                             generators=node.generators[:1])
        ast.copy_location(first, node)
        seq, inner, pattern = self.comprehension_source(first, env)
        out, t = self.listcomp(first.elt, inner)
        return f"({seq}.flatMap (fun {pattern} => {out}))", t


