"""axiomatic/lean/syntax.py: the one Python reading of Lean's surface syntax. Unit cases, properties with
hypothesis, and a comparison with Lean's own tokenizer (tests/lean/lean_tokens.lean) on generated text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axiomatic.lean.syntax import (LexError, balanced, identifiers, lean_string, matching_bracket, split_commands,
                                   split_header, split_top, strip_comments, tokens)

LEAN_TOKENS = Path(__file__).with_name("lean_tokens.lean")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens(text)]


@pytest.mark.parametrize("text, expected", [
    ('r"\\"; sorry)', [("string", 'r"\\"'), ("symbol", ";"), ("ident", "sorry"), ("symbol", ")")]),
    ('r#"a"b"#', [("string", 'r#"a"b"#')]),
    ('s!"{ "}" }" x', [("symbol", "s!"), ("string", '"{ "}" }"'), ("ident", "x")]),
    ("λ'\"' => x", [("symbol", "λ"), ("char", "'\"'"), ("symbol", "="), ("symbol", ">"), ("ident", "x")]),
    ("α' x", [("ident", "α'"), ("ident", "x")]),
    ("h' 'c'", [("ident", "h'"), ("char", "'c'")]),
    ("/- /- -/ x -/ y", [("comment", "/- /- -/ x -/"), ("ident", "y")]),
    ("«a b».c d", [("ident", "«a b».c"), ("ident", "d")]),
    ("x.1 + 2.5e3", [("ident", "x"), ("symbol", "."), ("number", "1"), ("symbol", "+"), ("number", "2.5e3")]),
    ("#eval #[1]", [("symbol", "#eval"), ("symbol", "#"), ("symbol", "["), ("number", "1"), ("symbol", "]")]),
    ("x₁ 𝔽", [("ident", "x₁"), ("ident", "𝔽")]),
])
def test_tokens(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", ['"abc', "/- x", "r#\"x\"", "'\\n", "«x", 's!"{x"'])
def test_unterminated_text_raises(text):
    with pytest.raises(LexError):
        tokens(text)


def test_structure_helpers_skip_strings_and_comments():
    assert split_top('∀ x, (a = b) = c -- = d', " = ") == ["∀ x, (a = b)", "c -- = d"]
    assert split_top('"a → b" → c', "→") == ['"a → b"', "c"]
    assert balanced('(a ")" b)') and not balanced("(a") and not balanced('(a "b)')
    assert matching_bracket('(a (b) ")" c)', 0) == 12
    assert strip_comments('a -- x\nb /- y -/ c "--"') == 'a  \nb   c "--"'
    assert identifiers('f x "y" /- z -/ «w v»') == ["f", "x", "«w v»"]
    assert split_header("-- hi\nimport Foo\nimport Bar.Baz\n\ndef x := 1\n") == (["import Foo", "import Bar.Baz"],
                                                                                "def x := 1\n")
    commands = split_commands("def a := 1\n\n@[simp]\ntheorem b : a = 1 := by\n  rfl\nnamespace X\nend X\n")
    assert [c.split()[0] for _, c in commands] == ["def", "@[simp]", "namespace", "end"]


ATOMS = ['"', "\\", "'", "r", "#", "«", "»", "/-", "-/", "--", "(", ")", "{", "}", "\n", " ", "a", "h", "α", "λ",
         "x1", "0", "1.5", "e3", ".", "s!", "fun", "=>", ":=", "sorry", "₁", "é"]
text_strategy = st.lists(st.sampled_from(ATOMS), max_size=25).map("".join)


@given(text_strategy)
@settings(max_examples=300, deadline=None)
def test_tokens_tile_the_text(text):
    """Tokens (with spaces) cover the text exactly, in order, or the lexer says where it stops."""
    try:
        toks = tokens(text, keep_space=True)
    except LexError as e:
        assert 0 <= e.at < len(text)
        return
    assert "".join(t.text for t in toks) == text
    assert all(a.end == b.start for a, b in zip(toks, toks[1:]))


@given(text_strategy)
@settings(max_examples=300, deadline=None)
def test_stripping_comments_keeps_the_code(text):
    try:
        code = [(t.kind, t.text) for t in tokens(text) if t.kind != "comment"]
    except LexError:
        return
    stripped = strip_comments(text)
    assert [(t.kind, t.text) for t in tokens(stripped)] == code
    assert strip_comments(stripped) == stripped


@given(st.lists(st.sampled_from(["(", ")", "[", "]", "a", " ", '"()"']), max_size=20).map("".join))
@settings(max_examples=300, deadline=None)
def test_balanced_agrees_with_a_stack(text):
    stack, ok = [], True
    for ch in re.sub(r'"\(\)"', "", text):
        if ch in "([":
            stack.append(")" if ch == "(" else "]")
        elif ch in ")]":
            ok = ok and bool(stack) and stack.pop() == ch
    assert balanced(text) == (ok and not stack)


@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=12).map("".join), st.sampled_from([" → ", " = ", ","]))
@settings(max_examples=200, deadline=None)
def test_split_top_loses_nothing(text, sep):
    parts = split_top(text, sep)
    assert sep.join(parts).replace(" ", "") == text.strip().replace(" ", "") or len(parts) == 1


# -- against Lean's own tokenizer ---------------------------------------------------------------------------------

# no interpolation prefixes (`s!`): Lean's tokenizer alone does not know that braces after `s!"` hold code
LEAN_ATOMS = [a for a in ATOMS if a != "s!"] + ["'a'", "'\\n'", 'r"x"', '"a\\"b"', "«x y»", "h'", "α'"]


def _ours(text: str) -> list[tuple[str, int, int]] | None:
    """(kind, UTF-8 start, UTF-8 stop) of identifiers, strings, chars and numbers, as Lean's driver reports."""
    try:
        toks = tokens(text)
    except LexError:
        return None
    offsets, pos = [], 0
    for ch in text:
        offsets.append(pos)
        pos += len(ch.encode())
    offsets.append(pos)
    kind = {"ident": "word", "string": "string", "char": "char", "number": "number"}
    return [(kind[t.kind], offsets[t.start], offsets[t.end]) for t in toks if t.kind in kind]


@pytest.mark.lean
@settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(samples=st.lists(st.lists(st.sampled_from(LEAN_ATOMS), max_size=16).map("".join), min_size=150, max_size=150))
def test_tokens_agree_with_lean(backend, samples):
    source = LEAN_TOKENS.read_text() + "\n#eval AxiomaticTokens.run [" + ", ".join(map(lean_string, samples)) + "]\n"
    result = backend.check(source, timeout=600)
    assert result.ok, [m.text for m in result.errors]
    lines = {int(m.group(1)): m.group(2) for m in re.finditer(r"AXTOK (\d+) (.*)", "\n".join(x.text for x in result.messages))}
    assert len(lines) == len(samples)
    compared = 0
    for i, text in enumerate(samples):
        report = lines[i].split()
        if report[0] != "ok":
            continue  # Lean's tokenizer stopped (an unterminated literal, an ill-formed char...): no tokens to compare
        leans = [(k, int(a), int(b)) for k, a, b in (tok.split(":") for tok in report[1:]) if k in
                 ("word", "string", "char", "number")]
        assert _ours(text) == leans, f"sample {text!r}"
        compared += 1
    assert compared >= 50
