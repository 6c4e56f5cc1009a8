"""Questions about Python syntax trees the translator asks (what a block assigns, reads, mutates...)."""

from __future__ import annotations

import ast
import re


def const_int(node) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = const_int(node.operand)
        return -inner if inner is not None else None
    return None


def is_call(node, *names: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def called_functions(fn: ast.FunctionDef, known: set[str]) -> set[str]:
    return {c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
            and c.func.id in known}


def assigned(stmts: list[ast.stmt]) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    out |= {e.id for e in ast.walk(t) if isinstance(e, ast.Name)}
            elif isinstance(n, (ast.AugAssign, ast.AnnAssign)) and isinstance(n.target, ast.Name):
                out.add(n.target.id)
            elif isinstance(n, ast.For):
                out |= {e.id for e in ast.walk(n.target) if isinstance(e, ast.Name)}
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "append" \
                    and isinstance(n.func.value, ast.Name):
                out.add(n.func.value.id)
    return out


def names_read_in(stmts) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Name):
                out.add(n.id)
    return out


def loaded_names(stmts) -> set[str]:
    return {n.id for s in stmts for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def mutates(stmts: list[ast.stmt], name: str) -> bool:
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                    and n.func.value.id == name and n.func.attr in ("append", "extend", "pop", "insert", "remove",
                                                                     "sort", "reverse", "clear"):
                return True
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id == name:
                return True
            if isinstance(n, (ast.Assign, ast.AugAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                for t in targets:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name:
                        return True
    return False


def contains_return(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for s in stmts for n in ast.walk(s))


def is_fresh_list(node: ast.expr) -> bool:
    """An expression that builds a new list (no other name can see it)."""
    return isinstance(node, (ast.List, ast.ListComp)) or (
        isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)) or is_call(node, "list", "sorted")


def indent(text: str, n: int) -> str:
    return text.replace("\n", "\n" + " " * n)


def def_name(source: str) -> str:
    m = re.match(r"\s*(?:noncomputable\s+)?def\s+(\S+)", source)
    return m.group(1) if m else ""


def only_grows(stmts: list[ast.stmt], name: str) -> bool:
    """`name` is changed in `stmts` only by `name += c` / `name = name + c` with a constant c >= 0."""
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id == name:
                if not (isinstance(n.op, ast.Add) and (const_int(n.value) or -1) >= 0):
                    return False
            elif isinstance(n, ast.Assign):
                for t in n.targets:
                    if name in {e.id for e in ast.walk(t) if isinstance(e, ast.Name)}:
                        v = n.value
                        if not (isinstance(t, ast.Name) and isinstance(v, ast.BinOp) and isinstance(v.op, ast.Add)
                                and isinstance(v.left, ast.Name) and v.left.id == name
                                and (const_int(v.right) or -1) >= 0):
                            return False
            elif isinstance(n, ast.For) and name in {e.id for e in ast.walk(n.target) if isinstance(e, ast.Name)}:
                return False
    return True
