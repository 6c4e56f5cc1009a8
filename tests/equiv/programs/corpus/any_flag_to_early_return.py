"""A `found` flag set in a loop replaced by an early return (flag -> early return)."""
# expect: equivalent


def before(xs: list[int], t: int) -> bool:
    found = False
    for x in xs:
        if x == t:
            found = True
    return found


def after(xs: list[int], t: int) -> bool:
    for x in xs:
        if x == t:
            return True
    return False
