"""Sum of squares: loop replaced by `sum` over a generator expression (loop -> builtin)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x * x
    return s


def after(xs: list[int]) -> int:
    return sum(x * x for x in xs)
