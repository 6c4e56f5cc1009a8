"""The functions of one Python source file, translated on demand (the helpers a function calls come along)."""

from __future__ import annotations

import ast

from ...errors import BadInput
from .function import FunctionTranslator
from .syntax import called_functions
from .types import Signature, Translation, Unsupported, lean_ident, lean_type


class Module:
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
            for callee in sorted(called_functions(self.functions[n], set(self.functions))):
                if callee != n:
                    visit(callee, stack + (n,))
            order.append(n)

        self.signature(name)
        visit(name, ())
        return [FunctionTranslator(self, self.functions[n]).run() for n in order]
