"""Swap through a temporary replaced by tuple unpacking (tuples)."""
# expect: equivalent


def before(a: int, b: int) -> tuple[int, int]:
    t = a
    a = b
    b = t
    return (a, b)


def after(a: int, b: int) -> tuple[int, int]:
    a, b = b, a
    return (a, b)
