"""One place that assembles the ChatKit server from settings (HTTP route, CLI and UI share it)."""

from __future__ import annotations

import functools
import logging

from todochat.chat.llm import choose_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.settings import Settings, settings


logger = logging.getLogger(__name__)


def build_chatkit_server(config: Settings) -> TodoChatKitServer:
    chosen = choose_model(config)
    logger.info("assistant model: %s (%s)", config.TODOCHAT_MODEL, chosen.api)
    return TodoChatKitServer(
        SQLModelStore(),
        model=chosen.model,
        model_settings=chosen.settings,
        model_timeout=config.MODEL_TIMEOUT_SECONDS,
        history_budget=config.HISTORY_BUDGET_CHARS,
    )


@functools.cache
def shared_chatkit_server() -> TodoChatKitServer:
    """The app's one server: POST /chatkit and the native chat page both use it."""
    return build_chatkit_server(settings)
