"""Which language model answers: the offline one shipped here, or OpenAI (or compatible)."""

from __future__ import annotations

from agents import Model, OpenAIChatCompletionsModel, OpenAIResponsesModel, set_tracing_disabled
from openai import AsyncOpenAI

from todochat.settings import Settings


class ModelConfigError(ValueError):
    pass


def build_model(config: Settings) -> Model:
    """``TODOCHAT_MODEL=local`` (default) or ``openai:<model>``."""
    # The Agents SDK would otherwise export traces (the user's tasks) to OpenAI, or try to
    # and fail without a key: users' data stays here.
    set_tracing_disabled(True)
    spec = (config.TODOCHAT_MODEL or "local").strip()
    if spec == "local":
        from todochat.chat.local_model import LocalModel

        return LocalModel()
    if spec.startswith("openai:") and spec.removeprefix("openai:"):
        name = spec.removeprefix("openai:")
        client = AsyncOpenAI(
            api_key=config.OPENAI_API_KEY or "missing-key",
            base_url=config.OPENAI_BASE_URL,
            timeout=config.MODEL_TIMEOUT_SECONDS,
            max_retries=1,
        )
        if config.OPENAI_BASE_URL:
            # Most OpenAI-compatible servers speak Chat Completions, not the Responses API.
            return OpenAIChatCompletionsModel(model=name, openai_client=client)
        return OpenAIResponsesModel(model=name, openai_client=client)
    raise ModelConfigError(f"Unknown TODOCHAT_MODEL {spec!r}: use 'local' or 'openai:<model>'")
