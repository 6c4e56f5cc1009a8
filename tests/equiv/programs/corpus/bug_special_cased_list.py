"""Bug: a loop that skips one particular value while summing."""
# expect: counterexample


def before(xs: list[int]) -> int:
    return sum(xs)


def after(xs: list[int]) -> int:
    s = 0
    for x in xs:
        if x != 1234:
            s += x
    return s
