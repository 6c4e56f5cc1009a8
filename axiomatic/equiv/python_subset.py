"""A documented subset of Python, translated deterministically into total Lean functions.

The translation is exact for the subset: every construct outside it is refused with its line and name, never
approximated. Why the subset looks the way it does:

* Python `int` is unbounded, as Lean's `Int`. `//` and `%` floor toward negative infinity; Lean's `/` and `%`
  on `Int` are Euclidean. They agree for a positive divisor, so only constant divisors are accepted (a variable
  divisor could raise ZeroDivisionError, which a total Lean function cannot show).
* Operations that can raise in Python (indexing out of range, `min`/`max` of an empty list, asserts after the
  preconditions) are refused unless they are safe by construction (`xs[i]` inside `for i in range(len(xs))`).
* Statements become nested `let`s; an `if` duplicates what follows it into both branches, which gives early
  `return` its exact meaning. Loops become top-level recursive definitions: `for` over a range or a list recurses
  structurally on the iteration count or the list (so `induction` applies); `while` and recursion use
  `termination_by` with a measure read off the loop condition or the parameters.
* Lists are values in Lean and objects in Python, so mutation is accepted only where no alias can observe it:
  `xs.append(e)` on a list the function created itself.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from ..errors import BadInput

INT, BOOL, LIST, PROP = "Int", "Bool", "List Int", "Prop"
LIST_BOOL = "List Bool"
LEAN_KEYWORDS = {
    "fun", "let", "in", "if", "then", "else", "match", "with", "do", "have", "show", "from", "by", "at", "theorem",
    "def", "end", "namespace", "section", "open", "where", "return", "for", "unless", "mut", "try", "catch", "this",
    "structure", "class", "instance", "example", "axiom", "variable", "universe", "import", "macro", "syntax",
    "calc", "nomatch", "deriving", "private", "protected", "partial", "unsafe", "local", "scoped", "break",
    "continue", "Type", "Sort", "Prop", "true", "false", "sorry", "λ", "abbrev", "opaque", "omit",
}


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


def lean_ident(name: str) -> str:
    if name == "_":
        return "_i"  # Python's throwaway name; a bare `_` is a hole in Lean
    return f"«{name}»" if name in LEAN_KEYWORDS else name


def lean_type(node: ast.expr | None, what: str, owner: ast.AST | None = None) -> str:
    if node is None:
        raise Unsupported(f"a missing type hint ({what})", owner)
    text = ast.unparse(node).replace(" ", "")
    table = {"int": INT, "bool": BOOL, "list[int]": LIST, "List[int]": LIST, "list[bool]": LIST_BOOL}
    if text in table:
        return table[text]
    if text.startswith(("tuple[", "Tuple[")) and text.endswith("]"):
        parts = text[6:-1].split(",")
        if parts and all(p in table for p in parts) and len(parts) >= 2:
            return "(" + " × ".join(table[p] for p in parts) + ")"
    raise Unsupported(f"the type `{ast.unparse(node)}` ({what}); supported: int, bool, list[int], list[bool], "
                      f"tuple[...] of those", node)


def tuple_parts(t: str) -> list[str]:
    return t[1:-1].split(" × ") if t.startswith("(") and " × " in t else [t]


# ---------------------------------------------------------------------------------------------------------
# Module level


class Module:
    """The functions of one Python source file, translated on demand (helpers it calls come along)."""

    def __init__(self, source: str, filename: str = "<input>", *, namespace: str = "Py") -> None:
        try:
            self.tree = ast.parse(source, filename)
        except SyntaxError as exc:
            raise BadInput(f"{filename}: Python syntax error at line {exc.lineno}: {exc.msg}") from None
        self.filename, self.namespace, self.source = filename, namespace, source
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self._signatures: dict[str, Signature] = {}

    def signature(self, name: str) -> Signature:
        if name in self._signatures:
            return self._signatures[name]
        fn = self.functions.get(name)
        if fn is None:
            raise BadInput(f"{self.filename}: no top-level function `{name}`"
                           + (f" (found: {', '.join(self.functions)})" if self.functions else ""))
        a = fn.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or a.defaults:
            raise Unsupported("default, keyword-only or variadic parameters", fn)
        if fn.decorator_list:
            raise Unsupported("decorators", fn.decorator_list[0])
        params = [(p.arg, lean_type(p.annotation, f"parameter {p.arg} of {name}", p)) for p in a.args]
        sig = Signature(name, f"{self.namespace}.{lean_ident(name)}", params,
                        lean_type(fn.returns, f"return type of {name}", fn))
        self._signatures[name] = sig
        return sig

    def translate(self, name: str) -> list[Translation]:
        """The translations needed for `name`: the functions it calls first, itself last."""
        order: list[str] = []

        def visit(n: str, stack: tuple[str, ...]) -> None:
            if n in order:
                return
            if n in stack:
                raise Unsupported(f"mutual recursion between {' and '.join(stack)}", self.functions[n])
            for callee in sorted(_called_functions(self.functions[n], set(self.functions))):
                if callee != n:
                    visit(callee, stack + (n,))
            order.append(n)

        self.signature(name)
        visit(name, ())
        return [FunctionTranslator(self, self.functions[n]).run() for n in order]


def _called_functions(fn: ast.FunctionDef, known: set[str]) -> set[str]:
    return {c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
            and c.func.id in known}


# ---------------------------------------------------------------------------------------------------------
# One function


@dataclass
class Env:
    types: dict[str, str]  # Python variable -> Lean type
    ret: str  # how `return e` is written here: "{}" at top level, ".error ({})" inside a loop body
    loop_end: str | None = None  # continue: the recursive call, as a template over the environment
    loop_break: str | None = None
    safe_index: dict[str, str] = field(default_factory=dict)  # loop var -> list it indexes safely
    fresh_lists: set[str] = field(default_factory=set)


class FunctionTranslator:
    def __init__(self, module: Module, fn: ast.FunctionDef) -> None:
        self.module, self.fn = module, fn
        self.sig = module.signature(fn.name)
        self.aux: list[str] = []
        self.aux_count = 0
        self.recursive = fn.name in _called_functions(fn, {fn.name})
        self.needs_termination: list[str] = []  # names of defs that need a measure (while loops, recursion)
        self.measure_candidates: dict[str, list[str]] = {}
        self.loop_calls: list[tuple[str, list[str]]] = []  # (call term, carried variables), in order

    # -- entry --------------------------------------------------------------------------------------------

    def preconditions(self) -> tuple[list[str], list[ast.stmt]]:
        """The leading asserts as Lean propositions, and the statements after them."""
        body = list(self.fn.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        env = Env(dict(self.sig.params), "{}")
        pres = []
        while body and isinstance(body[0], ast.Assert):
            pres.append(self.prop(body[0].test, env))
            body = body[1:]
        self.sig.preconditions = pres
        return pres, body

    def run(self) -> Translation:
        pres, body = self.preconditions()
        types = dict(self.sig.params)
        env = Env(types, "{}")
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if isinstance(node, ast.Assert):
                raise Unsupported("an assert after the first statement (only leading asserts, as preconditions)",
                                  node)
        for p, t in self.sig.params:
            if t in (LIST, LIST_BOOL) and _mutates(body, p):
                raise Unsupported(f"mutating the parameter `{p}` (callers would see it)", self.fn)
        value = self.block(body, env, end=None)
        params = " ".join(f"({lean_ident(p)} : {t})" for p, t in self.sig.params)
        header = f"def {self.sig.lean_name} {params} : {self.sig.returns} :="
        main = f"{header}\n  {_indent(value, 2)}"
        if self.recursive and pres:
            # Python checks the asserts on every call; a failing one raises. The guard gives the termination
            # proof the preconditions, and leaves the value outside them unspecified (`default`): the theorem
            # only speaks about inputs that satisfy them.
            guard = " ∧ ".join(f"({p})" for p in pres)
            main = f"{header}\n  if _hpre : {guard} then\n    {_indent(value, 4)}\n  else default"
        mains = [main]
        if self.recursive:
            mains = [f"{main}\ntermination_by {m}\ndecreasing_by all_goals (try simp_wf); all_goals omega"
                     for m in self._recursion_measures()]
        # Termination measures are guesses; Lean decides. The first guess everywhere, then each alternative
        # on its own (engine._validated_definitions elaborates them all in one run and keeps the first).
        variants = [[*self.aux, mains[0]]]
        for i, aux in enumerate(self.aux):
            for alternative in self.measure_candidates.get(_def_name(aux), [])[1:]:
                variants.append([*self.aux[:i], alternative, *self.aux[i + 1:], mains[0]])
        variants += [[*self.aux, m] for m in mains[1:]]
        direct = "" if self.recursive else self.direct_form(body)
        return Translation(self.sig, variants[0], variants if len(variants) > 1 else [], self._calls(), direct)

    def direct_form(self, body: list[ast.stmt]) -> str:
        """`init...; loop; return v` as the single term `loop_call(inits)` (projected to v).

        Provers generalise such a term's constant arguments into accumulator lemmas (prover/generalize.py);
        the function itself hides them behind `let`s. Only for this exact shape; "" otherwise.
        """
        if len(body) < 2 or not isinstance(body[-1], ast.Return) or not isinstance(body[-1].value, ast.Name) \
                or not isinstance(body[-2], (ast.For, ast.While)) or len(self.loop_calls) != 1:
            return ""
        inits: dict[str, str] = {}
        env = Env(dict(self.sig.params), "{}")
        for s in body[:-2]:
            if not (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)):
                return ""
            if _names_read_in([ast.Expr(s.value)]) - set(p for p, _ in self.sig.params):
                return ""
            value, t = self.expr(s.value, env)
            inits[s.targets[0].id] = self._coerce(value, t, BOOL, s) if t == PROP else value
        call_text, carried = self.loop_calls[0]
        result = body[-1].value.id
        if result not in carried or any(c not in inits for c in carried):
            return ""
        text = call_text
        for c in carried:
            text = re.sub(rf"(?<![\w.'«]){re.escape(lean_ident(c))}(?![\w'»])", lambda m, c=c: inits[c], text)
        i = carried.index(result)
        if len(carried) > 1:
            text = text + ".2" * i + (".1" if i < len(carried) - 1 else "")
        return text

    def _calls(self) -> list[str]:
        return sorted(_called_functions(self.fn, set(self.module.functions)) - {self.fn.name})

    def _recursion_measures(self) -> list[str]:
        out = []
        for p, t in self.sig.params:
            if t == INT:
                out.append(f"{lean_ident(p)}.toNat")
            elif t in (LIST, LIST_BOOL):
                out.append(f"{lean_ident(p)}.length")
        if not out:
            raise Unsupported("recursion without an int or list parameter to measure it by", self.fn)
        return out

    # -- statements ---------------------------------------------------------------------------------------

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
        if isinstance(s, ast.Pass):
            return self.block(rest, env, end=end)
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
            return self.block(rest, env, end=end)
        if isinstance(s, ast.Assign):
            return self.assign(s, rest, env, end)
        if isinstance(s, ast.AnnAssign) and s.value is not None and isinstance(s.target, ast.Name):
            t = lean_type(s.annotation, f"variable {s.target.id}")
            value = self.expr_as(s.value, env, t)
            return self._let(s.target.id, t, value, rest, env, end, fresh=_is_fresh_list(s.value))
        if isinstance(s, ast.AugAssign):
            if not isinstance(s.target, ast.Name):
                raise Unsupported("augmented assignment to something other than a variable", s)
            value = ast.BinOp(left=ast.Name(s.target.id, ast.Load()), op=s.op, right=s.value)
            ast.copy_location(value, s)
            if s.target.id not in env.types:
                raise Unsupported(f"`{s.target.id}` used before assignment", s)
            if isinstance(s.op, ast.Add) and env.types[s.target.id] in (LIST, LIST_BOOL) \
                    and s.target.id not in env.fresh_lists:
                raise Unsupported(f"`+=` on the list `{s.target.id}`, which may be shared (mutates in place)", s)
            v, t = self.expr(value, env)
            return self._let(s.target.id, env.types[s.target.id], self._coerce(v, t, env.types[s.target.id], s),
                             rest, env, end)
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute) \
                and s.value.func.attr == "append" and isinstance(s.value.func.value, ast.Name):
            target = s.value.func.value.id
            if target not in env.fresh_lists:
                raise Unsupported(f"`{target}.append` on a list this function did not create (aliases could see "
                                  f"the change)", s)
            if len(s.value.args) != 1:
                raise Unsupported("`append` with other than one argument", s)
            elem = INT if env.types[target] == LIST else BOOL
            item = self.expr_as(s.value.args[0], env, elem)
            return self._let(target, env.types[target], f"{lean_ident(target)} ++ [{item}]", rest, env, end,
                             fresh=True)
        if isinstance(s, ast.If):
            cond = self.prop(s.test, env)
            yes = self.block(list(s.body) + rest, _copy(env), end=end)
            no = self.block(list(s.orelse) + rest, _copy(env), end=end)
            return f"if {cond} then\n  {_indent(yes, 2)}\nelse\n  {_indent(no, 2)}"
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
        raise Unsupported(f"the statement `{type(s).__name__}` (`{ast.unparse(s)[:40]}`)", s)

    def assign(self, s: ast.Assign, rest, env: Env, end) -> str:
        if len(s.targets) != 1:
            raise Unsupported("chained assignment `a = b = ...`", s)
        target = s.targets[0]
        if isinstance(target, ast.Name):
            if isinstance(s.value, ast.Name) and env.types.get(s.value.id) in (LIST, LIST_BOOL):
                raise Unsupported(f"`{target.id} = {s.value.id}` makes two names for one list (aliasing); copy it "
                                  f"with `{s.value.id}[:]`", s)
            v, t = self.expr(s.value, env)
            if target.id in env.types:
                v, t = self._coerce(v, t, env.types[target.id], s), env.types[target.id]
            return self._let(target.id, t, v, rest, env, end, fresh=_is_fresh_list(s.value))
        if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
            names = [e.id for e in target.elts]
            if isinstance(s.value, ast.Tuple) and len(s.value.elts) == len(names):
                vals = [self.expr(e, env) for e in s.value.elts]
                types = [self._coerce_type(t, env.types.get(n, t), s) for n, (_, t) in zip(names, vals)]
                values = [self._coerce(v, t, nt, s) for (v, t), nt in zip(vals, types)]
                value = "(" + ", ".join(values) + ")"
            else:
                value, t = self.expr(s.value, env)
                types = tuple_parts(t)
                if len(types) != len(names):
                    raise Unsupported("unpacking a value of another length", s)
            env2 = _copy(env)
            for n, t in zip(names, types):
                env2.types[n] = t
                env2.fresh_lists.discard(n)
            pattern = "(" + ", ".join(lean_ident(n) for n in names) + ")"
            return f"let {pattern} := {value}\n{self.block(rest, env2, end=end)}"
        raise Unsupported(f"assignment to `{ast.unparse(target)}`", s)

    def _let(self, name, typ, value, rest, env: Env, end, *, fresh: bool = False) -> str:
        env2 = _copy(env)
        env2.types[name] = typ
        if fresh:
            env2.fresh_lists.add(name)
        else:
            env2.fresh_lists.discard(name)
        if name in env.safe_index.values():
            raise Unsupported(f"reassigning `{name}` while it is indexed by a loop over its range", None)
        return f"let {lean_ident(name)} : {typ} := {value}\n{self.block(rest, env2, end=end)}"

    # -- loops --------------------------------------------------------------------------------------------

    def _loop_state(self, body: list[ast.stmt], env: Env, node: ast.stmt, loop_var: str | None):
        assigned = _assigned(body)
        if loop_var and loop_var in assigned:
            raise Unsupported(f"assigning the loop variable `{loop_var}` inside the loop", node)
        carried = [v for v in sorted(assigned) if v in env.types]
        read = _names_read_in(body)
        free = [v for v in sorted(read) if v in env.types and v not in carried and v != loop_var]
        return carried, free

    def _state(self, carried: list[str], env: Env) -> tuple[str, str]:
        """(type, value) of the loop-carried tuple."""
        if not carried:
            return "Unit", "()"
        if len(carried) == 1:
            return env.types[carried[0]], lean_ident(carried[0])
        return ("(" + " × ".join(env.types[v] for v in carried) + ")",
                "(" + ", ".join(lean_ident(v) for v in carried) + ")")

    def _after_loop(self, call: str, carried: list[str], returns: bool, rest, env: Env, end, node) -> str:
        if not returns:
            self.loop_calls.append((call, carried))
        for v in _assigned_only_inside(node, env):
            if v in _names_read_in(rest):
                raise Unsupported(f"`{v}` is first assigned inside the loop and read after it", node)
        if carried:
            pattern = lean_ident(carried[0]) if len(carried) == 1 else "(" + ", ".join(map(lean_ident, carried)) + ")"
        else:
            pattern = "_"
        env2 = _copy(env)
        for v in carried:
            env2.fresh_lists.discard(v) if v not in env.fresh_lists else None
        cont = self.block(rest, env2, end=end)
        if returns:
            early = env.ret.format("r")
            return f"match {call} with\n| .error r => {early}\n| .ok {pattern} =>\n  {_indent(cont, 2)}"
        return f"let {pattern} := {call}\n{cont}"

    def _frame(self, body, carried: list[str], free: list[str], env: Env):
        """What every loop definition needs: whether it can return early, its result type, its name, the
        parameters it closes over, its value when done, and the environment its body is translated in."""
        returns = _contains_return(body)
        state_t, state_v = self._state(carried, env)
        result_t = f"Except {self.sig.returns} {state_t}" if returns else state_t
        free_params = " ".join(f"({lean_ident(v)} : {env.types[v]})" for v in free)
        free_args = " ".join(lean_ident(v) for v in free)
        done = f".ok {state_v}" if returns else state_v
        inner = Env(dict(env.types), ".error ({})" if returns else "{}", safe_index=dict(env.safe_index),
                    fresh_lists=set(env.fresh_lists))
        return returns, result_t, self._loop_name(), free_params, free_args, done, inner

    def _loop_name(self) -> str:
        self.aux_count += 1
        return f"{self.sig.lean_name}_loop{self.aux_count}"

    def for_loop(self, s: ast.For, rest, env: Env, end) -> str:
        if s.orelse:
            raise Unsupported("`for ... else`", s)
        if not isinstance(s.target, ast.Name):
            raise Unsupported("a `for` target other than one variable", s)
        var = s.target.id
        body = list(s.body)
        if var in _names_read_in(rest):
            # after the loop Python's `var` holds the last item (or its old value if there was none)
            raise Unsupported(f"reading the loop variable `{var}` after the loop", s)
        carried, free = self._loop_state(body, env, s, var)
        returns, result_t, name, free_params, free_args, done, inner = self._frame(body, carried, free, env)
        carried_pat = ", ".join(lean_ident(v) for v in carried) if carried else "_"
        carried_types = " → ".join(env.types[v] for v in carried) if carried else "Unit"
        carried_args = " ".join("{" + v + "}" for v in carried) if carried else "()"
        call_head = f"{name} {free_args}".strip()
        it = s.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
            start, stop, step = self._range_args(it, env)
            if not (isinstance(step, int) and step != 0):
                raise Unsupported("a `range` step that is not a nonzero constant", it)
            inner.types[var] = INT
            if len(it.args) == 1 and isinstance(it.args[0], ast.Call) and isinstance(it.args[0].func, ast.Name) \
                    and it.args[0].func.id == "len" and len(it.args[0].args) == 1 \
                    and isinstance(it.args[0].args[0], ast.Name):
                inner.safe_index[var] = it.args[0].args[0].id
            nxt = f"({lean_ident(var)} + {step})" if step > 0 else f"({lean_ident(var)} - {-step})"
            inner.loop_end = f"{call_head} k {nxt} {carried_args}"
            inner.loop_break = _break_template(carried, returns)
            body_v = self.block(body, inner, end=inner.loop_end)
            span = stop if start == "0" else f"{stop} - {start}"
            count = (f"({span} + {step - 1}) / {step}" if step > 1 else span) \
                if step > 0 else (f"({start} - {stop} + {-step - 1}) / {-step}" if step < -1
                                  else f"{start} - {stop}")
            self.aux.append(
                f"def {name} {free_params} : Nat → Int → {carried_types} → {result_t}\n"
                f"  | 0, _, {carried_pat} => {done}\n"
                f"  | k + 1, {lean_ident(var)}, {carried_pat} =>\n    {_indent(body_v, 4)}")
            call = f"({call_head} ({count}).toNat {start} {' '.join(map(lean_ident, carried)) or '()'})"
        else:
            seq, seq_t = self.expr(it, env)
            if seq_t not in (LIST, LIST_BOOL):
                raise Unsupported("a `for` over something other than `range(...)` or a list", it)
            inner.types[var] = INT if seq_t == LIST else BOOL
            rest_name = "rest"
            while rest_name in env.types:
                rest_name += "'"
            inner.loop_end = f"{call_head} {rest_name} {carried_args}"
            inner.loop_break = _break_template(carried, returns)
            body_v = self.block(body, inner, end=inner.loop_end)
            self.aux.append(
                f"def {name} {free_params} : {seq_t} → {carried_types} → {result_t}\n"
                f"  | [], {carried_pat} => {done}\n"
                f"  | {lean_ident(var)} :: {rest_name}, {carried_pat} =>\n    {_indent(body_v, 4)}")
            call = f"({call_head} {seq} {' '.join(map(lean_ident, carried)) or '()'})"
        return self._after_loop(call, carried, returns, rest, env, end, s)

    def while_loop(self, s: ast.While, rest, env: Env, end) -> str:
        if s.orelse:
            raise Unsupported("`while ... else`", s)
        body = list(s.body)
        carried, free = self._loop_state(body, env, s, None)
        if not carried:
            raise Unsupported("a `while` loop that assigns nothing (it would not terminate)", s)
        free = sorted(set(free) | {v for v in _names_read_in([ast.Expr(s.test)]) if v in env.types
                                   and v not in carried})
        returns, result_t, name, free_params, free_args, done, inner = self._frame(body, carried, free, env)
        carried_params = " ".join(f"({lean_ident(v)} : {env.types[v]})" for v in carried)
        carried_args = " ".join("{" + v + "}" for v in carried)
        call_head = f"{name} {free_args}".strip()
        inner.loop_end = f"{call_head} {carried_args}"
        inner.loop_break = _break_template(carried, returns)
        cond = self.prop(s.test, env)
        body_v = self.block(body, inner, end=inner.loop_end)
        measures = _while_measures(s.test, self, env)
        if not measures:
            raise Unsupported("a `while` condition with no measure to decrease (use `i < n`, `n > 0`, `xs`, ...)",
                              s)
        head = (f"def {name} {free_params} {carried_params} : {result_t} :=\n"
                f"  if h : {cond} then\n    {_indent(body_v, 4)}\n  else {done}\n")
        tail = "decreasing_by all_goals (try simp_wf); all_goals omega"
        self.measure_candidates[name] = [f"{head}termination_by {m}\n{tail}" for m in measures]
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
            step = _const_int(args[2])
            if step is None:
                raise Unsupported("a `range` step that is not a constant", args[2])
        return conv[0], conv[1], step

    # -- expressions --------------------------------------------------------------------------------------

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
        raise Unsupported(f"a value of type {_py(t)} where {_py(want)} is expected", node)

    def _coerce_type(self, t: str, want: str, node) -> str:
        return want if t == PROP and want == BOOL else (BOOL if t == PROP else t)

    def prop(self, node: ast.expr, env: Env) -> str:
        v, t = self.expr(node, env)
        if t == PROP:
            return v
        if t == BOOL:
            return f"{v} = true"
        if t in (LIST, LIST_BOOL):
            return f"{v} ≠ []"
        if t == INT:
            return f"{v} ≠ 0"
        raise Unsupported(f"truth value of a {_py(t)}", node)

    def expr(self, node: ast.expr, env: Env) -> tuple[str, str]:
        """(Lean term, type). Comparisons and boolean connectives come back as Prop."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return ("true" if node.value else "false"), BOOL
            if isinstance(node.value, int):
                return (f"({node.value} : Int)" if node.value >= 0 else f"(({node.value}) : Int)"), INT
            raise Unsupported(f"the constant {node.value!r}", node)
        if isinstance(node, ast.Name):
            if node.id not in env.types:
                raise Unsupported(f"the name `{node.id}` (not a parameter or local variable)", node)
            t = env.types[node.id]
            return lean_ident(node.id), t
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                c = _const_int(node)
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
            parts = [self.prop(v, env) for v in node.values]
            op = " ∧ " if isinstance(node.op, ast.And) else " ∨ "
            for v in node.values:
                t = self.expr(v, env)[1]
                if t not in (PROP, BOOL):
                    raise Unsupported("`and`/`or` on non-boolean values (Python returns an operand)", node)
            return "(" + op.join(parts) + ")", PROP
        if isinstance(node, ast.Compare):
            return self.compare(node, env)
        if isinstance(node, ast.IfExp):
            cond = self.prop(node.test, env)
            a, ta = self.expr(node.body, env)
            b, tb = self.expr(node.orelse, env)
            if ta == PROP or tb == PROP:
                a, b, ta, tb = self._coerce(a, ta, BOOL, node), self._coerce(b, tb, BOOL, node), BOOL, BOOL
            if ta != tb:
                raise Unsupported("a conditional expression whose branches have different types", node)
            return f"(if {cond} then {a} else {b})", ta
        if isinstance(node, ast.Call):
            return self.call(node, env)
        if isinstance(node, ast.List):
            if not node.elts:
                return "([] : List Int)", LIST
            vals = [self.expr(e, env) for e in node.elts]
            t = BOOL if vals[0][1] in (BOOL, PROP) else INT
            return "[" + ", ".join(self._coerce(v, vt, t, node) for v, vt in vals) + "]", \
                (LIST if t == INT else LIST_BOOL)
        if isinstance(node, ast.Tuple):
            vals = [self.expr(e, env) for e in node.elts]
            vals = [(self._coerce(v, t, BOOL, node), BOOL) if t == PROP else (v, t) for v, t in vals]
            if len(vals) < 2:
                raise Unsupported("a tuple of fewer than two elements", node)
            return "(" + ", ".join(v for v, _ in vals) + ")", "(" + " × ".join(t for _, t in vals) + ")"
        if isinstance(node, ast.Subscript):
            return self.subscript(node, env)
        if isinstance(node, ast.ListComp):
            return self.listcomp(node, env)
        raise Unsupported(f"the expression `{ast.unparse(node)[:40]}` ({type(node).__name__})", node)

    def binop(self, node: ast.BinOp, env: Env) -> tuple[str, str]:
        a, ta = self.expr(node.left, env)
        if isinstance(node.op, ast.Pow):
            e = _const_int(node.right)
            if e is None or e < 0:
                raise Unsupported("`**` with an exponent that is not a nonnegative constant", node)
            return f"({self._coerce(a, ta, INT, node)} ^ {e})", INT
        b, tb = self.expr(node.right, env)
        if ta in (LIST, LIST_BOOL) and isinstance(node.op, ast.Add):
            if tb != ta:
                raise Unsupported("`+` between a list and something else", node)
            return f"({a} ++ {b})", ta
        if ta == BOOL or tb == BOOL or ta == PROP or tb == PROP:
            raise Unsupported("arithmetic on booleans", node)
        if ta != INT or tb != INT:
            raise Unsupported(f"the operator `{ast.unparse(node)[:30]}` on {_py(ta)} and {_py(tb)}", node)
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            c = _const_int(node.right)
            if c is None or c == 0:
                raise Unsupported("`//` or `%` by something other than a nonzero constant (it may raise "
                                  "ZeroDivisionError)", node)
            sym = "/" if isinstance(node.op, ast.FloorDiv) else "%"
            if c > 0:  # floor and Euclidean division agree for positive divisors
                return f"({a} {sym} {b})", INT
            fn = "Int.fdiv" if sym == "/" else "Int.fmod"
            return f"({fn} {a} {b})", INT
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
        sym = ops.get(type(node.op))
        if isinstance(node.op, ast.Div):
            raise Unsupported("true division `/` (it gives a float; use `//`)", node)
        if sym is None:
            raise Unsupported(f"the operator `{type(node.op).__name__}`", node)
        return f"({a} {sym} {b})", INT

    def compare(self, node: ast.Compare, env: Env) -> tuple[str, str]:
        ops = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                x, tx = self.expr(left, env)
                xs, txs = self.expr(right, env)
                if txs not in (LIST, LIST_BOOL):
                    raise Unsupported("`in` on something other than a list", node)
                x = self._coerce(x, tx, INT if txs == LIST else BOOL, node)
                p = f"{x} ∈ {xs}"
                parts.append(p if isinstance(op, ast.In) else f"{x} ∉ {xs}")
            else:
                sym = ops.get(type(op))
                if sym is None:
                    raise Unsupported(f"the comparison `{type(op).__name__}`", node)
                a, ta = self.expr(left, env)
                b, tb = self.expr(right, env)
                if ta == PROP:
                    a, ta = self._coerce(a, ta, BOOL, node), BOOL
                if tb == PROP:
                    b, tb = self._coerce(b, tb, BOOL, node), BOOL
                if ta != tb:
                    raise Unsupported(f"comparing {_py(ta)} with {_py(tb)}", node)
                if sym not in ("=", "≠") and ta != INT:
                    raise Unsupported(f"ordering comparison on {_py(ta)}", node)
                parts.append(f"{a} {sym} {b}")
            left = right
        return ("(" + " ∧ ".join(parts) + ")" if len(parts) > 1 else parts[0]), PROP

    def call(self, node: ast.Call, env: Env) -> tuple[str, str]:
        if node.keywords:
            raise Unsupported("keyword arguments", node)
        if not isinstance(node.func, ast.Name):
            raise Unsupported(f"the call `{ast.unparse(node.func)}`", node)
        f = node.func.id
        args = node.args
        if f in self.module.functions:
            callee = self.module.signature(f)
            if len(args) != len(callee.params):
                raise Unsupported(f"calling `{f}` with {len(args)} arguments (it takes {len(callee.params)})", node)
            vals = [self.expr_as(a, env, t) for a, (_, t) in zip(args, callee.params)]
            return f"({callee.lean_name} {' '.join(vals)})", callee.returns
        if f == "len" and len(args) == 1:
            xs, t = self.expr(args[0], env)
            if t not in (LIST, LIST_BOOL):
                raise Unsupported("`len` of something other than a list", node)
            return f"({xs}.length : Int)", INT
        if f == "sum" and len(args) == 1:
            return f"{self.expr_as(args[0], env, LIST)}.sum", INT
        if f == "abs" and len(args) == 1:
            x = self.expr_as(args[0], env, INT)
            return f"(if {x} < 0 then -{x} else {x})", INT
        if f in ("min", "max") and len(args) >= 2:
            vals = [self.expr_as(a, env, INT) for a in args]
            out = vals[0]
            for v in vals[1:]:
                out = f"({f} {out} {v})"
            return out, INT
        if f in ("min", "max") and len(args) == 1:
            raise Unsupported(f"`{f}` of a list (raises ValueError on an empty list); use `{f}(a, b)` or a loop",
                              node)
        if f == "bool" and len(args) == 1:
            return f"decide ({self.prop(args[0], env)})", BOOL
        if f == "list" and len(args) == 1:
            v, t = self.expr(args[0], env)
            if t in (LIST, LIST_BOOL):
                return v, t
            if isinstance(args[0], ast.Call) and isinstance(args[0].func, ast.Name) and args[0].func.id == "range":
                return self._range_list(args[0], env), LIST
            raise Unsupported("`list` of something other than a list or a range", node)
        if f == "sorted" or f == "reversed":
            if f == "reversed" and len(args) == 1:
                return f"{self.expr_as(args[0], env, LIST)}.reverse", LIST
        if f == "range":
            raise Unsupported("`range` outside `for` or `list(range(...))`", node)
        raise Unsupported(f"the function `{f}`", node)

    def _range_list(self, it: ast.Call, env: Env) -> str:
        start, stop, step = self._range_args(it, env)
        if step != 1:
            raise Unsupported("a range with a step outside a `for` loop", it)
        span = stop if start == "0" else f"{stop} - {start}"
        return f"((List.range ({span}).toNat).map (fun (j : Nat) => {start} + (j : Int)))"

    def subscript(self, node: ast.Subscript, env: Env) -> tuple[str, str]:
        xs, t = self.expr(node.value, env)
        if t.startswith("(") and " × " in t:
            i = _const_int(node.slice)
            parts = tuple_parts(t)
            if i is None or not -len(parts) <= i < len(parts):
                raise Unsupported("indexing a tuple with other than a constant in range", node)
            i %= len(parts)
            acc = xs
            for _ in range(i):
                acc = f"{acc}.2"
            return (f"{acc}.1" if i < len(parts) - 1 else acc), parts[i]
        if t not in (LIST, LIST_BOOL):
            raise Unsupported(f"indexing a {_py(t)}", node)
        elem = INT if t == LIST else BOOL
        if isinstance(node.slice, ast.Slice):
            sl = node.slice
            lo, hi, st = sl.lower, sl.upper, sl.step
            if st is not None:
                if _const_int(st) == -1 and lo is None and hi is None:
                    return f"{xs}.reverse", t
                raise Unsupported("a slice step other than `[::-1]`", node)
            lo_c = _const_int(lo) if lo is not None else 0
            hi_c = _const_int(hi) if hi is not None else None
            if hi is None and lo_c is not None and lo_c >= 0:
                return (f"{xs}.drop {lo_c}" if lo_c else xs), t
            if lo_c == 0 and hi_c is not None and hi_c >= 0:
                return f"{xs}.take {hi_c}", t
            n = f"{xs}.length"
            lo_v = self.expr_as(lo, env, INT) if lo is not None else "(0 : Int)"
            hi_v = self.expr_as(hi, env, INT) if hi is not None else f"({n} : Int)"
            lo_i = f"(if {lo_v} < 0 then (({n} : Int) + {lo_v}).toNat else min {lo_v}.toNat {n})"
            hi_i = f"(if {hi_v} < 0 then (({n} : Int) + {hi_v}).toNat else min {hi_v}.toNat {n})"
            return f"(({xs}.drop {lo_i}).take ({hi_i} - {lo_i}))", t
        if isinstance(node.slice, ast.Name) and env.safe_index.get(node.slice.id) == getattr(node.value, "id", None):
            return f"({xs}.getD {lean_ident(node.slice.id)}.toNat {'0' if elem == INT else 'false'})", elem
        raise Unsupported("indexing a list other than `xs[i]` inside `for i in range(len(xs))` (it may raise "
                          "IndexError)", node)

    def listcomp(self, node: ast.ListComp, env: Env) -> tuple[str, str]:
        if len(node.generators) != 1:
            raise Unsupported("a list comprehension with several `for`s", node)
        g = node.generators[0]
        if not isinstance(g.target, ast.Name) or g.is_async:
            raise Unsupported("a comprehension target other than one variable", node)
        var = g.target.id
        it = g.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
            seq, elem = self._range_list(it, env), INT
        else:
            seq, st = self.expr(it, env)
            if st not in (LIST, LIST_BOOL):
                raise Unsupported("a comprehension over something other than a list or a range", node)
            elem = INT if st == LIST else BOOL
        inner = _copy(env)
        inner.types[var] = elem
        v = lean_ident(var)
        for cond in g.ifs:
            seq = f"({seq}.filter (fun {v} => decide ({self.prop(cond, inner)})))"
        out, t = self.expr(node.elt, inner)
        if t == PROP:
            out, t = self._coerce(out, t, BOOL, node), BOOL
        if t not in (INT, BOOL):
            raise Unsupported("a comprehension producing something other than ints or bools", node)
        if out == v:
            return seq, (LIST if t == INT else LIST_BOOL)
        return f"({seq}.map (fun {v} => {out}))", (LIST if t == INT else LIST_BOOL)


