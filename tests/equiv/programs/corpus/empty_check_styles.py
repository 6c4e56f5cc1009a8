"""`len(xs) == 0` replaced by `not xs` (idiom)."""
# expect: equivalent


def before(xs: list[int]) -> bool:
    return len(xs) == 0


def after(xs: list[int]) -> bool:
    return not xs
