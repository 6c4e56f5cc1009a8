"""A loop that filters and transforms, replaced by one comprehension (loop -> comprehension)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x >= 0:
            out.append(2 * x)
    return out


def after(xs: list[int]) -> list[int]:
    return [2 * x for x in xs if x >= 0]
