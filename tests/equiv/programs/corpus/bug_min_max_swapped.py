"""Bug: `min` and `max` swapped when clamping to [0, 10]."""
# expect: counterexample


def before(x: int) -> int:
    return min(max(x, 0), 10)


def after(x: int) -> int:
    return max(min(x, 0), 10)
