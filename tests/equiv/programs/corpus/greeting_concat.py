"""String building: two concatenations merged into one literal (str)."""
# expect: equivalent


def before(name: str) -> str:
    s = "Hello"
    s = s + ", "
    return s + name


def after(name: str) -> str:
    return "Hello, " + name
