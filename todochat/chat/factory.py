"""One place that assembles the ChatKit server from settings (HTTP route, CLI and UI share it)."""

from __future__ import annotations

import functools

from todochat.chat.llm import build_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.settings import Settings, settings


def build_chatkit_server(config: Settings) -> TodoChatKitServer:
    return TodoChatKitServer(
        SQLModelStore(), model=build_model(config), model_timeout=config.MODEL_TIMEOUT_SECONDS
    )


@functools.cache
def shared_chatkit_server() -> TodoChatKitServer:
    """The app's one server: POST /chatkit and the native chat page both use it."""
    return build_chatkit_server(settings)
