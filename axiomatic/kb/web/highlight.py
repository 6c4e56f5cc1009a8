"""Lean source as highlighted HTML: keywords, tactics, comments, strings, numbers, and known names (the
knowledge base's items, a context's definitions) as links. For display only: nothing here decides what Lean
accepts."""

from __future__ import annotations

import re
from typing import Mapping

from markupsafe import Markup, escape

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

TOKEN = re.compile(
    r"(?P<comment>--[^\n]*|/-(?:[^-]|-(?!/))*-/)"
    r"|(?P<string>\"(?:\\.|[^\"\\])*\")"
    r"|(?P<char>'(?:\\.|[^'\\])')"
    r"|(?P<number>\b(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?)\b)"
    r"|(?P<ident>«[^»]*»|[A-Za-z_α-κμ-ωΑ-Ωϊ-ϻἀ-῾℀-⅏𝒜-𝖟][A-Za-z0-9_'!?α-ωΑ-Ωϊ-ϻἀ-῾℀-⅏₀-₉]*"
    r"(?:\.(?:«[^»]*»|[A-Za-z_α-ωΑ-Ωϊ-ϻἀ-῾℀-⅏][A-Za-z0-9_'!?α-ωΑ-Ωϊ-ϻἀ-῾℀-⅏₀-₉]*))*)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def highlight(source: str, links: Mapping[str, str] | None = None) -> Markup:
    """HTML for `source` (every character escaped); an identifier that is a key of `links` links to its value."""
    links = links or {}
    out: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            out.append(str(escape("".join(plain))))
            plain.clear()

    for m in TOKEN.finditer(source):
        kind, text = m.lastgroup, m.group()
        if kind == "other":
            plain.append(text)
            continue
        flush()
        css = kind
        if kind == "ident":
            css = _ident_class(text)
            if text in links:
                out.append(f'<a class="tok-ref" href="{escape(links[text])}">{escape(text)}</a>')
                continue
        if css:
            out.append(f'<span class="tok-{css}">{escape(text)}</span>')
        else:
            out.append(str(escape(text)))
    flush()
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
