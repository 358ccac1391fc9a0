"""Issue 9, finding 13: confirming a bulk action on 250 tasks completed 200 and reported
success; the other 50 stayed open, silently. Now every confirmed task that still matches
is acted on, and a part left alone is said."""

from __future__ import annotations

import pytest

from tests.chat_helpers import (
    collect,
    context,
    find,
    make_user,
    replies,
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
def chat(engine) -> ChatClient:
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    return ChatClient(server, context(engine, make_user(engine, "ada@example.com")))


def seed(engine, user_id: str, count: int) -> list[int]:
    with session_scope(engine) as session:
        created = TaskService(session, user_id).create_many([TaskCreate(title=f"chore {n}") for n in range(count)])
        return [t.id for t in created]


async def ask_to_confirm(chat: ChatClient) -> tuple[str, object, dict]:
    events = await collect(chat.create_thread("complete all my tasks"))
    [card] = widget_items(events)
    confirm = find(tree(card), "bulk_confirm_button")["onClickAction"]
    assert len(confirm["payload"]["ids"]) == 250, "the card confirms every matching task"
    return events[0].thread.id, card, confirm


async def test_confirming_250_tasks_completes_all_250(chat, engine):
    seed(engine, chat.context.user_id, 250)
    thread_id, card, confirm = await ask_to_confirm(chat)
    done = await collect(chat.custom_action(thread_id, card.id, confirm))
    assert all(t.completed for t in tasks_of(engine, chat.context.user_id))
    assert "Completed 250 tasks." in replies(done)


async def test_a_part_left_alone_is_said(chat, engine):
    ids = seed(engine, chat.context.user_id, 250)
    thread_id, card, confirm = await ask_to_confirm(chat)
    with session_scope(engine) as session:
        TaskService(session, chat.context.user_id).delete_many(ids[:2])
    done = await collect(chat.custom_action(thread_id, card.id, confirm))
    assert "Completed 248 of the 250 tasks you confirmed; 2 had changed" in replies(done)
    assert sum(t.completed for t in tasks_of(engine, chat.context.user_id)) == 248
