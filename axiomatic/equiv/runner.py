"""Runs the user's Python functions in a child process: differential testing, samples, and replays.

A separate process because the code is the user's: it may loop forever, print, or exit. The parent gives a
wall-clock limit and reads one JSON object from stdout. Usage (internal):

    python -m axiomatic.equiv.runner REQUEST.json

Request: {"left": [file, function], "right": [file, function] | null, "params": [lean types],
          "preconditions": [[python exprs of left], [of right]], "mode": "test" | "replay",
          "examples": N, "seeds": [args...], "samples": N, "seed": S, "candidates": [args...]}
Answer:  {"counterexample": {"args", "left", "right"} | null, "tested": N, "timeouts": N,
          "samples": [[args, result]...], "replayed": N, "outcomes": [[kind, value]...] (replay, one side)}

Values cross as JSON; a tuple is {"tuple": [...]} so that it stays a tuple.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import signal
import sys

CALL_SECONDS = 2.0
RESOURCE_LIMITS = {"Timeout", "RecursionError", "MemoryError"}  # CPython's limits, not the program's meaning
ASCII = "".join(chr(c) for c in range(32, 127)) + "\t\n"
BUILTINS = {"len": len, "sum": sum, "abs": abs, "min": min, "max": max, "all": all, "any": any, "sorted": sorted,
            "range": range, "list": list, "tuple": tuple, "enumerate": enumerate, "zip": zip, "bool": bool,
            "int": int, "reversed": reversed}


class CallTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CallTimeout()


def load_function(path: str, name: str):
    spec = importlib.util.spec_from_file_location(f"_axiomatic_user_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return getattr(module, name)


def precondition(fn, exprs: list[str]):
    """The function's domain (its asserts and `# requires:` comments) as a predicate over its arguments."""
    if not exprs:
        return lambda *args: True
    params = list(inspect.signature(fn).parameters)
    src = f"lambda {', '.join(params)}: " + " and ".join(f"({e})" for e in exprs)
    return eval(src, {"__builtins__": BUILTINS})


def outcome(fn, args):
    """('ok', value) or ('raises', exception name). A call that runs too long counts as raising Timeout."""
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


def limited(o) -> bool:
    return o[0] == "raises" and o[1] in RESOURCE_LIMITS


def tuple_parts(t: str) -> list[str]:
    from .subset.types import tuple_parts as parts

    return parts(t)


def strategy(lean_type: str):
    from hypothesis import strategies as st

    if lean_type == "Int":
        return st.one_of(st.integers(-12, 12), st.integers(-10**4, 10**4))
    if lean_type == "Bool":
        return st.booleans()
    if lean_type == "List Char":
        return st.text(alphabet=ASCII, max_size=8)
    if lean_type == "List Int":
        return st.lists(st.integers(-20, 20), max_size=8)
    if lean_type.startswith("List "):
        inner = lean_type[5:]
        inner = inner[1:-1] if inner.startswith("(") and " × " not in inner else inner
        return st.lists(strategy(inner), max_size=6)
    if lean_type.startswith("(") and " × " in lean_type:
        return st.tuples(*[strategy(t) for t in tuple_parts(lean_type)])
    raise ValueError(f"no input generator for {lean_type}")


def jsonable(v):
    if isinstance(v, tuple):
        return {"tuple": [jsonable(x) for x in v]}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


def from_json(v):
    if isinstance(v, dict) and "tuple" in v:
        return tuple(from_json(x) for x in v["tuple"])
    if isinstance(v, list):
        return [from_json(x) for x in v]
    return v


class Pair:
    """The two functions and their joint domain."""

    def __init__(self, request: dict) -> None:
        self.left = load_function(*request["left"])
        pres = request.get("preconditions") or [[], []]
        self.pre = [precondition(self.left, pres[0])]
        self.right = None
        if request.get("right"):
            self.right = load_function(*request["right"])
            self.pre.append(precondition(self.right, pres[1]))

    def admissible(self, args) -> bool:
        try:
            return all(p(*args) for p in self.pre)
        except Exception:  # noqa: BLE001 - a precondition that raises excludes the input, as an assert would
            return False

    def differ(self, args):
        """(left outcome, right outcome) when they differ on an admissible input, else None. A resource limit
        (timeout, recursion depth, memory) on either side says nothing about the result: never a difference."""
        if not self.admissible(args):
            return None
        a, b = outcome(self.left, args), outcome(self.right, args)
        if limited(a) or limited(b) or _same(a, b):
            return None
        return a, b


def _same(a, b) -> bool:
    return a[0] == b[0] and type(a[1]) is type(b[1]) and a[1] == b[1]


def shrink(pair: Pair, args: tuple, budget: int = 300) -> tuple:
    """A smaller input on which the two still differ (greedy: drop list items, move numbers toward 0)."""
    best = args
    tries = 0
    improved = True
    while improved and tries < budget:
        improved = False
        for cand in _smaller(best):
            tries += 1
            if tries > budget:
                break
            if pair.differ(cand) is not None:
                best, improved = cand, True
                break
    return best


def _smaller(args: tuple):
    for i, a in enumerate(args):
        for s in _simpler(a):
            yield args[:i] + (s,) + args[i + 1:]


