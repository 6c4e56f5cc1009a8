"""Largest of three by successive comparisons replaced by `max` (branch -> builtin)."""
# expect: equivalent


def before(a: int, b: int, c: int) -> int:
    m = a
    if b > m:
        m = b
    if c > m:
        m = c
    return m


def after(a: int, b: int, c: int) -> int:
    return max(a, b, c)
