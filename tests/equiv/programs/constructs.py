"""The wider subset: each function uses constructs the translation must give Python's exact meaning.

tests/equiv/test_translation.py translates each one and has the Lean kernel evaluate it on inputs CPython ran.
"""


def head_or_zero(xs: list[int]) -> int:
    if not xs:
        return 0
    return xs[0] + xs[-1]


def second(xs: list[int]) -> int:
    if len(xs) >= 2:
        return xs[1] * 10 + xs[len(xs) - 2]
    return -1


def bounded_index(xs: list[int], i: int) -> int:
    if 0 <= i < len(xs):
        return xs[i]
    return 100


def neighbours(xs: list[int]) -> int:
    n = 0
    for i in range(len(xs) - 1):
        if xs[i] < xs[i + 1]:
            n += 1
    return n


def rec_sum(xs: list[int]) -> int:
    if not xs:
        return 0
    return xs[0] + rec_sum(xs[1:])


def slices(xs: list[int], a: int, b: int) -> list[int]:
    return xs[a:b] + xs[1:] + xs[::-1] + xs[:-1]


def comprehension(xs: list[int], t: int) -> list[int]:
    return [x * 2 for x in xs if x != t if x > -5]


def nested(xs: list[int]) -> list[int]:
    return [x * y for x in xs for y in range(3) if y != 1]


def membership(xs: list[int], y: int) -> bool:
    return y in xs and (y + 1 not in xs)


def builtins(xs: list[int]) -> int:
    return sum(xs) + len(xs) + abs(sum(x for x in xs if x < 0)) + max(xs, default=-7) + min(xs, default=7)


def extremes(xs: list[int]) -> int:
    if xs:
        return max(xs) - min(xs)
    return 0


def ordered(xs: list[int]) -> list[int]:
    return sorted(xs) + sorted(xs, reverse=True)


def quantifiers(xs: list[int]) -> tuple[bool, bool]:
    return (any(x > 3 for x in xs), all(x % 2 == 0 for x in xs))


def weighted(xs: list[int]) -> int:
    s = 0
    for i, x in enumerate(xs, 1):
        s += i * x
    return s


def pairs(xs: list[int], ys: list[int]) -> list[int]:
    return [a - b for a, b in zip(xs, ys)]


def stepped(n: int) -> list[int]:
    return list(range(n, -5, -3)) + [i for i in range(1, n, 2)]


def unpack(a: int, b: int) -> tuple[int, int]:
    q, r = a + b, a - b
    a, b = r, q
    return (a * 2, b)


def text(s: str, t: str) -> str:
    if s.startswith("ab") or t.endswith("z"):
        return s.upper() + "-" + t.lower()
    return (s + t)[::-1]


def text_predicates(s: str) -> tuple[bool, bool]:
    return (s.isdigit(), "ab" in s.strip())


def text_count(s: str) -> int:
    n = 0
    for c in s:
        if c == "a" or c.isspace():
            n += 1
    return n + s.count("b") + len(s)


def join_words(ws: list[str]) -> str:
    return ",".join(ws)


def divide(a: int, d: int) -> tuple[int, int]:
    if d != 0:
        return (a // d, a % d)
    return (0, 0)


def divide_positive(a: int, d: int) -> int:
    assert d > 0
    return a // d + a % d


def divide_required(a: int, d: int) -> int:
    # requires: d < 0
    return a // d - a % d


def halving(n: int) -> int:
    # requires: n >= 0
    steps = 0
    while n > 0:
        n = n // 2
        steps += 1
    return steps


def scan(xs: list[int]) -> int:
    i = 0
    s = 0
    while i < len(xs):
        if xs[i] < 0:
            return s
        s += xs[i]
        i += 1
    return s
