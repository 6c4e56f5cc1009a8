"""A wheel built with `python -m build` installs in a fresh virtual environment and works away from the source
checkout: the starter library is package data, the embedded Lean is found through the user cache.

Offline by construction: the build uses this environment's setuptools (`--no-isolation`), the wheel is
installed with `--no-index --no-deps`, and the fresh environment sees the already-installed dependencies
through a path file (not the checkout: axiomatic itself must come from the wheel)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.lean]

COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build", "dist", ".lake",
                                     ".pytest_cache", ".hypothesis")


def _run(argv: list[str], *, cwd: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    r = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode in (0, 1, 2, 3, 4), r  # a signal would be a crash of the tool itself
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel built from this tree; returns its bin directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=COPY_IGNORE)  # build outputs stay out of the checkout
    r = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"), str(source)], cwd=tmp)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    [wheel] = (tmp / "dist").glob("axiomatic-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "axiomatic/kb/data/starter.jsonl" in names
        node = {p.name for p in (ROOT / "axiomatic" / "lean" / "node").glob("*.js")}
        assert "runtime_common.js" in node  # required by both hosts and both worker threads
        assert {f"axiomatic/lean/node/{n}" for n in node} <= names
        shipped = z.read("axiomatic/kb/data/starter.jsonl").decode()
    assert shipped == (ROOT / "knowledge_base" / "starter.jsonl").read_text(encoding="utf-8")
    venv = tmp / "venv"
    r = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    assert r.returncode == 0, r.stderr
    r = _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-index",
              "--no-deps", "--quiet", str(wheel)], cwd=tmp)
    assert r.returncode == 0, r.stderr
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(_run([str(venv / "bin" / "python"), "-c", ask], cwd=tmp).stdout.strip())
    (purelib / "_axiomatic_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AXIOMATIC_") and k != "PYTHONPATH"}
    env.update(AXIOMATIC_HOME=str(home), LITELLM_LOCAL_MODEL_COST_MAP="True")
    return env


def test_the_wheel_runs_kb_seed_and_prove_away_from_the_checkout(installed, tmp_path, backend):
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _env(tmp_path / "home")
    where = _run([str(installed / "python"), "-c", "import axiomatic; print(axiomatic.__file__)"], cwd=work, env=env)
    assert where.stdout.strip().startswith(str(installed.parent)), where.stdout  # the wheel, not the checkout

    seed = _run([str(installed / "axiomatic"), "kb", "seed", "--json"], cwd=work, env=env)
    assert seed.returncode == 0, seed.stdout + seed.stderr
    report = json.loads(seed.stdout)
    assert len(report["added"]) == 40 and report["rejected"] == []

    exported = _run([str(installed / "axiomatic"), "kb", "export-lean", "--no-verify", "--json"], cwd=work, env=env)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["path"] == str(tmp_path / "home" / "lean" / "KnowledgeBase.lean")

    # a fresh knowledge base, so the prover has to ask Lean rather than find the starter lemma
    proved = _run([str(installed / "axiomatic"), "prove", "∀ n : Nat, n + 0 = n", "--no-llm", "--json", "--kb",
                   str(tmp_path / "other.sqlite")], cwd=work, env=env)
    assert proved.returncode == 0, proved.stdout + proved.stderr
    out = json.loads(proved.stdout)
    assert out["status"] == "proved" and out["how"] == "portfolio" and out["attempts"] >= 1

    doctor = json.loads(_run([str(installed / "axiomatic"), "doctor", "--json"], cwd=work, env=env).stdout)
    assert doctor["backend"] == backend.name and doctor["lean_project"] is None
