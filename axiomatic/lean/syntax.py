"""Lean 4's surface syntax, as far as Python needs it: one lexer and the structural helpers built on it.

Every Python caller that looks inside Lean text (statement splitting, reply extraction, highlighting, file
splitting, import headers) uses this module, so strings, comments and brackets are read one way everywhere.
It is never a trust boundary: what Lean accepts is decided by Lean (`axiomatic.verify` hands untrusted text
to Lean's own parser). The lexer follows Lean's (`Lean.Parser.Basic`): nested `/- -/` comments, `--` comments,
string literals with escapes, raw strings `r"…"` / `r#"…"#`, interpolated strings after `s!`/`m!`/`f!` whose
`{…}` hold code, char literals (told from the prime of `h'`), `«quoted»` name components, identifiers with
Lean's letter-like ranges (Greek without `λ`, `Π`, `Σ`), numbers, and everything else as single symbols.
tests/lean/test_syntax.py compares its tokens with Lean's own tokenizer on generated text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

BRACKETS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⦃": "⦄", "⟦": "⟧", "⟮": "⟯", "‹": "›"}
CLOSERS = frozenset(BRACKETS.values())
# Keywords that begin a command (core Lean 4): where a file splits into top-level commands.
COMMAND_KEYWORDS = frozenset(
    """
    theorem lemma def abbrev instance example axiom axioms opaque structure class inductive coinductive mutual
    namespace section end open export universe universes variable variables import prelude set_option
    attribute macro macro_rules syntax elab elab_rules notation infix infixl infixr prefix postfix
    declare_syntax_cat initialize builtin_initialize deriving private protected noncomputable partial unsafe
    local scoped omit include run_cmd run_elab run_meta add_decl_doc register_option module public meta
    #eval #check #print #reduce #exit #guard #guard_msgs #synth #help #lint #where
    """.split()
)
INTERPOLATION_PREFIXES = ("s!", "m!", "f!")


@dataclass(frozen=True)
class Token:
    kind: str  # ident | keyword-like ident | string | char | number | comment | symbol | space
    text: str
    start: int
    end: int


class LexError(ValueError):
    """Unterminated comment, string, char literal or «name»; `at` is where it starts."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.at = at


# -- characters ---------------------------------------------------------------------------------------------------

def is_letter_like(ch: str) -> bool:
    c = ord(ch)
    return ((0x3B1 <= c <= 0x3C9 and c != 0x3BB) or (0x391 <= c <= 0x3A9 and c not in (0x3A0, 0x3A3))
            or 0x3CA <= c <= 0x3FB or 0x1F00 <= c <= 0x1FFE or 0x2100 <= c <= 0x214F or 0x1D49C <= c <= 0x1D59F)


def is_subscript(ch: str) -> bool:
    c = ord(ch)
    return 0x2080 <= c <= 0x2089 or 0x2090 <= c <= 0x209C or 0x1D62 <= c <= 0x1D6A


def is_id_first(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_") or is_letter_like(ch)


def is_id_rest(ch: str) -> bool:
    return (ch.isascii() and (ch.isalnum() or ch in "_'!?")) or is_letter_like(ch) or is_subscript(ch)


# -- the lexer ----------------------------------------------------------------------------------------------------

def tokens(text: str, *, keep_space: bool = False) -> list[Token]:
    """Lex `text`. Raises LexError for an unterminated comment, string, char literal or «name»."""
    return list(_lex(text, keep_space))


def _lex(text: str, keep_space: bool) -> Iterator[Token]:
    i, n = 0, len(text)
    prev: Token | None = None
    while i < n:
        ch = text[i]
        start = i
        if ch.isspace():
            while i < n and text[i].isspace():
                i += 1
            if keep_space:
                yield Token("space", text[start:i], start, i)
            continue
        if text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            tok = Token("comment", text[start:i], start, i)
        elif text.startswith("/-", i):
            i = _block_comment_end(text, i)
            tok = Token("comment", text[start:i], start, i)
        elif ch == '"':
            interpolated = prev is not None and prev.kind == "symbol" and prev.text in INTERPOLATION_PREFIXES \
                and prev.end == start
            i = _string_end(text, i, interpolated)
            tok = Token("string", text[start:i], start, i)
        elif ch == "r" and _raw_string_at(text, i):
            i = _raw_string_end(text, i)
            tok = Token("string", text[start:i], start, i)
        elif ch == "'" and _char_literal_at(text, i, prev):
            i = _char_end(text, i)
            tok = Token("char", text[start:i], start, i)
        elif ch == "«" or is_id_first(ch):
            i = _ident_end(text, i)
            word = text[start:i]
            # `s!` lexes as an identifier but is a token of Lean's table: the prefix of an interpolated string
            tok = Token("symbol" if word in INTERPOLATION_PREFIXES else "ident", word, start, i)
        elif ch.isdigit():
            i = _number_end(text, i)
            tok = Token("number", text[start:i], start, i)
        elif ch == "#" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] == "_"):
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "_?"):
                j += 1
            i = j
            tok = Token("symbol", text[start:i], start, i)
        else:
            i += 1
            tok = Token("symbol", ch, start, i)
        prev = tok
        yield tok


