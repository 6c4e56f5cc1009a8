"""The two sides of an equivalence claim: `file.py:function` or `file.lean:name`, loaded and translated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput
from .subset import (BOOL, INT, LIST, LIST_BOOL, STR, Module, Signature, Translation, Unsupported, elem_type,
                     is_list, lean_ident, tuple_parts)
from .subset.expressions import char_literal

SUPPORTED_LEAN_TYPES = {INT, BOOL, LIST, LIST_BOOL, STR}


@dataclass
class Program:
    spec: str  # as the user wrote it
    language: str  # "python" | "lean"
    path: Path
    function: str
    signature: Signature
    translations: list[Translation] = field(default_factory=list)  # Python only: callees first
    lean_source: str = ""  # Lean only: the user's file (trusted context)

    @property
    def translated_by(self) -> str:
        if self.language == "lean":
            return "user"
        return "llm" if any(t.translated_by == "llm" for t in self.translations) else "axiomatic"

    @property
    def lean_name(self) -> str:
        return self.signature.lean_name

    def definitions(self) -> str:
        if self.language == "lean":
            return self.lean_source
        return "\n\n".join(d for t in self.translations for d in t.definitions)

    @property
    def prelude_names(self) -> set[str]:
        return {n for t in self.translations for n in t.prelude}

    def variant_definitions(self) -> list[str]:
        """Alternative translations (different termination measures) to try when the first does not elaborate."""
        out = [self.definitions()]
        for i, t in enumerate(self.translations):
            for v in t.variants[1:]:
                copy = [list(x.definitions) for x in self.translations]
                copy[i] = v
                out.append("\n\n".join(d for defs in copy for d in defs))
        return out


def parse_spec(spec: str) -> tuple[Path, str]:
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise BadInput(f"`{spec}`: expected FILE.py:FUNCTION or FILE.lean:NAME")
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"`{spec}`: no such file {path}")
    return p, name


def load(spec: str, *, namespace: str, llm=None) -> Program:
    path, name = parse_spec(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text") from None
    if path.suffix == ".py":
        module = Module(text, str(path), namespace=namespace)
        try:
            translations = module.translate(name)
        except Unsupported as refusal:
            if llm is None:
                raise
            # outside the subset: a model's translation, used only once it agrees with CPython on samples
            from .llm_translation import translate_with_llm

            translations = [translate_with_llm(module, name, llm, refusal)]
        return Program(spec, "python", path, name, translations[-1].signature, translations)
    if path.suffix == ".lean":
        return Program(spec, "lean", path, name, lean_signature(text, name, str(path)), lean_source=text)
    raise BadInput(f"`{spec}`: only .py and .lean files are supported")


def lean_signature(text: str, name: str, filename: str) -> Signature:
    """Parameter and result types of `def name (a : T) ... : R` in a Lean file (simple explicit binders)."""
    m = re.search(rf"^\s*(?:noncomputable\s+)?def\s+{re.escape(name)}\b(?P<head>[^:=]*(?:\([^)]*\)[^:=]*)*)"
                  rf":\s*(?P<ret>[^:=]+?)\s*:=", text, re.M)
    if not m:
        m = re.search(rf"^\s*(?:noncomputable\s+)?def\s+{re.escape(name)}\b(?P<head>.*?)\)\s*:\s*(?P<ret>[^:=]+?)"
                      rf"\s*(:=|\n\s*\|)", text, re.M | re.S)
        if not m:
            raise BadInput(f"{filename}: no `def {name} (x : T) ... : R` found")
        head = m.group("head") + ")"
    else:
        head = m.group("head")
    params: list[tuple[str, str]] = []
    for group in re.finditer(r"\(([^()]*?)\s:\s*([^()]+)\)", head):
        names, typ = group.group(1).split(), " ".join(group.group(2).split())
        if typ not in SUPPORTED_LEAN_TYPES:
            raise BadInput(f"{filename}: parameter type `{typ}` of {name} is not one of Int, Bool, List Int, List Bool")
        params += [(n, typ) for n in names]
    ret = " ".join(m.group("ret").split())
    if ret not in SUPPORTED_LEAN_TYPES and not (ret.startswith("(") and "×" in ret):
        raise BadInput(f"{filename}: result type `{ret}` of {name} is not supported")
    return Signature(name, name, params, ret)


def lean_literal(value, typ: str) -> str:
    """A Python value as a Lean term of type `typ` (the values the runner produces)."""
    if isinstance(value, dict) and "tuple" in value:
        parts = tuple_parts(typ)
        return "(" + ", ".join(lean_literal(v, t) for v, t in zip(value["tuple"], parts)) + ")"
    if typ == BOOL:
        return "true" if value else "false"
    if typ == INT:
        return f"({int(value)} : Int)"
    if typ == STR:
        return "([" + ", ".join(char_literal(c) for c in value) + "] : List Char)"
    if is_list(typ):
        elem = elem_type(typ)
        return "(" + "[" + ", ".join(lean_literal(v, elem) for v in value) + f"] : {typ})"
    raise BadInput(f"cannot write a {typ} value in Lean")


def call(program: Program, args: list[str]) -> str:
    return f"({program.lean_name} {' '.join(args)})" if args else program.lean_name


def binders(sig: Signature) -> str:
    return " ".join(f"({lean_ident(p)} : {t})" for p, t in sig.params)


def rename_identifiers(text: str, mapping: dict[str, str]) -> str:
    """`text` with whole identifiers renamed (right-hand parameters to the left-hand side's names)."""
    if not mapping:
        return text
    pattern = re.compile(r"(?<![\w.'«])(" + "|".join(re.escape(k) for k in mapping) + r")(?![\w'»])")
    return pattern.sub(lambda m: mapping[m.group(1)], text)
