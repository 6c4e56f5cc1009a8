"""`axiomatic decompose FILE.lean`: the `have`s of a proof sketch become lemmas of their own, proved on their own.

A `have h : T := P` at the top level of a theorem's `by` block becomes `theorem <thm>_<h> <binders> (earlier
haves as hypotheses) : T := P`, placed before the theorem, and the `have` now cites it. The decomposed file is
checked once: a lemma that does not elaborate on its own (it needed something the tactics before it
introduced) is put back as the `have` it was. Then every `sorry` of the result, the lemmas' first, goes to the
file workflow (fill.py): screened, proved, verified in place, re-checked as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import BackendError, BadInput
from ..lean import LeanBackend
from ..lean.syntax import top_level_find
from ..llm import LLM, Budget
from .document import Theorem, explicit_binder_names, read
from .fill import FillReport, fill


@dataclass(frozen=True)
class Have:
    name: str
    type: str
    proof: str
    first: int  # line indices in the theorem's proof text
    last: int
    indent: str


@dataclass
class Lemma:
    name: str
    theorem: str
    have: str
    statement: str
    text: str
    kept: bool = True
    reason: str = ""


@dataclass
class DecomposeReport:
    lemmas: list[Lemma] = field(default_factory=list)
    fill: FillReport | None = None
    source: str = ""

    def to_json(self) -> dict:
        goals = self.fill.goals if self.fill else []

        def status(name):  # a lemma with no sorry was checked with the file, not searched for
            mine = [g for g in goals if g.theorem == name]
            return "as written" if not mine else "open" if any(g.status == "open" for g in mine) else "proved"
        return {"lemmas": [{"name": lm.name, "theorem": lm.theorem, "have": lm.have, "statement": lm.statement,
                            "lifted": lm.kept, "status": status(lm.name) if lm.kept else "not lifted",
                            "reason": lm.reason} for lm in self.lemmas],
                "fill": self.fill.to_json() if self.fill else None, "changed": self.source != "",
                "source": self.source}


def decompose(text: str, backend: LeanBackend, *, budget: Budget | None = None, llm: LLM | None = None,
              progress: Callable[[str], None] = lambda m: None) -> DecomposeReport:
    file = read(text)
    report = DecomposeReport()
    plans: list[tuple[Theorem, list[Have], list[Lemma]]] = []
    for th in file.theorems:
        haves = _haves(text[th.proof_start:th.end])
        names = explicit_binder_names(th.binders)
        if not haves or names is None:
            continue
        lemmas = []
        for k, h in enumerate(haves):
            base = th.name or f"example_{file.line_of(th.start)}"
            params = " ".join([th.binders.strip()] + [f"({e.name} : {e.type})" for e in haves[:k]]).strip()
            name = f"{base}_{h.name}"
            statement = f"∀ {params}, {h.type}" if params else h.type
            body = f"theorem {name}{' ' + params if params else ''} : {h.type} :={_lemma_proof(h.proof)}\n"
            lemmas.append(Lemma(name, th.label(), h.name, statement, body))
        plans.append((th, haves, lemmas))
        report.lemmas += lemmas
    if not plans:
        raise BadInput("no theorem with a `have` at the top of a `by` block: nothing to decompose")
    source = _assemble(text, plans)
    try:
        result = backend.check(source)
    except BackendError as e:
        raise BackendError(f"checking the decomposed file gave no answer: {e.message}") from None
    errors = [m for m in result.messages if m.severity == "error"]
    if errors:  # lemmas that do not stand on their own go back to being `have`s
        for _, _, lemmas in plans:
            for lm in lemmas:
                first = source.find(lm.text)
                a, b = source.count("\n", 0, first) + 1, source.count("\n", 0, first + len(lm.text))
                hit = next((m for m in errors if a <= m.line <= b), None)
                if hit is not None:
                    lm.kept, lm.reason = False, f"does not elaborate on its own: {hit.text}"
        source = _assemble(text, plans)
    progress("proving the lemmas and the remaining sorries")
    report.fill = fill(source, backend, budget=budget, llm=llm, progress=progress)
    report.source = report.fill.source
    return report


def _lemma_proof(proof: str) -> str:
    lines = proof.strip("\n").splitlines()
    if len(lines) <= 1:
        return " " + proof.strip()
    head, rest = lines[0].strip(), lines[1:]
    indent = min(len(ln) - len(ln.lstrip()) for ln in rest if ln.strip())
    return " " + head + "\n" + "\n".join("  " + ln[indent:] for ln in rest)


def _assemble(text: str, plans) -> str:
    out, at = [], 0
    for th, haves, lemmas in plans:
        kept = [(h, lm) for h, lm in zip(haves, lemmas) if lm.kept]
        if not kept:
            continue
        names = explicit_binder_names(th.binders) or []
        out += [text[at:th.start], "".join(lm.text + "\n" for _, lm in kept)]
        proof_lines = text[th.proof_start:th.end].split("\n")
        earlier: list[str] = []
        replaced: dict[int, tuple[int, str]] = {}
        for h, lm in zip(haves, lemmas):
            if lm.kept:
                args = " ".join(names + earlier)
                cite = f"{lm.name} {args}".rstrip()
                replaced[h.first] = (h.last, f"{h.indent}have {h.name} : {h.type} := {cite}")
            earlier.append(h.name)
        new_lines, i = [], 0
        while i < len(proof_lines):
            if i in replaced:
                last, line = replaced[i]
                new_lines.append(line)
                i = last + 1
            else:
                new_lines.append(proof_lines[i])
                i += 1
        out += [text[th.start:th.proof_start], "\n".join(new_lines)]
        at = th.end
    out.append(text[at:])
    return "".join(out)


def _haves(proof: str) -> list[Have]:
    """`have name : type := proof` commands at the top level of a `by` block (the block's own indentation)."""
    if not proof.strip().startswith("by"):
        return []
    lines = proof.split("\n")
    body = [i for i in range(1, len(lines)) if lines[i].strip()]
    if not body:
        return []
    base = len(lines[body[0]]) - len(lines[body[0]].lstrip())
    haves = []
    for i in body:
        line = lines[i]
        if len(line) - len(line.lstrip()) != base or not line.lstrip().startswith("have "):
            continue
        rest = line.lstrip()[len("have "):]
        colon, assign = top_level_find(rest, ":"), top_level_find(rest, ":=")
        if colon <= 0 or assign <= colon:
            continue
        name = rest[:colon].strip()
        if not name.replace("_", "a").replace("'", "").isalnum():
            continue
        last = i
        while last + 1 < len(lines) and (not lines[last + 1].strip() or
                                         len(lines[last + 1]) - len(lines[last + 1].lstrip()) > base):
            last += 1
        while last > i and not lines[last].strip():
            last -= 1
        proof_text = "\n".join([rest[assign + 2:]] + lines[i + 1:last + 1])
        haves.append(Have(name, rest[colon + 1:assign].strip(), proof_text, i, last, line[:base]))
    return haves
