"""Bug: the sign moved out of a floor division (`-(x // 2)` is not `(-x) // 2` for odd x)."""
# expect: counterexample


def before(x: int) -> int:
    return (-x) // 2


def after(x: int) -> int:
    return -(x // 2)