def _simpler(v):
    if isinstance(v, bool):
        if v:
            yield False
    elif isinstance(v, int):
        # the smallest numbers first (a difference on odd numbers only must still shrink to 1), then halving
        small = [0] + [k * sign for k in range(1, min(abs(v), 33)) for sign in (1, -1)]
        for s in dict.fromkeys(small + [int(v / 2), v - 1 if v > 0 else v + 1]):
            if abs(s) < abs(v):
                yield s
        if v < 0:
            yield -v
    elif isinstance(v, str):
        for j in range(len(v)):
            yield v[:j] + v[j + 1:]
        for j, ch in enumerate(v):
            if ch != "a":
                yield v[:j] + "a" + v[j + 1:]
    elif isinstance(v, list):
        for j in range(len(v)):
            yield v[:j] + v[j + 1:]
        for j, x in enumerate(v):
            for s in _simpler(x):
                yield v[:j] + [s] + v[j + 1:]
    elif isinstance(v, tuple):
        for j, x in enumerate(v):
            for s in _simpler(x):
                yield v[:j] + (s,) + v[j + 1:]


def _report(args, a, b) -> dict:
    return {"args": jsonable(list(args)), "left": [a[0], jsonable(a[1])], "right": [b[0], jsonable(b[1])]}


def differential(pair: Pair, request: dict, answer: dict) -> None:
    """hypothesis, with the seeds (constants of both programs, boundary values) as explicit examples first."""
    from hypothesis import HealthCheck, Phase, assume, example, given, settings
    from hypothesis import strategies as st

    args_strategy = st.tuples(*[strategy(t) for t in request["params"]])
    found: dict = {}
    counter = {"n": 0, "timeouts": 0}

    class Mismatch(Exception):
        pass

    def agree(args):
        if not pair.admissible(args):
            assume(False)
        counter["n"] += 1
        a, b = outcome(pair.left, args), outcome(pair.right, args)
        if limited(a) or limited(b):
            counter["timeouts"] += 1
            assume(False)
        if not _same(a, b):
            found.update(args=args, left=a, right=b)
            raise Mismatch()

    test = agree
    for seed in reversed(request.get("seeds", [])):
        test = example(tuple(from_json(seed)))(test)
    test = given(args_strategy)(test)
    test = settings(max_examples=request.get("examples", 400), database=None, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.explicit, Phase.generate, Phase.shrink])(test)
    try:
        test()
    except Mismatch:
        pass
    except Exception as exc:  # noqa: BLE001 - hypothesis re-raises the shrunk failure under its own types
        if not found:
            raise
        del exc
    answer["tested"] = counter["n"] - counter["timeouts"]
    answer["timeouts"] = counter["timeouts"]
    if found:
        args = shrink(pair, tuple(found["args"]))
        a, b = outcome(pair.left, args), outcome(pair.right, args)
        answer["counterexample"] = _report(args, a, b)


def replay(pair: Pair, request: dict, answer: dict) -> None:
    """Run candidate inputs (from CrossHair or the Lean-side search) on CPython; the first on which the two
    really differ, shrunk, is the counterexample."""
    answer["replayed"] = 0
    for cand in request.get("candidates", []):
        args = tuple(from_json(cand))
        answer["replayed"] += 1
        if pair.differ(args) is not None:
            args = shrink(pair, args)
            a, b = outcome(pair.left, args), outcome(pair.right, args)
            answer["counterexample"] = _report(args, a, b)
            return


def samples(pair: Pair, request: dict, answer: dict) -> None:
    """Inputs and CPython's results, for checking the Lean translation: edge cases first, then random ones."""
    import random

    rng = random.Random(request.get("seed", 0))
    out, tries = [], 0
    params = request["params"]
    edge = [tuple(from_json(s)) for s in request.get("seeds", [])[:6]]
    while len(out) < request.get("samples", 12) and tries < 2000:
        tries += 1
        args = edge[tries - 1] if tries <= len(edge) else tuple(_random_value(t, rng) for t in params)
        if not pair.admissible(args) or any(args == s[0] for s in out):
            continue
        result = outcome(pair.left, args)
        if result[0] == "ok":
            out.append((args, result[1]))
    answer["samples"] = [[jsonable(list(a)), jsonable(r)] for a, r in out]


def _random_value(t: str, rng):
    if t == "Int":
        return rng.choice([rng.randint(-12, 12), rng.randint(-300, 300)])
    if t == "Bool":
        return rng.random() < 0.5
    if t == "List Char":
        return "".join(rng.choice(ASCII[:95]) for _ in range(rng.randint(0, 6)))
    if t == "List Int":
        return [rng.randint(-20, 20) for _ in range(rng.randint(0, 7))]
    if t.startswith("List "):
        inner = t[5:]
        inner = inner[1:-1] if inner.startswith("(") and " × " not in inner else inner
        return [_random_value(inner, rng) for _ in range(rng.randint(0, 5))]
    if t.startswith("("):
        return tuple(_random_value(p, rng) for p in tuple_parts(t))
    raise ValueError(t)


def main() -> None:
    request = json.load(open(sys.argv[1], encoding="utf-8"))
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # what the user's code prints must not mix with the answer
    signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(5000)
    pair = Pair(request)
    answer: dict = {"counterexample": None, "tested": 0, "timeouts": 0, "samples": []}
    mode = request.get("mode", "test")
    if mode == "replay" and pair.right is None:
        answer["outcomes"] = [[o[0], jsonable(o[1])] for o in
                              (outcome(pair.left, tuple(from_json(c))) for c in request.get("candidates", []))]
    elif mode == "replay":
        replay(pair, request, answer)
    else:
        if pair.right is not None and request.get("examples", 0) > 0:
            differential(pair, request, answer)
        if request.get("samples", 0):
            samples(pair, request, answer)
    real_stdout.write(json.dumps(answer) + "\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