def _block_comment_end(text: str, i: int) -> int:
    depth, j, n = 1, i + 2, len(text)
    while depth and j < n:
        if text.startswith("/-", j):
            depth, j = depth + 1, j + 2
        elif text.startswith("-/", j):
            depth, j = depth - 1, j + 2
        else:
            j += 1
    if depth:
        raise LexError("unterminated comment", i)
    return j


def _string_end(text: str, i: int, interpolated: bool) -> int:
    """Index after the string literal starting at `text[i] == '"'`. In an interpolated string, `{…}` holds
    code (which may itself contain strings and braces)."""
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
        elif c == '"':
            return j + 1
        elif c == "{" and interpolated:
            j = _code_in_braces_end(text, j)
        else:
            j += 1
    raise LexError("unterminated string literal", i)


def _code_in_braces_end(text: str, i: int) -> int:
    """`text[i] == '{'` inside an interpolated string: the index after its matching `}`."""
    depth = 0
    for tok in _lex_from(text, i):
        if tok.kind == "symbol" and tok.text == "{":
            depth += 1
        elif tok.kind == "symbol" and tok.text == "}":
            depth -= 1
            if depth == 0:
                return tok.end
    raise LexError("unterminated interpolation in a string literal", i)


def _lex_from(text: str, i: int) -> Iterator[Token]:
    for tok in _lex(text[i:], False):
        yield Token(tok.kind, tok.text, tok.start + i, tok.end + i)


def _raw_string_at(text: str, i: int) -> bool:
    """`r"` or `r#…#"` not part of a longer identifier."""
    if i > 0 and is_id_rest(text[i - 1]):
        return False
    j = i + 1
    while j < len(text) and text[j] == "#":
        j += 1
    return j < len(text) and text[j] == '"'


def _raw_string_end(text: str, i: int) -> int:
    j = i + 1
    hashes = 0
    while text[j] == "#":
        hashes, j = hashes + 1, j + 1
    close = '"' + "#" * hashes
    end = text.find(close, j + 1)
    if end < 0:
        raise LexError("unterminated raw string literal", i)
    return end + len(close)


def _char_literal_at(text: str, i: int, prev: Token | None) -> bool:
    """`'a'` is a char literal; the prime of `h'` was consumed with the identifier already, so a `'` here
    follows something else (a keyword such as `λ`, a bracket, a space)."""
    if prev is not None and prev.end == i and prev.kind == "ident":
        return False
    if i + 2 < len(text) and text[i + 1] != "\\" and text[i + 2] == "'":
        return True
    return i + 1 < len(text) and text[i + 1] == "\\"


def _char_end(text: str, i: int) -> int:
    if text[i + 1] != "\\":
        return i + 3
    j = text.find("'", i + 3)
    if j < 0:
        raise LexError("unterminated char literal", i)
    return j + 1


def _ident_end(text: str, i: int) -> int:
    n = len(text)
    while True:
        if i < n and text[i] == "«":
            j = text.find("»", i)
            if j < 0:
                raise LexError("unterminated «name»", i)
            i = j + 1
        else:
            i += 1
            while i < n and is_id_rest(text[i]):
                i += 1
        if i + 1 < n and text[i] == "." and (is_id_first(text[i + 1]) or text[i + 1] == "«"):
            i += 1
            continue
        return i


