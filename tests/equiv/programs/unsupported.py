def true_division(x: int) -> int:
    return x / 2


def uses_dict(x: int) -> int:
    d = {1: 2}
    return x


def variable_divisor(x: int, y: int) -> int:
    return x // y


def indexes(xs: list[int], i: int) -> int:
    return xs[i]


def mutates_argument(xs: list[int]) -> int:
    xs.append(1)
    return len(xs)


def no_hints(x):
    return x


def spins(x: int) -> int:
    while True:
        x += 1
    return x


def prints(x: int) -> int:
    print(x)
    return x


def floats(x: int) -> float:
    return 0.5


def falls_off(x: int) -> int:
    if x > 0:
        return 1


def last_index(xs: list[int]) -> int:
    i = -1
    for i in range(len(xs)):
        pass
    return i


def max_of_maybe_empty(xs: list[int]) -> int:
    return max(xs)


def unguarded_head(xs: list[int]) -> int:
    if len(xs) >= 0:
        return xs[0]
    return 0


def guard_then_reassign(xs: list[int]) -> int:
    if xs:
        xs = xs[1:]
        return xs[0]
    return 0


def bad_requires(x: int) -> int:
    # requires: x >=
    return x
