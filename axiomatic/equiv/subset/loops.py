"""Loops become top-level recursive definitions whose arguments are the loop-carried variables.

`for` recurses structurally on the iteration count (a range) or on the list, so `induction` applies; `while`
is well-founded recursion with `termination_by` a measure read off its condition (`decreasing_by` must succeed
or the variant is dropped). A loop that can `return` yields `Except result state`: `.error r` is the early
return, `.ok state` the normal exit.
"""

from __future__ import annotations

import ast

from .env import Env
from .guards import facts_of, forget
from .syntax import assigned, const_int, contains_return, indent, is_call, loaded_names, names_read_in, only_grows
from .types import INT, Unsupported, elem_type, is_list, lean_ident, tuple_parts



def decreasing(lists: list[str]) -> str:
    """The termination proof: Lean must accept it, or the variant is dropped. A list argument may need a case
    split (`xs.drop 1` is shorter only because the guard said xs is not empty)."""
    cases = "".join(f" | (cases {x} <;> simp_all <;> omega) | (cases {x} <;> simp_all)" for x in lists)
    return ("decreasing_by all_goals (try simp_wf); all_goals (try simp only [List.length_drop, List.length_tail] "
            f"at *); all_goals (first | omega | (simp_all; omega){cases} | simp_all)")


def break_template(carried: list[str], returns: bool) -> str:
    if not carried:
        v = "()"
    elif len(carried) == 1:
        v = "{" + carried[0] + "}"
    else:
        v = "(" + ", ".join("{" + c + "}" for c in carried) + ")"
    return f".ok {v}" if returns else v


def target_names(target: ast.expr, node) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
        return [e.id for e in target.elts]
    raise Unsupported("a loop target other than a variable or a tuple of variables", node)


