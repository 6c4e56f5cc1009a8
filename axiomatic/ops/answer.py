"""What an operation returns, and how a request document is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import AxiomaticError, BadInput


@dataclass(frozen=True)
class Answer:
    """`document`: the `--json` document; `exit_code`: the CLI's exit code for it (0 positive, 1 negative,
    3 no answer, 5 unknown); `value`: the underlying result object, for faces that print more than the
    document (the CLI's human output)."""

    document: Any
    exit_code: int
    value: Any = None

    @property
    def positive(self) -> bool:
        return self.exit_code == 0


def error_document(e: AxiomaticError) -> dict:
    """The document the CLI prints with --json for an error it reports."""
    payload = {"error": type(e).__name__, "message": e.message, "detail": e.detail, "exit_code": e.exit_code}
    unsaved = getattr(e, "unsaved", None)
    if unsaved is not None:
        payload["unsaved"] = unsaved
    return payload


_MISSING = object()


def field(request: Any, name: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
    """`request[name]` checked against `kind`; BadInput when it is missing (and required) or of the wrong
    type. A JSON number may stand for a float."""
    if not isinstance(request, dict):
        raise BadInput("the request must be a JSON object")
    if name not in request or request[name] is None:
        if default is _MISSING:
            raise BadInput(f"the request needs a {name!r} field")
        return default
    value = request[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool) and bool not in kinds:
        raise BadInput(f"{name!r} must be {_names(kinds)}, not a boolean")
    if not isinstance(value, kinds):
        raise BadInput(f"{name!r} must be {_names(kinds)}")
    return value


def _names(kinds: tuple[type, ...]) -> str:
    words = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", dict: "an object",
             list: "a list"}
    return " or ".join(words.get(k, k.__name__) for k in kinds)
