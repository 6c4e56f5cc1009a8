"""check, verify, prove, equiv and formalize as operations on request documents (see the package docstring).

Request fields mirror the CLI's options (`--budget-seconds` is `budget_seconds`); text that the CLI reads from a
file (`check FILE`, `--context FILE`) comes inline (`source`, `context`)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from ..config import Config
from ..errors import AxiomaticError, BadInput
from ..lean import LeanBackend, get_backend
from ..llm import Budget, from_options
from ..verify import Crashed, Obligation, Rejected, TimedOut, Verified, verify_batch
from .answer import Answer, field
from .knowledge import open_kb

Progress = Callable[[str], None]
_quiet: Progress = lambda message: None  # noqa: E731


def _backend(backend: LeanBackend | None, config: Config | None) -> LeanBackend:
    return backend if backend is not None else get_backend(config or Config())


# -- check ----------------------------------------------------------------------------------------------------

def check(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None) -> Answer:
    """Elaborate a Lean file. Request: {"source", "timeout"?, "max_heartbeats"?}. Exit 0 no errors, 1 errors."""
    source = field(request, "source", str)
    if not source.strip():
        raise BadInput("the Lean source is empty")
    if "\0" in source:
        raise BadInput("the Lean source contains NUL bytes")
    timeout = field(request, "timeout", float, None)
    heartbeats = field(request, "max_heartbeats", int, 200000)
    result = _backend(backend, config).check(source, timeout=timeout, max_heartbeats=heartbeats)
    payload = result.to_json()
    document = {k: payload[k] for k in ("ok", "messages", "seconds", "backend")} | {
        "lean_version": result.lean_version}
    return Answer(document, 0 if result.ok else 1, result)


# -- verify ---------------------------------------------------------------------------------------------------

def verdict_document(verdict, name: str | None) -> tuple[dict, int]:
    """The `verify --json` document of a verdict and its exit code (a timeout or crash is no verdict: 3)."""
    match verdict:
        case Verified(axioms=axioms, seconds=seconds):
            return {"verdict": "verified", "reason": "the kernel accepted exactly this statement",
                    "axioms": list(axioms), "messages": [], "seconds": round(seconds, 3), "name": name}, 0
        case Rejected(reason=reason, family=family, messages=messages, seconds=seconds, axioms=axioms):
            return {"verdict": "rejected", "reason": reason, "family": family, "axioms": list(axioms),
                    "messages": [m.to_json() for m in messages], "seconds": round(seconds, 3), "name": name}, 1
        case TimedOut(reason=reason, seconds=seconds) | Crashed(reason=reason, seconds=seconds):
            return {"verdict": verdict.verdict, "reason": reason, "axioms": [], "messages": [],
                    "seconds": round(seconds, 3), "name": name}, 3
    raise TypeError(f"not a verdict: {verdict!r}")


def _obligation(request: dict) -> tuple[Obligation, float | None]:
    statement = field(request, "statement", str)
    if not statement.strip():
        raise BadInput("the statement is empty")
    proof = field(request, "proof", str)
    context = field(request, "context", str, "")
    name = field(request, "name", str, None)
    return Obligation(statement, proof, context, name), field(request, "timeout", float, None)


def verify(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None) -> Answer:
    """The trusted verifier. Request: {"statement", "proof", "context"?, "name"?, "timeout"?}.
    Exit 0 verified, 1 rejected, 3 no verdict; BadInput when the statement or context does not elaborate."""
    [answer] = verify_many([request], backend=backend, config=config)
    if isinstance(answer, AxiomaticError):
        raise answer
    return answer


def verify_many(requests: Sequence[dict], *, backend: LeanBackend | None = None, config: Config | None = None
                ) -> list[Answer | AxiomaticError]:
    """`verify` for many requests in as few Lean runs as possible (one per distinct context; see
    verify_batch): each still judged on its own. A request that cannot be judged gets its error in its place."""
    out: list[Answer | AxiomaticError | None] = [None] * len(requests)
    todo: list[tuple[int, Obligation]] = []
    timeouts: list[float] = []
    for i, request in enumerate(requests):
        try:
            ob, timeout = _obligation(request)
        except AxiomaticError as e:
            out[i] = e
            continue
        todo.append((i, ob))
        if timeout is not None:
            timeouts.append(timeout)
    if todo:
        verdicts = verify_batch([ob for _, ob in todo], backend=_backend(backend, config),
                                timeout=max(timeouts) if timeouts else None)
        for (i, ob), verdict in zip(todo, verdicts):
            if isinstance(verdict, Rejected) and verdict.family == "statement":
                out[i] = BadInput(verdict.reason)  # as `verify` raises: the question, not the proof, is wrong
                continue
            document, code = verdict_document(verdict, ob.name)
            out[i] = Answer(document, code, verdict)
    return [a for a in out if a is not None]


# -- prove ----------------------------------------------------------------------------------------------------

def budget_of(request: dict, *, seconds: float = 600.0, llm_calls: int = 8) -> Budget:
    return Budget(seconds=field(request, "budget_seconds", float, seconds),
                  llm_calls=field(request, "max_llm_calls", int, llm_calls),
                  tokens=field(request, "max_tokens", int, None), cost_usd=field(request, "max_cost", float, None))


def _llm(request: dict, config: Config, *, allowed: bool = True):
    return from_options(field(request, "model", str, None), field(request, "api_base", str, None),
                        no_llm=not allowed or field(request, "no_llm", bool, False), config=config)


def prove(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
          kb_path: Path | None = None, progress: Progress = _quiet) -> Answer:
    """Proof search. Request: {"statement", "context"?, "name"?, "informal"?, "model"?, "api_base"?, "no_llm"?,
    "budget_seconds"?, "max_llm_calls"?, "max_tokens"?, "max_cost"?}; with "nl": true the statement is natural
    language (formalized first; needs a model; "n" candidates). Exit 0 proved, 1 failed."""
    from ..prover import Prover

    config = config or Config()
    statement = field(request, "statement", str)
    if not statement.strip():
        raise BadInput("the statement is empty")
    context = field(request, "context", str, "")
    name = field(request, "name", str, None)
    informal = field(request, "informal", str, "")
    budget = budget_of(request)
    if field(request, "nl", bool, False):
        return _prove_natural(request, statement, context, name, informal, budget, backend, config, kb_path,
                              progress)
    llm = _llm(request, config)
    with open_kb(kb_path, config=config) as kb:
        prover = Prover(_backend(backend, config), kb=kb, llm=llm, budget=budget, progress=progress)
        result = prover.prove(statement, context=context, name=name, informal=informal)
    return Answer(result.to_json(), 0 if result.status == "proved" else 1, result)


def _prove_natural(request, text, context, name, informal, budget, backend, config, kb_path, progress) -> Answer:
    from ..formalize import ModelRequired, formalize_and_prove

    if informal:
        raise BadInput("--informal cannot be combined with --nl: the natural-language statement is stored as is")
    llm = _llm(request, config)
    if llm is None:
        raise ModelRequired()
    n = field(request, "n", int, 4)
    with open_kb(kb_path, config=config) as kb:
        fp = formalize_and_prove(text, llm=llm, backend=_backend(backend, config), kb=kb, context=context, n=n,
                                 budget=budget, name=name, progress=progress)
    best = fp.formalization.best
    fidelity = None if best is None else {
        "faithful": best.faithful, "back_translation": best.back_translation, "judgement": best.judgement,
        "vacuous": best.vacuous, "trivial": best.trivial, "reasons": list(best.reasons)}
    return Answer(fp.to_json() | {"fidelity": fidelity}, 0 if fp.status == "proved" else 1, fp)


# -- formalize ------------------------------------------------------------------------------------------------

def formalize(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
              kb_path: Path | None = None, progress: Progress = _quiet) -> Answer:
    """English to a Lean proposition, judged for fidelity. Request: {"text", "context"?, "model"?, "api_base"?,
    "n"?, "repair_rounds"?, "budget_seconds"?, "max_llm_calls"?, ...}. Exit 0 faithful statement found, 1 not;
    ModelRequired (exit 3) without a model."""
    from ..formalize import ModelRequired
    from ..formalize import formalize as run

    config = config or Config()
    text = field(request, "text", str)
    if not text.strip():
        raise BadInput("the statement to formalize is empty")
    n, rounds = field(request, "n", int, 4), field(request, "repair_rounds", int, 2)
    if not 1 <= n <= 16 or not 0 <= rounds <= 4:
        raise BadInput("n must be in 1..16 and repair_rounds in 0..4")
    llm = _llm(request, config)
    if llm is None:
        raise ModelRequired()
    budget = budget_of(request, llm_calls=16)
    with open_kb(kb_path, config=config) as kb:
        result = run(text, llm=llm, backend=_backend(backend, config), kb=kb,
                     context=field(request, "context", str, ""), n=n, budget=budget, repair_rounds=rounds,
                     progress=progress)
    return Answer(result.to_json(), 0 if result.ok else 1, result)


# -- equiv ----------------------------------------------------------------------------------------------------

_FILE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.(py|lean)$")


def equiv(request: dict, *, backend: LeanBackend | None = None, config: Config | None = None,
          kb_path: Path | None = None, progress: Progress = _quiet) -> Answer:
    """Do two programs agree on every input? Request: {"left": "FILE.py:f", "right": "FILE.py:g", "files"?:
    {"FILE.py": source}, "examples"?, "symbolic_seconds"?, "model"?, "budget_seconds"?, ...}. With "files", the
    specs name those (plain file names, written to a private temporary directory); without, paths on this
    machine. Exit 0 equivalent, 1 counterexample, 5 unknown."""
    from ..equiv import check_equivalence

    config = config or Config()
    left, right = field(request, "left", str), field(request, "right", str)
    files = field(request, "files", dict, None)
    llm = _llm(request, config)
    budget = budget_of(request, seconds=900.0)
    examples = field(request, "examples", int, 400)
    symbolic = field(request, "symbolic_seconds", float, 10.0)
    with tempfile.TemporaryDirectory(prefix="axiomatic-equiv-") as tmp:
        if files is not None:
            left, right = _materialize(files, Path(tmp), left), _materialize(files, Path(tmp), right)
        with open_kb(kb_path, config=config) as kb:
            result = check_equivalence(left, right, _backend(backend, config), kb=kb, llm=llm, budget=budget,
                                       examples=examples, symbolic_seconds=symbolic, progress=progress)
    return Answer(result.to_json(), result.exit_code, result)


def _materialize(files: dict, directory: Path, spec: str) -> str:
    """Write the request's files into `directory` and point `spec` at the one it names. File names are plain
    names checked against a pattern: request text never chooses a path."""
    for fname, text in files.items():
        if not isinstance(fname, str) or not _FILE_NAME.match(fname):
            raise BadInput(f"file name {fname!r} must be a plain name like prog.py or Defs.lean")
        if not isinstance(text, str):
            raise BadInput(f"the source of {fname!r} must be a string")
        (directory / fname).write_text(text, encoding="utf-8")
    fname, sep, function = spec.rpartition(":")
    if not sep or fname not in files:
        raise BadInput(f"{spec!r} must be FILE:FUNCTION with FILE one of the request's files")
    return f"{directory / fname}:{function}"


__all__ = ["Answer", "budget_of", "check", "equiv", "formalize", "prove", "verdict_document", "verify",
           "verify_many"]


