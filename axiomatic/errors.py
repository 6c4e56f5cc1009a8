"""One error hierarchy. Lean *rejecting* something is a value, not an error; these are for everything that
stops us from getting an answer at all. Each carries the CLI exit code it maps to. Any other exception that
reaches the command line is a bug in axiomatic: it exits 4 (see docs/cli.md)."""

from __future__ import annotations


class AxiomaticError(Exception):
    """Base of every error axiomatic raises on purpose."""

    exit_code = 3

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # e.g. the tail of a process's stderr

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message}\n{self.detail}"


class BadInput(AxiomaticError):
    """The user's input cannot be used (missing/empty/binary file, malformed statement...)."""

    exit_code = 2


class KnowledgeBaseError(AxiomaticError):
    """The knowledge-base file is corrupt, foreign, or from a newer schema. Never overwritten."""

    exit_code = 2


class KnowledgeBaseBusy(KnowledgeBaseError):
    """Another process kept the knowledge base's write lock past the retry deadline. Nothing was written;
    `unsaved` holds what could not be stored (e.g. a proof just found), so the caller can still report it."""

    exit_code = 3

    def __init__(self, message: str, *, detail: str = "", unsaved: dict | None = None) -> None:
        super().__init__(message, detail=detail)
        self.unsaved = unsaved


class BackendError(AxiomaticError):
    """The Lean backend is missing or broken: no verdict could be obtained."""

    exit_code = 3


class BackendMissing(BackendError):
    """Neither a native toolchain nor the means to install the embedded one (node/npm) is present."""


class InstallError(BackendError):
    """Installing or preparing the embedded runtime failed."""


class LeanCrash(BackendError):
    """The Lean process died without a normal verdict."""


class LeanOutOfMemory(LeanCrash):
    """The Lean process ran out of memory."""


class LeanTimeout(BackendError):
    """The wall-clock limit was hit; the process tree was killed."""


class LLMError(AxiomaticError):
    """The configured model cannot be reached or keeps failing."""

    exit_code = 3
