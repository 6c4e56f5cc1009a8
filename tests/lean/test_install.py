"""Installing the embedded runtime: idempotent, safe under concurrency, recovers from interrupted work."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from axiomatic.config import Config
from axiomatic.errors import InstallError
from axiomatic.lean.embedded import EmbeddedBackend
from axiomatic.lean.install import INTEGRITY, EmbeddedRuntime, _integrity
from axiomatic.lean.wasm_patch import _read_uleb, _uleb, patch_glue, trim_exports


def test_uleb_round_trip():
    for n in (0, 1, 127, 128, 300, 2**21, 201_110, 2**35 + 7):
        assert _read_uleb(_uleb(n), 0) == (n, len(_uleb(n)))


def test_patches_refuse_an_unexpected_build():
    with pytest.raises(InstallError):
        patch_glue("var Module = {};")
    with pytest.raises(InstallError):
        trim_exports(b"not wasm at all")


def test_trimming_keeps_what_lean_looks_up():
    # a tiny module with one export section: 3 function exports and 1 global
    def entry(name: str, kind: int, index: int) -> bytes:
        raw = name.encode()
        return _uleb(len(raw)) + raw + bytes([kind]) + _uleb(index)

    names = [("l_Foo", 0), ("l_Foo___boxed", 0), ("l_Nat_decEq___boxed", 0), ("l_Foo___lam_0", 0), ("l_g", 3), ("main", 0)]
    body = _uleb(len(names)) + b"".join(entry(n, k, i) for i, (n, k) in enumerate(names))
    module = b"\0asm\1\0\0\0" + bytes([7]) + _uleb(len(body)) + body
    trimmed, kept = trim_exports(module)
    assert kept == 4
    # the interpreter calls l_Foo through its boxed wrapper; the plain export would be misused (ABI test)
    for name in (b"l_Foo___boxed", b"l_Nat_decEq___boxed", b"l_g", b"main"):
        assert name in trimmed
    assert bytes([5]) + b"l_Foo" + bytes([0]) not in trimmed  # the plain twin is gone
    assert b"___lam_0" not in trimmed


@pytest.mark.lean
def test_second_install_is_a_no_op(backend):
    if backend.name != "embedded":
        pytest.skip("native toolchain in use")
    runtime = backend.runtime
    before = runtime.ready_marker.stat().st_mtime_ns
    assert runtime.ensure() is False
    assert runtime.ready_marker.stat().st_mtime_ns == before


def _install_in(cache: str, queue) -> None:
    backend = EmbeddedBackend(Config(cache=Path(cache)))
    queue.put(backend.runtime.ensure(smoke=backend._smoke))


@pytest.mark.lean
def test_two_processes_installing_at_once_after_an_interrupted_install(backend, tmp_path):
    """A fresh cache holding a verified download plus the debris of a killed install: two processes install
    at once; exactly one does the work, both end with a ready runtime, the debris is gone."""
    if backend.name != "embedded":
        pytest.skip("native toolchain in use")
    cache = tmp_path / "cache"
    fresh = EmbeddedRuntime(Config(cache=cache).runtime_dir)
    fresh.downloads.mkdir(parents=True)
    shutil.copy(backend.runtime.tarball, fresh.tarball)  # no network needed: the verified package
    (fresh.root / "staging-killed").mkdir()
    (fresh.root / "staging-killed" / "lean.wasm").write_bytes(b"half")
    (fresh.downloads / "partial-killed").mkdir()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_install_in, args=(str(cache), queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
    results = sorted(queue.get(timeout=5) for _ in procs)
    assert results == [False, True]
    assert fresh.is_ready()
    assert json.loads(fresh.ready_marker.read_text())["integrity"] == INTEGRITY
    assert not list(fresh.root.glob("staging-*")) and not list(fresh.downloads.glob("partial-*"))


def test_a_truncated_download_does_not_pass_the_integrity_check(tmp_path, backend):
    if backend.name != "embedded":
        pytest.skip("native toolchain in use")
    truncated = tmp_path / "t.tgz"
    with open(backend.runtime.tarball, "rb") as src:
        truncated.write_bytes(src.read(1_000_000))
    assert _integrity(truncated) != INTEGRITY
    assert _integrity(backend.runtime.tarball) == INTEGRITY
