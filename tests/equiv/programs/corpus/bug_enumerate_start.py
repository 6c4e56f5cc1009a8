"""Bug: `enumerate(xs, 1)` where positions were meant to start at 0."""
# expect: counterexample


def before(xs: list[int]) -> int:
    return sum(i * x for i, x in enumerate(xs))


def after(xs: list[int]) -> int:
    return sum(i * x for i, x in enumerate(xs, 1))
