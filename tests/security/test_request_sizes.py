"""Issue 9, finding 14: threads.update took a 900 KB title; feedback on 5,000 ids took one
query per id (9 s). Both are capped now, and feedback checks its items in one query."""

from __future__ import annotations

from sqlalchemy import event

from tests.chat_helpers import collect, context, make_user
from todochat.chat.client import ChatClient, user_input
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.limits import FEEDBACK_MAX_ITEMS, THREAD_TITLE_MAX_CHARS


async def new_thread(client, headers) -> str:
    response = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("hi")}}, headers=headers
    )
    return response.text.split('"thread":{')[1].split('"id":"')[1].split('"')[0]


async def test_a_huge_thread_title_is_refused(client, signup):
    ada = await signup(client)
    thread_id = await new_thread(client, ada.headers)
    rename = {"type": "threads.update", "params": {"thread_id": thread_id, "title": "x" * 900_000}}
    response = await client.post("/chatkit", json=rename, headers=ada.headers)
    assert response.status_code == 400
    assert f"at most {THREAD_TITLE_MAX_CHARS} characters" in response.json()["message"]
    fine = {"type": "threads.update", "params": {"thread_id": thread_id, "title": "t" * THREAD_TITLE_MAX_CHARS}}
    assert (await client.post("/chatkit", json=fine, headers=ada.headers)).status_code == 200


async def test_feedback_on_too_many_items_is_refused(client, signup):
    ada = await signup(client)
    thread_id = await new_thread(client, ada.headers)
    ids = [f"msg_{n:032x}" for n in range(FEEDBACK_MAX_ITEMS + 1)]
    feedback = {"type": "items.feedback", "params": {"thread_id": thread_id, "item_ids": ids, "kind": "positive"}}
    response = await client.post("/chatkit", json=feedback, headers=ada.headers)
    assert response.status_code == 400 and str(FEEDBACK_MAX_ITEMS) in response.json()["message"]


async def test_feedback_checks_its_items_in_one_query(engine):
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))
    thread_id = (await collect(chat.create_thread("add task 0")))[0].thread.id
    for n in range(1, 10):
        await collect(chat.send(thread_id, f"add task {n}"))
    items = (await chat.list_items(thread_id, limit=100))["data"]
    ids = [item["id"] for item in items]
    assert len(ids) >= 30

    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert await chat.feedback(thread_id, ids, "positive") == {}
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    reads = [s for s in statements if "FROM chat_item" in s]
    assert len(reads) == 1, statements
