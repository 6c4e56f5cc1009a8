"""Even numbers below n: a `range` with a step replaced by a filtered comprehension (range with a step)."""
# expect: equivalent


def before(n: int) -> list[int]:
    return list(range(0, n, 2))


def after(n: int) -> list[int]:
    return [i for i in range(n) if i % 2 == 0]
