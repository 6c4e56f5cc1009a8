"""Membership loop replaced by the `in` operator (loop -> operator)."""
# expect: equivalent


def before(xs: list[int], t: int) -> bool:
    for x in xs:
        if x == t:
            return True
    return False


def after(xs: list[int], t: int) -> bool:
    return t in xs
