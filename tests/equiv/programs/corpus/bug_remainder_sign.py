"""Bug: remainder of the absolute value where Python's `%` (sign of the divisor) was meant."""
# expect: counterexample


def before(x: int) -> int:
    return x % 3


def after(x: int) -> int:
    return abs(x) % 3
