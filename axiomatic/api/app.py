"""The ASGI application: routes, bearer-token check, body-size limit, the job queue, the KB pages."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from .. import ops
from ..config import Config
from ..errors import AxiomaticError, BadInput
from ..lean import get_backend
from .jobs import Job, JobQueue, QueueFull
from .limits import BodyLimit
from .openapi import openapi

log = logging.getLogger(__name__)

API = "/v1"
QUEUED_KINDS = ("check", "verify", "prove", "prove-file", "equiv", "formalize")
STATUS_OF_EXIT = {2: 400, 3: 503}


@dataclass
class Settings:
    token: str
    kb_path: Path | None = None
    workers: int = 1
    max_queued: int = 64
    max_body: int = 1_000_000  # bytes
    batch: int = 64  # verify requests judged together
    config: Config = field(default_factory=Config)


def make_app(settings: Settings) -> Starlette:
    config = settings.config
    kb_path = settings.kb_path or config.knowledge_base

    def run(kind: str, jobs: list[Job], backend) -> list[Any]:
        if kind == "verify":
            return ops.verify_many([j.request for j in jobs], backend=backend, config=config)
        [job] = jobs
        try:
            if kind == "check":
                return [ops.check(job.request, backend=backend, config=config)]
            if kind == "prove-file":
                return [ops.prove_file(job.request, backend=backend, config=config, progress=job.progress.append)]
            operation = {"prove": ops.prove, "equiv": ops.equiv, "formalize": ops.formalize}[kind]
            return [operation(job.request, backend=backend, config=config, kb_path=kb_path,
                              progress=job.progress.append)]
        except AxiomaticError as e:
            return [e]

    queue = JobQueue(run, lambda: get_backend(config), workers=settings.workers, max_queued=settings.max_queued,
                     batch=settings.batch)

    async def submit(request: Request, kind: str) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        try:
            job = await queue.submit(kind, body)
        except QueueFull as e:
            return JSONResponse({"error": "QueueFull", "message": str(e), "retry_after": 5}, status_code=429,
                                headers={"Retry-After": "5"})
        if request.query_params.get("wait", "true").lower() in ("false", "0", "no"):
            return JSONResponse(_job_document(job), status_code=202)
        await job.done.wait()
        return _answer_response(job.answer)

    def endpoint(kind: str):
        async def handler(request: Request) -> Response:
            return await submit(request, kind)
        return handler

    async def job_status(request: Request) -> Response:
        job = queue.get(request.path_params["job_id"])
        if job is None:
            return JSONResponse({"error": "NotFound", "message": "no such job (finished jobs are kept a while)"},
                                status_code=404)
        return JSONResponse(_job_document(job))

    async def kb_search(request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        return await _direct(ops.kb_search, body, kb_path, config)

    async def kb_show(request: Request) -> Response:
        return await _direct(ops.kb_show, {"name": request.path_params["name"]}, kb_path, config)

    async def kb_graph(request: Request) -> Response:
        q = request.query_params
        doc = {"name": q.get("name"), "external": q.get("external") in ("1", "true"), "format": q.get("format", "json")}
        return await _direct(ops.kb_graph, doc, kb_path, config)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "queued": queue.queued, "workers": queue.workers,
                             "max_queued": queue.max_queued})

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi())

    routes = [Route("/openapi.json", openapi_json, methods=["GET"]),
              Route(f"{API}/health", health, methods=["GET"]),
              Route(f"{API}/jobs/{{job_id}}", job_status, methods=["GET"]),
              Route(f"{API}/kb/search", kb_search, methods=["POST"]),
              Route(f"{API}/kb/items/{{name:path}}", kb_show, methods=["GET"]),
              Route(f"{API}/kb/graph", kb_graph, methods=["GET"])]
    routes += [Route(f"{API}/{kind}", endpoint(kind), methods=["POST"]) for kind in QUEUED_KINDS]
    routes.append(Mount("/", app=_kb_pages(kb_path)))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await queue.start()
        yield
        await queue.stop()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.queue = queue
    return BodyLimit(BearerToken(app, settings.token), settings.max_body)


def _kb_pages(kb_path: Path):
    """The knowledge base's web pages (`kb serve`'s WSGI app), mounted at the root so their links hold."""
    from a2wsgi import WSGIMiddleware

    from ..kb.web import KnowledgeBaseApp

    return WSGIMiddleware(KnowledgeBaseApp(kb_path))


class BearerToken:
    """Every `/v1/` route needs `Authorization: Bearer <token>` (401 otherwise). The OpenAPI description and
    the read-only knowledge-base pages do not, as `kb serve` never did."""

    def __init__(self, app, token: str) -> None:
        self.app, self.token = app, token.encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API + "/"):
            given = b""
            for key, value in scope.get("headers", []):
                if key == b"authorization" and value[:7].lower() == b"bearer ":
                    given = value[7:].strip()
            if not secrets.compare_digest(given, self.token):
                response = JSONResponse({"error": "Unauthorized", "message": "a bearer token is required "
                                         "(Authorization: Bearer <token>; see docs/http.md)"}, status_code=401,
                                        headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _json_body(request: Request) -> dict | Response:
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError) as e:
        return _error_response(BadInput(f"the body is not JSON: {e}"))
    if not isinstance(body, dict):
        return _error_response(BadInput("the body must be a JSON object (the request document)"))
    return body


async def _direct(operation, body: dict, kb_path: Path, config: Config) -> Response:
    """A quick read-only knowledge-base operation, outside the Lean queue."""
    try:
        answer = await asyncio.to_thread(operation, body, kb_path=kb_path, config=config)
    except AxiomaticError as e:
        return _error_response(e)
    return _answer_response(answer)


def _answer_response(answer: Any) -> Response:
    if isinstance(answer, AxiomaticError):
        return _error_response(answer)
    if isinstance(answer, BaseException):
        return JSONResponse({"error": "InternalError", "exception": type(answer).__name__,
                             "message": str(answer)[:300], "exit_code": 4}, status_code=500)
    headers = {"X-Axiomatic-Exit-Code": str(answer.exit_code)}
    if isinstance(answer.document, str):
        return PlainTextResponse(answer.document, headers=headers)
    return JSONResponse(answer.document, headers=headers)


def _error_response(e: AxiomaticError) -> Response:
    return JSONResponse(ops.error_document(e), status_code=STATUS_OF_EXIT.get(e.exit_code, 503),
                        headers={"X-Axiomatic-Exit-Code": str(e.exit_code)})


def _job_document(job: Job) -> dict:
    doc: dict = {"job": job.id, "kind": job.kind, "status": job.status, "progress": job.progress[-5:]}
    if job.status == "done":
        answer = job.answer
        if isinstance(answer, AxiomaticError):
            doc |= {"exit_code": answer.exit_code, "result": ops.error_document(answer)}
        elif isinstance(answer, BaseException):
            doc |= {"exit_code": 4, "result": {"error": "InternalError", "message": str(answer)[:300]}}
        else:
            doc |= {"exit_code": answer.exit_code, "result": answer.document}
    return doc
