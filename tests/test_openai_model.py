"""TODOCHAT_MODEL=openai:<model> against an OpenAI-compatible server that is down.

The server is real (http.server on 127.0.0.1), so the OpenAI client, its retries and the
Agents SDK's error path all run; the turn must end in an error event, message kept.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.chat_helpers import collect, context, make_user
from todochat.chat.client import ChatClient
from todochat.chat.llm import ModelConfigError, choose_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore


class Overloaded(BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self):  # noqa: N802 (http.server's naming)
        Overloaded.calls += 1
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b'{"error": {"message": "overloaded", "type": "server_error"}}'
        self.send_response(503)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = HTTPServer(("127.0.0.1", 0), Overloaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


async def test_an_unavailable_provider_is_an_error_event(make_settings, engine, provider):
    config = make_settings(TODOCHAT_MODEL="openai:test-model", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=provider)
    server = TodoChatKitServer(SQLModelStore(), model=choose_model(config).model, model_timeout=10)
    chat = ChatClient(server, context(engine, make_user(engine, "o@example.com")))
    events = await collect(chat.create_thread("add pay rent"))
    errors = [e for e in events if e.type == "error"]
    assert len(errors) == 1 and errors[0].allow_retry
    assert Overloaded.calls >= 1, "the request reached the provider"
    items = (await chat.list_items(events[0].thread.id))["data"]
    assert [i["type"] for i in items] == ["user_message"]


@pytest.mark.parametrize("spec", ["openai:", "gpt-4", "local:x"])
def test_an_unknown_model_setting_is_refused_clearly(make_settings, spec):
    with pytest.raises(ModelConfigError, match="TODOCHAT_MODEL"):
        choose_model(make_settings(TODOCHAT_MODEL=spec))
