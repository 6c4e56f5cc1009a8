"""Sum of the first n odd numbers: a loop against its closed form n*n (loop -> closed form)."""
# expect: equivalent


def before(n: int) -> int:
    assert n >= 0
    s = 0
    for i in range(n):
        s += 2 * i + 1
    return s


def after(n: int) -> int:
    assert n >= 0
    return n * n
