"""Bug: `return False` inside the loop, so only the first element is ever looked at."""
# expect: counterexample


def before(xs: list[int]) -> bool:
    return any(x < 0 for x in xs)


def after(xs: list[int]) -> bool:
    for x in xs:
        if x < 0:
            return True
        else:
            return False
    return False
