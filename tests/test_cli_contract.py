"""The command-line contract (docs/cli.md): help everywhere, --json that parses for every command, documented
exit codes for bad input, usage errors and bugs. Commands that would need Lean are given bad input (cheap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from axiomatic.cli import main
from tests.conftest import ROOT, run_cli

LEANDOJO = ROOT / "tests" / "kb" / "fixtures" / "leandojo"


def leaf_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        out += leaf_commands(cmd, path) if isinstance(cmd, click.Group) else [path]
    return out


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        out += all_commands(cmd, path) if isinstance(cmd, click.Group) else [path]
    return out


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "axiomatic")
def test_every_command_has_help_under_h_and_help(path):
    cmd = main
    for name in path:
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
    for flag in ("-h", "--help"):
        r = CliRunner().invoke(main, [*path, flag])
        assert r.exit_code == 0, r.output
        assert r.output.startswith("Usage: ") and "-h, --help" in r.output
        assert cmd.help.strip().splitlines()[0][:40] in " ".join(r.output.split())


def _cases(tmp: Path) -> dict[tuple[str, ...], tuple[list[str], int]]:
    """For each command: arguments that run it cheaply (no Lean), and the exit code expected."""
    kb = str(tmp / "kb.sqlite")
    foreign = tmp / "notes.txt"
    foreign.write_text("not a database")
    missing = str(tmp / "missing.lean")
    return {
        ("check",): ([missing], 2),
        ("decompose",): ([missing], 2),
        ("conjecture",): (["--no-llm", "--kb", kb], 1),  # an empty knowledge base: nothing to build on
        ("doctor",): ([], 0),
        ("equiv",): ([f"{tmp}/absent.py:f", f"{tmp}/absent.py:g", "--no-llm", "--kb", kb], 2),
        ("formalize",): (["  ", "--kb", kb], 2),
        ("grow",): (["--no-llm", "--kb", str(foreign)], 2),
        ("prove",): (["", "--kb", kb], 2),
        ("prove-batch",): ([str(tmp / "missing.jsonl"), "--no-llm", "--kb", kb], 2),
        ("setup",): ([], 0),
        ("verify",): (["--statement", "", "--proof", "rfl"], 2),
        ("kb", "add"): (["--name", "bad name!", "--statement", "True", "--proof", "trivial", "--kb", kb], 2),
        ("kb", "doctor"): (["--kb", kb], 0),
        ("kb", "export-lean"): ([str(tmp / "out"), "--no-verify", "--kb", kb], 0),
        ("kb", "graph"): (["--kb", kb], 0),
        ("kb", "import"): ([missing, "--kb", kb], 2),
        ("kb", "import-leandojo"): ([str(LEANDOJO), "--kb", kb], 0),
        ("kb", "list"): (["--kb", kb], 0),
        ("kb", "search"): (["a * 1 = a", "--kb", kb], 0),
        ("kb", "seed"): (["--file", str(tmp / "missing.jsonl"), "--kb", kb], 2),
        ("kb", "show"): (["no_such_item", "--kb", kb], 2),
        ("kb", "stats"): (["--kb", kb], 0),
        ("kb", "verify"): (["--kb", kb], 0),  # only unverified (imported) items: nothing for Lean to do
    }


def test_json_output_parses_for_every_command(tmp_path):
    cases = _cases(tmp_path)
    # run until stopped: tested below, in tests/api (serve --http) and tests/mcp (mcp)
    served = {("kb", "serve"), ("serve",), ("mcp",)}
    # the Lean service's commands, --json and exit codes included: tests/service/test_service.py
    served |= {("server", "start"), ("server", "status"), ("server", "stop")}
    assert set(cases) | served == set(leaf_commands()), "a command without a --json case here"
    for path, (args, code) in cases.items():  # in order: the import runs before list/search/verify use it
        r = run_cli(*path, *args, "--json", timeout=120)
        assert r.returncode == code, f"{' '.join(path)}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        try:
            payload = json.loads(r.stdout)
        except ValueError:
            pytest.fail(f"{' '.join(path)} --json printed no JSON: {r.stdout!r} {r.stderr!r}")
        if code == 2:
            assert payload["error"] and payload["message"] and payload["exit_code"] == 2
        assert "Traceback" not in r.stderr
    listing = json.loads(run_cli("kb", "list", "--kb", str(tmp_path / "kb.sqlite"), "--json").stdout)
    assert {i["name"] for i in listing} >= {"mul_one", "npowRec"}


def test_kb_serve_reports_its_url_as_json(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "kb", "serve", "--port", "0", "--json", "--kb",
                             str(tmp_path / "kb.sqlite")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        payload = json.loads(line)
        import urllib.request

        with urllib.request.urlopen(payload["url"], timeout=30) as page:
            assert page.status == 200 and b"knowledge base" in page.read()
    finally:
        proc.terminate()
        proc.wait(30)


def test_usage_errors_are_exit_2_and_json_when_asked():
    r = run_cli("kb", "list", "--no-such-option", "--json")
    assert r.returncode == 2 and json.loads(r.stdout)["error"] == "UsageError"
    r = run_cli("prove")
    assert r.returncode == 2 and "Missing argument" in r.stderr


BUGGY = """
import sys
from axiomatic.cli import main
from axiomatic.cli.common import handle_errors, json_option

@main.command()
@json_option
@handle_errors
def boom(as_json):
    "A command with a bug."
    raise RuntimeError("kaboom\\nsecond line")

@main.command()
def bare():
    "A bug outside handle_errors."
    {}["missing"]

main()
"""


def _buggy(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, PYTHONPATH=str(ROOT))
    full.pop("AXIOMATIC_RAISE_ERRORS", None)
    full.update(env or {})
    return subprocess.run([sys.executable, "-c", BUGGY, *args], capture_output=True, text=True, timeout=60, env=full,
                          cwd=ROOT)


def test_an_unexpected_exception_is_exit_4_with_one_line():
    r = _buggy("boom")
    assert r.returncode == 4 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "internal error: RuntimeError: kaboom (run with -v or AXIOMATIC_RAISE_ERRORS=1 for the traceback)"]
    r = _buggy("bare")
    assert r.returncode == 4 and len(r.stderr.strip().splitlines()) == 1 and "KeyError" in r.stderr
    r = _buggy("boom", "--json")
    assert r.returncode == 4
    assert json.loads(r.stdout) == {"error": "InternalError", "exception": "RuntimeError", "message": "kaboom",
                                    "exit_code": 4}


def test_the_traceback_is_shown_with_v_or_axiomatic_raise_errors():
    for r in (_buggy("-v", "boom"), _buggy("boom", env={"AXIOMATIC_RAISE_ERRORS": "1"})):
        assert r.returncode == 4
        assert "Traceback (most recent call last)" in r.stderr and ", in boom\nRuntimeError: kaboom" in r.stderr
        assert r.stderr.strip().splitlines()[-1].startswith("internal error: RuntimeError: kaboom")
