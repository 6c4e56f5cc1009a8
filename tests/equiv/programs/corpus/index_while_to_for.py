"""A `while` loop over indices rewritten as a `for` loop over the items (while -> for)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    i = 0
    s = 0
    while i < len(xs):
        s += xs[i]
        i += 1
    return s


def after(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s
