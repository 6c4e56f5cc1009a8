"""The trusted verifier: did the Lean kernel accept *this* statement, honestly?

A proof counts only if (1) Lean's own parser reads it, from a string literal, as exactly one term with no
forbidden syntax, (2) the theorem the harness builds around that syntax elaborates with no error, (3) its type
is exactly the statement elaborated on its own, (4) the kernel accepts its declarations again, under fresh
names, in the environment as it was before the proof, (5) the proof left no declaration outside its own
namespace, and (6) the axioms it depends on are among `propext`, `Classical.choice`, `Quot.sound`.
A timeout, a crash or a missing verdict is never "verified", and never "rejected" either.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Sequence

from ..errors import BadInput, LeanCrash, LeanOutOfMemory, LeanTimeout
from ..lean import DEFAULT_MAX_HEARTBEATS, LeanBackend, LeanMessage, get_backend
from .harness import BANNED_STUBS, STANDARD_AXIOMS, VerificationFile, build, messages_of, read_verdicts
from .outcomes import Crashed, Inconclusive, Rejected, TimedOut, Verdict, Verified, is_answer

log = logging.getLogger(__name__)

_PRIVATE = re.compile(r"^_private\.[^.]+(?:\.[^.]+)*?\.0\.")


@dataclass(frozen=True)
class Obligation:
    """A statement, an untrusted proof of it, the trusted context both need, and an optional name."""

    statement: str
    proof: str
    context: str = ""
    name: str | None = None


def verify(
    statement: str, proof: str, context: str = "", name: str | None = None, *,
    backend: LeanBackend | None = None, timeout: float | None = None, max_heartbeats: int = DEFAULT_MAX_HEARTBEATS,
) -> Verdict:
    """Judge one proof. Raises BadInput when the statement or the context itself does not elaborate."""
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

    One obligation cannot vouch for or poison another: each is parsed, elaborated and audited by the harness
    in an environment that is restored afterwards, and has its own verdict line. A run that times out or
    crashes is split and retried; a single obligation that does so gets `TimedOut` / `Crashed`.
    """
    results: list[Verdict | None] = [None] * len(obligations)
    groups: dict[str, list[int]] = {}
    for i, ob in enumerate(obligations):
        if not ob.statement.strip():
            results[i] = Rejected("the statement is empty", "statement")
        elif not ob.proof.strip():
            results[i] = Rejected("the proof is empty", "parse")
        elif "\0" in ob.statement or "\0" in ob.proof:
            results[i] = Rejected("the text contains a NUL character", "parse")
        else:
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
    try:
        file = build(context, [(o.statement, o.proof) for o in obs], nonce, max_heartbeats)
    except ValueError as e:  # text that cannot be a Lean string literal (a lone surrogate)
        return [Rejected(f"the text cannot be given to Lean: {e}", "parse") for _ in obs]
    started = time.monotonic()
    try:
        result = backend.check(file.source, timeout=timeout, max_heartbeats=max(max_heartbeats, 400_000))
    except (LeanTimeout, LeanCrash) as e:
        if len(obs) == 1:
            seconds = time.monotonic() - started
            if isinstance(e, LeanTimeout):
                return [TimedOut(f"Lean did not finish within the time limit ({e.message})", seconds)]
            what = "ran out of memory" if isinstance(e, LeanOutOfMemory) else "crashed"
            return [Crashed(f"Lean {what} while checking this proof: {e.message}", seconds)]
        half = len(obs) // 2
        return _judge(backend, context, obs[:half], timeout, max_heartbeats) + _judge(
            backend, context, obs[half:], timeout, max_heartbeats)
    seconds = (time.monotonic() - started) / len(obs)
    errors = [m for m in result.messages if m.severity == "error"]
    first, last = file.harness_lines
    harness_errors = [m for m in errors if first <= m.line <= last]
    if harness_errors:
        reason = f"the verifier's own Lean code failed to elaborate: line {harness_errors[0].line - first + 1}: " \
                 f"{harness_errors[0].text}"
        log.error(reason)
        return [Crashed(reason, seconds) for _ in obs]
    context_errors = [m for m in errors if file.context_first_line <= m.line < file.eval_lines[0]]
    if context_errors:
        m = context_errors[0]
        reason = f"the context does not elaborate: line {m.line - file.context_first_line + 1}: {m.text}"
        return [Rejected(reason, "statement", tuple(context_errors), seconds) for _ in obs]
    verdicts = read_verdicts(result, file, nonce)
    out: list[Verdict] = []
    for i, ob in enumerate(obs):
        eval_errors = [m for m in errors if m.line == file.eval_lines[i]]
        out.append(_verdict(ob, verdicts.get(i, []), eval_errors, seconds, backend))
    return out


