"""Bug: the recursive call drops two elements instead of one."""
# expect: counterexample


def before(xs: list[int]) -> int:
    return sum(xs)


def after(xs: list[int]) -> int:
    if not xs:
        return 0
    return xs[0] + after(xs[2:])
