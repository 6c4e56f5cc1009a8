"""Bug: `t in s` (anywhere) where `s.startswith(t)` was meant (str)."""
# expect: counterexample


def before(s: str, t: str) -> bool:
    return s.startswith(t)


def after(s: str, t: str) -> bool:
    return t in s
