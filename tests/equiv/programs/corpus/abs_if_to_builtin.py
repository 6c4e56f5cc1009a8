"""Absolute value by `if` replaced by `abs` (branch -> builtin)."""
# expect: equivalent


def before(x: int) -> int:
    if x < 0:
        return -x
    return x


def after(x: int) -> int:
    return abs(x)
