"""The subset's borders (no Lean): what is refused says the construct and its line; guards make partial
operations safe; preconditions and `# requires:` comments become the domain."""

from __future__ import annotations

from pathlib import Path

import pytest

from axiomatic.equiv import Module, Unsupported
from axiomatic.equiv.programs import load

PROGRAMS = Path(__file__).parent / "programs"

UNSUPPORTED = {
    "true_division": (2, "true division"), "uses_dict": (6, "Dict"), "variable_divisor": (11, "may be zero"),
    "indexes": (15, "IndexError"), "mutates_argument": (18, "mutating the parameter `xs`"),
    "no_hints": (23, "missing type hint"), "spins": (28, "measure"), "prints": (34, "print(x)"),
    "floats": (38, "`float`"), "falls_off": (42, "without `return`"),
    "last_index": (49, "loop variable `i` after the loop"), "max_of_maybe_empty": (55, "may be empty"),
    "unguarded_head": (60, "IndexError"), "guard_then_reassign": (67, "IndexError"),
    "bad_requires": (72, "`# requires:`"),
}


@pytest.mark.parametrize("function", sorted(UNSUPPORTED))
def test_constructs_outside_the_subset_are_refused_with_line_and_name(function):
    line, words = UNSUPPORTED[function]
    module = Module((PROGRAMS / "unsupported.py").read_text(), "unsupported.py", namespace="u")
    with pytest.raises(Unsupported) as info:
        module.translate(function)
    assert info.value.line == line
    assert words in str(info.value) and "outside the supported Python subset" in str(info.value)


def test_every_construct_of_the_wider_subset_translates():
    module = Module((PROGRAMS / "constructs.py").read_text(), "constructs.py", namespace="c")
    assert len(module.functions) >= 25
    for name in module.functions:
        assert module.translate(name)[-1].definitions, name


def _translate(tmp_path, source: str, name: str = "f"):
    path = tmp_path / "m.py"
    path.write_text(source)
    return load(f"{path}:{name}", namespace="m")


@pytest.mark.parametrize("body", [
    "    if xs:\n        return xs[0]\n    return 0\n",
    "    if len(xs) > 0:\n        return xs[-1]\n    return 0\n",
    "    if not xs:\n        return 0\n    return xs[0]\n",
    "    if len(xs) < 2:\n        return 0\n    return xs[1] + xs[-2]\n",
    "    return xs[0] if xs != [] else 0\n",
    "    return 0 if not xs else max(xs)\n",
    "    n = 0\n    for i in range(1, len(xs)):\n        n += xs[i] - xs[i - 1]\n    return n\n",
    "    i = 0\n    while i < len(xs):\n        i += 1\n    return xs[i - 1] if i > 0 and i <= len(xs) else 0\n",
])
def test_guards_make_indexing_safe(tmp_path, body):
    _translate(tmp_path, "def f(xs: list[int]) -> int:\n" + body)


@pytest.mark.parametrize("body", [
    "    if len(xs) > 0:\n        return xs[1]\n    return 0\n",  # one element is not two
    "    if xs:\n        return 0\n    return xs[0]\n",  # the wrong branch
    "    for i in range(len(xs) + 1):\n        pass\n    return 0 if not xs else xs[len(xs)]\n",
    "    return xs[0] or 1\n",
])
def test_guards_that_do_not_rule_out_index_error_are_refused(tmp_path, body):
    with pytest.raises(Unsupported):
        _translate(tmp_path, "def f(xs: list[int]) -> int:\n" + body)


def test_division_by_a_variable_needs_a_guard_and_floors(tmp_path):
    p = _translate(tmp_path, "def f(a: int, d: int) -> int:\n    if d == 0:\n        return 0\n    return a // d\n")
    assert "Int.fdiv a d" in p.definitions()  # sign unknown: floor division, as Python
    p = _translate(tmp_path, "def f(a: int, d: int) -> int:\n    assert d > 0\n    return a % d\n")
    assert "(a % d)" in p.definitions()  # positive divisor: Lean's `%` agrees with Python's


def test_requires_comments_and_asserts_become_the_domain(tmp_path):
    p = _translate(tmp_path, "def f(n: int, s: str) -> int:\n    # requires: n >= 0 and n < 10\n"
                             "    assert len(s) > 1\n    return n + len(s)\n")
    assert p.signature.python_preconditions == ["s.isascii()", "n >= 0 and n < 10", "len(s) > 1"]
    assert p.signature.preconditions[0] == "∀ c ∈ s, c.toNat < 128"  # str values are ASCII (documented)
    assert p.signature.preconditions[1] == "(n ≥ (0 : Int) ∧ n < (10 : Int))"
