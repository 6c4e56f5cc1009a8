"""What a worker pool reports to the driver."""

from __future__ import annotations

from dataclasses import dataclass

from .worker import Outcome


@dataclass(frozen=True)
class Ready:
    slot: int
    identity: dict  # pid, host, backend


@dataclass(frozen=True)
class StartFailed:
    slot: int
    reason: str


@dataclass(frozen=True)
class Finished:
    slot: int
    outcome: Outcome


@dataclass(frozen=True)
class Died:
    slot: int
    reason: str


Event = Ready | StartFailed | Finished | Died
