"""Bug: the running maximum starts at 0 instead of the first element (wrong for all-negative lists)."""
# expect: counterexample


def before(xs: list[int]) -> int:
    if not xs:
        return 0
    return max(xs)


def after(xs: list[int]) -> int:
    if not xs:
        return 0
    m = 0
    for x in xs:
        if x > m:
            m = x
    return m
