"""Integer average with the zero guard written the other way round (guard reordering, `//` by a variable)."""
# expect: equivalent


def before(total: int, n: int) -> int:
    if n == 0:
        return 0
    return total // n


def after(total: int, n: int) -> int:
    if n != 0:
        return total // n
    return 0
