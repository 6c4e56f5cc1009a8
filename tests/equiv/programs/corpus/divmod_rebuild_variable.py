"""Quotient and remainder by a variable divisor, guarded, put back together (`//` and `%` under a guard)."""
# expect: equivalent


def before(x: int, d: int) -> int:
    if d == 0:
        return x
    return (x // d) * d + x % d


def after(x: int, d: int) -> int:
    return x
