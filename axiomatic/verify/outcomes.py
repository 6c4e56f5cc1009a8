"""What the verifier can answer, as values: a closed union matched with `match`.

`Verified` and `Rejected` are answers. `TimedOut` and `Crashed` are not: Lean gave no verdict (the wall-clock
limit, a dead process, a harness that did not run). They are never a proof, never a refutation, and callers
must not cache them as failures; the same obligation may be checked again later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lean import LeanMessage


@dataclass(frozen=True)
class Verified:
    name: str | None
    statement: str
    proof: str
    axioms: tuple[str, ...]
    seconds: float
    backend: str
    lean_version: str
    uses: tuple[str, ...] = ()  # constants the kernel's proof term refers to (its dependencies)

    verdict = "verified"


@dataclass(frozen=True)
class Rejected:
    reason: str
    family: str
    messages: tuple[LeanMessage, ...] = ()
    seconds: float = 0.0
    axioms: tuple[str, ...] = field(default=())

    verdict = "rejected"


@dataclass(frozen=True)
class TimedOut:
    reason: str
    seconds: float = 0.0

    verdict = "timeout"
    family = "timeout"
    messages: tuple[LeanMessage, ...] = ()
    axioms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Crashed:
    reason: str
    seconds: float = 0.0

    verdict = "crash"
    family = "crash"
    messages: tuple[LeanMessage, ...] = ()
    axioms: tuple[str, ...] = ()


Verdict = Verified | Rejected | TimedOut | Crashed
Inconclusive = (TimedOut, Crashed)  # for isinstance: no answer was obtained


def is_answer(v: Verdict) -> bool:
    """True for a verdict Lean actually gave (verified or rejected)."""
    return isinstance(v, (Verified, Rejected))
