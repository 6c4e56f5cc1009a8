"""Import a LeanDojo-traced dataset (LeanDojo Benchmark 4 layout) into the knowledge base.

    <dir>/corpus.jsonl              one line per file: {"path", "imports", "premises": [{"full_name", "code",
                                    "start", "end", "kind"}]}
    <dir>/<split>/{train,val,test}.json   lists of theorems: {"url", "commit", "file_path", "full_name",
                                    "start", "end", "traced_tactics": [{"tactic", "annotated_tactic",
                                    "state_before", "state_after"}], optionally "theorem_statement"}

Everything imported is stored with source "import" and verified = False: a native-Lean user can seed
retrieval with Mathlib's premises, but nothing imported counts as proven until it is re-verified here. A name
that already holds a verified result keeps it: the import is stored beside it as `<name>@import` and the report
lists it under `kept_verified`. The whole import is one transaction: all of it or nothing.
Reading only; the optional `lean-dojo` package is not needed for this.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..lean.syntax import split_top
from ..errors import BadInput
from .hashing import content_hash
from .store import Item, KnowledgeBase, now

_DECL = re.compile(r"^(?:@\[[^\]]*\]\s*)*(?:(?:private|protected|noncomputable)\s+)*"
                   r"(theorem|lemma|def|abbrev|instance|structure|inductive|class)\b")


def import_dataset(kb: KnowledgeBase, path: Path, *, split: str = "random") -> dict:
    path = Path(path)
    corpus = path / "corpus.jsonl"
    if not corpus.exists():
        raise BadInput(f"{path}: no corpus.jsonl (not a LeanDojo benchmark directory)")
    premises = theorems = 0
    kept: list[dict] = []

    def store(item: Item) -> None:
        name = kb.add_unverified(item)
        if name != item.name:
            kept.append({"name": item.name, "stored_as": name})

    with kb.transaction(unsaved={"import": str(path)}):
        for n, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                items = entry["premises"]
            except (ValueError, KeyError, TypeError):
                raise BadInput(f"{corpus}:{n}: not a LeanDojo corpus entry") from None
            for p in items:
                try:
                    code = p.get("code", "")
                    match = _DECL.match(code.strip())
                    kind = "definition" if match and match.group(1) in ("def", "abbrev", "instance", "structure",
                                                                          "inductive", "class") else "theorem"
                    item = _item(p["full_name"], kind, _statement(code), code, entry.get("path", ""))
                except (KeyError, TypeError, AttributeError):
                    raise BadInput(f"{corpus}:{n}: a premise without a full_name or code") from None
                store(item)
                premises += 1
        split_dir = path / split
        for part in ("train", "val", "test"):
            f = split_dir / f"{part}.json"
            if not f.exists():
                continue
            try:
                rows = json.loads(f.read_text(encoding="utf-8"))
            except ValueError:
                raise BadInput(f"{f}: not JSON") from None
            for k, t in enumerate(rows if isinstance(rows, list) else [rows]):
                try:
                    statement = t.get("theorem_statement") or _goal(t)
                    proof = "by\n" + "\n".join("  " + s["tactic"] for s in t.get("traced_tactics", []))
                    item = _item(t["full_name"], "theorem", statement, proof, t.get("file_path", ""),
                                 split=f"{split}/{part}")
                except (KeyError, TypeError, AttributeError):
                    raise BadInput(f"{f}: entry {k} is not a LeanDojo theorem (full_name, traced_tactics)") from None
                store(item)
                theorems += 1
    return {"premises": premises, "theorems": theorems, "verified": False, "kept_verified": kept}


def _item(name: str, kind: str, statement: str, proof: str, file_path: str, split: str = "") -> Item:
    tags = ("leandojo", file_path) + ((split,) if split else ())
    proof = proof if kind == "theorem" else ""
    return Item(name=name, kind=kind, statement=statement, proof=proof, source="import", created=now(), tags=tags,
                content_hash=content_hash(kind, statement, proof), verified=False)


def _statement(code: str) -> str:
    """The declaration's signature: attributes dropped, cut at the first `:=` outside brackets, on one line."""
    text = code.strip()
    while text.startswith("@["):
        depth, i = 0, 0
        for i, ch in enumerate(text):
            depth += ch == "["
            depth -= ch == "]"
            if depth == 0 and ch == "]":
                break
        text = text[i + 1 :].strip()
    return " ".join(split_top(text, ":=")[0].split())


def _goal(theorem: dict) -> str:
    """Without an explicit statement, the first tactic state's goal (after `⊢`) stands for it."""
    tactics = theorem.get("traced_tactics") or []
    if not tactics:
        return ""
    state = tactics[0].get("state_before", "")
    return " ".join(state.split("⊢", 1)[-1].split())
