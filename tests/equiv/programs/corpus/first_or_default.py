"""First element or a default: guarded index rewritten with a conditional expression (guarded indexing)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    if len(xs) > 0:
        return xs[0]
    return -1


def after(xs: list[int]) -> int:
    return xs[0] if xs else -1
