"""Bug: a special case for one input value, hidden behind arithmetic (random testing misses it)."""
# expect: counterexample


def before(x: int) -> int:
    return 2 * x


def after(x: int) -> int:
    if 7 * x + 3 == 20303:
        return 0
    return x + x
