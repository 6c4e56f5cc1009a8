"""LLM calls through litellm: any provider, or a local OpenAI-compatible server; cached, budgeted.

litellm is imported lazily (it is slow to import and would otherwise fetch a price map at import time;
`LITELLM_LOCAL_MODEL_COST_MAP=True` is set before importing it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import sys
import time
from dataclasses import dataclass, field

from .config import Config
from .errors import LLMError

log = logging.getLogger(__name__)


@dataclass
class Budget:
    """Limits for one job. `exhausted()` says which limit was hit, or None."""

    seconds: float | None = None
    llm_calls: int | None = None
    tokens: int | None = None
    cost_usd: float | None = None
    started: float = field(default_factory=time.monotonic)
    used_calls: int = 0
    used_tokens: int = 0
    used_cost: float = 0.0

    def charge(self, tokens: int, cost: float) -> None:
        self.used_calls += 1
        self.used_tokens += tokens
        self.used_cost += cost

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining_seconds(self) -> float | None:
        return None if self.seconds is None else max(0.0, self.seconds - self.elapsed())

    def exhausted(self, *, for_llm: bool = False) -> str | None:
        if self.seconds is not None and self.elapsed() >= self.seconds:
            return "wall-clock budget"
        if for_llm:
            if self.llm_calls is not None and self.used_calls >= self.llm_calls:
                return "LLM-call budget"
            if self.tokens is not None and self.used_tokens >= self.tokens:
                return "token budget"
            if self.cost_usd is not None and self.used_cost >= self.cost_usd:
                return "cost budget"
        return None


@dataclass(frozen=True)
class Reply:
    text: str
    tokens: int
    cost_usd: float
    cached: bool
    model: str


class LLM:
    """A chat model. `complete()` returns a Reply or raises LLMError when the model cannot be reached.

    Replies are cached by the exact request (model, endpoint, messages, n, temperature) and the sample index
    (`seed`), within a run: `run` (default: Config.llm_run, else fresh per LLM object). So a run that asks the
    same thing for the same purpose twice pays once, while running a command again samples afresh instead of
    replaying the last run's answers. Setting AXIOMATIC_LLM_RUN to an earlier run's id replays (resumes) it.
    A request at temperature 0 is deterministic: its reply is reused across runs."""

    def __init__(self, model: str, *, api_base: str | None = None, config: Config | None = None,
                 timeout: float | None = None, retries: int = 1, temperature: float = 0.7,
                 run: str | None = None) -> None:
        self.model = model
        self.api_base = api_base
        self.config = config or Config()
        self.timeout = timeout if timeout is not None else self.config.llm_timeout  # per call, seconds
        self.retries = retries
        self.temperature = temperature
        self.run = run or self.config.llm_run or secrets.token_hex(8)
        self._cache_path = self.config.home / "llm_cache.sqlite"

    def cache_key(self, messages: list[dict], *, n: int = 1, seed: int = 0) -> str:
        request = {"model": self.model, "api_base": self.api_base, "messages": messages, "n": n, "sample": seed,
                   "temperature": self.temperature, "run": self.run if self.temperature > 0 else None}
        return hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def complete(self, messages: list[dict], *, n: int = 1, seed: int = 0) -> list[Reply]:
        """`n` completions for `messages`; `seed` tells samples of one request apart (a round, an attempt).
        The same request for the same sample in the same run is answered from the cache."""
        key = self.cache_key(messages, n=n, seed=seed)
        cached = self._cache_get(key)
        if cached is not None:
            return [Reply(t, 0, 0.0, True, self.model) for t in cached]
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm  # noqa: PLC0415 (slow import, only when a model is actually used)

        litellm.suppress_debug_info = True
        with contextlib.redirect_stdout(sys.stderr):  # litellm prints hints to stdout; ours is for data
            return self._call(litellm, key, messages, n)

    def _call(self, litellm, key: str, messages: list[dict], n: int) -> list[Reply]:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                response = litellm.completion(
                    model=self.model, messages=messages, api_base=self.api_base, n=n, timeout=self.timeout,
                    temperature=self.temperature, num_retries=0, **self._key(),
                )
                break
            except (litellm.exceptions.APIConnectionError, litellm.exceptions.Timeout,
                    litellm.exceptions.ServiceUnavailableError, litellm.exceptions.InternalServerError,
                    litellm.exceptions.RateLimitError) as e:
                last = e
                log.warning("LLM call failed (%s), attempt %d", type(e).__name__, attempt + 1)
                time.sleep(min(2 ** attempt, 5))
            except (litellm.exceptions.AuthenticationError, litellm.exceptions.NotFoundError,
                    litellm.exceptions.BadRequestError, litellm.exceptions.PermissionDeniedError) as e:
                raise LLMError(f"the model {self.model!r} refused the request: {type(e).__name__}: {e}") from None
        else:
            raise LLMError(f"the model {self.model!r} cannot be reached ({type(last).__name__}: "
                           f"{str(last)[:300]})") from None
        texts = []
        for choice in getattr(response, "choices", []) or []:
            content = getattr(getattr(choice, "message", None), "content", None)
            texts.append(content if isinstance(content, str) else "")
        usage = getattr(response, "usage", None)
        tokens = int(getattr(usage, "total_tokens", 0) or 0)
        try:
            cost = float(litellm.completion_cost(completion_response=response) or 0.0)
        except Exception:  # unknown model price (local servers): cost is not known, count it as 0
            cost = 0.0
        self._cache_put(key, texts)
        per = max(1, len(texts))
        return [Reply(t, tokens // per, cost / per, False, self.model) for t in texts]

    def _key(self) -> dict:
        """The configured key (AXIOMATIC_API_KEY) if set. A self-hosted OpenAI-compatible server (an
        --api-base) usually wants no key, but litellm's OpenAI client refuses to send a request without one: give
        it a placeholder. Otherwise litellm reads the provider's own variable (`OPENAI_API_KEY`...)."""
        if self.config.api_key:
            return {"api_key": self.config.api_key}
        provider = self.model.split("/", 1)[0].upper()
        if self.api_base and not os.environ.get(f"{provider}_API_KEY"):
            return {"api_key": "none"}
        return {}

    # -- cache ----------------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self._cache_path, timeout=30)
        conn.execute("create table if not exists replies (key text primary key, texts text, created real)")
        return conn

    def _cache_get(self, key: str) -> list[str] | None:
        with contextlib.closing(self._connect()) as conn:
            row = conn.execute("select texts from replies where key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _cache_put(self, key: str, texts: list[str]) -> None:
        if not any(t.strip() for t in texts):
            return  # an empty answer is not worth replaying
        with contextlib.closing(self._connect()) as conn:
            with conn:
                conn.execute("insert or replace into replies values (?, ?, ?)", (key, json.dumps(texts), time.time()))


def from_options(model: str | None, api_base: str | None, *, no_llm: bool, config: Config) -> LLM | None:
    """The LLM the user asked for (flag, then AXIOMATIC_MODEL), or None for automation only."""
    if no_llm:
        return None
    model = model or config.model
    if not model:
        return None
    return LLM(model, api_base=api_base or config.api_base, config=config)  # timeout: config.llm_timeout
