"""Recursive sum over `xs[0]` and `xs[1:]` (guarded by `if not xs`) rewritten as a loop (recursion -> iteration)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    if not xs:
        return 0
    return xs[0] + before(xs[1:])


def after(xs: list[int]) -> int:
    total = 0
    for x in xs:
        total += x
    return total
