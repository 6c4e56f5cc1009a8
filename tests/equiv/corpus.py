"""The corpus of program pairs (programs/corpus/*.py): each file holds `before` and `after` and says what the
pair is (`# expect: equivalent` or `# expect: counterexample`) and where its shape comes from (docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "programs" / "corpus"


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    expect: str  # "equivalent" | "counterexample"
    about: str

    @property
    def specs(self) -> tuple[str, str]:
        return f"{self.path}:before", f"{self.path}:after"


def entries() -> list[Entry]:
    out = []
    for path in sorted(CORPUS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        expect = re.search(r"^# expect: (equivalent|counterexample)$", text, re.M)
        about = re.match(r'"""(.*?)"""', text, re.S)
        if not expect or not about:
            raise ValueError(f"{path.name}: needs a docstring and an `# expect:` line")
        out.append(Entry(path.stem, path, expect.group(1), " ".join(about.group(1).split())))
    return out


def run_python(path: Path, args: list):
    """Both functions of a pair run here, on CPython, independently of axiomatic: (before, after) outcomes."""
    namespace: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)

    def outcome(fn):
        try:
            return {"value": fn(*[list(a) if isinstance(a, list) else a for a in args])}
        except Exception as exc:  # noqa: BLE001 - an exception is an outcome to compare
            return {"raises": type(exc).__name__}

    return outcome(namespace["before"]), outcome(namespace["after"])
