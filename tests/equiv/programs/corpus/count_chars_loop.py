"""Counting a character with a loop over a string replaced by `str.count` (str, loop -> method)."""
# expect: equivalent


def before(s: str) -> int:
    n = 0
    for c in s:
        if c == "a":
            n += 1
    return n


def after(s: str) -> int:
    return s.count("a")
