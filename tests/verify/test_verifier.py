"""The trusted verifier against the real kernel: every exploit rejected for the right reason, every honest
proof accepted. All cases of a kind share one Lean run (verify_batch), as the prover uses it. The boundary
itself (Lean's parser, generated attack variants, every entry point) is tested in test_boundary.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from axiomatic.verify import Obligation, Rejected, Verified, _judge, verify_batch
from tests.conftest import run_cli

from .cases import EXPLOITS, HONEST, LEXER_ESCAPES

# the team's starter set (shared/benchmarks/verifier-exploits.jsonl), copied so a clean clone runs it too
STARTER = Path(__file__).resolve().parent / "fixtures" / "verifier-exploits.jsonl"
STARTER_FAMILIES = {  # their family names -> ours ("parse": Lean's parser refuses text that is not one term)
    "sorry": {"sorry"}, "admit": {"sorry"}, "new axiom": {"new-declaration", "parse"}, "native_decide": {"native"},
    "kernel bypass option": {"options", "sorry"}, "tactic redefinition": {"notation", "parse"},
    "extra declaration": {"sorry", "new-declaration", "parse"}, "unsafe": {"unsafe", "parse"}, "partial": {"unsafe", "parse"},
    "metaprogram": {"metaprogram", "parse"}, "notation": {"new-declaration", "notation", "parse"},
    "section escape": {"sorry", "scope", "parse"},
}


def _starter_cases():
    rows = [json.loads(line) for line in STARTER.read_text().splitlines() if line.strip()]
    return [(f"starter-{i:02d}-{r['family']}", r["statement"], r["proof"], STARTER_FAMILIES[r["family"]])
            for i, r in enumerate(rows)]


ALL_EXPLOITS = EXPLOITS + _starter_cases() + [
    (ident, statement, proof, {"parse", "sorry", "elaboration"}) for ident, statement, proof in LEXER_ESCAPES]


def test_case_counts_meet_the_bar():
    assert len(ALL_EXPLOITS) >= 30 and len(HONEST) >= 15


@pytest.fixture(scope="module")
def exploit_verdicts(backend):
    obs = [Obligation(s, p) for _, s, p, _ in ALL_EXPLOITS]
    return dict(zip([c[0] for c in ALL_EXPLOITS], verify_batch(obs, backend=backend, timeout=240)))


@pytest.fixture(scope="module")
def honest_verdicts(backend):
    obs = [Obligation(s, p, name=i) for i, s, p in HONEST]
    return dict(zip([c[0] for c in HONEST], verify_batch(obs, backend=backend, timeout=240)))


@pytest.mark.lean
@pytest.mark.parametrize("case", ALL_EXPLOITS, ids=[c[0] for c in ALL_EXPLOITS])
def test_exploit_is_rejected_naming_its_family(exploit_verdicts, case):
    ident, _, _, families = case
    v = exploit_verdicts[ident]
    assert isinstance(v, Rejected), f"{ident} was verified!"
    assert v.family in families, f"{ident}: family {v.family!r} ({v.reason})"
    assert v.reason


@pytest.mark.lean
@pytest.mark.parametrize("case", HONEST, ids=[c[0] for c in HONEST])
def test_honest_proof_is_verified(honest_verdicts, case):
    ident = case[0]
    v = honest_verdicts[ident]
    assert isinstance(v, Verified), f"{ident}: {getattr(v, 'reason', v)}"
    assert set(v.axioms) <= {"propext", "Classical.choice", "Quot.sound"}
    assert v.name == ident and v.backend and v.lean_version


@pytest.mark.lean
def test_audit_rejects_context_axioms_compiler_trust_and_sorry(backend):
    """The audit's own layers, one case each, beside an honest proof in the same run."""
    context = "axiom cheat : False\n"
    verdicts = _judge(backend, context, [
        Obligation("False", "cheat"),                    # an axiom from (untrusted) context
        Obligation("10 ^ 20 % 7 = 2", "by native_decide"),  # compiler trust
        Obligation("False", "sorry"),                    # sorryAx
        Obligation("1 = 1", "rfl"),                      # honest, same run
    ], timeout=240, max_heartbeats=200000)
    assert [type(v).__name__ for v in verdicts] == ["Rejected", "Rejected", "Rejected", "Verified"]
    assert verdicts[0].family == "axiom" and "cheat" in verdicts[0].reason
    assert verdicts[1].family == "native"
    assert verdicts[2].family == "sorry"


