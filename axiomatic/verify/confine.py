"""Syntactic confinement of untrusted Lean text (a proof, or a generated statement) to one term.

The text is pasted into a file that axiomatic writes, inside parentheses after `:=`. Lean's parser recovers
from a parse error by skipping to the next *command* keyword, so the one thing pasted text must never contain
is a token that starts a command; nor may it leave a comment, string or bracket open (that would swallow or
re-shape the file around it). This module lexes the text the way Lean does (nested `/- -/` comments, `--`
comments, string and char literals, «quoted» names) and refuses those tokens, plus the escape hatches that
work *inside* a term (`set_option ... in`, `open ... in`, `by_elab`, `run_tac`, `native_decide`...).

This is a first line only: the kernel-level checks (type equality, axiom audit) run on whatever passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that begin a command (Lean 4 core). Any of these in the text is an attempt to leave the term.
COMMAND_KEYWORDS = frozenset(
    """
    theorem lemma def abbrev instance example axiom axioms opaque structure class inductive coinductive mutual
    namespace section end open export universe universes variable variables import prelude set_option
    attribute macro macro_rules syntax elab elab_rules notation infix infixl infixr prefix postfix
    declare_syntax_cat initialize builtin_initialize deriving private protected noncomputable partial unsafe
    local scoped omit include run_cmd run_elab run_meta termination_by decreasing_by add_decl_doc
    register_option register_simp_attr declare_simp_like_tactic irreducible_def
    """.split()
)
# Escape hatches usable inside a term or tactic block.
TERM_ESCAPES = {
    "sorry": "sorry",
    "admit": "sorry",
    "native_decide": "native",
    "by_elab": "metaprogram",
    "run_tac": "metaprogram",
    "implemented_by": "native",
    "extern": "native",
}
# Identifiers that reach the compiler or the kernel's trust escape; matched as whole name components.
BANNED_NAME_PARTS = {
    "reduceBool": "native",
    "reduceNat": "native",
    "ofReduceBool": "native",
    "ofReduceNat": "native",
    "trustCompiler": "native",
    "sorryAx": "sorry",
    "skipKernelTC": "options",
    "unsafeCast": "unsafe",
    "unsafeIO": "unsafe",
    "unsafeBaseIO": "unsafe",
    "unsafeEIO": "unsafe",
}
BRACKETS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⦃": "⦄", "⟦": "⟧"}
IDENT_START = re.compile(r"[A-Za-z_\u03b1-\u03c9\u0391-\u03a9\u1f00-\u1ffe\u2100-\u214f\U0001d49c-\U0001d59f]")
IDENT_REST = re.compile(r"[A-Za-z0-9_'!?\u03b1-\u03c9\u0391-\u03a9\u1f00-\u1ffe\u2100-\u214f\u2080-\u209c\U0001d49c-\U0001d59f]")


@dataclass(frozen=True)
class Violation:
    family: str
    reason: str


def tokens(text: str) -> list[tuple[str, str]]:
    """Lex `text` into (kind, token) pairs: kinds 'ident', 'keyword-ish' symbols, 'string', 'char', 'num', 'sym'.

    Raises ValueError for an unterminated comment, string or char literal.
    """
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/-", i):
            depth, i = 1, i + 2
            while depth and i < n:
                if text.startswith("/-", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("-/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            if depth:
                raise ValueError("unterminated comment")
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise ValueError("unterminated string literal")
            out.append(("string", text[i : j + 1]))
            i = j + 1
        elif ch == "«":
            j = text.find("»", i)
            if j < 0:
                raise ValueError("unterminated «name»")
            out.append(("ident", text[i + 1 : j]))
            i = j + 1
        elif ch == "'" and _char_literal_at(text, i):
            j = i + 2 if text[i + 1] != "\\" else text.index("'", i + 2)
            out.append(("char", text[i : j + 1]))
            i = j + 1
        elif IDENT_START.match(ch):
            j = i + 1
            while j < n and (IDENT_REST.match(text[j]) or (text[j] == "." and j + 1 < n and IDENT_START.match(text[j + 1]))):
                j += 1
            out.append(("ident", text[i:j]))
            i = j
        elif ch.isdigit():
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "."):
                j += 1
            out.append(("num", text[i:j]))
            i = j
        elif ch == "#" and text.startswith("#[", i):
            i += 1  # an array literal `#[a, b]`: the bracket that follows is an ordinary one
        elif ch == "#" or ch == "@" and text.startswith("@[", i):
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(("sym", text[i:j] if ch == "#" else "@["))
            i = j if ch == "#" else i + 2
        else:
            out.append(("sym", ch))
            i += 1
    return out


def _char_literal_at(text: str, i: int) -> bool:
    """`'a'` is a char literal; `h'` (an identifier's prime) was consumed with the identifier already."""
    if i + 2 < len(text) and text[i + 1] != "\\" and text[i + 2] == "'":
        return True
    return i + 3 < len(text) and text[i + 1] == "\\" and "'" in text[i + 2 : i + 12]


def check_confined(text: str, *, what: str = "proof") -> Violation | None:
    """None if `text` can stand as one term in a file we write; else the first violation found."""
    if not text.strip():
        return Violation("parse", f"the {what} is empty")
    try:
        toks = tokens(text)
    except ValueError as e:
        return Violation("parse", f"the {what} has an {e}; it could swallow the rest of the file")
    stack: list[str] = []
    for kind, tok in toks:
        if kind == "sym" and tok.startswith("#"):
            return Violation("metaprogram", f"`{tok}` starts a command; a {what} must be a single term")
        if kind == "sym" and tok == "@[":
            return Violation("new-declaration", f"attributes (`@[...]`) are not allowed in a {what}")
        if kind == "ident":
            if tok in COMMAND_KEYWORDS:
                family = _keyword_family(tok)
                return Violation(family, f"`{tok}` is not allowed in a {what}: it would start or alter a declaration")
            if tok in TERM_ESCAPES:
                return Violation(TERM_ESCAPES[tok], f"`{tok}` is not allowed in a {what}")
            for part in tok.split("."):
                if part in BANNED_NAME_PARTS:
                    return Violation(BANNED_NAME_PARTS[part], f"`{tok}` bypasses the kernel and is not allowed")
                if part == "native" or part.startswith("unsafe"):
                    return Violation("native" if part == "native" else "unsafe", f"`{tok}` is not allowed")
        if kind == "sym":
            if tok in BRACKETS:
                stack.append(BRACKETS[tok])
            elif tok in BRACKETS.values():
                if not stack or stack.pop() != tok:
                    return Violation("parse", f"unbalanced `{tok}` in the {what}")
    if stack:
        return Violation("parse", f"unclosed bracket in the {what} (expected `{stack[-1]}`)")
    return None


def _keyword_family(tok: str) -> str:
    if tok in {"set_option", "open", "export", "universe", "universes", "variable", "variables", "omit", "include"}:
        return "options"
    if tok in {"macro", "macro_rules", "syntax", "elab", "elab_rules", "notation", "infix", "infixl", "infixr",
               "prefix", "postfix", "declare_syntax_cat"}:
        return "notation"
    if tok in {"run_cmd", "run_elab", "run_meta", "initialize", "builtin_initialize", "import", "prelude"}:
        return "metaprogram"
    if tok in {"unsafe", "partial"}:
        return "unsafe"
    if tok in {"termination_by", "decreasing_by"}:
        return "termination"
    if tok in {"namespace", "section", "end"}:
        return "scope"
    return "new-declaration"
