"""Mapping with `append` replaced by a comprehension (loop -> comprehension)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out.append(x * x + 1)
    return out


def after(xs: list[int]) -> list[int]:
    return [x * x + 1 for x in xs]
