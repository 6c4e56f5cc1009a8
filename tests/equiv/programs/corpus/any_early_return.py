"""`for ...: if cond: return True` replaced by `any` (early return -> builtin)."""
# expect: equivalent


def before(xs: list[int]) -> bool:
    for x in xs:
        if x < 0:
            return True
    return False


def after(xs: list[int]) -> bool:
    return any(x < 0 for x in xs)
