"""The sign function with its guards reordered (guard reordering)."""
# expect: equivalent


def before(x: int) -> int:
    if x < 0:
        return -1
    elif x == 0:
        return 0
    else:
        return 1


def after(x: int) -> int:
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0
