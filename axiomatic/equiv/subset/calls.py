"""Calls: the module's own functions, and the builtins and `str` methods the subset gives a Lean meaning."""

from __future__ import annotations

import ast

from .env import Env
from .syntax import is_call
from .types import BOOL, INT, STR, Unsupported, elem_type, is_list, list_of, py_name

STR_PREDICATES = {"isdigit": "Char.isDigit", "isalpha": "Char.isAlpha", "isspace": "AxPy.isSpace",
                  "isalnum": "Char.isAlphanum"}


class CallTranslator:
    def call(self, node: ast.Call, env: Env) -> tuple[str, str]:
        if isinstance(node.func, ast.Attribute):
            return self.method(node, env)
        if not isinstance(node.func, ast.Name):
            raise Unsupported(f"the call `{ast.unparse(node.func)}`", node)
        f, args = node.func.id, node.args
        keywords = {k.arg: k.value for k in node.keywords}
        if f in ("min", "max", "sorted") and set(keywords) <= {"default", "reverse"} and None not in keywords:
            pass
        elif node.keywords:
            raise Unsupported("keyword arguments", node)
        if f in self.module.functions:
            callee = self.module.signature(f)
            if len(args) != len(callee.params):
                raise Unsupported(f"calling `{f}` with {len(args)} arguments (it takes {len(callee.params)})", node)
            vals = [self.expr_as(a, env, t) for a, (_, t) in zip(args, callee.params)]
            return f"({callee.lean_name} {' '.join(vals)})", callee.returns
        if f == "len" and len(args) == 1:
            xs, t = self.value(args[0], env)
            if not is_list(t):
                raise Unsupported(f"`len` of a {py_name(t)}", node)
            return f"({xs}.length : Int)", INT
        if f == "sum" and len(args) == 1:
            return f"{self.expr_as(args[0], env, 'List Int')}.sum", INT
        if f == "abs" and len(args) == 1:
            x = self.expr_as(args[0], env, INT)
            return f"(if {x} < 0 then -{x} else {x})", INT
        if f in ("min", "max") and len(args) >= 2 and not keywords:
            vals = [self.expr_as(a, env, INT) for a in args]
            out = vals[0]
            for v in vals[1:]:
                out = f"({f} {out} {v})"
            return out, INT
        if f in ("min", "max") and len(args) == 1:
            return self.extremum(f, args[0], keywords.get("default"), env, node)
        if f in ("any", "all") and len(args) == 1:
            return self.any_all(f, args[0], env)
        if f == "sorted" and len(args) == 1:
            xs = self.expr_as(args[0], env, "List Int")
            self.use("AxPy.sort")
            out = f"(AxPy.sort {xs})"
            rev = keywords.get("reverse")
            if rev is not None:
                if not (isinstance(rev, ast.Constant) and isinstance(rev.value, bool)):
                    raise Unsupported("`sorted(..., reverse=...)` with other than True or False", node)
                if rev.value:
                    out = f"{out}.reverse"
            return out, "List Int"
        if f == "reversed" and len(args) == 1:
            xs, t = self.value(args[0], env)
            if not is_list(t):
                raise Unsupported(f"`reversed` of a {py_name(t)}", node)
            return f"{xs}.reverse", t
        if f == "bool" and len(args) == 1:
            return f"decide ({self.prop(args[0], env)})", BOOL
        if f == "int" and len(args) == 1:
            v, t = self.value(args[0], env)
            if t == BOOL:
                return f"(if {v} then (1 : Int) else 0)", INT
            if t == INT:
                return v, INT
            raise Unsupported(f"`int` of a {py_name(t)}", node)
        if f == "list" and len(args) == 1:
            if is_call(args[0], "range"):
                return self.range_list(args[0], env), "List Int"
            v, t = self.value(args[0], env)
            if t == STR:
                return f"({v}.map (fun c => [c]))", list_of(STR)
            if is_list(t):
                return v, t
            raise Unsupported("`list` of something other than a list, a str or a range", node)
        if f == "enumerate" and 1 <= len(args) <= 2:
            xs, t = self.iterable(args[0], env)
            start = self.expr_as(args[1], env, INT) if len(args) == 2 else "0"
            self.use("AxPy.enumFrom")
            return f"(AxPy.enumFrom {start} {xs})", list_of(f"(Int × {elem_type(t)})")
        if f == "zip" and len(args) == 2:
            (xs, tx), (ys, ty) = self.iterable(args[0], env), self.iterable(args[1], env)
            return f"(List.zip {xs} {ys})", list_of(f"({elem_type(tx)} × {elem_type(ty)})")
        if f == "range":
            raise Unsupported("`range` outside `for`, a comprehension or `list(range(...))`", node)
        raise Unsupported(f"the function `{f}`", node)

    def extremum(self, f: str, arg: ast.expr, default: ast.expr | None, env: Env, node) -> tuple[str, str]:
        """`max(xs)` raises ValueError on an empty list: accepted under a guard that xs is not empty, or with
        `default=`; written as a fold from the first element."""
        xs = self.expr_as(arg, env, "List Int")
        fold = f"({xs}.foldl {f} ({xs}.headD 0))"
        if default is not None:
            d = self.expr_as(default, env, INT)
            return f"(if {xs} = [] then {d} else {fold})", INT
        if not self.nonempty(arg, env):
            raise Unsupported(f"`{f}` of a list that may be empty (ValueError); guard it with `if xs:` or pass "
                              f"`default=`", node)
        return fold, INT

    def nonempty(self, arg: ast.expr, env: Env) -> bool:
        if isinstance(arg, ast.Name):
            return env.facts.get(("minlen", arg.id), 0) >= 1
        if isinstance(arg, (ast.ListComp, ast.GeneratorExp)) and len(arg.generators) == 1 \
                and not arg.generators[0].ifs:
            return self.nonempty(arg.generators[0].iter, env)
        return False

    def any_all(self, f: str, arg: ast.expr, env: Env) -> tuple[str, str]:
        if isinstance(arg, (ast.ListComp, ast.GeneratorExp)) and len(arg.generators) == 1:
            seq, var_env, pattern = self.comprehension_source(arg, env)
            cond = self.prop(arg.elt, var_env)
            return f"({seq}.{f} (fun {pattern} => decide ({cond})))", BOOL
        xs = self.expr_as(arg, env, "List Bool")
        return f"({xs}.{f} (fun b => b))", BOOL

    def method(self, node: ast.Call, env: Env) -> tuple[str, str]:
        attr = node.func.attr
        obj, t = self.value(node.func.value, env)
        args = node.args
        if node.keywords:
            raise Unsupported("keyword arguments", node)
        if t != STR:
            raise Unsupported(f"the method `{attr}` of a {py_name(t)}", node)
        if attr in ("upper", "lower") and not args:
            return f"({obj}.map Char.to{'Upper' if attr == 'upper' else 'Lower'})", STR
        if attr in STR_PREDICATES and not args:
            pred = STR_PREDICATES[attr]
            if pred.startswith("AxPy."):
                self.use(pred)
            return f"(decide ({obj} ≠ []) && {obj}.all {pred})", BOOL
        if attr in ("startswith", "endswith") and len(args) == 1:
            other = self.expr_as(args[0], env, STR)
            return f"({other}.{'isPrefixOf' if attr == 'startswith' else 'isSuffixOf'} {obj})", BOOL
        if attr == "strip" and not args:
            self.use("AxPy.strip")
            return f"(AxPy.strip {obj})", STR
        if attr == "count" and len(args) == 1 and isinstance(args[0], ast.Constant) \
                and isinstance(args[0].value, str) and len(args[0].value) == 1:
            from .expressions import char_literal

            return f"({obj}.count {char_literal(args[0].value)} : Int)", INT
        if attr == "join" and len(args) == 1:
            parts = self.expr_as(args[0], env, list_of(STR))
            return f"(List.intercalate {obj} {parts})", STR
        raise Unsupported(f"the str method `{attr}` with these arguments", node)

    def use(self, helper: str) -> bool:
        self.prelude.add(helper)
        return True

