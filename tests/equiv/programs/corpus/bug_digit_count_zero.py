"""Bug: a digit counter with `while n > 0` says 0 has no digits (`while n >= 10` counts it as one)."""
# expect: counterexample


def before(n: int) -> int:
    assert n >= 0
    c = 1
    while n >= 10:
        n = n // 10
        c += 1
    return c


def after(n: int) -> int:
    assert n >= 0
    c = 0
    while n > 0:
        n = n // 10
        c += 1
    return c
