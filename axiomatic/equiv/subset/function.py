"""One Python function -> Lean definitions: its preconditions, its loops (as auxiliary definitions), itself."""

from __future__ import annotations

import ast
import re

from .calls import CallTranslator
from .env import Env
from .expressions import ExpressionTranslator
from .guards import facts_of
from .loops import LoopTranslator, decreasing
from .sequences import SequenceTranslator
from .statements import StatementTranslator
from .syntax import called_functions, def_name, indent, mutates, names_read_in
from .types import BOOL, INT, PROP, STR, Translation, Unsupported, elem_type, is_list, lean_ident

REQUIRES = re.compile(r"^\s*#\s*requires:\s*(?P<expr>.+?)\s*$")


class FunctionTranslator(StatementTranslator, LoopTranslator, ExpressionTranslator, CallTranslator,
                         SequenceTranslator):
    def __init__(self, module, fn: ast.FunctionDef) -> None:
        self.module, self.fn = module, fn
        self.sig = module.signature(fn.name)
        self.aux: list[str] = []
        self.aux_count = 0
        self.loop_names: list[str] = []
        self.prelude: set[str] = set()
        self.recursive = fn.name in called_functions(fn, {fn.name})
        self.in_while = False
        self.measure_candidates: dict[str, list[str]] = {}
        self.loop_calls: list[tuple[str, list[str]]] = []  # (call term, carried variables), in order

    # -- entry --------------------------------------------------------------------------------------------

    def preconditions(self) -> tuple[list[str], list[ast.stmt], Env]:
        """The domain: leading asserts and `# requires: EXPR` comments among them (Lean propositions and the
        Python expressions), the statements after them, and the environment that knows them."""
        body = list(self.fn.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        env = Env(dict(self.sig.params), "{}")
        tests: list[ast.expr] = []
        for p, t in self.sig.params:  # str values range over ASCII (docs/equivalence.md)
            if t == STR:
                tests.append(ast.parse(f"{p}.isascii()", mode="eval").body)
            elif is_list(t) and elem_type(t) == STR:
                tests.append(ast.parse(f"all(w.isascii() for w in {p})", mode="eval").body)
        lines = self.module.source.splitlines()
        first_stmt = next((s for s in body if not isinstance(s, ast.Assert)), None)
        stop = first_stmt.lineno - 1 if first_stmt is not None else (self.fn.end_lineno or len(lines))
        for lineno in range(self.fn.lineno, stop):
            m = REQUIRES.match(lines[lineno])
            if m:
                try:
                    expr = ast.parse(m.group("expr"), mode="eval").body
                except SyntaxError:
                    raise Unsupported(f"the `# requires:` comment `{m.group('expr')}` (not a Python expression)",
                                      ast.Pass(lineno=lineno + 1, col_offset=0)) from None
                ast.increment_lineno(expr, lineno)
                tests.append(expr)
        while body and isinstance(body[0], ast.Assert):
            tests.append(body[0].test)
            body = body[1:]
        pres, python = [], []
        for test in tests:
            pres.append(self.string_domain(test, env) or self.prop(test, env))
            python.append(ast.unparse(test))
            env = env.knowing(facts_of(test, env.types))
        self.sig.preconditions, self.sig.python_preconditions = pres, python
        return pres, body, env

    def string_domain(self, test: ast.expr, env: Env) -> str:
        """The ASCII hypothesis of a str parameter, in Lean."""
        text = ast.unparse(test)
        for p, t in self.sig.params:
            if text == f"{p}.isascii()":
                return f"∀ c ∈ {lean_ident(p)}, c.toNat < 128"
            if text == f"all((w.isascii() for w in {p}))":
                return f"∀ w ∈ {lean_ident(p)}, ∀ c ∈ w, c.toNat < 128"
        return ""

    def run(self) -> Translation:
        pres, body, env = self.preconditions()
        for p, t in self.sig.params:
            if is_list(t) and mutates(body, p):
                raise Unsupported(f"mutating the parameter `{p}` (callers would see it)", self.fn)
        value = self.block(body, env, end=None)
        params = " ".join(f"({lean_ident(p)} : {t})" for p, t in self.sig.params)
        header = f"def {self.sig.lean_name} {params} : {self.sig.returns} :="
        main = f"{header}\n  {indent(value, 2)}"
        if self.recursive and pres:
            # Python checks the asserts on every call; a failing one raises. The guard gives the termination
            # proof the preconditions, and leaves the value outside them unspecified (`default`): the theorem
            # only speaks about inputs that satisfy them.
            guard = " ∧ ".join(f"({p})" for p in pres)
            main = f"{header}\n  if _hpre : {guard} then\n    {indent(value, 4)}\n  else default"
        mains = [main]
        if self.recursive:
            lists = [lean_ident(p) for p, t in self.sig.params if is_list(t)]
            mains = [f"{main}\ntermination_by {m}\n{decreasing(lists)}" for m in self._recursion_measures()]
        # Termination measures are guesses; Lean decides. The first guess everywhere, then each alternative
        # on its own (engine elaborates them all in one run and keeps the first that is accepted).
        variants = [[*self.aux, mains[0]]]
        for i, aux in enumerate(self.aux):
            for alternative in self.measure_candidates.get(def_name(aux), [])[1:]:
                variants.append([*self.aux[:i], alternative, *self.aux[i + 1:], mains[0]])
        variants += [[*self.aux, m] for m in mains[1:]]
        direct = "" if self.recursive else self.direct_form(body)
        return Translation(self.sig, variants[0], variants if len(variants) > 1 else [], self._calls(), direct,
                           prelude=sorted(self.prelude), loops=list(self.loop_names), recursive=self.recursive)

    def direct_form(self, body: list[ast.stmt]) -> str:
        """`init...; loop; return v` as the single term `loop_call(inits)` (projected to v).

        Provers generalise such a term's constant arguments into accumulator lemmas (prover/generalize.py);
        the function itself hides them behind `let`s. Only for this exact shape; "" otherwise.
        """
        if len(body) < 2 or not isinstance(body[-1], ast.Return) or not isinstance(body[-1].value, ast.Name) \
                or not isinstance(body[-2], (ast.For, ast.While)) or len(self.loop_calls) != 1:
            return ""
        inits: dict[str, str] = {}
        env = self.preconditions()[2]  # the initial values are read where the domain is known
        for s in body[:-2]:
            if not (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)):
                return ""
            if names_read_in([ast.Expr(s.value)]) - set(p for p, _ in self.sig.params):
                return ""
            try:
                value, t = self.expr(s.value, env)
            except Unsupported:
                return ""
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
        return sorted(called_functions(self.fn, set(self.module.functions)) - {self.fn.name})

    def _recursion_measures(self) -> list[str]:
        out = []
        for p, t in self.sig.params:
            if t == INT:
                out.append(f"{lean_ident(p)}.toNat")
                out.append(f"{lean_ident(p)}.natAbs")
            elif is_list(t):
                out.append(f"{lean_ident(p)}.length")
        if len([p for p, t in self.sig.params if t == INT]) >= 2:
            ints = [lean_ident(p) for p, t in self.sig.params if t == INT]
            out.append(f"({ints[1]} - {ints[0]}).toNat")
        if not out:
            raise Unsupported("recursion without an int or list parameter to measure it by", self.fn)
        return out


