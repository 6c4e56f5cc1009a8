"""The outcome of an equivalence check, and the exit codes of its verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field

# exit codes of `axiomatic equiv` (2 bad input and 3 backend trouble come from axiomatic.errors)
EXIT_CODES = {"equivalent": 0, "counterexample": 1, "unknown": 5}


@dataclass(frozen=True)
class EquivalenceResult:
    verdict: str  # "equivalent" | "counterexample" | "unknown"
    theorem: str = ""
    proof: str = ""
    name: str = ""
    counterexample: dict | None = None
    tried: tuple[str, ...] = ()
    tested: int = 0
    seconds: float = 0.0
    definitions: str = ""
    lemmas: tuple[str, ...] = ()
    translations: dict = field(default_factory=dict)  # who translated each side: axiomatic, llm, user (Lean)
    domain: tuple[str, ...] = ()  # the preconditions as written ("all inputs" when empty)
    lean_runs: int = 0  # Lean round trips this check took part in (shared ones included)
    timings: dict = field(default_factory=dict)  # seconds per stage; a shared Lean run split between its pairs

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "exit_code": self.exit_code, "theorem": self.theorem, "proof": self.proof,
                "counterexample": self.counterexample, "seconds": round(self.seconds, 2), "name": self.name,
                "domain": list(self.domain) or ["all inputs of the declared types"], "tested": self.tested,
                "tried": list(self.tried), "lemmas": list(self.lemmas), "definitions": self.definitions,
                "translations": self.translations, "lean_runs": self.lean_runs,
                "timings": {k: round(v, 2) for k, v in self.timings.items()}}
