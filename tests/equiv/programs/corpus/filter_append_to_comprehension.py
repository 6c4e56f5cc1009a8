"""Filtering with `append` replaced by a comprehension with a condition (loop -> comprehension)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x % 3 == 0:
            out.append(x)
    return out


def after(xs: list[int]) -> list[int]:
    return [x for x in xs if x % 3 == 0]
