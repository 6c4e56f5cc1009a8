"""A Lean file as the file workflows see it: its top-level commands, the theorems among them (name, statement,
proof, where each `sorry` is), and the namespaces each one sits in. Read with `axiomatic.lean.syntax` (the one
lexer); nothing here decides what Lean accepts."""

from __future__ import annotations

from dataclasses import dataclass

from ..formalize.parse import split_declaration
from ..lean.syntax import BRACKETS, LexError, code_tokens, matching_bracket, split_commands, top_level_find

THEOREM_KEYWORDS = ("theorem", "lemma", "example")
MODIFIERS = ("private", "protected", "noncomputable", "nonrec", "partial", "unsafe")


@dataclass(frozen=True)
class Sorry:
    """One `sorry` of a proof: its offset in the file, line and column (1-based line, 0-based column as Lean
    reports), and whether it stands where a tactic or a term goes (`both` when the text does not say)."""

    offset: int
    line: int
    column: int
    position: str  # 'tactic' | 'term' | 'both'


@dataclass(frozen=True)
class Theorem:
    """A `theorem`/`lemma`/`example` command. Offsets are into the file's text."""

    keyword: str
    name: str | None  # None for `example`
    start: int  # the command's first character (attributes and modifiers included)
    end: int
    proof_start: int  # first character after the top-level `:=`
    binders: str  # the signature's binders, as written: `(n : Nat) {α : Type}`
    type: str  # the proposition after the signature's colon
    namespaces: tuple[str, ...]  # the namespaces open around it, outermost first
    sorries: tuple[Sorry, ...]

    @property
    def statement(self) -> str:
        """The proposition with the binders folded into a leading `∀` (what the verifier is asked)."""
        body = " ".join(self.type.split())
        return f"∀ {' '.join(self.binders.split())}, {body}" if self.binders.strip() else body

    @property
    def full_name(self) -> str | None:
        if self.name is None:
            return None
        if self.name.startswith("_root_."):
            return self.name.removeprefix("_root_.")
        return ".".join([*self.namespaces, self.name])

    def proof(self, text: str) -> str:
        return text[self.proof_start:self.end].rstrip()

    @property
    def whole_proof_is_sorry(self) -> bool:
        return len(self.sorries) == 1 and self._whole

    _whole: bool = False

    def as_term(self, written: str) -> str:
        """A proof written after the signature's `:=` as a proof of `statement` (binders become `fun` binders)."""
        if not self.binders.strip():
            return written.strip()
        return f"fun {' '.join(self.binders.split())} => {written.strip()}"

    def label(self) -> str:
        return self.name or f"example at offset {self.start}"


@dataclass(frozen=True)
class LeanFile:
    text: str
    theorems: tuple[Theorem, ...]
    commands: tuple[tuple[int, str], ...]

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def read(text: str) -> LeanFile:
    """Split `text` into commands and read its theorems."""
    commands = split_commands(text)
    theorems: list[Theorem] = []
    scopes: list[str | None] = []  # namespace names; None for a section
    for start, command in commands:
        words = command.split()
        head = words[0] if words else ""
        if head == "namespace" and len(words) > 1:
            scopes.extend(words[1].split("."))  # `namespace A.B` opens two scopes, closed by `end A.B`
            continue
        if head == "section":
            scopes.append(None)
            continue
        if head == "end":
            closes = words[1].split(".") if len(words) > 1 and words[1] not in COMMAND_WORDS else [None]
            for _ in closes:
                if scopes:
                    scopes.pop()
            continue
        theorem = _theorem(text, start, command, tuple(s for s in scopes if s))
        if theorem is not None:
            theorems.append(theorem)
    return LeanFile(text, tuple(theorems), tuple(commands))


COMMAND_WORDS = {"theorem", "lemma", "def", "example", "namespace", "section", "end"}


def _theorem(text: str, start: int, command: str, namespaces: tuple[str, ...]) -> Theorem | None:
    try:
        toks = code_tokens(command)
    except LexError:
        return None
    k = 0
    if toks and toks[0].text == "@" and command.startswith("@[", toks[0].start):
        close = matching_bracket(command, toks[0].start + 1)
        while k < len(toks) and toks[k].start <= close:
            k += 1
    while k < len(toks) and toks[k].text in MODIFIERS:
        k += 1
    if k >= len(toks) or toks[k].text not in THEOREM_KEYWORDS:
        return None
    keyword = toks[k].text
    name, sig_start = None, toks[k].end
    if keyword != "example":
        if k + 1 >= len(toks) or toks[k + 1].kind != "ident":
            return None
        name, sig_start = toks[k + 1].text, toks[k + 1].end
    assign = top_level_find(command, ":=", sig_start)
    if assign < 0:
        return None
    parts = split_declaration(command[sig_start:assign])
    if parts is None:
        return None
    binders, typ = parts
    proof_toks = [t for t in toks if t.start >= assign + 2]
    sorries = tuple(_sorry(text, start, toks, i) for i, t in enumerate(toks)
                    if t.start >= assign + 2 and t.kind == "ident" and t.text == "sorry")
    whole = [t.text for t in proof_toks] in (["sorry"], ["by", "sorry"])
    theorem = Theorem(keyword, name, start, start + len(command.rstrip()), start + assign + 2, binders, typ,
                      namespaces, sorries)
    object.__setattr__(theorem, "_whole", whole)
    return theorem


def _sorry(text: str, start: int, toks, i: int) -> Sorry:
    t = toks[i]
    offset = start + t.start
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1)
    # symbols lex one character at a time (`:=` is `:` `=`): judge by the code just before the token
    before = "".join(p.text for p in toks[max(0, i - 3):i])
    words = [p.text for p in toks[max(0, i - 1):i]]
    if before.endswith((":=", "(", ",", "⟨")) or words in (["exact"], ["refine"], ["from"]):
        position = "term"
    elif before.endswith(("<;>", ";", "·")) or words == ["by"]:
        position = "tactic"
    else:
        position = "both"  # `=>` (a `fun` or a `case`), a sorry starting a line...: let Lean tell
    return Sorry(offset, line, column, position)


def explicit_binder_names(binders: str) -> list[str] | None:
    """Names of the explicit `(x y : T)` binders, in order; None when one is anonymous or unreadable (the
    caller then cannot apply a proof of the `∀` form to them)."""
    names: list[str] = []
    i = 0
    while i < len(binders):
        ch = binders[i]
        if ch.isspace():
            i += 1
            continue
        if ch not in BRACKETS:
            return None
        j = matching_bracket(binders, i)
        if j < 0:
            return None
        inner = binders[i + 1:j]
        if ch == "(":
            colon = top_level_find(inner, ":")
            if colon < 0:
                return None
            group = inner[:colon].split()
            if not group or any(n == "_" for n in group):
                return None
            names += group
        i = j + 1
    return names
