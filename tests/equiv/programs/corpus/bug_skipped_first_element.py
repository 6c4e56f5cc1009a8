"""Bug: the loop starts at index 1 and skips the first element."""
# expect: counterexample


def before(xs: list[int]) -> int:
    return sum(xs)


def after(xs: list[int]) -> int:
    s = 0
    for i in range(1, len(xs)):
        s += xs[i]
    return s
