"""Counter loop replaced by `len` of a filtered comprehension (loop -> comprehension)."""
# expect: equivalent


def before(xs: list[int]) -> int:
    n = 0
    for x in xs:
        if x > 0:
            n += 1
    return n


def after(xs: list[int]) -> int:
    return len([x for x in xs if x > 0])
