"""Shared CLI plumbing: the root group, --json output, the error-to-exit-code contract, progress.

Exit codes (docs/cli.md): 0 positive answer, 1 negative answer, 2 bad input (also usage errors), 3 missing or
broken backend, busy knowledge base, timeout or crash, 4 internal error (a bug: one line on stderr, the
traceback with `-v` or AXIOMATIC_RAISE_ERRORS=1), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import traceback
from typing import Any, Callable, NoReturn

import click

from .. import __version__
from ..config import Config
from ..errors import AxiomaticError
from .progress import Progress  # noqa: F401 (re-exported: the commands import it from here)

EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for SIGPIPE: `axiomatic kb list | head`

_verbosity = 0  # set by the root group's -v; read when a bug is reported


class AxiomaticGroup(click.Group):
    """The root group: every way a command can end maps to a documented exit code, including bugs and click's
    own usage errors (as JSON when --json was given)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra) -> NoReturn:
        argv = list(sys.argv[1:] if args is None else args)
        as_json = "--json" in argv
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as e:
            if as_json:
                emit_json({"error": "UsageError", "message": e.format_message(), "exit_code": e.exit_code})
            else:
                e.show()
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt):
            say("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()  # nothing more can be said; do not let the interpreter complain at exit
            sys.exit(EXIT_BROKEN_PIPE)
        except AxiomaticError as e:
            sys.exit(report_error(e, as_json))
        except Exception as e:  # noqa: BLE001 (the contract: a bug is exit 4 and one line, never a traceback)
            sys.exit(report_internal(e, as_json))
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=AxiomaticGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="axiomatic")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (and tracebacks of internal errors).")
@click.option("--no-server", is_flag=True, help="Run Lean in this process, not in the background Lean service "
              "(same as AXIOMATIC_SERVER=off).")
def main(verbose: int, no_server: bool) -> None:
    """axiomatic: proofs, knowledge and code equivalence, every answer checked by the Lean 4 kernel.

    Exit codes: 0 positive answer, 1 negative answer, 2 bad input, 3 backend missing or broken (or the
    knowledge base busy, a timeout, a crash), 4 internal error.
    """
    global _verbosity
    _verbosity = verbose
    if no_server:
        os.environ["AXIOMATIC_SERVER"] = "off"  # read by every Config made from here on
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def say(message: str) -> None:
    """Talk goes to stderr so stdout stays data."""
    click.echo(message, err=True)


def report_error(e: AxiomaticError, as_json: bool) -> int:
    """An expected failure: its message (and whatever could not be stored), returning its exit code."""
    unsaved = getattr(e, "unsaved", None)
    if as_json:
        payload = {"error": type(e).__name__, "message": e.message, "detail": e.detail, "exit_code": e.exit_code}
        if unsaved is not None:
            payload["unsaved"] = unsaved
        emit_json(payload)
    else:
        say(f"error: {e}")
    return e.exit_code


def report_internal(e: BaseException, as_json: bool) -> int:
    """A bug: one line on stderr (the traceback only when asked for), exit 4."""
    try:
        full = _verbosity > 0 or Config().raise_errors
    except Exception:  # noqa: BLE001 (a broken setting must not hide the error being reported)
        full = True
    if full:
        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
    text = (str(e).strip().splitlines() or [""])[0][:300]
    if as_json:
        emit_json({"error": "InternalError", "exception": type(e).__name__, "message": text,
                   "exit_code": EXIT_INTERNAL})
    hint = "" if full else " (run with -v or AXIOMATIC_RAISE_ERRORS=1 for the traceback)"
    say(f"internal error: {type(e).__name__}: {text}{hint}")
    return EXIT_INTERNAL


def handle_errors(fn: Callable) -> Callable:
    """Map AxiomaticError to its exit code with a clear message (JSON when --json was asked), and any other
    exception to exit 4."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        as_json = bool(kwargs.get("as_json"))
        try:
            return fn(*args, **kwargs)
        except AxiomaticError as e:
            sys.exit(report_error(e, as_json))
        except (click.ClickException, click.Abort, KeyboardInterrupt, BrokenPipeError):
            raise  # the root group maps these
        except Exception as e:  # noqa: BLE001 (see report_internal)
            sys.exit(report_internal(e, as_json))

    return wrapper


def make_config(**overrides: Any) -> Config:
    return Config(**{k: v for k, v in overrides.items() if v is not None})
