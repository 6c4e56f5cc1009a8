"""The knowledge base end to end through the command line, with the real verifier and Lean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.lean


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A knowledge base seeded with the starter library (its 40 lemmas verified in one Lean run)."""
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    r = run_cli("kb", "seed", "--kb", str(path), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert len(report["added"]) == len((ROOT / "knowledge_base" / "starter.jsonl").read_text().splitlines())
    assert report["rejected"] == []
    return path


def test_add_verifies_first_reuses_earlier_results_and_records_edges(seeded):
    r = run_cli("kb", "add", "--kb", str(seeded), "--name", "rev_app_len",
                "--statement", "∀ (xs ys : List Nat), (xs.reverse ++ ys).length = xs.length + ys.length",
                "--proof", "by intro xs ys; rw [Starter.list_length_append, Starter.list_length_reverse]",
                "--informal", "reversing the first list does not change the total length", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    show = json.loads(run_cli("kb", "show", "rev_app_len", "--kb", str(seeded), "--json").stdout)
    assert set(show["uses"]) == {"Starter.list_length_append", "Starter.list_length_reverse"}
    assert show["verified"] and show["source"] == "user" and show["informal"].startswith("reversing")
    used = json.loads(run_cli("kb", "show", "Starter.list_length_reverse", "--kb", str(seeded), "--json").stdout)
    assert used["used_by"] == ["rev_app_len"]

    rejected = run_cli("kb", "add", "--kb", str(seeded), "--name", "bogus", "--statement", "False",
                       "--proof", "by exact?", "--json")
    assert rejected.returncode == 1
    assert json.loads(rejected.stdout)["added"] is False
    listing = json.loads(run_cli("kb", "list", "--kb", str(seeded), "--json").stdout)
    assert "bogus" not in {i["name"] for i in listing} and len(listing) == 41


def test_search_graph_and_lean_export(seeded, tmp_path):
    s = run_cli("kb", "search", "length of a reversed list", "--kb", str(seeded), "--json")
    assert s.returncode == 0
    assert json.loads(s.stdout)[0]["name"] == "Starter.list_length_reverse"
    dot = run_cli("kb", "graph", "--kb", str(seeded), "--format", "dot").stdout
    assert dot.startswith("digraph") and '"rev_app_len" -> "Starter.list_length_append"' in dot
    gml = run_cli("kb", "graph", "--kb", str(seeded), "--format", "graphml").stdout
    assert "<graphml" in gml
    e = run_cli("kb", "export-lean", str(tmp_path / "out"), "--kb", str(seeded), "--json")
    assert e.returncode == 0, e.stdout + e.stderr
    out = json.loads(e.stdout)
    assert out["ok"] and out["items"] == 41
    text = Path(out["path"]).read_text()
    assert text.index("theorem Starter.list_length_reverse") < text.index("theorem rev_app_len")


def test_bad_inputs_get_exit_2_and_nothing_is_lost(seeded, tmp_path):
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    r = run_cli("kb", "list", "--kb", str(foreign), "--json")
    assert r.returncode == 2 and "not an SQLite database" in json.loads(r.stdout)["message"]
    assert foreign.read_text() == "not a database"
    r = run_cli("kb", "add", "--kb", str(seeded), "--name", "bad name!", "--statement", "True", "--proof", "trivial")
    assert r.returncode == 2
    r = run_cli("kb", "show", "no_such_item", "--kb", str(seeded))
    assert r.returncode == 2
