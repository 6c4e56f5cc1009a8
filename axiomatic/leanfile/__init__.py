"""Lean-file workflows: fill a file's `sorry`s (fill.py), import a file's theorems into the knowledge base
(importer.py), turn a proof sketch's `have`s into lemmas (decompose.py)."""

from .document import LeanFile, Sorry, Theorem, read
from .fill import FillReport, Goal, fill

__all__ = ["FillReport", "Goal", "LeanFile", "Sorry", "Theorem", "fill", "read"]
