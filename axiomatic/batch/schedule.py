"""Which problem an idle worker takes next. Problems sharing a context form a group; a worker keeps to its
group while it has problems (the header is warm there), then claims an unclaimed group, then helps with the
largest group left. A problem being retried goes first, to a worker other than the one it failed on."""

from __future__ import annotations

from collections import OrderedDict, deque

from .problems import Problem


class WorkQueue:
    def __init__(self, problems: list[Problem]) -> None:
        self._groups: OrderedDict[str, deque[Problem]] = OrderedDict()
        for p in problems:
            self._groups.setdefault(p.context_key, deque()).append(p)
        self._owner: dict[str, int] = {}
        self._retries: deque[tuple[Problem, int]] = deque()

    def __len__(self) -> int:
        return len(self._retries) + sum(len(g) for g in self._groups.values())

    def put_back(self, problem: Problem, *, failed_on: int) -> None:
        self._retries.append((problem, failed_on))

    def release(self, slot: int) -> None:
        """A worker is gone for good: its groups may be claimed by others."""
        for key in [k for k, s in self._owner.items() if s == slot]:
            del self._owner[key]

    def take(self, slot: int, *, others_alive: bool) -> Problem | None:
        for i, (problem, failed_on) in enumerate(self._retries):
            if failed_on != slot or not others_alive:
                del self._retries[i]
                return problem
        mine = [k for k, s in self._owner.items() if s == slot and self._groups.get(k)]
        if mine:
            return self._pop(mine[0])
        for key, group in self._groups.items():
            if group and key not in self._owner:
                self._owner[key] = slot
                return self._pop(key)
        largest = max((k for k, g in self._groups.items() if g), key=lambda k: len(self._groups[k]), default=None)
        return None if largest is None else self._groups[largest].pop()  # from the end: the owner keeps its order

    def _pop(self, key: str) -> Problem:
        return self._groups[key].popleft()