def _number_end(text: str, i: int) -> int:
    n = len(text)
    if text.startswith(("0x", "0X", "0b", "0B", "0o", "0O"), i):
        j = i + 2
        while j < n and (text[j].isalnum() or text[j] == "_"):
            j += 1
        return j
    j = i
    while j < n and text[j].isdigit():
        j += 1
    if j + 1 < n and text[j] == "." and text[j + 1].isdigit():
        j += 1
        while j < n and text[j].isdigit():
            j += 1
    if j < n and text[j] in "eE" and j + 1 < n and (text[j + 1].isdigit() or text[j + 1] in "+-"):
        k = j + 2 if text[j + 1] in "+-" else j + 1
        if k < n and text[k].isdigit():
            j = k
            while j < n and text[j].isdigit():
                j += 1
    return j


# -- structure ----------------------------------------------------------------------------------------------------

def code_tokens(text: str) -> list[Token]:
    """The tokens that are code (no comments). Raises LexError like `tokens`."""
    return [t for t in tokens(text) if t.kind != "comment"]


def strip_comments(text: str) -> str:
    """`text` with every comment replaced by one space (strings and chars kept as they are). Text that does
    not lex (an unterminated string or comment) is returned with what could be read, the rest dropped."""
    out: list[str] = []
    last = 0
    try:
        toks = tokens(text)
    except LexError as e:
        return strip_comments(text[: e.at])
    for t in toks:
        if t.kind == "comment":
            out.append(text[last:t.start])
            out.append(" ")
            last = t.end
    out.append(text[last:])
    return "".join(out)


def bracket_depths(text: str) -> Iterator[tuple[Token, int]]:
    """Each code token with the number of brackets open before it. Raises LexError."""
    depth = 0
    for t in code_tokens(text):
        if t.kind == "symbol" and t.text in CLOSERS:
            depth -= 1
            yield t, depth
        elif t.kind == "symbol" and t.text in BRACKETS:
            yield t, depth
            depth += 1
        else:
            yield t, depth


def balanced(text: str) -> bool:
    """Every bracket closed by its own kind, and nothing unterminated."""
    stack: list[str] = []
    try:
        toks = code_tokens(text)
    except LexError:
        return False
    for t in toks:
        if t.kind != "symbol":
            continue
        if t.text in BRACKETS:
            stack.append(BRACKETS[t.text])
        elif t.text in CLOSERS:
            if not stack or stack.pop() != t.text:
                return False
    return not stack


