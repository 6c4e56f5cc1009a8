"""Statements: a block becomes nested `let`s; an `if` copies the rest of the block into both branches, which
gives an early `return` exactly its Python meaning."""

from __future__ import annotations

import ast

from .env import Env
from .guards import facts_of
from .syntax import const_int, indent, is_fresh_list
from .types import BOOL, PROP, Unsupported, elem_type, is_list, lean_ident, lean_type, tuple_parts


class StatementTranslator:
    def block(self, stmts: list[ast.stmt], env: Env, *, end: str | None) -> str:
        """Lean term for running `stmts` then `end` (None: falling off the end is an error)."""
        if not stmts:
            if end is None:
                raise Unsupported(f"a path through `{self.fn.name}` that reaches the end without `return`", self.fn)
            return end.format(**{k: lean_ident(k) for k in env.types}) if "{" in end else end
        s, rest = stmts[0], stmts[1:]
        if isinstance(s, ast.Return):
            if s.value is None:
                raise Unsupported("`return` without a value", s)
            return env.ret.format(self.expr_as(s.value, env, self.sig.returns))
        if isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)):
            return self.block(rest, env, end=end)
        if isinstance(s, ast.Assign):
            return self.assign(s, rest, env, end)
        if isinstance(s, ast.AnnAssign) and s.value is not None and isinstance(s.target, ast.Name):
            t = lean_type(s.annotation, f"variable {s.target.id}")
            value = self.expr_as(s.value, env, t)
            return self._let(s.target.id, t, value, rest, env, end, fresh=is_fresh_list(s.value))
        if isinstance(s, ast.AugAssign):
            return self.aug_assign(s, rest, env, end)
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute) \
                and s.value.func.attr in ("append", "extend") and isinstance(s.value.func.value, ast.Name):
            return self.append(s, rest, env, end)
        if isinstance(s, ast.If):
            cond = self.prop(s.test, env)
            yes = self.block(list(s.body) + rest, env.knowing(facts_of(s.test, env.types)), end=end)
            no = self.block(list(s.orelse) + rest, env.knowing(facts_of(s.test, env.types, False)), end=end)
            head = f"if {self.guard_name()}{cond} then"
            return f"{head}\n  {indent(yes, 2)}\nelse\n  {indent(no, 2)}"
        if isinstance(s, ast.For):
            return self.for_loop(s, rest, env, end)
        if isinstance(s, ast.While):
            return self.while_loop(s, rest, env, end)
        if isinstance(s, ast.Continue):
            if env.loop_end is None:
                raise Unsupported("`continue` outside a loop", s)
            return env.loop_end.format(**{k: lean_ident(k) for k in env.types})
        if isinstance(s, ast.Break):
            if env.loop_break is None:
                raise Unsupported("`break` outside a loop", s)
            return env.loop_break.format(**{k: lean_ident(k) for k in env.types})
        if isinstance(s, ast.Assert):
            raise Unsupported("an assert after the first statement (only leading asserts, as preconditions)", s)
        raise Unsupported(f"the statement `{type(s).__name__}` (`{ast.unparse(s)[:40]}`)", s)

    def guard_name(self) -> str:
        # In a recursive definition or a `while` loop the branch condition must be a hypothesis, so that the
        # termination proof (decreasing_by) can use it; elsewhere a plain `if` is easier to reason about.
        return "_h : " if self.recursive or self.in_while else ""

    def assign(self, s: ast.Assign, rest, env: Env, end) -> str:
        if len(s.targets) != 1:
            raise Unsupported("chained assignment `a = b = ...`", s)
        target = s.targets[0]
        if isinstance(target, ast.Name):
            if isinstance(s.value, ast.Name) and is_list(env.types.get(s.value.id, "")):
                raise Unsupported(f"`{target.id} = {s.value.id}` makes two names for one list (aliasing); copy it "
                                  f"with `{s.value.id}[:]`", s)
            v, t = self.expr(s.value, env)
            if target.id in env.types:
                v, t = self._coerce(v, t, env.types[target.id], s), env.types[target.id]
            elif t == PROP:
                v, t = self._coerce(v, t, BOOL, s), BOOL
            c = const_int(s.value)
            known = {("lower", target.id): c} if c is not None else {}  # `i = 0`: a counter's lower bound
            return self._let(target.id, t, v, rest, env, end, fresh=is_fresh_list(s.value), known=known)
        if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
            names = [e.id for e in target.elts]
            if isinstance(s.value, ast.Tuple) and len(s.value.elts) == len(names):
                vals = [self.expr(e, env) for e in s.value.elts]
                types = [self._coerce_type(t, env.types.get(n, t)) for n, (_, t) in zip(names, vals)]
                values = [self._coerce(v, t, nt, s) for (v, t), nt in zip(vals, types)]
                value = "(" + ", ".join(values) + ")"
            else:
                value, t = self.expr(s.value, env)
                types = tuple_parts(t)
                if len(types) != len(names):
                    raise Unsupported("unpacking a value of another length", s)
            env2 = env
            for n, t in zip(names, types):
                env2 = env2.assigning(n, t)
            pattern = "(" + ", ".join(lean_ident(n) for n in names) + ")"
            return f"let {pattern} := {value}\n{self.block(rest, env2, end=end)}"
        raise Unsupported(f"assignment to `{ast.unparse(target)}`", s)

    def aug_assign(self, s: ast.AugAssign, rest, env: Env, end) -> str:
        if not isinstance(s.target, ast.Name):
            raise Unsupported("augmented assignment to something other than a variable", s)
        if s.target.id not in env.types:
            raise Unsupported(f"`{s.target.id}` used before assignment", s)
        if isinstance(s.op, ast.Add) and is_list(env.types[s.target.id]) and s.target.id not in env.fresh_lists:
            raise Unsupported(f"`+=` on the list `{s.target.id}`, which may be shared (mutates in place)", s)
        value = ast.BinOp(left=ast.Name(s.target.id, ast.Load()), op=s.op, right=s.value)
        ast.copy_location(value, s)
        ast.fix_missing_locations(value)
        v, t = self.expr(value, env)
        typ = env.types[s.target.id]
        return self._let(s.target.id, typ, self._coerce(v, t, typ, s), rest, env, end,
                         fresh=s.target.id in env.fresh_lists)

    def append(self, s: ast.Expr, rest, env: Env, end) -> str:
        call = s.value
        target = call.func.value.id
        if target not in env.fresh_lists:
            raise Unsupported(f"`{target}.{call.func.attr}` on a list this function did not create (aliases could "
                              f"see the change)", s)
        if len(call.args) != 1 or call.keywords:
            raise Unsupported(f"`{call.func.attr}` with other than one argument", s)
        typ = env.types[target]
        if call.func.attr == "append":
            item = self.expr_as(call.args[0], env, elem_type(typ))
            value = f"{lean_ident(target)} ++ [{item}]"
        else:
            value = f"{lean_ident(target)} ++ {self.expr_as(call.args[0], env, typ)}"
        return self._let(target, typ, value, rest, env, end, fresh=True)

    def _let(self, name, typ, value, rest, env: Env, end, *, fresh: bool = False, known=None) -> str:
        env2 = env.assigning(name, typ, fresh=fresh)
        if known:
            env2 = env2.knowing(known)
        return f"let {lean_ident(name)} : {typ} := {value}\n{self.block(rest, env2, end=end)}"
