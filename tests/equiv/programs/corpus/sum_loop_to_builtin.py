"""Accumulating loop replaced by the builtin `sum` (loop -> builtin)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    total = 0
    for x in xs:
        total += x
    return total


def after(xs: list[int]) -> int:
    return sum(xs)
