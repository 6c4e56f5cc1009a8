"""`sorted(xs, reverse=True)` replaced by `sorted(xs)[::-1]` (builtin options)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    return sorted(xs, reverse=True)


def after(xs: list[int]) -> list[int]:
    return sorted(xs)[::-1]
