"""Which language model answers: the offline one shipped here, or OpenAI (or compatible).

``TODOCHAT_MODEL=openai:<model>`` speaks one of two APIs (``OPENAI_API``):
- ``responses`` (default against OpenAI itself): OpenAI's Responses API, sent with
  ``store=False`` so OpenAI keeps no copy of the conversation;
- ``chat_completions`` (default with ``OPENAI_BASE_URL``): what Ollama, vLLM, llama.cpp,
  LM Studio and most hosted compatible servers speak.

Either way, nothing but the model call itself leaves the machine: the chat server runs
every turn with tracing off (``RunConfig.tracing_disabled``), so the Agents SDK never
exports a trace (the user's tasks) to OpenAI; the SDK's process-wide switch is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from agents import Model, ModelSettings, OpenAIChatCompletionsModel, OpenAIResponsesModel
from agents.run_config import CallModelData, ModelInputData
from openai import AsyncOpenAI

from todochat.settings import Settings

# One retry: it honours a 429's Retry-After, and a second failure reaches the user quickly.
MAX_HTTP_RETRIES = 1
# A provider asking us to come back later than this gets no retry: the user hears "busy"
# now, rather than waiting out the model timeout for a turn that then fails anyway.
MAX_RETRY_AFTER_SECONDS = 10.0


class ModelConfigError(ValueError):
    pass


@dataclass(frozen=True)
class ModelChoice:
    """The model and the settings every call to it carries."""

    model: Model
    settings: ModelSettings
    api: str  # "local", "responses" or "chat_completions"


def choose_model(config: Settings) -> ModelChoice:
    """``TODOCHAT_MODEL=local`` (default) or ``openai:<model>``, on the API ``OPENAI_API`` names."""
    spec = (config.TODOCHAT_MODEL or "local").strip()
    if spec == "local":
        from todochat.chat.local_model import LocalModel

        return ModelChoice(LocalModel(), ModelSettings(), "local")
    name = spec.removeprefix("openai:").strip()
    if not spec.startswith("openai:") or not name:
        raise ModelConfigError(f"Unknown TODOCHAT_MODEL {spec!r}: use 'local' or 'openai:<model>'")
    if not config.OPENAI_API_KEY and not config.OPENAI_BASE_URL:
        raise ModelConfigError(f"TODOCHAT_MODEL={spec} needs OPENAI_API_KEY (or OPENAI_BASE_URL for another server)")
    client = ProviderClient(
        # Servers on your own hardware often need no key; the client insists on one.
        api_key=config.OPENAI_API_KEY or "no-key",
        base_url=config.OPENAI_BASE_URL,
        timeout=config.MODEL_TIMEOUT_SECONDS,
        max_retries=MAX_HTTP_RETRIES,
        retry_after_limit=min(MAX_RETRY_AFTER_SECONDS, config.MODEL_TIMEOUT_SECONDS / 2),
    )
    api = config.OPENAI_API or ("chat_completions" if config.OPENAI_BASE_URL else "responses")
    if api == "responses":
        # store=False: the provider keeps no copy of the conversation.
        return ModelChoice(OpenAIResponsesModel(model=name, openai_client=client), ModelSettings(store=False), api)
    # Chat Completions stores nothing unless asked, but the Agents SDK asks OpenAI itself
    # to (store=True) by default; other servers get no `store` field at all, since some
    # reject fields they do not know.
    store = False if is_openai(config.OPENAI_BASE_URL) else None
    return ModelChoice(OpenAIChatCompletionsModel(model=name, openai_client=client), ModelSettings(store=store), api)


def is_openai(base_url: str | None) -> bool:
    return base_url is None or (urlsplit(base_url).hostname or "").lower().rstrip(".") == "api.openai.com"


class ProviderClient(AsyncOpenAI):
    """The OpenAI client, retrying a 429 or 503 only when the wait asked for is short."""

    def __init__(self, *, retry_after_limit: float, **kwargs: Any):
        super().__init__(**kwargs)
        self.retry_after_limit = retry_after_limit

    def _should_retry(self, response: Any) -> bool:
        # The client's own hook: it would otherwise sleep up to two minutes for Retry-After.
        wait = self._parse_retry_after_header(response.headers)
        if wait is not None and wait > self.retry_after_limit:
            return False
        return super()._should_retry(response)


def without_unstored_reasoning(data: CallModelData[Any]) -> ModelInputData:
    """Drop reasoning items the provider cannot look up again before each model call.

    With ``store=False`` a reasoning model's reasoning items exist only in the response
    that made them; sent back by id within the same run they are "not found". Asking for
    their encrypted content instead is refused by non-reasoning models, so they are left
    out: the model still sees every tool call and result.
    """
    items = [
        item
        for item in data.model_data.input
        if not (_field(item, "type") == "reasoning" and not _field(item, "encrypted_content"))
    ]
    return ModelInputData(input=items, instructions=data.model_data.instructions)


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)
