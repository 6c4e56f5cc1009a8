"""How every bench script writes its results: `NAME.json` and (when it renders one) `NAME.md` in the results
directory, both stamped with the same run line: when, on what machine, under what load.

The machine is shared, so a number means little without the load it was taken under: the JSON gets a `run`
object ({"date", "machine", "cpus", "python", "load"}) and the Markdown a line under its title, e.g.

    _Run 2026-12-02 16:50 UTC on x86_64, 2 CPUs, Python 3.12.3; load average 3.1 / 2.9 / 2.5 (1 / 5 / 15 min) when written._

A report re-rendered from an earlier JSON (`bench/prover.py --from-json`) keeps that run's `run` object.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path


def run_info() -> dict:
    """When, where and under what load: the load average is taken now (the end of the run)."""
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "load": [round(x, 1) for x in os.getloadavg()]}


def header_line(info: dict) -> str:
    load = " / ".join(f"{x:.1f}" for x in info["load"])
    return (f"_Run {info['date']} on {info['machine']}, {info['cpus']} CPUs, Python {info['python']}; "
            f"load average {load} (1 / 5 / 15 min) when written._")


def with_header(markdown: str, info: dict) -> str:
    """The run line under the Markdown's title (or first, if it has none)."""
    lines = markdown.rstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        rest = lines[1:]
        while rest and not rest[0].strip():
            rest = rest[1:]
        lines = [lines[0], "", header_line(info), "", *rest]
    else:
        lines = [header_line(info), "", *lines]
    return "\n".join(lines) + "\n"


def write_results(out: Path | str, name: str, report: dict, markdown: str | None = None) -> dict:
    """Write `out/NAME.json` (the report plus its `run` object) and, if given, `out/NAME.md` (with the run line).
    Returns the report as written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    info = report.get("run") if isinstance(report.get("run"), dict) else run_info()
    written = {**report, "run": info}
    (out / f"{name}.json").write_text(json.dumps(written, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if markdown is not None:
        (out / f"{name}.md").write_text(with_header(markdown, info), encoding="utf-8")
    return written