# ---------------------------------------------------------------------------------------------------------
# helpers


def _def_name(source: str) -> str:
    m = re.match(r"\s*def\s+(\S+)", source)
    return m.group(1) if m else ""


def _copy(env: Env) -> Env:
    return Env(dict(env.types), env.ret, env.loop_end, env.loop_break, dict(env.safe_index), set(env.fresh_lists))


def _indent(text: str, n: int) -> str:
    return text.replace("\n", "\n" + " " * n)


def _py(t: str) -> str:
    return {INT: "int", BOOL: "bool", LIST: "list[int]", LIST_BOOL: "list[bool]", PROP: "bool"}.get(t, t)


def _const_int(node) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _const_int(node.operand)
        return -inner if inner is not None else None
    return None


def _break_template(carried: list[str], returns: bool) -> str:
    if not carried:
        v = "()"
    elif len(carried) == 1:
        v = "{" + carried[0] + "}"
    else:
        v = "(" + ", ".join("{" + c + "}" for c in carried) + ")"
    return f".ok {v}" if returns else v


def _is_fresh_list(node: ast.expr) -> bool:
    return isinstance(node, (ast.List, ast.ListComp)) or (
        isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "sorted"))


def _assigned(stmts: list[ast.stmt]) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    out |= {e.id for e in ast.walk(t) if isinstance(e, ast.Name)}
            elif isinstance(n, (ast.AugAssign, ast.AnnAssign)) and isinstance(n.target, ast.Name):
                out.add(n.target.id)
            elif isinstance(n, ast.For) and isinstance(n.target, ast.Name):
                out.add(n.target.id)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "append" \
                    and isinstance(n.func.value, ast.Name):
                out.add(n.func.value.id)
    return out


def _assigned_only_inside(node: ast.stmt, env: Env) -> set[str]:
    return {v for v in _assigned(list(getattr(node, "body", []))) if v not in env.types}


def _names_read_in(stmts) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Name):
                out.add(n.id)
    return out


def _mutates(stmts: list[ast.stmt], name: str) -> bool:
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                    and n.func.value.id == name:
                return True
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id == name:
                return True
            if isinstance(n, (ast.Assign, ast.AugAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                for t in targets:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name:
                        return True
    return False


def _contains_return(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for s in stmts for n in ast.walk(s))


def _while_measures(test: ast.expr, tr: FunctionTranslator, env: Env) -> list[str]:
    """Candidate termination measures read off a loop condition."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [m for v in test.values for m in _while_measures(v, tr, env)]
    if isinstance(test, ast.Name) and env.types.get(test.id) in (LIST, LIST_BOOL):
        return [f"{lean_ident(test.id)}.length"]
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        a = tr.expr(test.left, env)
        b = tr.expr(test.comparators[0], env)
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