@pytest.mark.lean
def test_batch_isolation_and_context(backend, tmp_path):
    """One bad candidate beside honest ones: only it is rejected; the context defines what the statement uses."""
    ctx = "def double (n : Nat) : Nat := n + n\n"
    verdicts = verify_batch([
        Obligation("∀ n : Nat, double n = 2 * n", "by intro n; unfold double; omega", ctx),
        Obligation("(1 : Nat) < 0", 'by trivial\nlocal notation "1" => 0', ctx),
        Obligation("∀ n : Nat, double n = n + n", "fun n => rfl", ctx),
        Obligation("∀ n : Nat, double n = n", "by intro n; unfold double; omega", ctx),
    ], backend=backend)
    assert [v.verdict for v in verdicts] == ["verified", "rejected", "verified", "rejected"]
    assert "double" in verdicts[0].uses
    assert verdicts[3].family == "elaboration" and verdicts[3].messages
    # the same through the command line, with a context file
    (tmp_path / "Ctx.lean").write_text(ctx)
    r = run_cli("verify", "--statement", "∀ n : Nat, double n = 2 * n", "--proof", "by intro n; unfold double; omega",
                "--context", str(tmp_path / "Ctx.lean"), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "verified" and out["axioms"] == [] and out["seconds"] > 0


@pytest.mark.lean
def test_cli_rejects_with_exit_1_and_bad_statement_with_exit_2(backend):
    r = run_cli("verify", "--statement", "False", "--proof", "by exact?", "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["verdict"] == "rejected" and out["family"] == "elaboration" and out["messages"]
    r = run_cli("verify", "--statement", "∀ n : Nat, n = undefinedThing", "--proof", "by simp", "--json")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "does not elaborate" in json.loads(r.stdout)["message"]


@pytest.mark.lean
def test_a_crash_is_never_verified_and_does_not_take_the_batch_down(backend, monkeypatch):
    """The batch is split until the crashing obligation is alone; the others are judged normally."""
    from axiomatic.errors import LeanCrash

    real_check = backend.check

    def crash_on_marker(source, **kwargs):
        if "crash_me" in source:
            raise LeanCrash("simulated: the process died")
        return real_check(source, **kwargs)

    monkeypatch.setattr(backend, "check", crash_on_marker)
    verdicts = verify_batch([Obligation("True", "trivial"), Obligation("True", "(fun crash_me => trivial) 0"),
                             Obligation("1 = 1", "rfl")], backend=backend)
    assert [v.verdict for v in verdicts] == ["verified", "crash", "verified"]
    assert verdicts[1].family == "crash" and "crashed" in verdicts[1].reason


def test_a_timeout_is_never_verified(backend, monkeypatch):
    from axiomatic.errors import LeanTimeout

    def always_times_out(*args, **kwargs):
        raise LeanTimeout("simulated: the runtime hit its wall clock")

    monkeypatch.setattr(backend, "check", always_times_out)
    verdicts = verify_batch([Obligation("True", "trivial"), Obligation("1 = 1", "rfl")], backend=backend)
    assert [v.verdict for v in verdicts] == ["timeout", "timeout"]  # never "rejected", never cached as such


@pytest.mark.lean
def test_more_than_a_hundred_failures_do_not_hide_later_verdicts(backend):
    """Lean stops reporting after `maxErrors` (100 by default); a big prover round must still get every verdict."""
    obs = [Obligation(f"{i} + 1 = {i}", "by decide") for i in range(120)] + [Obligation("1 + 1 = 2", "rfl")]
    verdicts = verify_batch(obs, backend=backend)
    assert all(v.verdict == "rejected" and v.family == "elaboration" for v in verdicts[:120])
    assert verdicts[120].verdict == "verified"
