"""The Lean backend against the real kernel: results, positions, batches, timeouts."""

from __future__ import annotations

import pytest

from axiomatic.errors import LeanCrash, LeanTimeout

pytestmark = pytest.mark.lean

GOOD = [f"theorem good_{i} (n : Nat) : n + {i} = {i} + n := by omega" for i in range(18)]
BAD = {
    5: "theorem bad_five : 2 + 2 = 5 := by decide",
    13: "theorem bad_thirteen (xs : List Nat) : xs.length = 0 := by\n  simp",
}


@pytest.fixture(scope="module")
def batch_results(backend):
    snippets = list(GOOD)
    for index, text in sorted(BAD.items()):
        snippets.insert(index, text)
    assert len(snippets) == 20
    return backend.check_batch(snippets)


def test_batch_of_twenty_attributes_errors_to_the_wrong_snippets(batch_results):
    failed = [i for i, r in enumerate(batch_results) if not r.ok]
    assert failed == sorted(BAD)
    for i, r in enumerate(batch_results):
        assert all(m.snippet == i for m in r.messages)


def test_batch_messages_use_the_snippets_own_line_numbers(batch_results):
    five = batch_results[5].errors
    assert five and five[0].line == 1 and five[0].column == 35  # `decide` in snippet 5
    thirteen = batch_results[13].errors
    assert thirteen and all(m.line in (1, 2) for m in thirteen)


def test_batch_survives_a_snippet_that_swallows_the_rest(backend):
    results = backend.check_batch(
        ["theorem a1 : 1 = 1 := rfl", "theorem a2 : True := by trivial\n/- never closed", "theorem a3 : 2 = 2 := rfl"]
    )
    assert [r.ok for r in results] == [True, False, True]


def test_single_check_reports_exact_position_and_version(backend):
    source = "theorem fine : 1 + 1 = 2 := rfl\n\nexample : (3 : Nat) < 2 := by\n  decide\n"
    r = backend.check(source)
    assert not r.ok
    assert [(m.line, m.column, m.severity) for m in r.errors] == [(4, 2, "error")]
    assert "4.28" in r.lean_version or r.backend == "native"
    assert r.seconds > 0


def test_runaway_tactic_is_killed_by_the_wall_clock(backend):
    # maxHeartbeats 0 disables Lean's own limit, so only our timeout can stop it
    with pytest.raises(LeanTimeout):
        backend.check(
            "partial def spin (n : Nat) : Nat := if n = 0 then 0 else spin (n + 2)\n#eval spin 1\n",
            timeout=25, max_heartbeats=0,
        )


def test_output_longer_than_a_pipe_buffer_arrives_whole(backend):
    chunk = "0123456789" * 100
    source = f'def big : Nat → String\n  | 0 => ""\n  | n + 1 => big n ++ "{chunk}"\n#eval big 200\n'
    r = backend.check(source)
    [m] = r.messages
    assert m.severity == "information" and m.text.count(chunk) == 200


def test_a_crashing_lean_process_raises_instead_of_returning_a_result(backend):
    deep = 'def big : Nat → String\n  | 0 => ""\n  | n + 1 => big n ++ "0123456789"\n#eval big 20000\n'
    with pytest.raises(LeanCrash):
        backend.check(deep)
