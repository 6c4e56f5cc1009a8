"""Bug: the leap-year rule without its 400-year exception."""
# expect: counterexample


def before(y: int) -> bool:
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


def after(y: int) -> bool:
    return y % 4 == 0 and y % 100 != 0
