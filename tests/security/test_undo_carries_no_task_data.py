"""Issue 9, finding 1: Undo restored a task under a client-chosen id.

The delete card's Undo carried the task snapshot, id included. One forged
``task.undo`` pushed SQLite's id sequence past what the API accepts, for every user.
Now the button carries a token; what Undo does stays on the server, per user, once.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from tests.chat_helpers import (
    NOW,
    collect,
    context,
    find,
    make_user,
    tasks_of,
    tree,
    widget_items,
)
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.db import session_scope
from todochat.tasks import TaskCreate, TaskService


@pytest.fixture
def server() -> TodoChatKitServer:
    return TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)


def chat_as(server, engine, email: str, clock=None) -> ChatClient:
    ctx = context(engine, make_user(engine, email))
    if clock is not None:
        ctx.clock = clock
    return ChatClient(server, ctx)


async def delete_by_chat(chat: ChatClient, engine, title: str):
    with session_scope(engine) as session:
        TaskService(session, chat.context.user_id).create(TaskCreate(title=title))
    events = await collect(chat.create_thread(f"delete {title}"))
    [card] = widget_items(events)
    [task_id] = [int(t) for t in [tree(card)["id"].removeprefix("task_").removesuffix("_card")]]
    undo = find(tree(card), f"undo_delete_task_{task_id}_button")["onClickAction"]
    return events[0].thread.id, card, task_id, undo


async def test_a_forged_undo_cannot_choose_a_task_id(server, engine):
    mallory = chat_as(server, engine, "mallory@example.com")
    thread_id = (await collect(mallory.create_thread("hi")))[0].thread.id
    forged = {
        "type": "task.undo",
        "payload": {"kind": "delete", "snapshot": {"id": 2**31 - 1, "title": "pwned", "position": 0}},
    }
    events = await collect(mallory.custom_action(thread_id, None, forged))
    assert [e.type for e in events if e.type == "error"] == ["error"]
    assert tasks_of(engine, mallory.context.user_id) == []

    # Everyone's next task still gets an ordinary id.
    alice = chat_as(server, engine, "alice@example.com")
    await collect(alice.create_thread("add buy milk"))
    [task] = tasks_of(engine, alice.context.user_id)
    assert task.id < 1000


async def test_the_undo_button_carries_only_a_token(server, engine):
    ada = chat_as(server, engine, "ada@example.com")
    _thread, _card, _task_id, undo = await delete_by_chat(ada, engine, "pay rent")
    assert set(undo["payload"]) == {"token"}
    assert "pay rent" not in str(undo)


async def test_undo_restores_once_and_only_for_its_user(server, engine):
    ada = chat_as(server, engine, "ada@example.com")
    thread_id, card, task_id, undo = await delete_by_chat(ada, engine, "pay rent")

    # Another user replaying the token in their own thread gets nothing back.
    eve = chat_as(server, engine, "eve@example.com")
    eves_thread = (await collect(eve.create_thread("hi")))[0].thread.id
    stolen = await collect(eve.custom_action(eves_thread, None, undo))
    assert [e.type for e in stolen if e.type == "error"] == ["error"]
    assert tasks_of(engine, eve.context.user_id) == [] and tasks_of(engine, ada.context.user_id) == []

    restored = await collect(ada.custom_action(thread_id, card.id, undo))
    assert not [e for e in restored if e.type == "error"]
    assert [(t.id, t.title) for t in tasks_of(engine, ada.context.user_id)] == [(task_id, "pay rent")]

    again = await collect(ada.custom_action(thread_id, None, undo))
    assert [e.type for e in again if e.type == "error"] == ["error"]
    assert len(tasks_of(engine, ada.context.user_id)) == 1


async def test_an_undo_expires(server, engine):
    later = [NOW]
    ada = chat_as(server, engine, "ada@example.com", clock=lambda: later[0])
    thread_id, _card, _task_id, undo = await delete_by_chat(ada, engine, "pay rent")
    later[0] = NOW + dt.timedelta(days=8)
    events = await collect(ada.custom_action(thread_id, None, undo))
    assert [e.type for e in events if e.type == "error"] == ["error"]
    assert tasks_of(engine, ada.context.user_id) == []


async def test_undo_pressed_many_times_at_once_runs_once(server, engine):
    """Found by the hostile review: eight presses at once restored three times (each read
    the token before any deleted it). The token is claimed by a delete of exactly its row."""
    ada = chat_as(server, engine, "ada@example.com")
    thread_id, card, task_id, undo = await delete_by_chat(ada, engine, "pay rent")
    presses = await asyncio.gather(*(collect(ada.custom_action(thread_id, card.id, undo)) for _ in range(8)))
    replies = [
        "".join(part.text for part in e.item.content)
        for events in presses for e in events
        if e.type == "thread.item.done" and e.item.type == "assistant_message"
    ]
    assert sorted(replies) == ["Restored “pay rent”."] + ["There is nothing to undo here any more."] * 7
    assert [(t.id, t.title) for t in tasks_of(engine, ada.context.user_id)] == [(task_id, "pay rent")]
