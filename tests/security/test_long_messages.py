"""Issue 9, finding 2: a long chat message froze the server. /chatkit had no length limit
(only the browser composer stopped at 4,000), and the offline model parsed on the event
loop: one 40,000-character message stopped /health for 14 s for everyone."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.chat_helpers import collect, context, make_user
from todochat.chat import preflight
from todochat.chat.client import ChatClient, user_input
from todochat.chat.local_model import LocalModel
from todochat.chat.local_model import model as local_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.limits import MESSAGE_MAX_CHARS


async def test_a_message_over_the_limit_is_a_400_before_anything_streams(client, signup):
    ada = await signup(client)
    too_long = {"type": "threads.create", "params": {"input": user_input("#a" * 20_000)}}
    response = await client.post("/chatkit", json=too_long, headers=ada.headers)
    assert response.status_code == 400
    assert response.json() == {
        "message": f"Messages can be at most {MESSAGE_MAX_CHARS} characters", "code": "MESSAGE_TOO_LONG"
    }
    listed = await client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=ada.headers)
    assert listed.json()["data"] == [], "no thread was created"

    fits = {"type": "threads.create", "params": {"input": user_input("a" * MESSAGE_MAX_CHARS)}}
    assert (await client.post("/chatkit", json=fits, headers=ada.headers)).status_code == 200
    thread_id = (await client.post("/chatkit", json={"type": "threads.list", "params": {}},
                                   headers=ada.headers)).json()["data"][0]["id"]
    more = {"type": "threads.add_user_message",
            "params": {"thread_id": thread_id, "input": user_input("b" * (MESSAGE_MAX_CHARS + 1))}}
    assert (await client.post("/chatkit", json=more, headers=ada.headers)).status_code == 400


async def test_the_in_process_clients_enforce_it_too(engine):
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")), preflight=True)
    with pytest.raises(preflight.MessageTooLong):
        await collect(chat.create_thread("x" * (MESSAGE_MAX_CHARS + 1)))


async def test_the_offline_model_parses_off_the_event_loop(engine, monkeypatch):
    release, parsing, parsed = threading.Event(), threading.Event(), threading.Event()
    real_parse = local_model.parse_command

    def blocking_parse(text, now, **kwargs):
        parsing.set()
        release.wait(3)  # a parse that takes its time (on the loop, it would hold it 3 s)
        parsed.set()
        return real_parse(text, now, **kwargs)

    monkeypatch.setattr(local_model, "parse_command", blocking_parse)
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))
    turn = asyncio.create_task(collect(chat.create_thread("add pay rent")))
    while not parsing.is_set():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # other work on the event loop ...
    served_during_parse = not parsed.is_set()  # ... got done while the parse still ran
    release.set()
    assert served_during_parse
    assert not [e for e in await turn if e.type == "error"]


async def test_the_parser_never_sees_more_than_the_limit(engine, monkeypatch):
    seen: list[int] = []
    real_parse = local_model.parse_command

    def measuring_parse(text, now, **kwargs):
        seen.append(len(text))
        return real_parse(text, now, **kwargs)

    monkeypatch.setattr(local_model, "parse_command", measuring_parse)
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))  # no preflight
    await collect(chat.create_thread("add " + "#a" * 10_000))
    assert seen and max(seen) <= MESSAGE_MAX_CHARS
