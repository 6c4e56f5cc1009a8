"""One interface over the Lean runtimes: check a source text, or a batch of independent snippets in one run."""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..config import Config
from ..errors import BackendMissing, LeanCrash
from .messages import CheckResult, LeanMessage, parse_json_messages, rebase

log = logging.getLogger(__name__)

DEFAULT_MAX_HEARTBEATS = 200_000


@dataclass(frozen=True)
class RawRun:
    """What one Lean process printed. `returncode` is Lean's own exit status (1 when it reported errors)."""

    stdout_lines: list[str]
    stderr: str
    returncode: int
    seconds: float


class LeanBackend(ABC):
    """A way to run Lean 4 on a file. Subclasses provide `name`, `lean_version` and `run_file`."""

    name: str = "abstract"

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @property
    @abstractmethod
    def lean_version(self) -> str: ...

    @abstractmethod
    def run_file(self, path: Path, *, timeout: float, max_heartbeats: int) -> RawRun:
        """Run Lean on `path` (with `--json`). Raises LeanTimeout / LeanCrash / LeanOutOfMemory."""

    def ensure_ready(self) -> None:
        """Install or prepare whatever the runtime needs. Idempotent."""

    def describe(self) -> dict:
        return {"backend": self.name, "lean_version": self.lean_version}

    # -- public API -------------------------------------------------------------------------------------------

    def check(
        self, source: str, *, timeout: float | None = None, max_heartbeats: int = DEFAULT_MAX_HEARTBEATS
    ) -> CheckResult:
        """Elaborate `source` as one Lean file. A Lean error is a result (ok=False), not an exception.

        A check counts as done only on positive evidence: the file ends with a `#print` of a fresh nonce, and
        its message must come back. Output that stops short of it with no error to explain why (a runtime that
        lost the diagnostics, a process cut off) is a crash, never "no errors".
        """
        nonce = secrets.token_hex(8)
        body = source if source.endswith("\n") or not source else source + "\n"
        marker_line = body.count("\n") + 1
        marker_text = f"axiomatic-end-{nonce}"
        raw = self._run_source(body + f'#print "{marker_text}"\n', timeout=timeout, max_heartbeats=max_heartbeats)
        messages, other = parse_json_messages(raw.stdout_lines)
        ended = any(m.line == marker_line and m.text.strip() == marker_text for m in messages)
        messages = [m for m in messages if not (m.line == marker_line and m.text.strip() == marker_text)]
        has_error = any(m.severity == "error" for m in messages)
        if raw.returncode != 0 and not has_error:
            # Lean reports failure with error messages; a non-zero exit without any is the process dying
            # (e.g. Node's stack overflowing in deep recursion): there is no verdict to give.
            raise LeanCrash("Lean stopped without reporting a result (crashed)", detail=raw.stderr[-2000:])
        if not ended and not has_error:
            raise LeanCrash("Lean's output stopped before the end of the file without an error (lost "
                            "diagnostics, or an `#exit` in the file): no verdict", detail=raw.stderr[-2000:])
        ok = raw.returncode == 0 and not has_error
        return CheckResult(
            ok=ok,
            messages=tuple(messages),
            seconds=raw.seconds,
            backend=self.name,
            lean_version=self.lean_version,
            stdout="\n".join(other),
        )

    def check_batch(
        self,
        snippets: Sequence[str],
        *,
        header: str = "",
        timeout: float | None = None,
        max_heartbeats: int = DEFAULT_MAX_HEARTBEATS,
    ) -> list[CheckResult]:
        """Check independent snippets in as few Lean runs as possible (normally one).

        Each snippet is placed in its own namespace after `header` (imports, shared context). A snippet that
        swallows the rest of the file (an unclosed comment, `#exit`) is detected by a per-snippet end marker:
        it fails, and the snippets after it are checked again in a fresh run, so no snippet can vouch for or
        poison another.
        """
        results: list[CheckResult | None] = [None] * len(snippets)
        pending = list(range(len(snippets)))
        while pending:
            done = self._batch_round(snippets, pending, header, timeout, max_heartbeats, results)
            pending = [i for i in pending if results[i] is None]
            if not done:  # defensive: a round must settle at least one snippet
                break
        return [r for r in results if r is not None]

    # -- internals --------------------------------------------------------------------------------------------

    def _run_source(self, source: str, *, timeout: float | None, max_heartbeats: int) -> RawRun:
        self.ensure_ready()
        with tempfile.TemporaryDirectory(prefix="axiomatic-") as tmp:
            path = Path(tmp) / "Check.lean"
            path.write_text(source, encoding="utf-8")
            return self.run_file(
                path, timeout=timeout or self.config.lean_timeout, max_heartbeats=max_heartbeats
            )

    def _batch_round(self, snippets, indices, header, timeout, max_heartbeats, results) -> int:
        nonce = secrets.token_hex(8)
        parts = [header.rstrip("\n") + "\n"] if header.strip() else []
        line = sum(p.count("\n") for p in parts) + 1
        spans: dict[int, tuple[int, int, int]] = {}  # snippet -> (first line, last line, marker line)
        for i in indices:
            body = snippets[i].rstrip("\n") + "\n"
            opening = f"namespace AxiomaticSnippet{i}\n"
            first = line + 1
            last = first + body.count("\n") - 1
            closing = f"end AxiomaticSnippet{i}\n#print \"axiomatic-end-{nonce}-{i}\"\n"
            marker = last + 2
            parts += [opening, body, closing]
            spans[i] = (first, last, marker)
            line = marker + 1
        started = time.monotonic()
        raw = self._run_source("".join(parts), timeout=timeout, max_heartbeats=max_heartbeats)
        messages, other = parse_json_messages(raw.stdout_lines)
        seen_markers = {
            i
            for i, (_, _, marker) in spans.items()
            for m in messages
            if m.line == marker and m.text.strip() == f"axiomatic-end-{nonce}-{i}"
        }
        if not seen_markers and not messages:
            # not one end marker and not one message: the run's output was lost, which says nothing about the
            # snippets (an honest "swallowed the rest" always leaves at least the first snippet's marker or error)
            raise LeanCrash("Lean's output came back empty (no end marker, no message): no verdict",
                            detail=raw.stderr[-2000:])
        per_share = (time.monotonic() - started) / max(1, len(indices))
        settled = 0
        for i in indices:
            first, last, marker = spans[i]
            if i not in seen_markers:
                # This snippet (or an earlier one) swallowed the rest of the file. The first snippet without a
                # marker is the culprit; later ones are re-run.
                if all(j in seen_markers for j in indices if j < i):
                    msgs = [rebase(m, first, i) for m in messages if m.line >= first - 1]
                    msgs.append(
                        LeanMessage(
                            line=max(1, last - first + 1), column=0, severity="error", snippet=i,
                            text="snippet did not end where it should (unclosed comment, `#exit`, or a parse "
                            "error that swallowed the rest of the input)",
                        )
                    )
                    results[i] = CheckResult(False, tuple(msgs), per_share, self.name, self.lean_version)
                    settled += 1
                continue
            own = [rebase(m, first, i) for m in messages if first - 1 <= m.line <= last + 1 and m.line != marker]
            ok = not any(m.severity == "error" for m in own)
            results[i] = CheckResult(ok, tuple(own), per_share, self.name, self.lean_version)
            settled += 1
        if raw.returncode not in (0, 1):
            log.warning("lean exited with %s during a batch", raw.returncode)
        return settled


def get_backend(config: Config | None = None) -> LeanBackend:
    """The backend to use: a native toolchain when one is found (or asked for), else the embedded one, run by
    the background Lean service when one is running (or AXIOMATIC_SERVER=on), else in this process."""
    from .embedded import EmbeddedBackend
    from .native import NativeBackend, find_native

    config = config or Config()
    choice = config.backend
    if choice == "native" or (choice == "auto" and find_native(config) is not None):
        native = find_native(config)
        if native is None:
            raise BackendMissing("AXIOMATIC_BACKEND=native but no `lean` or `lake` was found on PATH")
        return NativeBackend(config, native)
    if choice not in ("auto", "embedded"):
        raise BackendMissing(f"unknown backend {choice!r} (expected auto, native or embedded)")
    from .service_client import ServiceBackend, ping, server_enabled

    # warm environments in the background service (docs/service.md): started on demand with
    # AXIOMATIC_SERVER=on, used when already running (`axiomatic server start`) with the default 'auto'. This ping
    # (auto only) is the command's only one: ServiceBackend sends its requests without asking first.
    if server_enabled(config) and (config.server == "on" or ping(config) is not None):
        return ServiceBackend(config)
    return EmbeddedBackend(config)
