"""Maximum by a loop from the first element replaced by `max` (guarded by an emptiness check)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    if not xs:
        return 0
    m = xs[0]
    for x in xs:
        if x > m:
            m = x
    return m


def after(xs: list[int]) -> int:
    if not xs:
        return 0
    return max(xs)
