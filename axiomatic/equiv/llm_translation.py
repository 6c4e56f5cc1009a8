"""Lean translations written by a model, for Python outside the deterministic subset.

Only the function's *signature* (its type hints) and preconditions come from our own translator; the body's
meaning comes from the model and is therefore a claim, not a construction. It is used only after it
elaborates and agrees with CPython on every sample input (the same kernel-evaluated check as for our own
translations, engine._validated_definitions), and results built on it say `translated_by: llm`.
"""

from __future__ import annotations

import ast
import re

from ..errors import BadInput
from ..llm import LLM
from .subset import FunctionTranslator, Module, Translation, Unsupported

SYSTEM = (
    "You translate Python functions into Lean 4 (core Lean 4.28 only: no Mathlib). Write total, "
    "noncomputable-friendly definitions whose value equals what CPython returns for every input satisfying "
    "the asserts. Python ints are Lean `Int` (unbounded); Python `//` and `%` floor (use `Int.fdiv`/`Int.fmod` "
    "for non-constant divisors); lists of ints are `List Int`. Reply with one ```lean block containing only "
    "`def` declarations (helpers first), no `partial`, no `unsafe`, no `sorry`, no imports."
)
FENCE = re.compile(r"```[ \t]*(?:lean4?|)[ \t]*\n(.*?)```", re.DOTALL)
FORBIDDEN = re.compile(r"\b(sorry|sorryAx|admit|partial|unsafe|axiom|implemented_by|extern|native_decide|macro|syntax|"
                       r"elab|import|set_option|opaque|instance|attribute|#\w+)\b")


def translate_with_llm(module: Module, name: str, llm: LLM, refusal: Unsupported) -> Translation:
    sig = module.signature(name)
    tr = FunctionTranslator(module, module.functions[name])
    tr.preconditions()  # the theorem's hypotheses come from our translator, never from the model
    params = " ".join(f"({p} : {t})" for p, t in sig.lean_params)
    source = ast.get_source_segment(module.source, module.functions[name]) or ast.unparse(module.functions[name])
    prompt = (f"Translate this Python function.\n```python\n{source}\n```\nThe Lean definition must be exactly "
              f"`def {sig.lean_name} {params} : {sig.returns}` (helpers may be defined before it, with names "
              f"starting `{sig.lean_name}_`).")
    replies = llm.complete([{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}])
    text = replies[0].text if replies else ""
    blocks = FENCE.findall(text or "")
    if not blocks:
        raise BadInput(f"{refusal.message}; the model's translation had no Lean code block")
    code = blocks[-1].strip()
    bad = FORBIDDEN.search(code)
    if bad:
        raise BadInput(f"{refusal.message}; the model's translation uses `{bad.group(0)}`, which is not allowed")
    declared = re.findall(r"(?m)^\s*(?:noncomputable\s+)?def\s+([^\s(:]+)", code)
    if sig.lean_name not in declared or any(d != sig.lean_name and not d.startswith(sig.lean_name + "_")
                                            for d in declared):
        raise BadInput(f"{refusal.message}; the model's translation does not define `{sig.lean_name}` "
                       f"(and only helpers named `{sig.lean_name}_...`)")
    header = re.search(rf"(?m)^\s*(?:noncomputable\s+)?def\s+{re.escape(sig.lean_name)}\s+(.*?):=", code, re.S)
    wanted = f"{params} : {sig.returns}"
    if header is None or " ".join(header.group(1).split()) != " ".join(wanted.split()):
        raise BadInput(f"{refusal.message}; the model's translation has another signature than "
                       f"`{sig.lean_name} {wanted}`")
    return Translation(sig, [code], [], [], "", translated_by="llm")
