def logged_total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        print("adding", x)  # I/O: outside the subset
        s += x
    return s
