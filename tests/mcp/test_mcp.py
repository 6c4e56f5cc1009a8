"""`axiomatic mcp` driven by the official MCP Python client over stdio, as an agent would."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

TOOLS = {"check", "verify_proof", "prove", "kb_search", "kb_show", "equiv", "formalize"}


def _params(tmp_path) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "axiomatic", "mcp", "--kb",
                                                               str(tmp_path / "kb.sqlite")],
                                 env=dict(os.environ))


def _document(result) -> dict:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


async def _session(tmp_path, body):
    with open(tmp_path / "server.log", "w") as errlog:
        async with stdio_client(_params(tmp_path), errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await body(session)


def test_lists_documented_tools_and_reports_errors(tmp_path):
    async def body(session):
        tools = (await session.list_tools()).tools
        assert {t.name for t in tools} == TOOLS
        for t in tools:
            assert len(t.description or "") > 80, t.name  # documented for an agent
        verify = next(t for t in tools if t.name == "verify_proof")
        assert {"statement", "proof"} <= set(verify.input_schema["required"])
        assert "kernel" in verify.description
        found = await session.call_tool("kb_search", {"query": "anything"})
        assert _document(found) == {"results": []}
        missing = await session.call_tool("kb_show", {"name": "no_such_item"})
        assert missing.is_error and "no item named" in missing.content[0].text
        no_model = await session.call_tool("formalize", {"text": "every number is at least zero"})
        assert no_model.is_error and "model" in no_model.content[0].text.lower()

    anyio.run(_session, tmp_path, body)


@pytest.mark.lean
def test_proves_and_verifies_with_the_kernel(tmp_path):
    progress: list[str] = []

    async def on_progress(value, total, message):
        progress.append(message or "")

    async def body(session):
        proved = _document(await session.call_tool(
            "prove", {"statement": "∀ (a b : Nat), a + b = b + a", "budget_seconds": 300, "no_llm": True},
            progress_callback=on_progress))
        assert proved["status"] == "proved" and proved["proof"]
        wrong = _document(await session.call_tool(
            "verify_proof", {"statement": "∀ n : Nat, n + 1 = n", "proof": "fun n => rfl"}))
        assert wrong["verdict"] == "rejected" and wrong["reason"]
        right = _document(await session.call_tool(
            "verify_proof", {"statement": "∀ n : Nat, n + 0 = n", "proof": "fun n => rfl"}))
        assert right["verdict"] == "verified"
        # the prover's own proof, judged again by the verifier tool
        again = _document(await session.call_tool(
            "verify_proof", {"statement": "∀ (a b : Nat), a + b = b + a", "proof": proved["proof"]}))
        assert again["verdict"] == "verified"

    anyio.run(_session, tmp_path, body)
    assert progress, "prove reported no progress"
