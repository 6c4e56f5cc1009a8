"""The operations every face offers (CLI, HTTP, MCP): each takes a request document and returns an `Answer`
whose `document` is exactly what `axiomatic <command> --json` prints, with the command's exit code.

Faces differ only in how a request arrives and how the answer leaves; what is computed, and the shape of what
comes back, lives here once, so the CLI's `--json`, the HTTP bodies and the MCP tool results cannot drift.
Failures that stop an answer (bad input, a broken backend) are raised as `AxiomaticError`, as everywhere.
"""

from .answer import Answer, error_document
from .engine import check, equiv, formalize, prove, verify, verify_many
from .files import decompose, kb_import, prove_file
from .knowledge import kb_graph, kb_search, kb_show, open_kb

__all__ = ["Answer", "check", "decompose", "equiv", "error_document", "formalize", "kb_graph", "kb_import",
           "kb_search", "kb_show", "open_kb", "prove", "prove_file", "verify", "verify_many"]
