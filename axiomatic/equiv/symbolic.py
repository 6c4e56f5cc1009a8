"""Symbolic counterexample search with CrossHair, in a child process (the code is the user's).

CrossHair (crosshair-tool, which drives the z3 solver) executes both functions on symbolic inputs and asks
for an input on which their behaviour differs: it finds the one value a special case hides, which random
testing misses. Its answers are only candidates: the parent replays each on CPython (runner.py) before it is
reported, so nothing CrossHair says is trusted. Usage (internal):

    python -m axiomatic.equiv.symbolic REQUEST.json

Request: {"left": [file, function], "right": [file, function], "preconditions": [[python exprs], [...]],
          "seconds": budget}
Answer:  {"candidates": [[arg, ...], ...], "note": str}
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import sys

from .runner import jsonable, load_function, precondition


def _guarded(fn, pre, IgnoreAttempt):
    def call(*args):
        if not pre(*args):
            raise IgnoreAttempt()  # outside the domain: not an input CrossHair may report
        return fn(*args)

    call.__signature__ = inspect.signature(fn)
    call.__name__ = fn.__name__
    call.__qualname__ = fn.__qualname__
    call.__module__ = fn.__module__
    return call


def search(request: dict) -> dict:
    try:
        import crosshair.core_and_libs  # noqa: F401 - registers CrossHair's symbolic builtins
        from crosshair import IgnoreAttempt
        from crosshair.diff_behavior import ExceptionEquivalenceType, diff_behavior
        from crosshair.fnutil import FunctionInfo
        from crosshair.options import DEFAULT_OPTIONS, AnalysisOptionSet
    except ImportError:
        return {"candidates": [], "note": "CrossHair is not installed (pip install crosshair-tool)"}
    left = load_function(*request["left"])
    right = load_function(*request["right"])
    pres = [precondition(left, request["preconditions"][0]), precondition(right, request["preconditions"][1])]

    def pre(*args):
        return all(p(*args) for p in pres)

    seconds = float(request.get("seconds", 10.0))
    options = DEFAULT_OPTIONS.overlay(AnalysisOptionSet(per_condition_timeout=seconds,
                                                        per_path_timeout=max(1.0, seconds / 4)))
    fl = FunctionInfo.from_fn(_guarded(left, pre, IgnoreAttempt))
    fr = FunctionInfo.from_fn(_guarded(right, pre, IgnoreAttempt))
    diffs = diff_behavior(fl, fr, options, ExceptionEquivalenceType.SAME_TYPE)
    if isinstance(diffs, str):
        return {"candidates": [], "note": f"CrossHair could not analyse the functions: {diffs}"}
    names = list(inspect.signature(left).parameters)
    out = []
    for d in diffs:
        try:
            out.append([jsonable(ast.literal_eval(d.args[n])) for n in names])
        except (KeyError, ValueError, SyntaxError):
            continue  # a value CrossHair could not show as a literal: nothing to replay
    return {"candidates": out, "note": f"{len(out)} candidate(s)"}


def main() -> None:
    request = json.load(open(sys.argv[1], encoding="utf-8"))
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # what the user's code prints must not mix with the answer
    sys.setrecursionlimit(5000)
    answer = search(request)
    real_stdout.write(json.dumps(answer) + "\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
