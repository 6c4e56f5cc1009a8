"""Lean's own proof search, and cheap screening of candidates, in one plain Lean run.

Core Lean 4.28 searches for proofs itself: `try?` (which tries `grind`, `simp`, functional induction, ...),
`exact?` and `rw?` report what worked as "Try this: ..." messages. A *search run* is one `backend.check` of
a file holding the context and, per goal, (a) each screening candidate as its own theorem and (b) the goal
with each search tactic. We read back which candidates elaborated and which explicit scripts Lean suggested.

Nothing here is a verdict: the run imports only `Init`, has no axiom audit, and a search tactic is never a
proof we report. Its output is a list of explicit candidate scripts, which the trusted verifier then checks
(`axiomatic.verify`), cheapest first. A run that times out or crashes says nothing (`inconclusive`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Sequence

from ..errors import LeanCrash, LeanTimeout
from ..lean import LeanBackend
from ..lean.syntax import looks_like_one_term

log = logging.getLogger(__name__)

SEARCH_VERSION = "1"  # part of the cache key of stored search runs: bump when the file layout changes
TRY_THIS = re.compile(r"^Try (?:this|these):[ \t]*(.*)$", re.DOTALL)
ITEM = re.compile(r"^\s{2}\[(\w+)\]\s?(.*)$")
DECLARED = re.compile(r"^\s*(?:theorem|lemma|def|abbrev)\s+([A-Za-z_][\w.'!?]*)", re.MULTILINE)


@dataclass(frozen=True)
class Goal:
    """One statement to search: its intro line (binders named as the candidates name them), the candidates
    to screen, and the search tactics to run after the intro (`try?`, `exact?`, `rw?`)."""

    statement: str
    intro: str = ""
    screen: tuple[str, ...] = ()
    tactics: tuple[str, ...] = ("try?",)
    prelude: str = ""  # Lean text before this goal's theorems (e.g. lemma statements admitted for screening)


@dataclass(frozen=True)
class Found:
    """What one goal's part of a search run produced."""

    suggestions: tuple[str, ...] = ()  # explicit proofs (`by ...`), in the order Lean printed them
    screened: tuple[str, ...] = ()  # screening candidates that elaborated without an error
    failures: tuple[tuple[str, str], ...] = ()  # (candidate, first error) of those that did not
    inconclusive: str = ""  # why this run says nothing (timeout, crash, context error)
    statement_error: str = ""  # every block failed on the theorem's own line: the statement does not elaborate


@dataclass
class _Block:
    goal: int
    kind: str  # 'screen' | 'search'
    text: str  # the candidate proof, or the search tactic
    first: int = 0
    last: int = 0
    messages: list = field(default_factory=list)


