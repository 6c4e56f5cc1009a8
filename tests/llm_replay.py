"""A local OpenAI-compatible server that replays recorded answers (for tests; loopback only).

Each POST /v1/chat/completions takes the next recorded answer (a list of choice texts, one per `n`) and
records the request body, so a test can assert what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReplayServer:
    def __init__(self, answers: list[list[str]]) -> None:
        self.answers = list(answers)
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "ReplayServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict) -> list[str]:
        with self._lock:
            self.requests.append(body)
            return self.answers.pop(0) if self.answers else ["(no more recorded answers)"]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                texts = server._next(body)
                n = int(body.get("n") or 1)
                texts = (texts + [texts[-1]] * n)[:n]
                payload = {
                    "id": f"replay-{len(server.requests)}", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "replay"),
                    "choices": [{"index": i, "message": {"role": "assistant", "content": t}, "finish_reason": "stop"}
                                for i, t in enumerate(texts)],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20 * n, "total_tokens": 100 + 20 * n},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
