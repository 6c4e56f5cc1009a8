"""Recursive length rewritten with `len` (recursion -> builtin)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    if len(xs) == 0:
        return 0
    return 1 + before(xs[1:])


def after(xs: list[int]) -> int:
    return len(xs)
