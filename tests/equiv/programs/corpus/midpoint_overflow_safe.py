"""Binary-search midpoint rewritten in the overflow-safe style of other languages (algebra)."""
# expect: equivalent


def before(lo: int, hi: int) -> int:
    return (lo + hi) // 2


def after(lo: int, hi: int) -> int:
    return lo + (hi - lo) // 2