def cache_key(context: str, goals: Sequence[Goal]) -> str:
    parts = [SEARCH_VERSION, context] + [
        "\x1e".join([g.statement, g.intro, g.prelude, *g.screen, "|", *g.tactics]) for g in goals]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def search(backend: LeanBackend, context: str, goals: Sequence[Goal], *, timeout: float) -> tuple[list[Found], float]:
    """One Lean run for all `goals` after `context`. Returns a Found per goal and the run's seconds."""
    nonce = secrets.token_hex(4)
    head = "noncomputable section\n" + (context.rstrip("\n") + "\n" if context.strip() else "")
    lines = [head]
    line = head.count("\n") + 1
    blocks: list[_Block] = []
    for gi, goal in enumerate(goals):
        if not looks_like_one_term(goal.statement):
            continue
        statement = " ".join(goal.statement.split())
        if goal.prelude.strip():
            text = goal.prelude.rstrip("\n") + "\n"
            lines.append(text)
            line += text.count("\n")
        items = [("screen", p) for p in goal.screen if looks_like_one_term(p)]
        items += [("search", t) for t in goal.tactics]
        for k, (kind, body) in enumerate(items):
            if kind == "screen":
                proof = body.strip("\n")
            else:
                steps = ([goal.intro] if goal.intro else []) + [ln.strip() for ln in body.split("\n")]
                proof = "by\n" + "\n".join("  " + s for s in steps)
            text = f"theorem AxSearch_{nonce}_{gi}_{k} : {statement} :=\n{proof}\n\n"
            n = text.count("\n")
            blocks.append(_Block(gi, kind, body, line, line + n - 1))
            lines.append(text)
            line += n
    started = time.monotonic()
    try:
        result = backend.check("".join(lines), timeout=timeout)
    except (LeanTimeout, LeanCrash) as e:
        why = f"the search run {'timed out' if isinstance(e, LeanTimeout) else 'crashed'}: {e.message}"
        return [Found(inconclusive=why) for _ in goals], time.monotonic() - started
    seconds = time.monotonic() - started
    first_block = blocks[0].first if blocks else line
    context_errors = [m for m in result.messages if m.severity == "error" and m.line < first_block]
    if context_errors:
        first = context_errors[0]
        why = f"the context does not elaborate in the search run: line {first.line}: {first.text}"
        return [Found(inconclusive=why) for _ in goals], seconds
    for m in result.messages:
        for b in blocks:
            if b.first <= m.line <= b.last:
                b.messages.append(m)
                break
    # names this file declares (our blocks, admitted lemmas): a suggestion using one proves nothing elsewhere
    ours = re.compile("|".join([rf"AxSearch_{nonce}_", *(rf"(?<![\w.']){re.escape(n)}(?![\w'])"
                                                       for g in goals for n in DECLARED.findall(g.prelude))]))
    out = []
    for gi, goal in enumerate(goals):
        suggestions: list[str] = []
        screened: list[str] = []
        failures: list[tuple[str, str]] = []
        header_errors = []
        mine = [b for b in blocks if b.goal == gi]
        for b in mine:
            errors = [m for m in b.messages if m.severity == "error"]
            header_errors += [m.text for m in errors if m.line == b.first]
            if b.kind == "screen":
                if errors:
                    failures.append((b.text, errors[0].text[:1500]))
                else:
                    screened.append(b.text)
                continue
            for m in b.messages:
                for script in parse_suggestions(m.text):
                    proof = _as_proof(goal.intro, b.text, script)
                    if (proof and proof not in suggestions and not ours.search(script)
                            and looks_like_one_term(proof)):
                        suggestions.append(proof)
        statement_error = header_errors[0] if mine and len(header_errors) >= len(mine) else ""
        out.append(Found(tuple(suggestions), tuple(screened), tuple(failures), "", statement_error[:1000]))
    return out, seconds


def parse_suggestions(text: str) -> list[str]:
    """The tactic scripts in one "Try this: ..." / "Try these: ..." message (comments dropped, a leading
    focusing dot removed)."""
    m = TRY_THIS.match(text.strip("\n"))
    if not m:
        return []
    rest = m.group(1)
    if rest.strip() and "\n" not in rest.strip():  # the one-line form: `Try this: [apply] exact foo`
        return [_clean(re.sub(r"^\[\w+\]\s*", "", rest.strip()))]
    scripts: list[list[str]] = []
    for raw in rest.split("\n"):
        item = ITEM.match(raw)
        if item:
            scripts.append([item.group(2)])
        elif scripts and raw.strip() and not raw.strip().startswith("--"):
            # continuation lines are indented two more than the item marker
            scripts[-1].append(raw[4:] if raw.startswith("    ") else raw.strip())
        elif not scripts and raw.strip() and not raw.strip().startswith("--"):
            scripts.append([raw.strip()])
    return [s for s in (_clean("\n".join(lines)) for lines in scripts) if s]


def _clean(script: str) -> str:
    script = script.strip()
    if script.startswith("·"):  # `· tacs` focuses the one goal: the tactics alone do the same
        body = script[1:]
        lines = body.split("\n")
        first = lines[0].strip()
        rest = [ln[2:] if ln.startswith("  ") else ln for ln in lines[1:]]
        script = "\n".join(([first] if first else []) + rest).strip()
    return script


def _as_proof(intro: str, tactic: str, script: str) -> str:
    """The candidate proof for a suggestion of `tactic` (whose lines before the search tactic itself, e.g. an
    unfolding step, stay in front). A `rw?` rewrite rarely closes the goal by itself, so the usual closers
    follow it."""
    *before, search_tactic = tactic.split("\n")
    if search_tactic.strip().startswith("rw?"):
        script = f"{script} <;> first | rfl | omega | simp_all | grind"
    steps = ([intro] if intro else []) + [b.strip() for b in before if b.strip()] + script.split("\n")
    return "by\n" + "\n".join("  " + s for s in steps)