def matching_bracket(text: str, at: int) -> int:
    """Index of the bracket that closes the one at `text[at]`, or -1."""
    try:
        toks = code_tokens(text[at:])
    except LexError:
        return -1
    depth = 0
    for t in toks:
        if t.kind != "symbol":
            continue
        if t.text in BRACKETS:
            depth += 1
        elif t.text in CLOSERS:
            depth -= 1
            if depth == 0:
                return at + t.start
    return -1


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans that are not at top level: bracketed groups (brackets included), strings, chars and
    comments. Raises LexError."""
    spans: list[tuple[int, int]] = []
    depth, opened = 0, 0
    for t in tokens(text):
        if depth == 0 and t.kind in ("string", "char", "comment"):
            spans.append((t.start, t.end))
        elif t.kind == "symbol" and t.text in BRACKETS:
            if depth == 0:
                opened = t.start
            depth += 1
        elif t.kind == "symbol" and t.text in CLOSERS and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((opened, t.end))
    if depth:
        spans.append((opened, len(text)))
    return spans


def top_level_find(text: str, needle: str, start: int = 0) -> int:
    """First index >= start of `needle` outside brackets, strings and comments, or -1."""
    try:
        return _find_outside(text, needle, start, hidden_spans(text))
    except LexError:
        return -1


def _find_outside(text: str, needle: str, start: int, spans: list[tuple[int, int]]) -> int:
    i = text.find(needle, start)
    while i >= 0:
        last = i + len(needle) - 1
        if not any(a <= i < b or a <= last < b for a, b in spans) and _is_token_boundary(text, i, needle):
            return i
        i = text.find(needle, i + 1)
    return -1


def _is_token_boundary(text: str, i: int, needle: str) -> bool:
    """A word needle (`where`) must not be part of a longer identifier."""
    if not is_id_first(needle[0]):
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(needle)] if i + len(needle) < len(text) else " "
    return not is_id_rest(before) and not is_id_rest(after)


def split_top(text: str, sep: str) -> list[str]:
    """`text` split at occurrences of `sep` outside brackets, strings and comments; parts stripped. Text that
    does not lex is not split."""
    try:
        spans = hidden_spans(text)
    except LexError:
        return [text.strip()]
    parts, start = [], 0
    i = _find_outside(text, sep, 0, spans)
    while i >= 0:
        parts.append(text[start:i])
        start = i + len(sep)
        i = _find_outside(text, sep, start, spans)
    parts.append(text[start:])
    return [p.strip() for p in parts]


def identifiers(text: str) -> list[str]:
    """The identifiers of `text` in order (comments, strings and chars skipped; `«»` kept as written)."""
    try:
        return [t.text for t in code_tokens(text) if t.kind == "ident"]
    except LexError:
        return []


def split_header(text: str) -> tuple[list[str], str]:
    """The leading `import` (and `module`/`prelude`) commands of a file, one per entry, and the rest of it.
    Comments before and between them belong to the header."""
    lines = text.splitlines(keepends=True)
    header: list[str] = []
    consumed = 0
    in_comment = False
    for line in lines:
        stripped = line.strip()
        if in_comment:
            consumed += len(line)
            in_comment = "-/" not in stripped
            continue
        if not stripped or stripped.startswith("--"):
            consumed += len(line)
            continue
        if stripped.startswith("/-"):
            consumed += len(line)
            in_comment = "-/" not in stripped[2:]
            continue
        words = stripped.split()
        while words and words[0] in ("public", "meta", "private"):
            words = words[1:]
        if words and words[0] in ("import", "module", "prelude"):
            header.append(stripped)
            consumed += len(line)
            continue
        break
    if not header:
        return [], text
    return header, text[consumed:]


def split_commands(text: str) -> list[tuple[int, str]]:
    """Top-level commands of a Lean file as (start offset, text): a command starts at a command keyword (or
    modifier / attribute) that begins a line outside any bracket, comment or string."""
    starts: list[int] = []
    try:
        depths = list(bracket_depths(text))
    except LexError:
        return [(0, text)]
    pending_attr = -1
    for t, depth in depths:
        at_line_start = t.start == 0 or text[t.start - 1] == "\n"
        if depth == 0 and at_line_start:
            if t.kind == "symbol" and t.text == "@" and text.startswith("@[", t.start):
                pending_attr = t.start
                starts.append(t.start)
                continue
            if (t.kind in ("ident", "symbol")) and t.text in COMMAND_KEYWORDS:
                if not (starts and starts[-1] == pending_attr and _only_attr_between(text, pending_attr, t.start)):
                    starts.append(t.start)
                pending_attr = -1
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(text)]
    return [(bounds[k], text[bounds[k]:bounds[k + 1]]) for k in range(len(starts)) if text[bounds[k]:bounds[k + 1]].strip()]


def _only_attr_between(text: str, attr_start: int, keyword_start: int) -> bool:
    close = matching_bracket(text, attr_start + 1)
    return close >= 0 and not text[close + 1:keyword_start].strip(" \t\n")


def looks_like_one_term(text: str) -> bool:
    """A cheap screen, never a trust boundary: the text lexes, its brackets balance and no command keyword
    (`theorem`, `#eval`, `end`, `set_option`...) appears in it, so pasting it after `:=` in a file we write for
    screening cannot reshape the rest of that file. (What Lean accepts as a proof is decided by the verifier,
    which hands the text to Lean's own parser as a string literal.)"""
    if not text.strip():
        return False
    try:
        toks = code_tokens(text)
    except LexError:
        return False
    if any(t.text in COMMAND_KEYWORDS and t.text not in ("open", "in") and t.kind in ("ident", "symbol")
           for t in toks):
        return False
    return balanced(text)


def lean_string(text: str) -> str:
    """`text` as a Lean string literal: `\\`, `"` and control characters escaped, everything else literal."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError("the text contains a lone surrogate code point")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
