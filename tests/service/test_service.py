"""The background Lean service as a user meets it: real `axiomatic` commands, a real service process, real Lean.

Lean-free life-cycle tests (start, status, stop, idle exit, permissions) run on services of their own; the Lean
tests share the run's service (tests/conftest.py `lean_service`) and are ordered so that each waits for warm
environments at most once."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from axiomatic.config import Config
from axiomatic.lean.service_client import request, service_files
from tests.conftest import run_cli, stop_services

LOOP = "partial def spin (n : Nat) : Nat := if n + 1 = 0 then n else spin (n + 1)\n#eval spin 0\n"
GOOD = "theorem two_add_two : 2 + 2 = 4 := by decide\n"
BAD = "theorem wrong : 2 + 2 = 5 := by decide\n"


def _status(env: dict | None = None) -> tuple[int, dict]:
    r = run_cli("server", "status", "--json", env=env, timeout=120)
    return r.returncode, json.loads(r.stdout)


def _wait_until(predicate, timeout: float, what: str, step: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def _service_status() -> dict:
    return request(Config(), {"op": "status"}, timeout=60)


def _env_of(status: dict, header_start: str) -> dict | None:
    return next((e for e in status["environments"] if e["header"].startswith(header_start)), None)


def _wait_warm(header_start: str, timeout: float = 900) -> dict:
    return _wait_until(lambda: (e := _env_of(_service_status(), header_start)) and e["state"] == "warm" and e,
                       timeout, f"a warm environment for {header_start!r}", step=2.0)


def _check(tmp_path: Path, text: str, *extra: str, name: str = "File.lean") -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_cli("check", str(path), "--json", *extra)


@pytest.fixture(scope="module", autouse=True)
def _stopped_after_these_tests(lean_service):
    # later tests check in-process (the default when no service runs): leave none running for them
    yield
    stop_services(lean_service)


@pytest.fixture(autouse=True)
def _service_on_demand(monkeypatch):
    # these tests are about the service itself: every command starts it when none runs (the default, 'auto',
    # only uses one that is already running)
    monkeypatch.setenv("AXIOMATIC_SERVER", "on")


# -- life cycle, no Lean needed --------------------------------------------------------------------------------


def test_start_status_stop_and_idle_exit(tmp_path):
    own = {"AXIOMATIC_SERVER_DIR": str(tmp_path / "a")}
    try:
        r = run_cli("server", "start", "--json", env=own)
        assert r.returncode == 0, r.stderr
        started = json.loads(r.stdout)
        assert started["running"] and not started["already_running"]
        again = json.loads(run_cli("server", "start", "--json", env=own).stdout)
        assert again["already_running"] and again["pid"] == started["pid"]
        code, status = _status(own)
        assert code == 0 and status["running"] and status["pid"] == started["pid"]
        r = run_cli("server", "stop", "--json", env=own)
        assert r.returncode == 0 and json.loads(r.stdout)["stopped"]
        code, status = _status(own)
        assert code == 1 and not status["running"]
        _wait_until(lambda: not _alive(started["pid"]), 30, "the stopped service to exit")
    finally:
        stop_services(tmp_path / "a")

    idle = {"AXIOMATIC_SERVER_DIR": str(tmp_path / "b"), "AXIOMATIC_SERVER_IDLE": "2"}
    try:
        r = run_cli("server", "start", "--json", env=idle)
        assert r.returncode == 0, r.stderr
        pid = json.loads(r.stdout)["pid"]
        _wait_until(lambda: not _alive(pid), 60, "the idle service to exit by itself")
        assert _status(idle)[0] == 1
        assert not (tmp_path / "b" / f"{service_files(Config())['socket'].name}").exists()
    finally:
        stop_services(tmp_path / "b")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_socket_is_private_to_its_user(tmp_path):
    own = {"AXIOMATIC_SERVER_DIR": str(tmp_path / "p")}
    try:
        assert run_cli("server", "start", "--json", env=own).returncode == 0
        directory = tmp_path / "p"
        socket_path = next(directory.glob("*.sock"))
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
        if os.getuid() != 0:
            pytest.skip("the modes are checked; a client of another user needs root to run here")
        # another user (nobody) tries to talk to it; it must not get through (the 0700 directory stops it at
        # connect, and the service checks the peer's uid as well)
        os.chmod(tmp_path, 0o755)  # let nobody reach the service directory's parent, not the directory itself
        probe = (
            "import json, socket, sys\n"
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
            "try:\n"
            "    s.connect(sys.argv[1]); s.sendall(b'{\"op\": \"ping\"}\\n'); s.settimeout(10)\n"
            "    print('ANSWER' if s.recv(100) else 'REFUSED')\n"
            "except PermissionError:\n"
            "    print('REFUSED')\n"
        )
        r = subprocess.run(["/usr/bin/python3", "-c", probe, str(socket_path)], capture_output=True, text=True,
                           timeout=60, user="nobody", cwd="/")
        assert r.stdout.strip() == "REFUSED", r.stdout + r.stderr
    finally:
        stop_services(tmp_path / "p")


# -- the run's shared service, real Lean ------------------------------------------------------------------------


@pytest.mark.lean
def test_two_clients_at_once_get_their_own_verdicts(tmp_path):
    results = {}

    def run(name, text):
        results[name] = _check(tmp_path, text, name=f"{name}.lean")

    threads = [threading.Thread(target=run, args=(n, t)) for n, t in (("Good", GOOD), ("Bad", BAD))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["Good"].returncode == 0, results["Good"].stdout + results["Good"].stderr
    assert results["Bad"].returncode == 1, results["Bad"].stdout + results["Bad"].stderr
    assert any("decide" in m["text"] for m in json.loads(results["Bad"].stdout)["messages"])


@pytest.mark.lean
def test_switching_headers_does_not_restart_the_other_environment(tmp_path):
    plain = _wait_warm("")
    r = run_cli("verify", "--statement", "∀ n : Nat, n + 0 = n", "--proof", "fun n => rfl", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["verdict"] == "verified"
    verifier = _env_of(_service_status(), "import Lean")
    assert verifier is not None  # the verifier's header has an environment of its own
    assert _check(tmp_path, GOOD).returncode == 0
    after = _env_of(_service_status(), "")
    assert (after["pid"], after["starts"]) == (plain["pid"], plain["starts"])
    assert after["checks"] > plain["checks"]


@pytest.mark.lean
def test_the_verifier_environment_is_warmed_on_a_verification_file(tmp_path):
    """The warm-up elaborates a real verification file after the imports, so the harness that every verification
    file shares is ready before the session serves: the next verification is answered by that same session
    (not by the host-mode fallback, not by a new process)."""
    verifier = _wait_warm("import Lean")
    assert verifier["warmed_on_text"], verifier
    r = run_cli("verify", "--statement", "∀ a b : Nat, a + b = b + a", "--proof", "Nat.add_comm", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["verdict"] == "verified"
    after = _env_of(_service_status(), "import Lean")
    assert (after["pid"], after["starts"]) == (verifier["pid"], verifier["starts"])
    assert after["checks"] == verifier["checks"] + 1


@pytest.mark.lean
def test_a_looping_request_times_out_alone_and_is_not_cached(tmp_path):
    _wait_warm("")
    for _ in range(2):  # the same file again is run again (a timeout is never remembered as an answer)
        r = _check(tmp_path, LOOP, "--timeout", "5")
        assert r.returncode == 3, r.stdout + r.stderr
        assert json.loads(r.stdout)["error"] == "LeanTimeout"
    r = _check(tmp_path, GOOD)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.lean
def test_the_environment_killed_mid_request_is_a_crash_and_the_service_recovers(tmp_path):
    env = _wait_warm("")
    path = tmp_path / "Loop.lean"
    path.write_text(LOOP, encoding="utf-8")
    full_env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen([sys.executable, "-m", "axiomatic", "check", str(path), "--timeout", "600", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env)
    try:
        _wait_until(lambda: _service_status()["in_flight"] >= 1, 120, "the request to reach the service", 0.5)
        time.sleep(1.0)
        os.kill(env["pid"], signal.SIGKILL)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 3, out + err
    assert json.loads(out)["error"] == "LeanCrash"
    r = _check(tmp_path, GOOD)
    assert r.returncode == 0, r.stdout + r.stderr
    r = _check(tmp_path, BAD)
    assert r.returncode == 1, r.stdout + r.stderr


@pytest.mark.lean
def test_a_command_pings_the_service_at_most_once(tmp_path):
    """The request path handles a missing service itself (it starts one), so nothing pings before a request:
    with AXIOMATIC_SERVER=on a check sends its request and nothing else; with 'auto' the one ping is
    get_backend's, which decides whether a service runs at all."""
    _wait_warm("")
    ops = lambda: _service_status()["ops"]  # noqa: E731
    before = ops()
    assert _check(tmp_path, GOOD).returncode == 0  # AXIOMATIC_SERVER=on (this module's fixture)
    after = ops()
    assert after.get("ping", 0) == before.get("ping", 0)
    assert after["check"] == before["check"] + 1
    r = run_cli("check", str(tmp_path / "File.lean"), "--json", env={"AXIOMATIC_SERVER": "auto"})
    assert r.returncode == 0, r.stdout + r.stderr
    last = ops()
    assert last.get("ping", 0) == after.get("ping", 0) + 1
    assert last["check"] == after["check"] + 1
