"""bench/_results.py, the one writer of the bench scripts' results: JSON and Markdown stamped with the same run
line (date, machine, load), and every bench script writes through it."""

from __future__ import annotations

import importlib.util
import json
import re

from tests.conftest import ROOT


def _results_module():
    spec = importlib.util.spec_from_file_location("bench_results", ROOT / "bench" / "_results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_json_and_markdown_carry_the_same_run_line(tmp_path):
    results = _results_module()
    written = results.write_results(tmp_path / "out", "thing", {"ratio": 1.5, "name": "ünïcode"},
                                    "# Thing\n\nbody line\n| a | b |\n")
    data = json.loads((tmp_path / "out" / "thing.json").read_text(encoding="utf-8"))
    assert data == written and data["ratio"] == 1.5 and data["name"] == "ünïcode"
    run = data["run"]
    assert set(run) == {"date", "machine", "cpus", "python", "load"} and len(run["load"]) == 3
    md = (tmp_path / "out" / "thing.md").read_text(encoding="utf-8").split("\n")
    assert md[0] == "# Thing" and md[1] == "" and md[3] == "" and md[4:6] == ["body line", "| a | b |"]
    assert md[2] == results.header_line(run) and run["date"] in md[2] and f"{run['cpus']} CPUs" in md[2]
    assert re.search(r"load average \d+\.\d / \d+\.\d / \d+\.\d", md[2])


def test_a_re_rendered_report_keeps_its_run_and_json_only_writes_no_markdown(tmp_path):
    results = _results_module()
    earlier = {"x": 1, "run": {"date": "2020-01-01 00:00 UTC", "machine": "m", "cpus": 2, "python": "3",
                               "load": [1.0, 2.0, 3.0]}}
    results.write_results(tmp_path, "again", earlier, "no title here")
    assert json.loads((tmp_path / "again.json").read_text())["run"] == earlier["run"]
    md = (tmp_path / "again.md").read_text()
    assert md.startswith("_Run 2020-01-01 00:00 UTC on m, 2 CPUs") and md.endswith("no title here\n")
    results.write_results(tmp_path, "only", {"y": 2})
    assert (tmp_path / "only.json").exists() and not (tmp_path / "only.md").exists()


def test_every_bench_script_writes_through_the_helper():
    for script in sorted((ROOT / "bench").glob("*.py")):
        if script.name == "_results.py":
            continue
        text = script.read_text(encoding="utf-8")
        assert "write_results(" in text, f"{script.name} does not write its results with bench/_results.py"
        assert not re.search(r"\.write_text\(json\.dumps", text), f"{script.name} writes a results JSON itself"
