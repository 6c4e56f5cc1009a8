"""Lean-file operations: fill a file's sorries, import a file's theorems into the knowledge base."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import BadInput
from ..lean import LeanBackend
from .answer import Answer, field
from .engine import Progress, _backend, _llm, _quiet, budget_of
from .knowledge import open_kb


def _source(request: dict) -> str:
    source = field(request, "source", str)
    if not source.strip():
        raise BadInput("the Lean file is empty")
    if "\0" in source:
        raise BadInput("the Lean file contains NUL bytes")
    return source


def prove_file(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
               progress: Progress = _quiet) -> Answer:
    """Every `sorry` of a Lean file is a goal. Request: {"source", "budget_seconds"?, "model"?, "api_base"?,
    "no_llm"?, "max_llm_calls"?}. The document lists each goal (closed, or open and why), the verifier's axiom
    audit and the final re-check, and `source`: the file as it should be written (unchanged when nothing
    closed). Exit 0 every sorry closed, 1 some stay open."""
    from ..leanfile import fill

    config = config or Config()
    source = _source(request)
    budget = budget_of(request, seconds=300.0)
    report = fill(source, _backend(backend, config), budget=budget, llm=_llm(request, config), progress=progress)
    document = report.to_json()
    return Answer(document, 0 if document["open"] == 0 else 1, report)


def kb_import(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
              kb_path: Path | None = None, progress: Progress = _quiet) -> Answer:
    """Every theorem of a Lean file checked by the trusted verifier and, if accepted, stored with its
    dependencies (the file's definitions as context; its own earlier theorems become edges). Request:
    {"source", "tags"?}. Exit 0 all stored, 1 some failed (reported, never stored)."""
    from ..leanfile.importer import import_file

    config = config or Config()
    source = _source(request)
    tags = field(request, "tags", list, [])
    with open_kb(kb_path, config=config) as kb:
        report = import_file(source, kb, _backend(backend, config), tags=tags, progress=progress)
    document = report.to_json()
    return Answer(document, 0 if not document["failed"] else 1, report)


def decompose(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
              progress: Progress = _quiet) -> Answer:
    """The `have`s of a proof sketch become lemmas, proved on their own. Request: as prove_file. The document
    lists the lemmas (lifted or not, proved or open), the fill report of the decomposed file, and `source`.
    Exit 0 every lemma and sorry closed, 1 otherwise."""
    from ..leanfile.decompose import decompose as run

    config = config or Config()
    source = _source(request)
    budget = budget_of(request, seconds=300.0)
    report = run(source, _backend(backend, config), budget=budget, llm=_llm(request, config), progress=progress)
    document = report.to_json()
    done = document["fill"] is not None and document["fill"]["open"] == 0
    return Answer(document, 0 if done else 1, report)
