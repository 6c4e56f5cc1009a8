"""Runs the user's Python functions in a child process: differential testing with hypothesis, and samples.

A separate process because the code is the user's: it may loop forever, print, or exit. The parent gives a
wall-clock limit and reads one JSON object from stdout. Usage (internal):

    python -m axiomatic.equiv.runner REQUEST.json

Request: {"left": [file, function], "right": [file, function] | null, "params": [lean types],
          "examples": N, "samples": N, "seed": S}
Answer:  {"counterexample": {"args", "left", "right"} | null, "tested": N, "samples": [[args, result]...]}
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import signal
import sys

CALL_SECONDS = 2.0
RESOURCE_LIMITS = {"Timeout", "RecursionError", "MemoryError"}  # CPython's limits, not the program's meaning


class CallTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CallTimeout()


def load_function(path: str, name: str):
    spec = importlib.util.spec_from_file_location(f"_axiomatic_user_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def preconditions(path: str, name: str):
    """The function's leading asserts as a predicate over its arguments (the inputs it promises to handle)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    params = [a.arg for a in fn.args.args]
    body = fn.body[1:] if fn.body and isinstance(fn.body[0], ast.Expr) and isinstance(
        getattr(fn.body[0], "value", None), ast.Constant) else fn.body
    tests = []
    for s in body:
        if not isinstance(s, ast.Assert):
            break
        tests.append(ast.unparse(s.test))
    if not tests:
        return lambda *args: True
    src = f"lambda {', '.join(params)}: " + " and ".join(f"({t})" for t in tests)
    return eval(src, {"len": len, "sum": sum, "abs": abs, "min": min, "max": max, "all": all, "any": any})


def outcome(fn, args):
    """('ok', value) or ('raises', exception name). A call that runs too long counts as raising."""
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        return ("ok", fn(*[_copy(a) for a in args]))
    except CallTimeout:
        return ("raises", "Timeout")
    except RecursionError:
        return ("raises", "RecursionError")
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything; that is an outcome
        return ("raises", type(exc).__name__)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _copy(a):
    return list(a) if isinstance(a, list) else a


def strategy(lean_type: str):
    from hypothesis import strategies as st

    ints = st.one_of(st.integers(-12, 12), st.integers(-10**4, 10**4))
    if lean_type == "Int":
        return ints
    if lean_type == "Bool":
        return st.booleans()
    if lean_type == "List Int":
        return st.lists(st.integers(-20, 20), max_size=8)
    if lean_type == "List Bool":
        return st.lists(st.booleans(), max_size=8)
    if lean_type.startswith("(") and " × " in lean_type:
        return st.tuples(*[strategy(t) for t in lean_type[1:-1].split(" × ")])
    raise ValueError(f"no input generator for {lean_type}")


def _jsonable(v):
    if isinstance(v, tuple):
        return {"tuple": [_jsonable(x) for x in v]}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    return v


def main() -> None:
    request = json.load(open(sys.argv[1], encoding="utf-8"))
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # what the user's code prints must not mix with the answer
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(5000)
    left = load_function(*request["left"])
    pre = [preconditions(*request["left"])]
    right = None
    if request.get("right"):
        right = load_function(*request["right"])
        pre.append(preconditions(*request["right"]))
    answer = {"counterexample": None, "tested": 0, "samples": []}

    from hypothesis import HealthCheck, Phase, assume, given, settings
    from hypothesis import strategies as st

    args_strategy = st.tuples(*[strategy(t) for t in request["params"]])

    def admissible(args) -> bool:
        try:
            return all(p(*args) for p in pre)
        except Exception:  # noqa: BLE001
            return False

    class Mismatch(Exception):
        pass

    found: dict = {}
    counter = {"n": 0}

    if right is not None:
        @settings(max_examples=request.get("examples", 400), database=None, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
        @given(args_strategy)
        def agree(args):
            assume(admissible(args))
            counter["n"] += 1
            a, b = outcome(left, args), outcome(right, args)
            if any(o[0] == "raises" and o[1] in RESOURCE_LIMITS for o in (a, b)):
                # slow or deep is not different: a call that hit a resource limit says nothing about its result
                counter["timeouts"] = counter.get("timeouts", 0) + 1
                assume(False)
            if a != b:
                found.update(args=list(args), left=a, right=b)
                raise Mismatch()

        try:
            agree()
        except Mismatch:
            pass
        answer["tested"] = counter["n"] - counter.get("timeouts", 0)
        answer["timeouts"] = counter.get("timeouts", 0)
        if found:
            answer["counterexample"] = {"args": _jsonable(found["args"]),
                                        "left": [found["left"][0], _jsonable(found["left"][1])],
                                        "right": [found["right"][0], _jsonable(found["right"][1])]}

    # samples for checking the Lean translation against CPython: edge cases first, then random ones
    import random

    rng = random.Random(request.get("seed", 0))
    samples, tries = [], 0
    edge = {"Int": [0, 1, -1, 2, 7, -8, 10], "Bool": [False, True], "List Int": [[], [0], [3, -1, 4, -1, 5]],
            "List Bool": [[], [True, False]]}
    while len(samples) < request.get("samples", 12) and tries < 2000:
        tries += 1
        if tries <= 7:
            args = tuple(edge.get(t, [None])[min(tries - 1, len(edge.get(t, [None])) - 1)] for t in request["params"])
            if any(a is None for a in args):
                continue
        else:
            args = tuple(_random_value(t, rng) for t in request["params"])
        if not admissible(args) or any(args == s[0] for s in samples):
            continue
        result = outcome(left, args)
        if result[0] == "ok":
            samples.append((args, result[1]))
    answer["samples"] = [[_jsonable(list(a)), _jsonable(r)] for a, r in samples]
    real_stdout.write(json.dumps(answer) + "\n")


def _random_value(t: str, rng):
    if t == "Int":
        return rng.choice([rng.randint(-12, 12), rng.randint(-300, 300)])
    if t == "Bool":
        return rng.random() < 0.5
    if t == "List Int":
        return [rng.randint(-20, 20) for _ in range(rng.randint(0, 7))]
    if t == "List Bool":
        return [rng.random() < 0.5 for _ in range(rng.randint(0, 7))]
    if t.startswith("("):
        return tuple(_random_value(p, rng) for p in t[1:-1].split(" × "))
    raise ValueError(t)


if __name__ == "__main__":
    main()
