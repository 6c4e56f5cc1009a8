"""The trust boundary of issue 12: untrusted text reaches Lean only as a string literal, Lean's own parser
decides what it is, and no text at all can get a false statement verified, through any entry point.

Generated attack variants come from hypothesis over the characters that matter to Lean's tokenizer; each
example is a whole batch, so one Lean run judges dozens of variants."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axiomatic.verify import Obligation, Verified, verify_batch
from axiomatic.lean.syntax import lean_string
from axiomatic.verify.harness import parse_lean_json
from tests.conftest import run_cli
from tests.llm_replay import ReplayServer

from .cases import HONEST, HONEST_WITH_CONTEXT, LEXER_ESCAPES

FALSE_STATEMENTS = ["False", "1 = 2", "∀ n : Nat, n + 1 = n"]

# pieces a lexer that "knows" Lean can misread, and payloads that would win if the text left its term
OPENERS = ['r"', 'r#"', '"#', 's!"', 'm!"', 'f!"', '"', "'", "\\", "λ'", "α'", "«", "»", "/-", "-/", "--", "{", "}",
           "(", ")", "⟨", "⟩", "#", "`", "``", "$", "%", "@[", "\n", " ", "\t", "by", "fun _ =>", ":=", ";", "|"]
PAYLOADS = ["sorry", ")", "))", "\n#exit", "\ntheorem t : False := sorry", "\naxiom cheat : False",
            "\ninstance (priority := high) : LT Nat := ⟨fun _ _ => True⟩",
            "\nmacro_rules | `(tactic| rfl) => `(tactic| sorry)", "\nend\nnamespace Evil", "\n#eval IO.println \"x\"",
            "trivial", "rfl", "by decide", "cheat", "\n--", "\n/-"]
attack_text = st.lists(st.sampled_from(OPENERS + PAYLOADS), min_size=1, max_size=14).map("".join)


def test_lean_string_round_trips_every_character():
    """What the Python side escapes is exactly what the Lean string literal holds (checked by Lean below)."""
    assert lean_string('a"b\\c\nd\te\x01é𝔽') == '"a\\"b\\\\c\\nd\\te\\x01é𝔽"'
    assert parse_lean_json('{"t":"a\\x01b\\\\x"}') == {"t": "a\x01b\\x"}


@pytest.mark.lean
@settings(max_examples=2, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(attack_text, min_size=30, max_size=30))
def test_no_text_proves_a_false_statement(backend, texts):
    """Generated variants of the escape families: whatever the text, a false statement is never verified."""
    obs = [Obligation(FALSE_STATEMENTS[i % len(FALSE_STATEMENTS)], t) for i, t in enumerate(texts)]
    obs += [Obligation(s, p) for _, s, p in LEXER_ESCAPES]
    verdicts = verify_batch(obs, backend=backend, timeout=600)
    assert len(verdicts) == len(obs)
    accepted = [(o.statement, o.proof) for o, v in zip(obs, verdicts) if isinstance(v, Verified)]
    assert not accepted, f"false statements verified: {accepted}"


@pytest.mark.lean
def test_honest_proofs_paste_into_a_fresh_file_and_check_on_their_own(backend):
    """A proof the verifier accepts is a proof a user can paste after the statement: same text, same result."""
    cases = [("", s, p) for _, s, p in HONEST] + [(c, s, p) for _, c, s, p in HONEST_WITH_CONTEXT]
    verdicts = verify_batch([Obligation(s, p, c) for c, s, p in cases], backend=backend, timeout=600)
    failed = [(s, p, getattr(v, "reason", "")) for (c, s, p), v in zip(cases, verdicts) if not isinstance(v, Verified)]
    assert not failed, failed
    snippets = [f"{c}\nset_option autoImplicit false in\ntheorem pasted : {s} :=\n{p}\n" for c, s, p in cases]
    results = backend.check_batch(snippets, timeout=600)
    for (c, s, p), r in zip(cases, results):
        assert r.ok, (s, p, [m.text for m in r.errors])
        assert not [m for m in r.messages if "sorry" in m.text], (s, p)


@pytest.mark.lean
def test_kb_add_refuses_escapes_and_stores_nothing(backend, tmp_path):
    kb = tmp_path / "kb.sqlite"
    ident, statement, proof = LEXER_ESCAPES[0]
    r = run_cli("kb", "add", "--name", "cheat", "--statement", statement, "--proof", proof, "--kb", str(kb), "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    assert json.loads(r.stdout)["added"] is False
    r = run_cli("kb", "list", "--kb", str(kb), "--json")
    assert "cheat" not in r.stdout


@pytest.mark.lean
def test_the_prover_never_reports_an_escape_as_proved(backend):
    """A model that answers with escape attempts: the prover's candidate path rejects every one."""
    from axiomatic.llm import LLM, Budget
    from axiomatic.prover import Prover

    replies = [[f"```lean\n{p}\n```" for _, _, p in LEXER_ESCAPES[:4]], [f"```lean\n{p}\n```" for _, _, p in LEXER_ESCAPES[4:]]]
    with ReplayServer(replies) as server:
        llm = LLM(model="openai/replay", api_base=server.base_url)
        prover = Prover(backend, llm=llm, budget=Budget(llm_calls=2), rounds=2, samples=4, max_depth=0)
        result = prover.prove("False")
    assert result.status == "failed", result.to_json()
    assert result.proof is None
