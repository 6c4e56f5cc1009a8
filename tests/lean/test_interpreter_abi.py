"""Code that `#eval` runs goes through Lean's IR interpreter, which calls compiled functions by their exported
`___boxed` wrappers. The embedded build's export trimming once dropped those wrappers and every compiled
function with a `Bool` result answered `false` from interpreted code (the verifier's audit is such code)."""

from __future__ import annotations

import pytest

from axiomatic.lean.wasm_patch import _droppable

CHECKS = {
    "Name.isPrefixOf": ("(`Foo.bar).isPrefixOf `Foo.bar.baz", "true"),
    "Name.isPrefixOf (no)": ("(`Foo.bar).isPrefixOf `Qux", "false"),
    "NameSet.contains": ("(({} : Lean.NameSet).insert `A).contains `A", "true"),
    "Environment.contains": ("(← Lean.getEnv).contains `Nat.add", "true"),
    "String.startsWith": ('"abc".startsWith "ab"', "true"),
    "Nat.blt": ("Nat.blt 2 3", "true"),
}


def test_boxed_wrappers_are_kept_and_their_plain_twins_dropped():
    functions = {"l_f", "l_f___boxed", "l_g", "l_h___at_x", "l_k___boxed"}
    assert not _droppable("l_f___boxed", functions)
    assert _droppable("l_f", functions)  # the interpreter uses the wrapper; native code calls l_f directly
    assert not _droppable("l_g", functions)  # no wrapper: its plain export is the uniform one
    assert _droppable("l_h___at_x", functions)
    assert not _droppable("lean_object_byte_size", functions)


@pytest.mark.lean
def test_interpreted_code_gets_the_right_booleans(backend):
    lines = ["import Lean.Elab.Command"]
    for i, (expr, _) in enumerate(CHECKS.values()):
        lines.append(f"#eval show Lean.Elab.Command.CommandElabM Unit from do IO.println (\"ABI{i} \" ++ toString ({expr}))")
    result = backend.check("\n".join(lines) + "\n", timeout=600)
    assert result.ok, [m.text for m in result.errors]
    printed = "\n".join(m.text for m in result.messages)
    for i, (name, (_, expected)) in enumerate(CHECKS.items()):
        assert f"ABI{i} {expected}" in printed, f"{name}: expected {expected}; Lean printed {printed!r}"
