"""Bug: `>=` where `>` was meant (zero counted as positive)."""
# expect: counterexample


def before(xs: list[int]) -> int:
    return len([x for x in xs if x > 0])


def after(xs: list[int]) -> int:
    n = 0
    for x in xs:
        if x >= 0:
            n += 1
    return n
