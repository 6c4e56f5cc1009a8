"""Modern rewrites of legacy.py. Most agree on every input; the ones at the bottom do not."""


def biggest(a: int, b: int) -> int:
    return max(a, b)


def biggest3(a: int, b: int, c: int) -> int:
    return max(a, b, c)


def magnitude(x: int) -> int:
    return abs(x)


def clamp(x: int, lo: int, hi: int) -> int:
    assert lo <= hi
    return min(max(x, lo), hi)


def square_of_sum(a: int, b: int) -> int:
    return a * a + 2 * a * b + b * b


def rebuild(x: int) -> int:
    return x


def total(xs: list[int]) -> int:
    return sum(xs)


def evens(xs: list[int]) -> list[int]:
    return [x for x in xs if x % 2 == 0]


def doubled(xs: list[int]) -> list[int]:
    return [2 * x for x in xs]


def backwards(xs: list[int]) -> list[int]:
    return xs[::-1]


def count_positive(xs: list[int]) -> int:
    return len([x for x in xs if x > 0])


def sum_odd(n: int) -> int:
    assert n >= 0
    return n * n


def triangle(n: int) -> int:
    assert n >= 0
    t = 0
    for i in range(1, n + 1):
        t += i
    return t


# --- not equivalent -------------------------------------------------------------------------------------


def half(x: int) -> int:
    return -((-x) // 2)  # rounds up, not down: differs on odd numbers


def sum_upto(n: int) -> int:
    s = 0
    for i in range(n + 1):  # off by one
        s += i
    return s


def distance(x: int) -> int:
    return max(x, 0)  # forgets negative inputs


def remainder3(x: int) -> int:
    return abs(x) % 3  # sign of the remainder differs from Python's %


def clip(x: int) -> int:
    return max(min(x, 0), 10)  # min and max swapped


def last_digit_count(n: int) -> int:
    assert n >= 0
    c = 0
    while n > 0:
        n = n // 10
        c += 1
    return c  # 0 has no digits here


def first_two(xs: list[int]) -> list[int]:
    return xs[1:3]  # skips the first element