def target_pattern(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return lean_ident(target.id)
    return "(" + ", ".join(lean_ident(e.id) for e in target.elts) + ")"


class LoopTranslator:
    def _loop_state(self, body: list[ast.stmt], env: Env, node: ast.stmt, loop_vars: list[str]):
        changed = assigned(body)
        for v in loop_vars:
            if v in changed:
                raise Unsupported(f"assigning the loop variable `{v}` inside the loop", node)
        carried = [v for v in sorted(changed) if v in env.types and v not in loop_vars]
        read = names_read_in(body)
        free = [v for v in sorted(read) if v in env.types and v not in carried and v not in loop_vars]
        return carried, free

    def _state(self, carried: list[str], env: Env) -> tuple[str, str]:
        """(type, value) of the loop-carried tuple."""
        if not carried:
            return "Unit", "()"
        if len(carried) == 1:
            return env.types[carried[0]], lean_ident(carried[0])
        return ("(" + " × ".join(env.types[v] for v in carried) + ")",
                "(" + ", ".join(lean_ident(v) for v in carried) + ")")

    def _body_facts(self, env: Env, body, carried: list[str]):
        """Facts still true on every iteration: those about variables the loop does not change, and `i >= L`
        for a counter that only grows."""
        facts = dict(env.facts)
        for v in carried:
            keep = facts.get(("lower", v)) if only_grows(body, v) else None
            facts = forget(facts, v)
            if keep is not None:
                facts[("lower", v)] = keep
        return facts

    def _after_loop(self, call: str, carried: list[str], returns: bool, rest, env: Env, end, node) -> str:
        if not returns:
            self.loop_calls.append((call, carried))
        inside_only = {v for v in assigned(list(getattr(node, "body", []))) if v not in env.types}
        for v in inside_only:
            if v in names_read_in(rest):
                raise Unsupported(f"`{v}` is first assigned inside the loop and read after it", node)
        if carried:
            pattern = lean_ident(carried[0]) if len(carried) == 1 else "(" + ", ".join(map(lean_ident, carried)) + ")"
        else:
            pattern = "_"
        env2 = env
        for v in carried:
            env2 = env2.assigning(v, env.types[v], fresh=v in env.fresh_lists)
        if isinstance(node, ast.While):
            env2 = env2.knowing(facts_of(node.test, env2.types, False))
        cont = self.block(rest, env2, end=end)
        if returns:
            early = env.ret.format("r")
            return f"match {call} with\n| .error r => {early}\n| .ok {pattern} =>\n  {indent(cont, 2)}"
        return f"let {pattern} := {call}\n{cont}"

    def _frame(self, body, carried: list[str], free: list[str], env: Env):
        """What every loop definition needs: whether it can return early, its result type, its name, the
        parameters it closes over, its value when done, and the environment its body is translated in."""
        returns = contains_return(body)
        state_t, state_v = self._state(carried, env)
        result_t = f"Except {self.sig.returns} {state_t}" if returns else state_t
        free_params = " ".join(f"({lean_ident(v)} : {env.types[v]})" for v in free)
        free_args = " ".join(lean_ident(v) for v in free)
        done = f".ok {state_v}" if returns else state_v
        inner = Env(dict(env.types), ".error ({})" if returns else "{}", fresh_lists=set(env.fresh_lists),
                    facts=self._body_facts(env, body, carried))
        return returns, result_t, self._loop_name(), free_params, free_args, done, inner

    def _loop_name(self) -> str:
        self.aux_count += 1
        name = f"{self.sig.lean_name}_loop{self.aux_count}"
        self.loop_names.append(name)
        return name

    def for_loop(self, s: ast.For, rest, env: Env, end) -> str:
        if s.orelse:
            raise Unsupported("`for ... else`", s)
        loop_vars = target_names(s.target, s)
        body = list(s.body)
        for var in loop_vars:
            if var in env.types and var in loaded_names(rest):
                # after the loop Python's `var` holds the last item (or its old value if there was none)
                raise Unsupported(f"reading the loop variable `{var}` after the loop", s)
        carried, free = self._loop_state(body, env, s, loop_vars)
        returns, result_t, name, free_params, free_args, done, inner = self._frame(body, carried, free, env)
        carried_pat = ", ".join(lean_ident(v) for v in carried) if carried else "_"
        carried_types = " → ".join(env.types[v] for v in carried) if carried else "Unit"
        carried_args = " ".join("{" + v + "}" for v in carried) if carried else "()"
        call_head = f"{name} {free_args}".strip()
        it = s.iter
        if is_call(it, "range"):
            if len(loop_vars) != 1 or not isinstance(s.target, ast.Name):
                raise Unsupported("unpacking a range's numbers", s)
            var = loop_vars[0]
            start, stop, step = self._range_args(it, env)
            if not (isinstance(step, int) and step != 0):
                raise Unsupported("a `range` step that is not a nonzero constant", it)
            inner.types[var] = INT
            inner.facts = forget(inner.facts, var)
            if step > 0:
                inner.facts.update(self._range_facts(var, it, env))
            nxt = f"({lean_ident(var)} + {step})" if step > 0 else f"({lean_ident(var)} - {-step})"
            inner.loop_end = f"{call_head} k {nxt} {carried_args}"
            inner.loop_break = break_template(carried, returns)
            body_v = self.block(body, inner, end=inner.loop_end)
            self.aux.append(
                f"def {name} {free_params} : Nat → Int → {carried_types} → {result_t}\n"
                f"  | 0, _, {carried_pat} => {done}\n"
                f"  | k + 1, {lean_ident(var)}, {carried_pat} =>\n    {indent(body_v, 4)}")
            call = f"({call_head} ({self._range_count(start, stop, step)}).toNat {start} " \
                   f"{' '.join(map(lean_ident, carried)) or '()'})"
        else:
            seq, seq_t = self.iterable(it, env)
            elem = elem_type(seq_t)
            parts = tuple_parts(elem) if len(loop_vars) > 1 else [elem]
            if len(parts) != len(loop_vars):
                raise Unsupported("unpacking items of another length", s)
            for v, t in zip(loop_vars, parts):
                inner.types[v] = t
                inner.facts = forget(inner.facts, v)
            rest_name = "rest"
            while rest_name in env.types:
                rest_name += "'"
            inner.loop_end = f"{call_head} {rest_name} {carried_args}"
            inner.loop_break = break_template(carried, returns)
            body_v = self.block(body, inner, end=inner.loop_end)
            self.aux.append(
                f"def {name} {free_params} : {seq_t} → {carried_types} → {result_t}\n"
                f"  | [], {carried_pat} => {done}\n"
                f"  | {target_pattern(s.target)} :: {rest_name}, {carried_pat} =>\n    {indent(body_v, 4)}")
            call = f"({call_head} {seq} {' '.join(map(lean_ident, carried)) or '()'})"
        return self._after_loop(call, carried, returns, rest, env, end, s)

    def iterable(self, it: ast.expr, env: Env) -> tuple[str, str]:
        """A `for` or comprehension source as a Lean list (a str iterates over one-character strings)."""
        seq, seq_t = self.expr(it, env)
        if seq_t == "List Char":
            return f"({seq}.map (fun c => [c]))", "List (List Char)"
        if not is_list(seq_t):
            raise Unsupported("a loop over something other than `range(...)`, a list or a str", it)
        return seq, seq_t

    def _range_facts(self, var: str, it: ast.Call, env: Env) -> dict:
        """`for i in range(a, len(xs) - k)`: a <= i and i + k < len(xs)."""
        facts = {}
        args = it.args
        start = args[0] if len(args) >= 2 else None
        stop = args[1] if len(args) >= 2 else args[0]
        low = 0 if start is None else const_int(start)
        if low is None and isinstance(start, ast.Name):
            low = env.facts.get(("lower", start.id))
        if low is not None:
            facts[("lower", var)] = low
        bound = facts_of(ast.Compare(left=ast.Name(var, ast.Load()), ops=[ast.Lt()], comparators=[stop]),
                         {**env.types, var: INT})
        facts.update({k: v for k, v in bound.items() if k[0] == "upper"})
        return facts

    @staticmethod
    def _range_count(start: str, stop: str, step: int) -> str:
        span = stop if start == "0" else f"{stop} - {start}"
        if step > 0:
            return f"({span} + {step - 1}) / {step}" if step > 1 else span
        return f"({start} - {stop} + {-step - 1}) / {-step}" if step < -1 else f"{start} - {stop}"

    def while_loop(self, s: ast.While, rest, env: Env, end) -> str:
        if s.orelse:
            raise Unsupported("`while ... else`", s)
        body = list(s.body)
        carried, free = self._loop_state(body, env, s, [])
        if not carried:
            raise Unsupported("a `while` loop that assigns nothing (it would not terminate)", s)
        free = sorted(set(free) | {v for v in names_read_in([ast.Expr(s.test)]) if v in env.types
                                   and v not in carried})
        returns, result_t, name, free_params, free_args, done, inner = self._frame(body, carried, free, env)
        carried_params = " ".join(f"({lean_ident(v)} : {env.types[v]})" for v in carried)
        carried_args = " ".join("{" + v + "}" for v in carried)
        call_head = f"{name} {free_args}".strip()
        inner.loop_end = f"{call_head} {carried_args}"
        inner.loop_break = break_template(carried, returns)
        cond = self.prop(s.test, inner)
        measures = self._while_measures(s.test, inner)
        if not measures:
            raise Unsupported("a `while` condition with no measure to decrease (use `i < n`, `n > 0`, `xs`, ...)",
                              s)
        inner_facts = inner.knowing(facts_of(s.test, inner.types))
        outer, self.in_while = self.in_while, True
        try:
            body_v = self.block(body, inner_facts, end=inner.loop_end)
        finally:
            self.in_while = outer
        head = (f"def {name} {free_params} {carried_params} : {result_t} :=\n"
                f"  if h : {cond} then\n    {indent(body_v, 4)}\n  else {done}\n")
        lists = [lean_ident(v) for v in carried if is_list(env.types[v])]
        self.measure_candidates[name] = [f"{head}termination_by {m}\n{decreasing(lists)}" for m in measures]
        self.aux.append(self.measure_candidates[name][0])
        call = f"({call_head} {' '.join(map(lean_ident, carried))})"
        return self._after_loop(call, carried, returns, rest, env, end, s)

    def _range_args(self, it: ast.Call, env: Env):
        args = it.args
        if it.keywords or not 1 <= len(args) <= 3:
            raise Unsupported("`range` with other than 1-3 positional arguments", it)
        conv = [self.expr_as(a, env, INT) for a in args]
        if len(args) == 1:
            return "0", conv[0], 1
        step = 1
        if len(args) == 3:
            step = const_int(args[2])
            if step is None:
                raise Unsupported("a `range` step that is not a constant", args[2])
        return conv[0], conv[1], step

    def _while_measures(self, test: ast.expr, env: Env) -> list[str]:
        """Candidate termination measures read off a loop condition."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return [m for v in test.values for m in self._while_measures(v, env)]
        if isinstance(test, ast.Name) and is_list(env.types.get(test.id, "")):
            return [f"{lean_ident(test.id)}.length"]
        if isinstance(test, ast.Name) and env.types.get(test.id) == INT:
            return [f"{lean_ident(test.id)}.natAbs"]
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            a = self.expr(test.left, env)
            b = self.expr(test.comparators[0], env)
            if a[1] != INT or b[1] != INT:
                return []
            a, b = a[0], b[0]
            op = test.ops[0]
            if isinstance(op, ast.Lt):
                return [f"({b} - {a}).toNat"]
            if isinstance(op, ast.LtE):
                return [f"({b} - {a} + 1).toNat"]
            if isinstance(op, ast.Gt):
                return [f"({a} - {b}).toNat", f"{a}.natAbs"]
            if isinstance(op, ast.GtE):
                return [f"({a} - {b} + 1).toNat"]
            if isinstance(op, ast.NotEq):
                return [f"({a} - {b}).toNat", f"({b} - {a}).toNat", f"({a} - {b}).natAbs"]
        return []
