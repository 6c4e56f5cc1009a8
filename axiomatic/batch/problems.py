"""The problems file: one JSON object per line with `id`, `statement`, optional `context` and `informal` (the
format of shared/benchmarks; other fields such as `source` and `tags` are kept but not needed)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput


@dataclass(frozen=True)
class Problem:
    id: str
    statement: str
    context: str = ""
    informal: str = ""
    extra: dict = field(default_factory=dict, compare=False)  # the line's other fields (source, tags, ...)

    @property
    def theorem_name(self) -> str:
        """The name the proof is stored under: the id with everything but letters, digits and `_` made `_`
        (`minif2f/mathd_algebra_10` -> `minif2f_mathd_algebra_10`)."""
        name = re.sub(r"[^A-Za-z0-9_]", "_", self.id).strip("_") or "problem"
        return name if name[0].isalpha() else f"p_{name}"

    @property
    def context_key(self) -> str:
        """Problems with the same key share a Lean header (scheduled on the same worker when possible)."""
        return " ".join(self.context.split())


def load_problems(path: Path) -> list[Problem]:
    """Every problem of the file, in order. Raises BadInput naming the first bad line: not JSON, not an object,
    a missing or empty `id`/`statement`, a field of the wrong type, or an id used twice."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: cannot be read as UTF-8 text ({e})") from None
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            row = json.loads(line)
        except ValueError as e:
            raise BadInput(f"{where}: not a JSON object ({e.msg} at column {e.colno})") from None
        if not isinstance(row, dict):
            raise BadInput(f"{where}: expected a JSON object with `id` and `statement`, got {type(row).__name__}")
        for key in ("id", "statement"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise BadInput(f"{where}: `{key}` is missing or not a non-empty string")
        for key in ("context", "informal"):
            if row.get(key) is not None and not isinstance(row[key], str):
                raise BadInput(f"{where}: `{key}` must be a string")
        pid = row["id"].strip()
        if pid in seen:
            raise BadInput(f"{where}: id {pid!r} already used on line {seen[pid]}")
        seen[pid] = number
        extra = {k: v for k, v in row.items() if k not in ("id", "statement", "context", "informal")}
        problems.append(Problem(pid, row["statement"], row.get("context") or "", row.get("informal") or "", extra))
    if not problems:
        raise BadInput(f"{path}: no problems (expected one JSON object per line)")
    return problems
