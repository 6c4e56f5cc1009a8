"""Leap-year test: nested ifs rewritten as one boolean expression (branch -> expression)."""
# expect: equivalent


def before(y: int) -> bool:
    if y % 4 != 0:
        return False
    if y % 100 != 0:
        return True
    return y % 400 == 0


def after(y: int) -> bool:
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
