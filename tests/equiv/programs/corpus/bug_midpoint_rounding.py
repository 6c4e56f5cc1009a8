"""Bug: the midpoint rounded up instead of down."""
# expect: counterexample


def before(lo: int, hi: int) -> int:
    return (lo + hi) // 2


def after(lo: int, hi: int) -> int:
    return -((-(lo + hi)) // 2)
