"""A flag cleared in a loop replaced by `all` (flag -> builtin)."""
# expect: equivalent


def before(xs: list[int]) -> bool:
    ok = True
    for x in xs:
        if x <= 0:
            ok = False
    return ok


def after(xs: list[int]) -> bool:
    return all(x > 0 for x in xs)
