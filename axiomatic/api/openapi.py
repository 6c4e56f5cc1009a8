"""The OpenAPI description of the HTTP face (served at /openapi.json). Bodies are the CLI's `--json` documents;
the request fields are those of `axiomatic.ops` (docs/http.md)."""

from __future__ import annotations

from .. import __version__

_DOC = {"type": "object", "additionalProperties": True}
_ERRORS = {
    "400": {"description": "bad input: the error document (`error`, `message`, `exit_code` 2)"},
    "401": {"description": "missing or wrong bearer token"},
    "413": {"description": "the body is larger than the server's limit"},
    "429": {"description": "the job queue is full; retry later (Retry-After)"},
    "503": {"description": "no answer could be had: Lean missing, broken, timed out or crashed (exit_code 3)"},
}

_OPS = {
    "check": ("Elaborate a Lean file", {"source": "string", "timeout": "number", "max_heartbeats": "integer"},
              ["source"], "`axiomatic check --json`: ok, messages, seconds, backend, lean_version"),
    "verify": ("The trusted verifier: did the kernel accept exactly this statement?",
               {"statement": "string", "proof": "string", "context": "string", "name": "string",
                "timeout": "number"}, ["statement", "proof"],
               "`axiomatic verify --json`: verdict (verified | rejected | timeout | crash), reason, axioms, messages"),
    "prove": ("Proof search within a budget", {"statement": "string", "context": "string", "name": "string",
              "informal": "string", "nl": "boolean", "model": "string", "api_base": "string", "no_llm": "boolean",
              "budget_seconds": "number", "max_llm_calls": "integer", "max_tokens": "integer", "max_cost": "number"},
              ["statement"], "`axiomatic prove --json`: status, proof, lemmas, tried, reason"),
    "prove-file": ("Fill the sorries of a Lean file", {"source": "string", "budget_seconds": "number",
                   "model": "string", "no_llm": "boolean"}, ["source"],
                   "`axiomatic prove FILE.lean --json`: goals (closed/open and why), recheck, source"),
    "equiv": ("Do two programs agree on every input?", {"left": "string", "right": "string", "files": "object",
              "examples": "integer", "symbolic_seconds": "number", "budget_seconds": "number", "no_llm": "boolean"},
              ["left", "right"], "`axiomatic equiv --json`: verdict (equivalent | counterexample | unknown)"),
    "formalize": ("English to a Lean proposition, judged for fidelity (needs a model)",
                  {"text": "string", "context": "string", "model": "string", "api_base": "string", "n": "integer"},
                  ["text"], "`axiomatic formalize --json`"),
}


def _queued(summary: str, fields: dict, required: list[str], returns: str) -> dict:
    return {"post": {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": [{"name": "wait", "in": "query", "schema": {"type": "boolean", "default": True},
                        "description": "false: answer 202 with a job id at once; poll /v1/jobs/{id}"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": required, "properties": {k: {"type": v} for k, v in fields.items()}}}}},
        "responses": {"200": {"description": returns + " (header X-Axiomatic-Exit-Code: the CLI's exit code)",
                              "content": {"application/json": {"schema": _DOC}}},
                      "202": {"description": "queued: {job, status}"}, **_ERRORS}}}


def openapi() -> dict:
    paths = {f"/v1/{name}": _queued(*spec) for name, spec in _OPS.items()}
    paths["/v1/jobs/{job_id}"] = {"get": {
        "summary": "A job's status; when done, its exit code and result document", "security": [{"bearer": []}],
        "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "{job, kind, status, progress, exit_code?, result?}"},
                      "404": {"description": "unknown job"}}}}
    paths["/v1/kb/search"] = {"post": {
        "summary": "Knowledge-base items ranked by relevance", "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["query"],
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}}}}}},
        "responses": {"200": {"description": "`axiomatic kb search --json`: [{name, statement, score}]"}}}}
    paths["/v1/kb/items/{name}"] = {"get": {
        "summary": "One knowledge-base item", "security": [{"bearer": []}],
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "`axiomatic kb show --json`"}, "400": _ERRORS["400"]}}}
    paths["/v1/kb/graph"] = {"get": {
        "summary": "The dependency graph", "security": [{"bearer": []}],
        "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("name", "format")],
        "responses": {"200": {"description": "`axiomatic kb graph --json` (or dot / graphml text)"}}}}
    paths["/v1/health"] = {"get": {"summary": "Queue length and workers", "security": [{"bearer": []}],
                                   "responses": {"200": {"description": "{ok, queued, workers, max_queued}"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "axiomatic", "version": __version__,
                     "description": "Every answer checked by the Lean 4 kernel. Bodies are the CLI's --json "
                                    "documents; the knowledge-base web pages are served from /."},
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "paths": paths}
