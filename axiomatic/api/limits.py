"""Request-size limit: a body larger than the limit is refused with 413, whether it declares its length or not.
The body is read here (up to the limit) and handed on whole, so the application never sees a partial one."""

from __future__ import annotations

from starlette.responses import JSONResponse


class BodyLimit:
    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as a server would

        await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send) -> None:
        response = JSONResponse({"error": "PayloadTooLarge",
                                 "message": f"the body is larger than {self.max_body} bytes"}, status_code=413)
        await response(scope, receive, send)
