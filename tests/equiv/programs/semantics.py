"""Functions exercising the corners of Python's semantics the translation must reproduce exactly.

tests/equiv/test_equiv.py translates each one and has the Lean kernel evaluate it on inputs CPython ran.
"""


def floor_ops(a: int) -> tuple[int, int]:
    return (a // 3 + a // -4, a % 3 + a % -4)


def slices(xs: list[int], a: int, b: int) -> list[int]:
    return xs[a:b] + xs[-2:] + xs[:3] + xs[1:] + xs[::-1]


def first_negative_index(xs: list[int]) -> int:
    for i in range(len(xs)):
        if xs[i] < 0:
            return i
    return -1


def pairs_summing_to(xs: list[int], target: int) -> int:
    count = 0
    for x in xs:
        for y in xs:
            if x + y == target:
                count += 1
            if count > 5:
                return -count
    return count


def collatz_steps(n: int) -> int:
    assert n >= 1
    assert n <= 200
    steps = 0
    while n != 1 and steps <= 500:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def digit_sum(n: int) -> int:
    assert n >= 0
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


def skip_and_stop(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x == 0:
            continue
        if x > 15:
            break
        out.append(x * x)
    return out


def stepped(n: int) -> int:
    s = 0
    for i in range(n, -7, -3):
        s = s * 2 + i
    for j in range(1, n, 4):
        s -= j
    return s


def fib_pair(n: int) -> tuple[int, int]:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return (a, b)


def bits(n: int) -> tuple[int, int]:
    assert n >= 0
    ones, length = 0, 0
    while n > 0:
        ones, length = ones + n % 2, length + 1
        n = n // 2
    return (ones, length)


def classify(x: int, flag: bool) -> int:
    if x > 10 and flag:
        return 1
    elif x > 10 or not flag:
        return 2 if x % 2 == 0 else 3
    return -1 if 0 <= x < 5 else 0


def membership(xs: list[int], y: int) -> bool:
    return y in xs and y + 1 not in xs


def squares_below(n: int) -> list[int]:
    return [i * i for i in range(n) if i % 3 != 1]


def power_sum(x: int) -> int:
    return x ** 3 - 2 * x ** 2 + abs(x) - min(x, 3, -x) + max(x, 0)


def count_down(n: int) -> list[int]:
    assert n <= 50
    out = []
    while n >= 0:
        out.append(n)
        n -= 2
    return out


def fact(n: int) -> int:
    assert n >= 0
    assert n <= 30
    if n == 0:
        return 1
    return n * fact(n - 1)


def uses_helper(xs: list[int]) -> int:
    return fact(len(xs)) + digit_sum(sum([x * x for x in xs]))
