"""(a + b) squared, expanded by hand (algebra)."""
# expect: equivalent


def before(a: int, b: int) -> int:
    s = a + b
    return s * s


def after(a: int, b: int) -> int:
    return a * a + 2 * a * b + b * b
