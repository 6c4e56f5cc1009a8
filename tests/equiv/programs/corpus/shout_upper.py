"""Upper-casing applied before or after appending an upper-case suffix (str methods)."""
# expect: equivalent


def before(s: str) -> str:
    return (s + "!").upper()


def after(s: str) -> str:
    return s.upper() + "!"
