"""axiomatic: a reasoning engine whose every answer is checked by the Lean 4 kernel."""

__version__ = "0.1.0"
