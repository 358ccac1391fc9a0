"""Which language model answers: the offline one shipped here, or OpenAI (or compatible).

``TODOCHAT_MODEL=openai:<model>`` speaks one of two APIs (``OPENAI_API``):
- ``responses`` (default against OpenAI itself): OpenAI's Responses API, sent with
  ``store=False`` so OpenAI keeps no copy of the conversation;
- ``chat_completions`` (default with ``OPENAI_BASE_URL``): what Ollama, vLLM, llama.cpp,
  LM Studio and most hosted compatible servers speak.

Either way, nothing but the model call itself leaves the machine: tracing is off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agents import Model, ModelSettings, OpenAIChatCompletionsModel, OpenAIResponsesModel, set_tracing_disabled
from agents.run_config import CallModelData, ModelInputData
from openai import AsyncOpenAI

from todochat.settings import Settings

# One retry: it honours a 429's Retry-After, and a second failure reaches the user quickly.
MAX_HTTP_RETRIES = 1


class ModelConfigError(ValueError):
    pass


@dataclass(frozen=True)
class ModelChoice:
    """The model and the settings every call to it carries."""

    model: Model
    settings: ModelSettings
    api: str  # "local", "responses" or "chat_completions": for logs and the eval's score line


def choose_model(config: Settings) -> ModelChoice:
    """``TODOCHAT_MODEL=local`` (default) or ``openai:<model>``, on the API ``OPENAI_API`` names."""
    # The Agents SDK would otherwise export traces (the user's tasks) to OpenAI, or try to
    # and fail without a key: users' data stays here.
    set_tracing_disabled(True)
    spec = (config.TODOCHAT_MODEL or "local").strip()
    if spec == "local":
        from todochat.chat.local_model import LocalModel

        return ModelChoice(LocalModel(), ModelSettings(), "local")
    name = spec.removeprefix("openai:").strip()
    if not spec.startswith("openai:") or not name:
        raise ModelConfigError(f"Unknown TODOCHAT_MODEL {spec!r}: use 'local' or 'openai:<model>'")
    client = AsyncOpenAI(
        api_key=config.OPENAI_API_KEY or "missing-key",
        base_url=config.OPENAI_BASE_URL,
        timeout=config.MODEL_TIMEOUT_SECONDS,
        max_retries=MAX_HTTP_RETRIES,
    )
    api = config.OPENAI_API or ("chat_completions" if config.OPENAI_BASE_URL else "responses")
    if api == "responses":
        # store=False: the provider keeps no copy of the conversation.
        return ModelChoice(OpenAIResponsesModel(model=name, openai_client=client), ModelSettings(store=False), api)
    # Chat Completions stores nothing unless asked, but the Agents SDK asks OpenAI itself
    # to (store=True) by default; other servers get no `store` field at all, since some
    # reject fields they do not know.
    store = False if config.OPENAI_BASE_URL is None or "api.openai.com" in config.OPENAI_BASE_URL else None
    return ModelChoice(OpenAIChatCompletionsModel(model=name, openai_client=client), ModelSettings(store=store), api)


def build_model(config: Settings) -> Model:
    return choose_model(config).model


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
