"""Bug: `range(n + 1)` where `range(n)` was meant (off-by-one)."""
# expect: counterexample


def before(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def after(n: int) -> int:
    s = 0
    for i in range(n + 1):
        s += i
    return s
