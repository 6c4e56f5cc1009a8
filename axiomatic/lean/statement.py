"""A structural view of Lean propositions: leading binders, hypotheses, conclusion, top-level relation.

Parsed once (`parse_statement`) into a value that the prover, the conjecturer and the knowledge base share. It
is not Lean's parser: it splits at *top-level* binders, implications and relations (outside brackets, strings
and comments, as `axiomatic.lean.syntax` reads them), which is what generators and tactics need. Everything
built from it is elaborated by Lean before anyone trusts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .syntax import matching_bracket, split_top
from .syntax import identifiers as _identifiers

RELATIONS = ("↔", "≠", "≤", "≥", "=", "<", ">")


@dataclass(frozen=True)
class Binder:
    name: str
    type: str
    kind: str = "explicit"  # explicit | implicit | instance

    def render(self) -> str:
        left, right = {"explicit": "()", "implicit": "{}", "instance": "[]"}[self.kind]
        inner = f"{self.name} : {self.type}" if self.kind != "instance" or self.name else self.type
        return f"{left}{inner}{right}"


@dataclass(frozen=True)
class Statement:
    binders: tuple[Binder, ...] = ()
    hypotheses: tuple[str, ...] = ()
    conclusion: str = ""
    hypothesis_names: tuple[str | None, ...] = field(default=())

    def render(self) -> str:
        body = " → ".join(list(self.hypotheses) + [self.conclusion])
        if not self.binders:
            return body
        return "∀ " + " ".join(b.render() for b in self.binders) + ", " + body

    def relation(self) -> tuple[str, str, str] | None:
        """(lhs, relation, rhs) of the conclusion when it is a top-level relation."""
        return split_relation(self.conclusion)

    def variables(self) -> set[str]:
        return {b.name for b in self.binders if b.name}

    def with_conclusion(self, conclusion: str) -> "Statement":
        return replace(self, conclusion=conclusion)


def split_relation(text: str) -> tuple[str, str, str] | None:
    for rel in RELATIONS:
        parts = split_top(text, f" {rel} ")
        if len(parts) == 2:
            return parts[0], rel, parts[1]
    return None


def strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and matching_bracket(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _parse_binders(text: str) -> tuple[list[Binder], str] | None:
    """Parse `∀ binders, rest` (text after the ∀). Returns binders and the rest, or None."""
    head_parts = split_top(text, ",")
    if len(head_parts) < 2:
        return None
    head, rest = head_parts[0], ", ".join(head_parts[1:])
    binders: list[Binder] = []
    head = head.strip()
    if head and head[0] not in "({[":
        # `∀ x y : T` or `∀ x y`
        names, _, typ = head.partition(":")
        for name in names.split():
            binders.append(Binder(name, typ.strip() or "_"))
        return binders, rest
    i = 0
    while i < len(head):
        if head[i].isspace():
            i += 1
            continue
        if head[i] not in "({[":
            return None
        j = matching_bracket(head, i)
        if j < 0:
            return None
        inner = head[i + 1 : j]
        kind = {"(": "explicit", "{": "implicit", "[": "instance"}[head[i]]
        if kind == "instance" and ":" not in inner:
            binders.append(Binder("", inner.strip(), kind))
        else:
            names, _, typ = inner.partition(":")
            for name in names.split():
                binders.append(Binder(name, typ.strip(), kind))
        i = j + 1
    return binders, rest


def parse_statement(text: str) -> Statement:
    """Split a closed proposition into leading binders, hypotheses and conclusion.

    Named hypothesis binders `(h : P)` become hypotheses; nested ∀ after a hypothesis stay in the conclusion.
    """
    text = " ".join(text.split())
    binders: list[Binder] = []
    hyps: list[str] = []
    names: list[str | None] = []
    rest = text
    while True:
        rest = strip_parens(rest) if not hyps else rest
        if rest.startswith("∀"):
            parsed = _parse_binders(rest[1:])
            if parsed is None:
                break
            new, rest = parsed
            for b in new:
                if b.kind == "explicit" and _looks_like_prop(b.type, binders):
                    hyps.append(b.type)
                    names.append(b.name)
                else:
                    binders.append(b)
            rest = rest.strip()
            continue
        arrows = split_top(rest, "→")
        if len(arrows) > 1:
            hyps.extend(arrows[:-1])
            names.extend([None] * (len(arrows) - 1))
            rest = arrows[-1]
            if rest.startswith("∀"):
                continue
        break
    return Statement(tuple(binders), tuple(hyps), rest.strip(), tuple(names))


def _looks_like_prop(typ: str, binders: list[Binder]) -> bool:
    """A binder whose type mentions a relation or a connective is a hypothesis, not a variable."""
    return bool(split_relation(typ)) or any(tok in typ for tok in ("∧", "∨", "¬", "∣", "↔", "∃", "True", "False"))


def identifiers(text: str) -> list[str]:
    """Identifiers of `text`, in order (strings and comments skipped)."""
    return _identifiers(text)


def rename_variable(text: str, old: str, new: str) -> str:
    """Replace the identifier `old` by `new` (whole identifiers only, not `old.field` prefixes of others)."""
    return re.sub(rf"(?<![A-Za-z0-9_'.]){re.escape(old)}(?![A-Za-z0-9_'!?])", new, text)


def canonical(statement: str) -> str:
    """A normal form up to renaming of bound variables and spacing, for duplicate detection."""
    s = parse_statement(statement)
    mapping: dict[str, str] = {}
    binders = []
    for i, b in enumerate(s.binders):
        if b.name:
            mapping[b.name] = f"x{i}"
    def ren(t: str) -> str:
        for old, new in mapping.items():
            t = rename_variable(t, old, "\0" + new)
        return t.replace("\0", "")
    for b in s.binders:
        binders.append(Binder(mapping.get(b.name, b.name), ren(b.type), "explicit" if b.kind == "implicit" else b.kind))
    hyps = tuple(" ".join(ren(h).split()) for h in s.hypotheses)
    out = Statement(tuple(binders), hyps, " ".join(ren(s.conclusion).split()))
    return out.render().replace("( ", "(").replace(" )", ")")
