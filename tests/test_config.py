"""Config is the single source of settings: the environment is read there, and components take what they need
from the Config they are given (no environment reads of their own, tests/test_layers.py)."""

from __future__ import annotations

from axiomatic.config import Config
from axiomatic.lean.embedded import EmbeddedBackend
from axiomatic.lean.pool import PoolSettings, SessionPool
from axiomatic.llm import LLM


def test_runtime_pool_and_model_settings_come_from_the_environment_through_config(monkeypatch, tmp_path):
    for name in ("AXIOMATIC_LEAN_WASM_POOL", "LEAN_WASM_POOL", "AXIOMATIC_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    default = Config(home=tmp_path)
    assert (default.lean_wasm_pool, default.llm_timeout) == (2, 120.0)
    assert PoolSettings.from_config(default) == PoolSettings()  # the documented defaults, in one place

    monkeypatch.setenv("LEAN_WASM_POOL", "3")  # the older name still counts...
    assert Config().lean_wasm_pool == 3
    monkeypatch.setenv("AXIOMATIC_LEAN_WASM_POOL", "5")  # ...the prefixed one wins
    monkeypatch.setenv("AXIOMATIC_LLM_TIMEOUT", "900")
    monkeypatch.setenv("AXIOMATIC_POOL_MAX_ENVS", "4")
    monkeypatch.setenv("AXIOMATIC_POOL_RECYCLE_MB", "1700")
    config = Config(home=tmp_path)
    assert config.lean_wasm_pool == 5
    assert LLM("openai/x", config=config).timeout == 900.0
    assert LLM("openai/x", config=config, timeout=7).timeout == 7  # an explicit argument still wins
    pool = SessionPool(EmbeddedBackend(config, mode="host"))
    assert (pool.settings.max_envs, pool.settings.recycle_mb, pool.settings.spare_mb) == (4, 1700, 600)

    # passed down, not read again: a Config made before the environment changed keeps its values
    monkeypatch.setenv("AXIOMATIC_POOL_MAX_ENVS", "9")
    assert SessionPool(EmbeddedBackend(config, mode="host")).settings.max_envs == 4
