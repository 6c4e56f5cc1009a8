"""The LLM reply cache, against a local OpenAI-compatible server: one run never pays twice for the same
request, a new run samples afresh, layout is part of the request, and a run can be replayed on purpose."""

from __future__ import annotations

from axiomatic.config import Config
from axiomatic.llm import LLM
from tests.llm_replay import ReplayServer

ASK = [{"role": "user", "content": "Prove:\n```lean\ntheorem goal : ∀ n : Nat, n + 0 = n := ?\n```"}]
REINDENTED = [{"role": "user", "content": "Prove:\n```lean\ntheorem goal :  ∀ n : Nat, n + 0 = n := ?\n```"}]


def test_a_rerun_asks_again_and_one_run_never_pays_twice(tmp_path):
    config = Config(home=tmp_path)
    with ReplayServer([["first"], ["second"], ["third"], ["fourth"]]) as server:
        run1 = LLM("openai/cache-test", api_base=server.base_url, config=config)
        [a] = run1.complete(ASK, seed=0)
        [again] = run1.complete(ASK, seed=0)  # the same request for the same purpose, same run: cached
        assert (a.text, a.cached, again.text, again.cached) == ("first", False, "first", True)
        [other_sample] = run1.complete(ASK, seed=1)  # another sample of the same request is asked for
        assert other_sample.text == "second" and not other_sample.cached
        [layout] = run1.complete(REINDENTED, seed=0)  # whitespace is part of the request
        assert layout.text == "third" and not layout.cached
        run2 = LLM("openai/cache-test", api_base=server.base_url, config=config)
        [b] = run2.complete(ASK, seed=0)  # running again samples afresh instead of replaying run 1
        assert b.text == "fourth" and not b.cached
        assert len(server.requests) == 4
        replay = LLM("openai/cache-test", api_base=server.base_url, config=Config(home=tmp_path, llm_run=run1.run))
        [r] = replay.complete(ASK, seed=0)  # AXIOMATIC_LLM_RUN=<run 1's id> replays it
        assert r.text == "first" and r.cached and len(server.requests) == 4


def test_a_deterministic_request_is_reused_across_runs(tmp_path):
    config = Config(home=tmp_path)
    with ReplayServer([["only"], ["never"]]) as server:
        first = LLM("openai/cache-test-t0", api_base=server.base_url, config=config, temperature=0)
        second = LLM("openai/cache-test-t0", api_base=server.base_url, config=config, temperature=0)
        assert first.complete(ASK)[0].text == "only"
        assert second.complete(ASK)[0].cached and len(server.requests) == 1
