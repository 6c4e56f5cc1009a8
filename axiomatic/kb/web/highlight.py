"""Lean source as highlighted HTML: keywords, tactics, comments, strings, numbers, and known names (the
knowledge base's items, a context's definitions) as links. For display only: nothing here decides what Lean
accepts."""

from __future__ import annotations

from typing import Mapping

from markupsafe import Markup, escape

from ...lean.syntax import LexError, tokens

COMMANDS = frozenset(
    "theorem lemma def abbrev example instance structure inductive class where extends deriving namespace end "
    "section open variable universe noncomputable private protected partial unsafe mutual set_option in import "
    "axiom opaque termination_by decreasing_by attribute local scoped export macro syntax notation infix infixl "
    "infixr prefix postfix".split())
TERM_KEYWORDS = frozenset(
    "fun λ let have show from by at with match if then else do return calc suffices using forall exists Type Prop "
    "Sort this".split())
TACTICS = frozenset(
    "intro intros rfl simp simp_all simp_arith omega decide exact apply refine rw rewrite rwa induction cases "
    "rcases obtain constructor left right exists use contradiction exfalso assumption trivial norm_num linarith "
    "grind unfold generalize specialize subst injection funext ext congr split next case all_goals any_goals "
    "first try repeat focus show_term calc change native_decide aesop positivity nlinarith ring field_simp "
    "by_cases by_contra absurd symm trans exact? apply? simpa dsimp conv nofun nomatch".split())
WARN = frozenset(("sorry", "admit", "native_decide"))

def highlight(source: str, links: Mapping[str, str] | None = None) -> Markup:
    """HTML for `source` (every character escaped); an identifier that is a key of `links` links to its value.
    Tokens come from `axiomatic.lean.syntax`; text after an unterminated literal or comment is shown plain."""
    links = links or {}
    try:
        toks, rest = tokens(source, keep_space=True), ""
    except LexError as e:
        toks, rest = tokens(source[: e.at], keep_space=True), source[e.at:]
    out: list[str] = []
    for t in toks:
        css = {"comment": "comment", "string": "string", "char": "char", "number": "number"}.get(t.kind, "")
        if t.kind == "ident":
            if t.text in links:
                out.append(f'<a class="tok-ref" href="{escape(links[t.text])}">{escape(t.text)}</a>')
                continue
            css = _ident_class(t.text)
        elif t.kind == "symbol" and t.text.startswith("#") and len(t.text) > 1:
            css = "command"
        out.append(f'<span class="tok-{css}">{escape(t.text)}</span>' if css else str(escape(t.text)))
    out.append(str(escape(rest)))
    return Markup("".join(out))


def _ident_class(text: str) -> str:
    if text in WARN:
        return "warn"
    if text in COMMANDS:
        return "command"
    if text in TERM_KEYWORDS:
        return "keyword"
    if text in TACTICS:
        return "tactic"
    if text[:1].isupper() or "." in text:
        return "const"
    return ""
