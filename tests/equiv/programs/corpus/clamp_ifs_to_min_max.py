"""Clamping with an if/elif chain replaced by `min(max(...))`, under the precondition lo <= hi."""
# expect: equivalent


def before(x: int, lo: int, hi: int) -> int:
    assert lo <= hi
    if x < lo:
        return lo
    elif x > hi:
        return hi
    return x


def after(x: int, lo: int, hi: int) -> int:
    # requires: lo <= hi
    return min(max(x, lo), hi)
