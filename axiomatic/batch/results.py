"""The results file: one JSON line per problem, appended (and flushed to disk) as each problem finishes, so an
interrupted batch keeps everything it finished and a re-run skips it.

Only final results are written. A problem whose worker died or overran its hard time limit is retried once on
another worker first; only then is it written, as `crashed` or `timeout`. A problem cut short by the
whole-batch budget or by Ctrl-C is not written at all: the next run tries it again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from pathlib import Path

from ..errors import AxiomaticError, BadInput

log = logging.getLogger(__name__)

# proved: a proof the verifier accepted; failed: the search ended (or used its budget) without one; invalid: the
# statement does not elaborate; crashed / timeout: the worker died / overran twice (never a verdict).
FINAL_STATUSES = ("proved", "failed", "invalid", "crashed", "timeout")
RETRYABLE = ("crashed", "timeout")


class OutputBusy(AxiomaticError):
    """Another prove-batch is writing the same results file."""

    exit_code = 3


class ResultsFile:
    """The append-only results file, locked for the lifetime of the object (one driver per file)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._drop_torn_tail()
        self._fh = open(self.path, "a", encoding="utf-8")
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            raise OutputBusy(f"{self.path}: another prove-batch is writing this results file") from None

    def _drop_torn_tail(self) -> None:
        """A driver killed mid-write can leave half a line at the end: cut it off, so the next append starts on
        a line of its own (that problem is simply run again)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        data = self.path.read_bytes()
        if data.endswith(b"\n"):
            return
        keep = data.rfind(b"\n") + 1
        log.warning("%s: dropping an incomplete last line (%d bytes) left by an interrupted run", self.path,
                    len(data) - keep)
        with open(self.path, "r+b") as fh:
            fh.truncate(keep)

    def finished(self, *, retry: tuple[str, ...] = ()) -> dict[str, dict]:
        """The final results already in the file, by id (the last line of an id wins). Results whose status is
        in `retry` are left out, so they run again."""
        out: dict[str, dict] = {}
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise BadInput(f"{self.path}, line {number}: not a result line (not JSON); "
                               "pass another --out or repair the file") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or row.get("status") not in FINAL_STATUSES:
                raise BadInput(f"{self.path}, line {number}: not a prove-batch result (needs `id` and a `status` "
                               f"among {', '.join(FINAL_STATUSES)})")
            out[row["id"]] = row
        return {k: v for k, v in out.items() if v["status"] not in retry}

    def append(self, row: dict) -> None:
        self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "ResultsFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
