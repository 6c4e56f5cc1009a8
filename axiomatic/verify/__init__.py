"""The trusted verifier: did the Lean kernel accept *this* statement, honestly?

A proof counts only if (1) its text is confined to one term (`confine`), (2) Lean elaborates it with no error,
(3) the declaration added is a theorem whose type is exactly the statement elaborated on its own, and (4) the
axioms it depends on, as Lean computes them, are among `propext`, `Classical.choice`, `Quot.sound` (and it
reaches none of the compiler-trusting constants). A timeout, a crash or a missing verdict is never "verified".
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Sequence

from ..errors import BadInput, LeanCrash, LeanOutOfMemory, LeanTimeout
from ..lean import DEFAULT_MAX_HEARTBEATS, LeanBackend, LeanMessage, get_backend
from .confine import check_confined
from .harness import BANNED_STUBS, STANDARD_AXIOMS, Block, build, read_verdicts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Obligation:
    statement: str
    proof: str
    context: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Verified:
    name: str | None
    statement: str
    proof: str
    axioms: tuple[str, ...]
    seconds: float
    backend: str
    lean_version: str
    uses: tuple[str, ...] = ()

    verdict = "verified"


@dataclass(frozen=True)
class Rejected:
    reason: str
    family: str
    messages: tuple[LeanMessage, ...] = ()
    seconds: float = 0.0
    axioms: tuple[str, ...] = field(default=())

    verdict = "rejected"


Verdict = Verified | Rejected

_PRIVATE = re.compile(r"^_private\.[^.]+(?:\.[^.]+)*?\.0\.")


def verify(
    statement: str, proof: str, context: str = "", name: str | None = None, *,
    backend: LeanBackend | None = None, timeout: float | None = None, max_heartbeats: int = DEFAULT_MAX_HEARTBEATS,
) -> Verdict:
    """Judge one proof. Raises BadInput when the statement itself does not elaborate (or is not confined)."""
    [v] = verify_batch([Obligation(statement, proof, context, name)], backend=backend, timeout=timeout,
                       max_heartbeats=max_heartbeats)
    if isinstance(v, Rejected) and v.family == "statement":
        raise BadInput(v.reason)
    return v


def verify_batch(
    obligations: Sequence[Obligation], *, backend: LeanBackend | None = None, timeout: float | None = None,
    max_heartbeats: int = DEFAULT_MAX_HEARTBEATS,
) -> list[Verdict]:
    """Judge many proofs, each on its own, in as few Lean runs as possible (one per distinct context).

    One obligation cannot vouch for or poison another: each has its own target and reference theorem, its
    own verdict line, and its own error region; a batch that times out is split and retried.
    """
    results: list[Verdict | None] = [None] * len(obligations)
    groups: dict[str, list[int]] = {}
    for i, ob in enumerate(obligations):
        bad = check_confined(ob.statement, what="statement")
        if bad is not None:
            results[i] = Rejected(f"statement: {bad.reason}", "statement")
            continue
        bad = check_confined(ob.proof)
        if bad is not None:
            results[i] = Rejected(bad.reason, bad.family)
            continue
        groups.setdefault(ob.context, []).append(i)
    if groups:
        backend = backend or get_backend()
        for context, indices in groups.items():
            for i, verdict in zip(indices, _judge(backend, context, [obligations[i] for i in indices],
                                                  timeout, max_heartbeats)):
                results[i] = verdict
    return [r for r in results if r is not None]


def _judge(backend: LeanBackend, context: str, obs: list[Obligation], timeout, max_heartbeats) -> list[Verdict]:
    nonce = secrets.token_hex(6)
    source, blocks, harness_line = build(context, [(o.statement, o.proof) for o in obs], nonce, max_heartbeats)
    started = time.monotonic()
    try:
        result = backend.check(source, timeout=timeout, max_heartbeats=max(max_heartbeats, 400_000))
    except (LeanTimeout, LeanCrash) as e:
        if isinstance(e, LeanOutOfMemory) and len(obs) == 1:
            raise
        if len(obs) == 1:
            if isinstance(e, LeanTimeout):
                return [Rejected("Lean did not finish within the time limit: a timeout is never a proof", "timeout")]
            return [Rejected(f"Lean crashed while checking this proof: {e.message}", "crash")]
        half = len(obs) // 2
        return _judge(backend, context, obs[:half], timeout, max_heartbeats) + _judge(
            backend, context, obs[half:], timeout, max_heartbeats
        )
    seconds = (time.monotonic() - started) / len(obs)
    errors = [m for m in result.messages if m.severity == "error"]
    context_errors = [m for m in errors if m.line < (blocks[0].first_line if blocks else harness_line)]
    if context_errors:
        reason = f"the context does not elaborate: line {context_errors[0].line}: {context_errors[0].text}"
        return [Rejected(reason, "statement", tuple(context_errors), seconds) for _ in obs]
    harness_errors = [m for m in errors if m.line >= harness_line]
    verdicts = read_verdicts([m.text for m in result.messages if m.line >= harness_line] + [result.stdout], nonce)
    out: list[Verdict] = []
    for ob, block in zip(obs, blocks):
        mine = tuple(m for m in result.messages if block.first_line <= m.line <= block.last_line)
        out.append(_verdict(ob, block, mine, verdicts.get(block.target, []), harness_errors, seconds, backend))
    return out


def _verdict(ob: Obligation, block: Block, messages, lines: list[dict], harness_errors, seconds, backend) -> Verdict:
    errors = [m for m in messages if m.severity == "error"]
    shifted = tuple(_relative(m, block) for m in messages if m.severity == "error")
    ref_errors = [m for m in errors if m.line <= block.first_line + 1]
    if ref_errors:
        return Rejected(f"the statement does not elaborate: {ref_errors[0].text}", "statement", shifted, seconds)
    if errors:
        first = errors[0]
        return Rejected(f"Lean rejected the proof: {first.text}", _error_family(first.text), shifted, seconds)
    if harness_errors:
        return Rejected(f"the verification harness failed: {harness_errors[0].text}", "no-verdict", (), seconds)
    if len(lines) != 1:
        what = "no verdict line" if not lines else "more than one verdict line"
        return Rejected(f"{what} for this proof: never counted as verified", "no-verdict", (), seconds)
    v = lines[0]
    if v.get("kind") != "thm":
        return Rejected(f"the declaration was not added as a theorem ({v.get('kind')})", "kernel", (), seconds)
    if v.get("same_type") is not True:
        return Rejected("the theorem proved is not the statement asked (types differ)", "statement-mismatch",
                        (), seconds)
    axioms = tuple(_public(a) for a in v.get("axioms", []))
    stubs = set(v.get("imported_bodyless", []))
    if "sorryAx" in axioms or "sorryAx" in stubs:
        return Rejected("the proof depends on `sorryAx` (sorry)", "sorry", (), seconds, axioms)
    banned = sorted(stubs.intersection(BANNED_STUBS) | {a for a in axioms if a in BANNED_STUBS})
    if banned:
        return Rejected(f"the proof reaches {', '.join(banned)}, which trusts the compiler", "native", (), seconds,
                        axioms)
    extra = [a for a in axioms if a not in STANDARD_AXIOMS]
    if extra:
        family = "native" if any("native" in a or "ofReduce" in a for a in extra) else "axiom"
        return Rejected(f"the proof depends on non-standard axioms: {', '.join(extra)}", family, (), seconds, axioms)
    uses = tuple(dict.fromkeys(
        _public(u) for u in v.get("uses", []) if not _public(u).startswith(("AxTarget_", "AxRef_"))
    ))
    return Verified(ob.name, ob.statement, ob.proof, axioms, seconds, backend.name, backend.lean_version, uses)


def _public(name: str) -> str:
    """`_private.Check.0.double` -> `double`: file-local names as the user wrote them."""
    return _PRIVATE.sub("", name)


def _relative(m: LeanMessage, block: Block) -> LeanMessage:
    """Message positions relative to the proof text (line 1 = its first line)."""
    from dataclasses import replace

    return replace(m, line=m.line - block.proof_first_line + 1,
                   end_line=None if m.end_line is None else m.end_line - block.proof_first_line + 1)


def _error_family(text: str) -> str:
    lowered = text.lower()
    if "heartbeats" in lowered or "deterministic timeout" in lowered:
        return "timeout"
    if "maximum recursion" in lowered:
        return "resource"
    if "(kernel)" in lowered:
        return "kernel"
    return "elaboration"


__all__ = ["Obligation", "Rejected", "Verified", "Verdict", "verify", "verify_batch"]