def _verdict(ob: Obligation, lines: list[dict], eval_errors: list[LeanMessage], seconds, backend) -> Verdict:
    if eval_errors:
        # the harness itself failed on this obligation (an exception escaped it): no verdict was given
        return Crashed(f"the verification harness failed: {eval_errors[0].text}", seconds)
    if len(lines) != 1:
        what = "no verdict line" if not lines else "more than one verdict line"
        return Crashed(f"{what} for this proof: never counted as verified", seconds)
    v = lines[0]
    stage = v.get("stage")
    if stage == "statement":
        msgs = messages_of(v.get("messages", []))
        detail = v.get("error") or (msgs[0].text if msgs else "it does not elaborate")
        return Rejected(f"the statement does not elaborate: {detail}", "statement", msgs, seconds)
    if stage == "parse":
        return Rejected(f"Lean's parser does not read the proof as one term: {v.get('error', '')}", "parse",
                        (), seconds)
    if stage == "forbidden":
        token = str(v.get("error", ""))
        return Rejected(f"`{token}` is not allowed in a proof", _forbidden_family(token), (), seconds)
    if stage != "checked":
        return Crashed(f"the harness could not judge this proof ({stage}: {v.get('error', '')})", seconds)
    messages = messages_of(v.get("messages", []))
    errors = [m for m in messages if m.severity == "error"]
    if errors:
        first = errors[0]
        return Rejected(f"Lean rejected the proof: {first.text}", _error_family(first.text), messages, seconds)
    if v.get("kind") != "thm":
        return Rejected(f"the declaration was not added as a theorem ({v.get('kind')})", "kernel", messages, seconds)
    if v.get("same_type") is not True:
        return Rejected("the theorem proved is not the statement asked (types differ)", "statement-mismatch",
                        messages, seconds)
    if v.get("replay_error") is not None:
        return Rejected(f"the kernel's re-check failed: {v['replay_error']}", "kernel", messages, seconds)
    stray = [_public(s) for s in v.get("stray", [])]
    if stray:
        return Rejected(f"the proof added declarations outside its own namespace: {', '.join(stray[:5])}",
                        "new-declaration", messages, seconds)
    axioms = tuple(_public(a) for a in v.get("axioms", []))
    stubs = set(v.get("imported_bodyless", []))
    if "sorryAx" in axioms or "sorryAx" in stubs:
        return Rejected("the proof depends on `sorryAx` (sorry)", "sorry", messages, seconds, axioms)
    banned = sorted(stubs.intersection(BANNED_STUBS) | {a for a in axioms if a in BANNED_STUBS})
    if banned:
        return Rejected(f"the proof reaches {', '.join(banned)}, which trusts the compiler", "native", messages,
                        seconds, axioms)
    extra = [a for a in axioms if a not in STANDARD_AXIOMS]
    if extra:
        family = "native" if any("native" in a or "ofReduce" in a for a in extra) else "axiom"
        return Rejected(f"the proof depends on non-standard axioms: {', '.join(extra)}", family, messages, seconds,
                        axioms)
    uses = tuple(dict.fromkeys(_public(u) for u in v.get("uses", [])))
    return Verified(ob.name, ob.statement, ob.proof, axioms, seconds, backend.name, backend.lean_version, uses)


def _public(name: str) -> str:
    """`_private.Check.0.double` -> `double`: file-local names as the user wrote them."""
    return _PRIVATE.sub("", name)


def _forbidden_family(token: str) -> str:
    if token in ("sorry", "admit") or token.endswith("sorryAx"):
        return "sorry"
    if token in ("native_decide", "implemented_by", "extern", "csimp") or any(
            part in ("native", "reduceBool", "reduceNat", "ofReduceBool", "ofReduceNat", "trustCompiler")
            for part in token.split(".")):
        return "native"
    if token in ("set_option",) or token.endswith("skipKernelTC"):
        return "options"
    if token == "unsafe" or "unsafe" in token:
        return "unsafe"
    return "metaprogram"


def _error_family(text: str) -> str:
    lowered = text.lower()
    if "heartbeats" in lowered or "deterministic timeout" in lowered:
        return "resource"
    if "maximum recursion" in lowered:
        return "resource"
    if "(kernel)" in lowered:
        return "kernel"
    return "elaboration"


__all__ = ["Crashed", "Inconclusive", "Obligation", "Rejected", "TimedOut", "Verdict", "Verified", "is_answer",
           "verify", "verify_batch"]
