"""The translator's view of one point in a function: variable types, how to return, loop exits, facts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .guards import Facts, forget, merge


@dataclass
class Env:
    types: dict[str, str]  # Python variable -> Lean type
    ret: str  # how `return e` is written here: "{}" at top level, ".error ({})" inside a loop body
    loop_end: str | None = None  # continue: the recursive call, as a template over the environment
    loop_break: str | None = None
    fresh_lists: set[str] = field(default_factory=set)  # lists this function created (safe to mutate)
    facts: Facts = field(default_factory=dict)  # guards.py

    def copy(self) -> "Env":
        return replace(self, types=dict(self.types), fresh_lists=set(self.fresh_lists), facts=dict(self.facts))

    def knowing(self, facts: Facts) -> "Env":
        env = self.copy()
        env.facts = merge(env.facts, facts)
        return env

    def assigning(self, name: str, typ: str, *, fresh: bool = False) -> "Env":
        env = self.copy()
        env.types[name] = typ
        env.facts = forget(env.facts, name)
        if fresh:
            env.fresh_lists.add(name)
        else:
            env.fresh_lists.discard(name)
        return env
