"""`list(reversed(xs))` replaced by `xs[::-1]` (builtin -> slice)."""
# expect: equivalent


def before(xs: list[int]) -> list[int]:
    return list(reversed(xs))


def after(xs: list[int]) -> list[int]:
    return xs[::-1]
