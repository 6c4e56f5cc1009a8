"""The HTTP API against a real server process: the token, the limits, verdicts, the queue, concurrency."""

from __future__ import annotations

import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

RIGHT = {"statement": "∀ n : Nat, n + 0 = n", "proof": "fun n => rfl"}
WRONG = {"statement": "∀ n : Nat, n + 1 = n", "proof": "fun n => rfl"}


def test_token_size_limit_openapi_and_pages(start_server, isolated_home):
    server = start_server("--max-body", "10000")
    token_file = Path(isolated_home) / "http-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    with httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.post("/v1/verify", json=RIGHT).status_code == 401
        assert http.post("/v1/verify", json=RIGHT, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert http.get("/v1/health").status_code == 401
        big = {"statement": "True", "proof": "trivial", "context": "-- " + "x" * 20000}
        r = http.post("/v1/verify", json=big, headers=server.headers())
        assert r.status_code == 413 and r.json()["error"] == "PayloadTooLarge"
        # a body without a declared length is limited too
        r = http.post("/v1/verify", content=iter([b'{"statement": "', b"x" * 20000, b'"}']), headers=server.headers())
        assert r.status_code == 413
        r = http.post("/v1/verify", content=b"not json", headers=server.headers())
        assert r.status_code == 400 and r.json()["exit_code"] == 2
        spec = http.get("/openapi.json").json()
        assert {"/v1/verify", "/v1/prove", "/v1/check", "/v1/equiv", "/v1/kb/search"} <= set(spec["paths"])
        assert http.get("/v1/health", headers=server.headers()).json()["ok"] is True
        r = http.post("/v1/kb/search", json={"query": "add zero"}, headers=server.headers())
        assert r.status_code == 200 and r.json() == []  # an empty knowledge base: nothing found (exit 1)
        assert r.headers["X-Axiomatic-Exit-Code"] == "1"
        assert http.get("/v1/kb/items/nothing_here", headers=server.headers()).status_code == 400
        page = http.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]


@pytest.mark.lean
def test_verdicts_and_fifty_concurrent_verifies(start_server):
    server = start_server("--queue", "64", "--batch", "64")
    with httpx.Client(base_url=server.url, timeout=900) as http:
        right = http.post("/v1/verify", json=RIGHT, headers=server.headers())
        assert right.status_code == 200 and right.json()["verdict"] == "verified"
        assert right.headers["X-Axiomatic-Exit-Code"] == "0"
        wrong = http.post("/v1/verify", json=WRONG, headers=server.headers())
        assert wrong.status_code == 200 and wrong.json()["verdict"] == "rejected"
        bad = http.post("/v1/verify", json={"statement": "∀ n : Nat, n + = n", "proof": "rfl"},
                        headers=server.headers())
        assert bad.status_code == 400

        def one(i: int):
            body = {"statement": f"{i} + {i} = {2 * i}", "proof": "rfl", "name": f"r{i}"} if i % 2 == 0 else \
                {"statement": f"{i} + {i} = {2 * i + 1}", "proof": "by decide", "name": f"w{i}"}
            return i, http.post("/v1/verify", json=body, headers=server.headers())

        with ThreadPoolExecutor(50) as pool:
            results = list(pool.map(one, range(50)))
    for i, r in results:
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["name"] == (f"r{i}" if i % 2 == 0 else f"w{i}")
        assert doc["verdict"] == ("verified" if i % 2 == 0 else "rejected"), doc


@pytest.mark.lean
def test_a_full_queue_answers_429_and_jobs_can_be_polled(start_server):
    server = start_server("--queue", "1", "--workers", "1")
    with httpx.Client(base_url=server.url, timeout=120) as http:
        answers = [http.post("/v1/verify", params={"wait": "false"}, json=RIGHT, headers=server.headers())
                   for _ in range(6)]
        codes = [a.status_code for a in answers]
        assert 429 in codes and codes[0] == 202, codes
        assert answers[codes.index(429)].headers["Retry-After"]
        jobs = [a.json()["job"] for a in answers if a.status_code == 202]
        deadline = time.monotonic() + 900
        for job in jobs:
            while True:
                doc = http.get(f"/v1/jobs/{job}", headers=server.headers()).json()
                if doc["status"] == "done" or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert doc["status"] == "done" and doc["result"]["verdict"] == "verified", doc
