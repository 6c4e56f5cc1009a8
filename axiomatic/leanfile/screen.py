"""Screening: which cheap tactic closes each `sorry` where it stands? One Lean run for the whole file.

Every candidate is the theorem's own text with one `sorry` replaced, placed after the file in a namespace of its
own (opening the namespaces the theorem sat in), with an end marker so a candidate that swallowed the rest of
the input is never counted. A screened candidate is only a *candidate*: the trusted verifier judges the
assembled proof afterwards (fill.py)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from ..errors import BackendError
from ..lean import LeanBackend
from ..prover.portfolio import CLOSERS
from .document import LeanFile, Sorry, Theorem

log = logging.getLogger(__name__)

TACTICS = CLOSERS


def replacements(tactic: str, position: str) -> list[str]:
    """The text that stands for `tactic` where the sorry was: `(tac)` is a tactic, `(by tac)` a term."""
    forms = []
    if position in ("tactic", "both"):
        forms.append(f"({tactic})")
    if position in ("term", "both"):
        forms.append(f"(by {tactic})")
    return forms


@dataclass(frozen=True)
class Screened:
    """What closed each sorry (replacement texts, cheapest first), the file's own errors, and whether the
    screening run gave an answer at all."""

    closers: dict[int, list[tuple[str, str]]]  # sorry offset -> [(replacement, tactic)]
    file_errors: list[str]
    ran: bool
    note: str = ""


def screen(file: LeanFile, theorems: list[Theorem], backend: LeanBackend, *, timeout: float | None = None
           ) -> Screened:
    nonce = secrets.token_hex(6)
    text = file.text.rstrip("\n") + "\n"
    parts = [text]
    line = text.count("\n") + 1
    blocks: list[tuple[int, int, int, Sorry, str, str]] = []  # (first, last, marker line, sorry, repl, tactic)
    for th in theorems:
        own = file.text[th.start:th.end]
        opening = f"open {' '.join(_prefixes(th.namespaces))} in\n" if th.namespaces else ""
        for s in th.sorries:
            at = s.offset - th.start
            for tactic in TACTICS:
                for repl in replacements(tactic, s.position):
                    k = len(blocks)
                    body = opening + own[:at] + repl + own[at + len("sorry"):] + "\n"
                    head = f"namespace AxiomaticScreen{k}\n"
                    tail = f"end AxiomaticScreen{k}\n#print \"axiomatic-screen-{nonce}-{k}\"\n"
                    first = line + 1
                    last = first + body.count("\n") - 1
                    blocks.append((first, last, last + 2, s, repl, tactic))
                    parts += [head, body, tail]
                    line = last + 3
    try:
        result = backend.check("".join(parts), timeout=timeout)
    except BackendError as e:
        # no answer from the screening run: nothing is screened in, nothing is counted as failed
        log.info("screening run gave no answer: %s", e)
        return Screened({}, [], False, f"the screening run gave no answer ({e.message})")
    file_lines = text.count("\n")
    file_errors = [f"line {m.line}: {m.text}" for m in result.messages
                   if m.severity == "error" and m.line <= file_lines]
    closers: dict[int, list[tuple[str, str]]] = {}
    for k, (first, last, marker, s, repl, tactic) in enumerate(blocks):
        printed = any(m.line == marker and m.text.strip() == f"axiomatic-screen-{nonce}-{k}" for m in result.messages)
        failed = any(m.severity == "error" and first - 1 <= m.line <= last + 1 for m in result.messages)
        if printed and not failed:
            closers.setdefault(s.offset, []).append((repl, tactic))
    return Screened(closers, file_errors, True)


def _prefixes(namespaces: tuple[str, ...]) -> list[str]:
    """`A`, `A.B` for a theorem inside `namespace A` / `namespace B`."""
    return [".".join(namespaces[:i + 1]) for i in range(len(namespaces))]
