"""`axiomatic check`, `setup`, `doctor` as a user runs them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(
    "content, why",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"theorem x : 1 = 1 := rfl\x00\x01", "binary"),
        (b"theorem caf\xe9 : 1 = 1 := rfl", "not UTF-8"),
    ],
)
def test_check_rejects_bad_files_with_exit_2(tmp_path, content, why):
    path = tmp_path / "In.lean"
    if content is not None:
        path.write_bytes(content)
    r = run_cli("check", str(path), "--json")
    assert r.returncode == 2, r.stderr
    assert why in json.loads(r.stdout)["message"]


@pytest.mark.lean
def test_check_json_on_a_file_with_an_error(tmp_path, backend):
    path = tmp_path / "Demo.lean"
    path.write_text("theorem ok1 : 2 + 2 = 4 := by decide\n\ntheorem wrong : 2 + 2 = 5 := by\n  decide\n")
    r = run_cli("check", str(path), "--json")
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["backend"] == backend.name and out["seconds"] > 0
    errors = [m for m in out["messages"] if m["severity"] == "error"]
    assert [(m["line"], m["column"]) for m in errors] == [(4, 2)]
    assert "decide" in errors[0]["text"]


@pytest.mark.lean
def test_check_of_a_correct_file_exits_0_and_doctor_reports_the_backend(tmp_path, backend):
    path = tmp_path / "Fine.lean"
    path.write_text("theorem add_zero' (n : Nat) : n + 0 = n := rfl\n")
    r = run_cli("check", str(path), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True
    d = run_cli("doctor", "--json")
    assert d.returncode == 0
    report = json.loads(d.stdout)
    assert report["backend"] == backend.name
    assert report["lean_version"] and report["node"].startswith("v")
    s = run_cli("setup", "--json")
    assert s.returncode == 0 and json.loads(s.stdout)["ok"] is True
