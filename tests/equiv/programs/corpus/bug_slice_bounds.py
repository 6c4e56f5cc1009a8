"""Bug: `xs[1:3]` where the first two elements `xs[:2]` were meant."""
# expect: counterexample


def before(xs: list[int]) -> list[int]:
    return xs[:2]


def after(xs: list[int]) -> list[int]:
    return xs[1:3]
