"""Recursive count of even numbers rewritten as a loop (recursion -> iteration)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    if not xs:
        return 0
    rest = before(xs[1:])
    if xs[0] % 2 == 0:
        return rest + 1
    return rest


def after(xs: list[int]) -> int:
    n = 0
    for x in xs:
        if x % 2 == 0:
            n += 1
    return n
