"""Proof search. Stages, each stopping at the first proof the trusted verifier accepts:

1. knowledge-base reuse (the same statement under the same definitions);
2. automation: one Lean *search run* screens the cheapest tactic tier and runs Lean's own `try?`; what
   elaborated goes to the verifier, cheapest first, a few at a time; then a second search run for the deeper
   tiers (unfolding, functional and structural induction, relevant premises) with `exact?`/`rw?`;
3. lemmas (lemma_stage.py): accumulator generalisations and conjectures from the definitions, screened with
   the lemma admitted and proved by the same search, then verified (lemma first, then the goal using it);
4. LLM rounds (llm_stage.py) with Lean's errors fed back; lemmas the model proposes are proved by a recursive
   search.

A search run's output is never a verdict (see lean_search.py). Every reported proof is an explicit script the
verifier accepted; the axiom audit is the verifier's, on that script.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from ..errors import BadInput, KnowledgeBaseBusy
from ..kb import KnowledgeBase, content_hash, lean_context_for, retrieve
from ..kb.retrieval import symbols
from ..lean import LeanBackend
from ..lean.statement import Statement, parse_statement
from ..llm import LLM, Budget
from ..verify import Obligation, Rejected, Verdict, Verified, is_answer, verify_batch
from . import lean_search, portfolio
from .lemma_stage import by_lemmas
from .llm_stage import by_llm
from .result import ProofResult, StageReport, UsedLemma, default_name

log = logging.getLogger(__name__)

__all__ = ["Candidates", "NotChecked", "ProofResult", "Prover", "default_name"]

NAME = re.compile(r"[A-Za-z_][\w.'!?]*")


@dataclass(frozen=True)
class NotChecked:
    """A candidate the verifier never judged (the budget ran out first). Never a rejection."""

    reason: str
    verdict = "not-checked"


def outcome_label(v) -> str:
    """How an attempt is recorded: verified | rejected | timeout | crash | not-checked."""
    return v.verdict


@dataclass(frozen=True)
class Candidates:
    """A statement with proof texts to try (Prover.prove_from_candidates)."""

    statement: str
    proofs: tuple[str, ...]
    name: str | None = None
    informal: str = ""


class Prover:
    """One proof search job with its budget. `kb` may be None (nothing stored, nothing retrieved).

    chunk: how many screened candidates go to the verifier per Lean run (cheapest first); with a fast backend
    1 is best, with a slow one a few save round trips when the first is rejected.
    lean_search: use the search runs (off: every tier goes straight to the verifier, one batch per tier).
    """

    def __init__(self, backend: LeanBackend, *, kb: KnowledgeBase | None = None, llm: LLM | None = None,
                 budget: Budget | None = None, rounds: int = 3, samples: int = 2, max_depth: int = 1,
                 progress: Callable[[str], None] | None = None, chunk: int = 2, lean_search: bool = True,
                 max_premises: int = 6) -> None:
        self.backend, self.kb, self.llm = backend, kb, llm
        self.budget = budget or Budget()
        self.rounds, self.samples, self.max_depth = rounds, samples, max_depth
        self.progress = progress or (lambda message: None)
        self.chunk, self.use_search, self.max_premises = max(1, chunk), lean_search, max_premises
        self.attempts = 0
        self.lean_runs = 0
        self._seen: dict[str, object] = {}
        self._searched: dict[str, list[lean_search.Found]] = {}
        self._local: dict[str, UsedLemma] = {}  # lemmas proved in this job when there is no knowledge base
        self._job_lemmas: set[str] = set()  # lemmas stored in the knowledge base by this job
        # without a knowledge base: the verifier's verdicts for what this job proved (name -> (verdict, context)),
        # so a caller that owns a knowledge base can store them later (prove-batch's driver is the only writer)
        self.unstored: dict[str, tuple[Verified, str]] = {}
        self._partial: list[tuple[str, str]] = []

    # -- the public entries ------------------------------------------------------------------------------

    def prove(self, statement: str, *, context: str = "", name: str | None = None, informal: str = "",
              depth: int = 0) -> ProofResult:
        statement = " ".join(statement.split())
        if not statement:
            raise BadInput("the statement is empty")
        name = name or default_name(statement)
        result = ProofResult("failed", name, statement)
        known = self._already_known(statement, name, context)
        if known is not None:
            result.status, result.proof, result.how = "proved", known.proof, "knowledge-base"
            result.reason = f"already in the knowledge base as {known.name}"
            result.used = self._used_lemmas(known.proof, known.uses, context, exclude=known.name)
            result.lemmas = [u.name for u in result.used]
            return self._finish(result)
        # parsed once here; every stage below takes this value instead of parsing the text again
        parsed = parse_statement(statement)
        premises = self._premises(statement, context, parsed)
        full_context = self._context(premises, context)

        found = self._automation(statement, context, full_context, premises, name, informal, depth, result, parsed)
        if found is not None:
            return found
        if depth < self.max_depth and not self.budget.exhausted():
            found = by_lemmas(self, statement, context, full_context, name, informal, result, parsed)
            if found is not None:
                return found
        if self.llm is not None:
            found = by_llm(self, statement, context, full_context, name, informal, premises, depth, result)
            if found is not None:
                return found
        elif not result.reason:
            result.reason = "automation found no proof (no LLM configured)"
        if self.budget.exhausted() and not result.reason.startswith("stopped"):
            result.reason = f"stopped: {self.budget.exhausted()} exhausted"
        return self._finish(result)

    def prove_from_candidates(self, statement: str, candidates: Sequence[str], *, context: str = "",
                              name: str | None = None, informal: str = "", how: str = "candidates") -> ProofResult:
        """Check the given proofs in order (a few per Lean run) and store the first the verifier accepts."""
        statement = " ".join(statement.split())
        name = name or default_name(statement)
        result = ProofResult("failed", name, statement)
        t0, runs, before = time.monotonic(), self.lean_runs, self.attempts
        verdict, proof = self._first_verified(statement, list(candidates), context, origin=how, chunk=self.chunk)
        self._report(result, how, len(candidates), t0, runs, before, "proved" if verdict else "no proof")
        if verdict is not None:
            return self._store(result, verdict, proof, name, informal, context, how)
        result.reason = "none of the candidates was accepted"
        return self._finish(result)

    def prove_many_from_candidates(self, goals: Sequence[Candidates], *, context: str = "",
                                   how: str = "candidates") -> list[ProofResult]:
        """For each goal, the first of its candidate proofs (supplied by the caller) that the verifier accepts;
        every candidate of every goal is checked in one batch, and proved goals are stored like any proof.
        No search beyond the candidates. A goal whose statement does not elaborate fails with Lean's reason."""
        obs, owner = [], []
        for i, g in enumerate(goals):
            for proof in g.proofs:
                obs.append(Obligation(" ".join(g.statement.split()), proof, context))
                owner.append(i)
        verdicts = self._verify(obs, origin=how)
        out = []
        for i, g in enumerate(goals):
            statement = " ".join(g.statement.split())
            result = ProofResult("failed", g.name or default_name(statement), statement)
            won = next(((ob, v) for ob, v, o in zip(obs, verdicts, owner) if o == i and isinstance(v, Verified)),
                       None)
            if won is None:
                mine = [v for v, o in zip(verdicts, owner) if o == i]
                bad = [v for v in mine if isinstance(v, Rejected) and v.family == "statement"]
                result.reason = bad[0].reason if mine and len(bad) == len(mine) else \
                    f"none of the {len(g.proofs)} candidate proofs was accepted"
                out.append(self._finish(result))
            else:
                out.append(self._store(result, won[1], won[0].proof, result.name, g.informal, context, how))
        return out

    # -- stage 2: automation and Lean's own search ----------------------------------------------------------

    def _automation(self, statement, context, full_context, premises, name, informal, depth, result, parsed):
        tiers = portfolio.tiers(statement, context=context, lemmas=premises, parsed=parsed)
        intro = portfolio.intro_line(statement, parsed)
        equation = "=" in statement and "↔" not in statement
        defs = [d.name for d in portfolio.relevant_definitions(statement, context)]
        deep = ("exact?",) + (("rw?",) if equation else ())
        if defs:  # Lean's search again, on the goal with the definitions it mentions unfolded
            deep += (f"simp only [{', '.join(defs)}] at *\ntry?",)
        rounds = [("automation", tiers[:1], ("try?",)), ("deep automation", tiers[1:], deep)]
        for label, round_tiers, tactics in rounds:
            if self.budget.exhausted():
                return None
            proofs = [p for t in round_tiers for p in t.proofs]
            searched = ", ".join(t.split("\n")[-1] for t in tactics)
            self.progress(f"{label} for {name}: {len(proofs)} candidates and Lean's {searched}")
            t0, runs, before = time.monotonic(), self.lean_runs, self.attempts
            found = self._search([lean_search.Goal(statement, intro, tuple(proofs), tactics)], full_context)[0] \
                if self.use_search else lean_search.Found(inconclusive="search runs are off")
            if found.inconclusive:
                # no screening: each tier straight to the verifier (which isolates a crashing candidate)
                verdict = proof = None
                for t in round_tiers:
                    verdict, proof = self._first_verified(statement, list(t.proofs), full_context,
                                                          origin="portfolio", depth=depth)
                    if verdict is not None:
                        break
                how = "portfolio"
                note = found.inconclusive
            else:
                if depth == 0 and found.statement_error and not found.screened and not found.suggestions:
                    # every block failed on the statement itself: let the verifier say so (BadInput)
                    self._first_verified(statement, list(tiers[0].proofs[:1]), full_context, origin="portfolio",
                                         depth=depth)
                ordered = [p for p in proofs if p in found.screened] + list(found.suggestions)
                self._partial += list(found.failures)
                verdict, proof = self._first_verified(statement, ordered, full_context, origin="lean-search",
                                                      depth=depth, chunk=self.chunk)
                how = "portfolio" if proof in proofs else "lean-search"
                note = f"{len(found.screened)} screened, {len(found.suggestions)} suggested by {searched}"
            self._report(result, label, len(proofs) + len(found.suggestions), t0, runs, before,
                         "proved" if verdict else "no proof", note)
            if verdict is not None:
                return self._store(result, verdict, proof, name, informal, context, how)
        return None

    # -- Lean runs ------------------------------------------------------------------------------------------

    def _search(self, goals: list[lean_search.Goal], context: str) -> list[lean_search.Found]:
        """One search run (or its stored result: a later job continues instead of repeating it)."""
        key = lean_search.cache_key(context, goals)
        if key in self._searched:
            return self._searched[key]
        stored = self._stored_search(key, goals)
        if stored is not None:
            self._searched[key] = stored
            return stored
        if self.budget.exhausted():
            return [lean_search.Found(inconclusive="the wall-clock budget ran out") for _ in goals]
        timeout = self._timeout()
        found, seconds = lean_search.search(self.backend, context, goals, timeout=timeout)
        self.lean_runs += 1
        self._searched[key] = found
        if self.kb is not None and not any(f.inconclusive for f in found):
            try:
                self._store_search(key, goals, found, seconds)
            except KnowledgeBaseBusy as e:
                # the stored search is only a shortcut for a later job: a locked file must not stop this one,
                # whose proofs (if any) are reported with the verifier's own write below
                log.warning("search results not stored (%s)", e)
        return found

    def _store_search(self, key, goals, found, seconds) -> None:
        with self.kb.transaction():
            for gi, (goal, f) in enumerate(zip(goals, found)):
                tag = f"{key}:{gi}"
                for kind, proofs in (("screened", f.screened), ("suggested", f.suggestions)):
                    for p in proofs:
                        self.kb.record_attempt(target=goal.statement, candidate=p, outcome=kind,
                                               origin="lean-search", check_hash=tag)
                self.kb.record_attempt(target=goal.statement, candidate="", outcome="searched",
                                       error=f.statement_error, seconds=seconds / max(1, len(goals)),
                                       origin="lean-search", check_hash=tag)

    def _stored_search(self, key: str, goals: list[lean_search.Goal]) -> list[lean_search.Found] | None:
        if self.kb is None:
            return None
        out = []
        for gi, goal in enumerate(goals):
            tag = f"{key}:{gi}"
            rows = [r for r in self.kb.attempts(goal.statement) if r.get("check_hash") == tag]
            if not any(r["outcome"] == "searched" for r in rows):
                return None
            done = next(r for r in rows if r["outcome"] == "searched")
            out.append(lean_search.Found(
                suggestions=tuple(dict.fromkeys(r["candidate"] for r in rows if r["outcome"] == "suggested")),
                screened=tuple(dict.fromkeys(r["candidate"] for r in rows if r["outcome"] == "screened")),
                statement_error=done.get("error") or ""))
        return out

    def _first_verified(self, statement, proofs, context, *, origin, depth=0, chunk: int | None = None):
        """The first of `proofs` (in order) the verifier accepts, checking `chunk` per Lean run (all at once
        when None), and stopping at the first accepted. Raises BadInput (depth 0) when the statement itself
        does not elaborate."""
        proofs = list(dict.fromkeys(proofs))
        size = chunk or max(1, len(proofs))
        for k in range(0, len(proofs), size):
            part = proofs[k:k + size]
            verdicts = self._verify([Obligation(statement, p, context) for p in part], origin=origin)
            if depth == 0 and verdicts and all(isinstance(v, Rejected) and v.family == "statement" for v in verdicts):
                raise BadInput(verdicts[0].reason)
            for p, v in zip(part, verdicts):
                if isinstance(v, Verified):
                    return v, p
                if isinstance(v, Rejected) and v.messages:
                    self._partial.append((p, v.messages[0].text))
            if self.budget.exhausted():
                break
        return None, None

    def _verify(self, obs: list[Obligation], *, origin: str, model: str = "") -> list:
        """verify_batch with de-duplication: a check already judged here, or rejected in an earlier job
        (recorded in the KB), is not repeated. Timeouts and crashes are recorded as such, never as rejections."""
        keys = [_check_key(o) for o in obs]
        known_rejected = self.kb.rejected_checks(keys) if self.kb else set()
        unique: dict[str, int] = {}
        for i, k in enumerate(keys):
            if k not in self._seen and k not in known_rejected:
                unique.setdefault(k, i)
        this_round: dict[str, Verdict] = {}
        if unique and not self.budget.exhausted():
            fresh = verify_batch([obs[i] for i in unique.values()], backend=self.backend, timeout=self._timeout())
            self.lean_runs += len({obs[i].context for i in unique.values()})
            for key, v in zip(unique, fresh):
                this_round[key] = v
                if is_answer(v):  # a timeout or a crash is not remembered: the candidate may be tried again
                    self._seen[key] = v
                self.attempts += 1
            if self.kb:
                # one transaction per batch; if the file stays locked, the error carries the proofs just found
                found = [{"statement": obs[i].statement, "proof": obs[i].proof}
                         for (key, i), v in zip(unique.items(), fresh) if isinstance(v, Verified)]
                with self.kb.transaction(unsaved={"attempts": len(fresh), "verified": found}):
                    for (key, i), v in zip(unique.items(), fresh):
                        self.kb.record_attempt(
                            target=obs[i].statement, candidate=obs[i].proof, outcome=outcome_label(v),
                            error="" if isinstance(v, Verified) else getattr(v, "reason", ""), model=model,
                            seconds=getattr(v, "seconds", 0.0), origin=origin, check_hash=key)
        out = []
        for k in keys:
            if k in self._seen:
                out.append(self._seen[k])
            elif k in this_round:
                out.append(this_round[k])
            elif k in known_rejected:
                out.append(Rejected("already tried and rejected (in an earlier job)", "cached"))
            else:
                out.append(NotChecked("the wall-clock budget ran out before this candidate was checked"))
        return out

    def _timeout(self) -> float | None:
        remaining = self.budget.remaining_seconds()
        return None if remaining is None else max(30.0, remaining)

    # -- premises, context, knowledge base --------------------------------------------------------------------

    def _premises(self, statement: str, context: str, parsed: Statement) -> list[str]:
        """Relevant stored theorems (retrieval by symbols and full text) proved under compatible definitions:
        the caller's context, or none. Only those sharing a constant with the goal."""
        if not self.kb:
            return []
        ctx = " ".join(context.split())
        goal_consts = {s for s in symbols(statement, parsed) if s[:1].isalpha()}
        out = []
        symbols_of: dict[str, set[str]] = {}
        for item, _ in retrieve(self.kb, statement, k=4 * self.max_premises, parsed=parsed, symbols_of=symbols_of):
            if item.kind != "theorem" or not item.verified:
                continue
            item_ctx = " ".join(item.context.split())
            if item_ctx and item_ctx != ctx and item_ctx not in ctx:
                continue
            if goal_consts and not goal_consts & {s for s in symbols_of[item.name] if s[:1].isalpha()}:
                continue
            out.append(item.name)
            if len(out) >= self.max_premises:
                break
        return out

    def _context(self, lemma_names: list[str], context: str) -> str:
        kb_names = [n for n in lemma_names if n not in self._local]
        kb_part = lean_context_for(self.kb, kb_names, already=context) if self.kb and kb_names else ""
        kb_part += "".join(self._local[n].lean() for n in lemma_names if n in self._local)
        return "\n".join(p for p in (context.strip(), kb_part.strip()) if p) + "\n" if (context or kb_part) else ""

    def _already_known(self, statement: str, name: str, context: str = ""):
        """A verified item with this statement *under the same definitions*: the same text about a changed
        `def` is another theorem."""
        if not self.kb:
            return None
        ctx = " ".join(context.split())

        def same(item) -> bool:
            return (item.verified and " ".join(item.statement.split()) == statement
                    and " ".join(item.context.split()) == ctx)

        item = self.kb.get(name)
        if item is not None and same(item):
            return item
        for candidate in self.kb.search(statement, limit=5):
            if same(candidate):
                return candidate
        return None

    def _used_lemmas(self, proof: str, uses: Sequence[str], context: str, *, exclude: str = "") -> list[UsedLemma]:
        """The theorems outside the caller's context that a proof needs (what the kernel term uses, and names
        its text mentions), with everything they need in turn, dependencies first."""
        declared = set(re.findall(r"^\s*(?:theorem|lemma|def|abbrev)\s+([A-Za-z_][\w.'!?]*)", context, re.MULTILINE))
        order: list[str] = []
        found: dict[str, UsedLemma] = {}

        def visit(n: str, path: frozenset) -> None:
            if n in found or n in path or n == exclude or n in declared:
                return
            lemma = self._lemma(n, context)
            if lemma is None:
                return
            deps = self.kb.get(n).uses if self.kb and self.kb.get(n) else ()
            for d in deps:
                visit(d, path | {n})
            found[n] = lemma
            order.append(n)

        for n in dict.fromkeys([*uses, *NAME.findall(proof)]):
            visit(n, frozenset())
        return [found[n] for n in order]

    def _lemma(self, n: str, context: str) -> UsedLemma | None:
        if n in self._local:
            return self._local[n]
        if not self.kb:
            return None
        item = self.kb.get(n)
        if item is None or item.kind != "theorem" or not item.verified:
            return None
        same = " ".join(item.context.split()) in ("", " ".join(context.split()))
        source = "this job" if n in self._job_lemmas else "knowledge-base"
        return UsedLemma(n, item.statement, item.proof, source, "" if same else item.context)

    def _store(self, result, verdict, proof, name, informal, context, how) -> ProofResult:
        verdict, proof = self._prune(verdict, proof, context)
        result.status, result.proof, result.how = "proved", proof, how
        if self.kb:
            if self.kb.get(name) is not None:
                name = f"{name}_{hashlib.sha256(proof.encode()).hexdigest()[:6]}"
                result.name = name
            self.kb.add_theorem(verdict, name=name, informal=informal, source="prover", context=context.strip())
        else:  # no knowledge base: keep it here, so later proofs in this job can use it
            self._local[name] = UsedLemma(name, verdict.statement, proof, "this job")
            self.unstored[name] = (verdict, context.strip())
        result.used = self._used_lemmas(proof, verdict.uses, context, exclude=name)
        result.lemmas = [u.name for u in result.used]
        return self._finish(result)

    def _prune(self, verdict: Verified, proof: str, context: str) -> tuple[Verified, str]:
        """Drop stored lemma names the kernel term does not use from `simp [...]`/`grind [...]` sets, if the
        proof still goes through without them (one more check): a pasted proof then needs fewer lemmas."""
        def in_a_list(n: str) -> bool:
            return re.search(rf"\[[^\]]*(?<![\w.']){re.escape(n)}(?![\w'])", proof) is not None

        named = self._used_lemmas(proof, (), context)
        unused = [u.name for u in named if u.name not in verdict.uses and in_a_list(u.name)]
        if not unused:
            return verdict, proof
        pruned = proof
        for n in unused:
            pruned = re.sub(rf"(?<![\w.']){re.escape(n)}(?![\w'])\s*,\s*|,\s*(?<![\w.']){re.escape(n)}(?![\w'])"
                            rf"|(?<=\[)\s*{re.escape(n)}\s*(?=\])", "", pruned)
        if pruned == proof or any(re.search(rf"(?<![\w.']){re.escape(n)}(?![\w'])", pruned) for n in unused):
            return verdict, proof
        full = self._context([n for n in NAME.findall(pruned) if n in self._local or (self.kb and self.kb.get(n))],
                             context)
        [v] = self._verify([Obligation(verdict.statement, pruned, full)], origin="prune")
        return (v, pruned) if isinstance(v, Verified) else (verdict, proof)

    def _store_lemma(self, verdict: Verified, name: str, context: str, informal: str) -> None:
        if not self.kb:
            self._local[name] = UsedLemma(name, verdict.statement, verdict.proof, "this job")
            self.unstored[name] = (verdict, context.strip())
        elif self.kb.get(name) is None:
            self.kb.add_theorem(verdict, name=name, informal=informal, source="prover", context=context.strip())
            self._job_lemmas.add(name)

    # -- reporting ----------------------------------------------------------------------------------------------

    def _report(self, result, stage, candidates, t0, runs, before, outcome, note="") -> None:
        result.tried.append(StageReport(stage, candidates, self.attempts - before, self.lean_runs - runs,
                                        time.monotonic() - t0, outcome, note))

    def _finish(self, result: ProofResult) -> ProofResult:
        result.attempts = self.attempts
        result.llm_calls = self.budget.used_calls
        result.cost_usd = self.budget.used_cost
        result.seconds = self.budget.elapsed()
        result.lean_runs = self.lean_runs
        if result.status != "proved" and self._partial:
            proof, text = min(self._partial, key=_partial_score)
            result.best_partial = {"proof": proof, "lean_says": text[:1200]}
        return result


def _partial_score(item: tuple[str, str]) -> tuple[int, int, int]:
    """Smaller is further along: unsolved goals left (fewest, shortest) beat other errors."""
    text = item[1]
    if text.startswith("unsolved goals"):
        return (0, text.count("⊢"), len(text))
    return (1, 0, len(text))


def error_text(v) -> str:
    if isinstance(v, Verified):
        return ""
    lines = [getattr(v, "reason", str(v))]
    lines += [f"line {m.line}, column {m.column}: {m.text}" for m in getattr(v, "messages", ())[:5]]
    return "\n".join(dict.fromkeys(lines))


def _check_key(o: Obligation) -> str:
    """Identical checks share a key: the exact text (line endings normalised), since layout matters to Lean and
    a re-indented repair is a different check. Tagged, so keys of the old whitespace-collapsing form (still in
    older knowledge bases) never match one."""
    return content_hash("check", o.statement, o.proof, o.context)

