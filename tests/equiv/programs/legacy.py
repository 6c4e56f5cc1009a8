"""Legacy versions: loops, flags and early returns, as old code tends to be written."""


def biggest(a: int, b: int) -> int:
    if a > b:
        m = a
    else:
        m = b
    return m


def biggest3(a: int, b: int, c: int) -> int:
    m = a
    if b > m:
        m = b
    if c > m:
        m = c
    return m


def magnitude(x: int) -> int:
    if x < 0:
        return -x
    return x


def clamp(x: int, lo: int, hi: int) -> int:
    assert lo <= hi
    if x < lo:
        return lo
    elif x > hi:
        return hi
    else:
        return x


def square_of_sum(a: int, b: int) -> int:
    s = a + b
    return s * s


def rebuild(x: int) -> int:
    q = x // 4
    r = x % 4
    return q * 4 + r


def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s


def evens(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x % 2 == 0:
            out.append(x)
    return out


def doubled(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out.append(2 * x)
    return out


def backwards(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out = [x] + out
    return out


def count_positive(xs: list[int]) -> int:
    n = 0
    for x in xs:
        if x > 0:
            n += 1
    return n


def sum_odd(n: int) -> int:
    assert n >= 0
    s = 0
    for i in range(n):
        s += 2 * i + 1
    return s


def triangle(n: int) -> int:
    assert n >= 0
    if n == 0:
        return 0
    return n + triangle(n - 1)


# --- pairs that are NOT equivalent (each has a twin in modern.py) ------------------------------------------


def half(x: int) -> int:
    return x // 2


def sum_upto(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def distance(x: int) -> int:
    return abs(x)


def remainder3(x: int) -> int:
    return x % 3


def clip(x: int) -> int:
    return min(max(x, 0), 10)


def last_digit_count(n: int) -> int:
    assert n >= 0
    c = 1
    while n >= 10:
        n = n // 10
        c += 1
    return c


def first_two(xs: list[int]) -> list[int]:
    return xs[:2]
