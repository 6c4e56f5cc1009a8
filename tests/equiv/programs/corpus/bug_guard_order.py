"""Bug: the guards reordered so that the wider one shadows the narrower one."""
# expect: counterexample


def before(x: int) -> int:
    if x > 10:
        return 2
    elif x > 5:
        return 1
    return 0


def after(x: int) -> int:
    if x > 5:
        return 1
    elif x > 10:
        return 2
    return 0
