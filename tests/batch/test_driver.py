"""The driver with real worker processes (no Lean: the scripted worker of scripted.py): final results only,
exactly one per problem, retry once on another worker, hard limits, budgets, resume, context affinity."""

from __future__ import annotations

import json

import pytest

from axiomatic.batch import BatchOptions, Problem, ResultsFile, load_problems, run_batch
from axiomatic.batch.local_pool import LocalPool
from axiomatic.batch.worker import WorkerSpec
from axiomatic.errors import BackendMissing, BadInput
from tests.batch.scripted import BrokenRunner, ScriptedRunner


def batch(tmp_path, problems, workers=2, factory=ScriptedRunner, **options):
    opts = BatchOptions(workers=workers, **options)
    with ResultsFile(tmp_path / "out.jsonl") as results:
        summary = run_batch(problems, results, opts, pool=LocalPool(workers, WorkerSpec(), factory=factory))
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    return summary, rows


def by_id(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"a problem has more than one result: {ids}"
    return {r["id"]: r for r in rows}


def test_each_problem_has_exactly_one_final_result(tmp_path):
    problems = [Problem("a", "proved"), Problem("b", "failed"), Problem("c", "invalid"), Problem("d", "proved")]
    summary, rows = batch(tmp_path, problems)
    got = by_id(rows)
    assert {k: v["status"] for k, v in got.items()} == {"a": "proved", "b": "failed", "c": "invalid", "d": "proved"}
    assert summary.complete and summary.counts["proved"] == 2 and summary.unfinished == 0


def test_a_worker_that_dies_is_replaced_and_its_problem_retried_once_on_another_worker(tmp_path):
    marker = tmp_path / "marker"
    problems = [Problem("once", "die once", context=str(marker)), Problem("always", "die"),
                *[Problem(f"p{i}", "sleep 0.2 then proved") for i in range(4)]]
    summary, rows = batch(tmp_path, problems)
    got = by_id(rows)
    assert set(got) == {p.id for p in problems}
    assert got["once"]["status"] == "proved" and got["once"]["runs"] == 2
    assert got["always"]["status"] == "crashed" and got["always"]["runs"] == 2  # crashed, never failed
    assert "on both runs" in got["always"]["reason"]
    assert summary.complete


def test_a_problem_over_its_hard_limit_is_killed_retried_then_timeout(tmp_path):
    problems = [Problem("slow", "sleep 60 then proved"), Problem("quick", "proved")]
    summary, rows = batch(tmp_path, problems, problem_timeout=1.5)
    got = by_id(rows)
    assert got["slow"]["status"] == "timeout" and got["slow"]["runs"] == 2
    assert got["quick"]["status"] == "proved"


def test_the_whole_batch_budget_stops_dispatching_and_leaves_the_rest_for_the_next_run(tmp_path):
    problems = [Problem(f"p{i}", "sleep 3 then proved") for i in range(6)]
    summary, rows = batch(tmp_path, problems, workers=1, batch_seconds=7)
    assert not summary.complete and summary.unfinished == 6 - len(rows) > 0
    assert summary.stopped == "the whole-batch budget ran out"
    # the next run does only what is left
    summary2, rows2 = batch(tmp_path, problems, workers=2)
    assert summary2.skipped == len(rows) and summary2.complete
    assert set(by_id(rows2)) == {p.id for p in problems}


def test_resume_skips_finished_ids_and_drops_a_torn_last_line(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "a", "status": "proved", "proof": "by x"}) + "\n"
                   + json.dumps({"id": "b", "status": "crashed"}) + "\n" + '{"id": "c", "sta')
    problems = [Problem("a", "proved"), Problem("b", "proved"), Problem("c", "proved")]
    summary, rows = batch(tmp_path, problems)
    assert summary.skipped == 2 and summary.done == 1  # a crashed result is final unless asked to retry
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    summary, rows = batch(tmp_path, problems, retry=("crashed", "timeout"))
    assert summary.skipped == 2 and rows[-1]["id"] == "b" and rows[-1]["status"] == "proved"


def test_problems_sharing_a_context_go_to_the_same_worker_and_retries_to_another():
    from axiomatic.batch.schedule import WorkQueue

    problems = [Problem(f"{ctx}{i}", "s", context=f"def {ctx} := 1") for ctx in ("x", "y") for i in range(3)]
    queue = WorkQueue(problems)
    first = {slot: queue.take(slot, others_alive=True).id for slot in (0, 1)}
    assert first == {0: "x0", 1: "y0"}
    assert [queue.take(0, others_alive=True).id for _ in range(2)] == ["x1", "x2"]
    assert queue.take(0, others_alive=True).id == "y2"  # its group is done: it helps with the other, from the end
    assert queue.take(1, others_alive=True).id == "y1"
    queue.put_back(problems[0], failed_on=1)
    assert queue.take(1, others_alive=True) is None  # not on the worker it failed on, while another is alive
    assert queue.take(1, others_alive=False).id == "x0"  # unless it is the only one


def test_no_worker_can_start_is_backend_missing(tmp_path):
    with pytest.raises(BackendMissing, match="no Lean here"):
        batch(tmp_path, [Problem("a", "proved")], factory=BrokenRunner)


def test_a_second_driver_on_the_same_results_file_is_refused(tmp_path):
    from axiomatic.batch.results import OutputBusy

    with ResultsFile(tmp_path / "out.jsonl"):
        with pytest.raises(OutputBusy):
            ResultsFile(tmp_path / "out.jsonl")


@pytest.mark.parametrize("line, message", [
    ("not json", "line 2: not a JSON object"),
    ('["a list"]', "line 2: expected a JSON object"),
    ('{"id": "x"}', "line 2: `statement` is missing"),
    ('{"id": "a", "statement": "True"}', "line 2: id 'a' already used on line 1"),
    ('{"id": "y", "statement": "True", "context": 3}', "line 2: `context` must be a string"),
])
def test_malformed_problem_lines_are_named(tmp_path, line, message):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "statement": "True"}\n' + line + "\n")
    with pytest.raises(BadInput, match=message):
        load_problems(path)


def test_grow_goals_come_back_as_proof_results_in_order(tmp_path):
    from axiomatic.batch.goals import prove_goals
    from axiomatic.prover.batch import Goal

    goals = [Goal("failed", name="conj_a_1"), Goal("proved", name="conj_a_2"), Goal("die", name="conj_b_1")]
    out = prove_goals(goals, kb=None, options=BatchOptions(workers=2),
                      pool=LocalPool(2, WorkerSpec(), factory=ScriptedRunner))
    assert [(r.name, r.status) for r in out] == [("conj_a_1", "failed"), ("conj_a_2", "proved"),
                                                ("conj_b_1", "failed")]
    assert out[1].proof == "by scripted" and out[2].reason.startswith("crashed:")
