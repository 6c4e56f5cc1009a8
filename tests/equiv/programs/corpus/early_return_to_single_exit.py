"""Early returns collapsed into one exit with a result variable (early return -> single exit)."""
# expect: equivalent


def before(x: int, y: int) -> int:
    if x > y:
        return x - y
    if x == y:
        return 0
    return y - x


def after(x: int, y: int) -> int:
    result = 0
    if x > y:
        result = x - y
    elif x < y:
        result = y - x
    return result
