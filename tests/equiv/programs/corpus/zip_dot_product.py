"""Dot product by index rewritten with `zip` (index loop -> zip), for lists of equal length."""
# expect: equivalent


def before(xs: list[int], ys: list[int]) -> int:
    assert len(xs) == len(ys)
    s = 0
    for i in range(len(xs)):
        s += xs[i] * ys[i]
    return s


def after(xs: list[int], ys: list[int]) -> int:
    assert len(xs) == len(ys)
    return sum(a * b for a, b in zip(xs, ys))
