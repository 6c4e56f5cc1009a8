"""The Lean file the verifier writes, and the verdict lines it reads back.

Layout (the proofs and statements appear only inside string literals that `lean_string` escapes):

    <imports: the harness's own, plus any `import` lines of the context>
    <harness.lean: the verifier's Lean code, identical in every file>
    <trusted context, without its imports>
    #eval _root_.AxiomaticHarness.check "<nonce>" 0 <heartbeats> "<statement 0>" "<proof 0>"
    #eval _root_.AxiomaticHarness.check "<nonce>" 1 <heartbeats> "<statement 1>" "<proof 1>"
    ...

Each `#eval` prints exactly one `AXVERDICT-<nonce> {...}` line, which Lean reports as an information message
at that `#eval`'s own line; a verdict is read only from there. See harness.lean for what `check` does, and
docs/verification.md for the whole design.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from ..lean import CheckResult, LeanMessage
from ..lean.syntax import lean_string, split_header

IMPORTS = ("Lean.Elab.Command", "Lean.Util.CollectAxioms")
STANDARD_AXIOMS = ("propext", "Classical.choice", "Quot.sound")
# Imported body-less constants of the embedded build that must never appear in a proof's closure.
BANNED_STUBS = ("Lean.reduceBool", "Lean.reduceNat", "Lean.ofReduceBool", "Lean.ofReduceNat", "Lean.trustCompiler",
                "sorryAx")


@functools.cache
def harness_source() -> str:
    """The verifier's Lean code (package data, read once)."""
    return resources.files(__package__).joinpath("harness.lean").read_text(encoding="utf-8")


@dataclass(frozen=True)
class VerificationFile:
    source: str
    context_first_line: int  # first line of the context (1-based)
    eval_lines: tuple[int, ...]  # the `#eval` line of obligation i
    harness_lines: tuple[int, int]  # first and last line of the harness code


def build(context: str, items: list[tuple[str, str]], nonce: str, max_heartbeats: int) -> VerificationFile:
    """The file for (statement, proof) items sharing one context."""
    user_imports, body = split_header(context)
    header = "".join(f"import {m}\n" for m in IMPORTS) + "".join(f"{line}\n" for line in user_imports)
    harness = harness_source().rstrip("\n") + "\n"
    parts = [header, harness, "\n"]
    harness_first = header.count("\n") + 1
    harness_last = harness_first + harness.count("\n") - 1
    context_first = harness_last + 2
    if body.strip():
        parts.append(body.rstrip("\n") + "\n\n")
    line = 1 + sum(p.count("\n") for p in parts)
    evals = []
    for i, (statement, proof) in enumerate(items):
        parts.append(f"#eval _root_.AxiomaticHarness.check {lean_string(nonce)} {i} {max_heartbeats} "
                     f"{lean_string(statement)} {lean_string(proof)}\n")
        evals.append(line)
        line += 1
    return VerificationFile("".join(parts), context_first, tuple(evals), (harness_first, harness_last))


def read_verdicts(result: CheckResult, file: VerificationFile, nonce: str) -> dict[int, list[dict]]:
    """Verdict objects by obligation index, taken only from information messages at that obligation's own
    `#eval` line. A line that does not parse counts as missing."""
    pattern = re.compile(rf"^AXVERDICT-{re.escape(nonce)} (\{{.*\}})$")
    by_line = {line: i for i, line in enumerate(file.eval_lines)}
    found: dict[int, list[dict]] = {}
    for m in result.messages:
        index = by_line.get(m.line)
        if index is None or m.severity != "information":
            continue
        for text_line in m.text.splitlines():
            match = pattern.match(text_line.strip())
            if not match:
                continue
            obj = parse_lean_json(match.group(1))
            if isinstance(obj, dict) and obj.get("index") == index:
                found.setdefault(index, []).append(obj)
    return found


def parse_lean_json(text: str):
    """JSON written by Lean code with `String.quote`, which escapes control characters as `\\xHH` (not JSON).
    Returns None when the text is not valid JSON."""
    fixed = re.sub(r"\\(x[0-9a-fA-F]{2}|.)", lambda m: "\\u00" + m.group(1)[1:] if m.group(1)[0] == "x"
                   else m.group(0), text)
    try:
        return json.loads(fixed)
    except ValueError:
        return None


def messages_of(objs: list) -> tuple[LeanMessage, ...]:
    """Lean's messages as the harness reported them (positions relative to the proof's own text)."""
    out = []
    for m in objs if isinstance(objs, list) else []:
        if not isinstance(m, dict):
            continue
        out.append(LeanMessage(
            line=int(m.get("line", 1)), column=int(m.get("column", 0)), severity=str(m.get("severity", "error")),
            text=str(m.get("text", "")), end_line=m.get("end_line"), end_column=m.get("end_column"),
        ))
    return tuple(out)
