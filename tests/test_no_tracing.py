"""Nothing but the model call leaves the machine: a chat turn starts no trace and no span,
even in a process where the Agents SDK's tracing is switched on (the server turns it off
per run, never by changing the SDK's global switch)."""

from __future__ import annotations

import pytest
from agents.tracing import TracingProcessor
from agents.tracing import setup as tracing_setup
from agents.tracing.provider import DefaultTraceProvider

from tests.chat_helpers import collect, context, make_user, replies
from todochat.chat.client import ChatClient
from todochat.chat.llm import choose_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore


class Recorder(TracingProcessor):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_trace_start(self, trace) -> None:
        self.seen.append(f"trace {trace.name}")

    def on_trace_end(self, trace) -> None:
        pass

    def on_span_start(self, span) -> None:
        self.seen.append(f"span {type(span.span_data).__name__}")

    def on_span_end(self, span) -> None:
        pass

    def shutdown(self) -> None:
        pass

    def force_flush(self) -> None:
        pass


@pytest.fixture
def tracing_on():
    """The SDK's global tracing enabled, reporting to a recorder; the old provider restored after."""
    recorder = Recorder()
    provider = DefaultTraceProvider()
    provider.set_processors([recorder])
    provider.set_disabled(False)
    previous = tracing_setup.GLOBAL_TRACE_PROVIDER
    tracing_setup.set_trace_provider(provider)
    try:
        yield recorder
    finally:
        tracing_setup.GLOBAL_TRACE_PROVIDER = previous


async def test_a_chat_turn_records_no_trace(tracing_on, make_settings, engine):
    choice = choose_model(make_settings(TODOCHAT_MODEL="local"))
    server = TodoChatKitServer(SQLModelStore(), model=choice.model, model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))

    events = await collect(chat.create_thread("add buy milk tomorrow"))

    assert "buy milk" in replies(events).lower()  # the turn really ran, tools and all
    assert tracing_on.seen == []
    # Choosing a model leaves the SDK's global switch alone: tracing is the server's call, per run.
    assert tracing_setup.GLOBAL_TRACE_PROVIDER._disabled is False
