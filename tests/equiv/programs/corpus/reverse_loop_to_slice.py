"""Prepending loop replaced by the `[::-1]` slice (loop -> slice)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out = [x] + out
    return out


def after(xs: list[int]) -> list[int]:
    return xs[::-1]
