"""What a Lean run tells us, as plain values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Iterable


@dataclass(frozen=True)
class LeanMessage:
    line: int  # 1-based
    column: int  # 0-based, as Lean reports it
    severity: str  # 'error' | 'warning' | 'information'
    text: str
    end_line: int | None = None
    end_column: int | None = None
    snippet: int | None = None  # index of the snippet in a batch, None for a single check

    def to_json(self) -> dict:
        d = {"line": self.line, "column": self.column, "severity": self.severity, "text": self.text}
        if self.snippet is not None:
            d["snippet"] = self.snippet
        return d


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    messages: tuple[LeanMessage, ...]
    seconds: float
    backend: str
    lean_version: str
    stdout: str = field(default="", repr=False)  # non-message output (e.g. from #eval), for harnesses

    @property
    def errors(self) -> tuple[LeanMessage, ...]:
        return tuple(m for m in self.messages if m.severity == "error")

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "messages": [m.to_json() for m in self.messages],
            "seconds": round(self.seconds, 3),
            "backend": self.backend,
            "lean_version": self.lean_version,
        }


def parse_json_messages(lines: Iterable[str]) -> tuple[list[LeanMessage], list[str]]:
    """Split `lean --json` output into messages and the other lines (in order).

    A line counts as a message only if it parses as a JSON object with Lean's message fields.
    """
    messages: list[LeanMessage] = []
    other: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line.startswith("{") and '"severity"' in line:
            try:
                obj = json.loads(line)
                pos = obj["pos"]
                end = obj.get("endPos") or {}
                messages.append(
                    LeanMessage(
                        line=int(pos["line"]),
                        column=int(pos["column"]),
                        severity=str(obj["severity"]),
                        text=str(obj.get("data", "")),
                        end_line=end.get("line"),
                        end_column=end.get("column"),
                    )
                )
                continue
            except (ValueError, KeyError, TypeError):
                pass
        other.append(line)
    return messages, other


def rebase(message: LeanMessage, first_line: int, snippet: int) -> LeanMessage:
    """Re-express a message of a concatenated batch file in its snippet's own line numbers."""
    shift = first_line - 1
    return replace(
        message,
        line=message.line - shift,
        end_line=None if message.end_line is None else message.end_line - shift,
        snippet=snippet,
    )
