"""Index loop `for i in range(len(xs))` rewritten with `enumerate` (guarded indexing -> enumerate)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    s = 0
    for i in range(len(xs)):
        s += i * xs[i]
    return s


def after(xs: list[int]) -> int:
    return sum(i * x for i, x in enumerate(xs))
