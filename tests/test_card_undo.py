"""A card's Undo undoes the card's newest change, and never throws away later work.

Issue 10, point 1: add "pay rent", press its checkbox, then the card's Undo: the task
must come back open (not be deleted). An Undo whose task changed since (elsewhere) is
not offered, and pressing an old one changes nothing and says why.
"""

from __future__ import annotations

import pytest

from tests.chat_helpers import (
    collect,
    context,
    find,
    make_user,
    replies,
    tasks_of,
    texts,
    tree,
    widget_items,
)
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.db import session_scope
from todochat.tasks import TaskService


@pytest.fixture
def ada(engine):
    return make_user(engine, "ada@example.com")


@pytest.fixture
def chat(engine, ada) -> ChatClient:
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    return ChatClient(server, context(engine, ada))


def _replaced(events) -> dict:
    [item] = [e.item for e in events if e.type == "thread.item.replaced"]
    return tree(item)


async def _added(chat, engine, ada, text="add pay rent"):
    events = await collect(chat.create_thread(text))
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada)
    return events[0].thread.id, card, task


async def test_undo_after_completing_on_the_card_reopens_instead_of_deleting(chat, engine, ada):
    thread_id, card, task = await _added(chat, engine, ada)
    tick = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    ticked = await chat.sync_action(thread_id, card.id, {**tick, "payload": {**tick["payload"], "done": True}})
    shown = ticked["updated_item"]["widget"]
    assert tasks_of(engine, ada)[0].completed
    undo = find(shown, f"undo_task_{task.id}_button")["onClickAction"]

    events = await collect(chat.custom_action(thread_id, card.id, undo))
    [back] = tasks_of(engine, ada)
    assert (back.id, back.completed) == (task.id, False)
    assert "removed" not in replies(events)
    assert "is back as it was" in replies(events)
    after = _replaced(events)
    assert find(after, f"complete_task_{task.id}_checkbox") is not None
    assert find(after, f"undo_task_{task.id}_button") is None


async def test_the_superseded_add_undo_no_longer_runs(chat, engine, ada):
    thread_id, card, task = await _added(chat, engine, ada)
    old_undo = find(tree(card), f"undo_task_{task.id}_button")["onClickAction"]
    tick = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    await chat.sync_action(thread_id, card.id, tick)

    # A client that kept the old card presses the add's Undo: the task stays.
    events = await collect(chat.custom_action(thread_id, card.id, old_undo))
    assert [t.id for t in tasks_of(engine, ada)] == [task.id]
    assert "nothing to undo" in replies(events).lower()


async def test_a_task_changed_elsewhere_hides_the_undo_and_an_old_press_keeps_the_work(chat, engine, ada):
    thread_id, card, task = await _added(chat, engine, ada)
    undo = find(tree(card), f"undo_task_{task.id}_button")["onClickAction"]
    with session_scope(engine) as session:
        TaskService(session, ada).update(task.id, {"title": "pay rent to Sam"})

    # Read again, the card shows the task as it is now, without an Undo that would lose that.
    thread = await chat.get_thread(thread_id)
    [stored] = [i for i in thread["items"]["data"] if i["id"] == card.id]
    assert find(stored["widget"], f"task_{task.id}_title_text")["value"] == "pay rent to Sam"
    assert find(stored["widget"], f"undo_task_{task.id}_button") is None

    # Put back as it was, the Undo applies again (nothing would be lost)...
    with session_scope(engine) as session:
        TaskService(session, ada).update(task.id, {"title": "pay rent"})
    thread = await chat.get_thread(thread_id)
    [stored] = [i for i in thread["items"]["data"] if i["id"] == card.id]
    assert find(stored["widget"], f"undo_task_{task.id}_button") is not None

    # ...but pressed while the task has later work, it keeps that work and says why.
    with session_scope(engine) as session:
        TaskService(session, ada).update(task.id, {"title": "pay rent to Sam"})
    events = await collect(chat.custom_action(thread_id, card.id, undo))
    [kept] = tasks_of(engine, ada)
    assert kept.title == "pay rent to Sam"
    assert "Not undone" in replies(events) and "Nothing was changed" in replies(events)
    assert find(_replaced(events), f"undo_task_{task.id}_button") is None


async def test_undo_of_a_completion_refuses_when_the_task_was_edited_since(chat, engine, ada):
    thread_id, card, task = await _added(chat, engine, ada)
    tick = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    shown = (await chat.sync_action(thread_id, card.id, tick))["updated_item"]["widget"]
    undo = find(shown, f"undo_task_{task.id}_button")["onClickAction"]
    with session_scope(engine) as session:
        TaskService(session, ada).update(task.id, {"priority": "high"})

    events = await collect(chat.custom_action(thread_id, card.id, undo))
    [kept] = tasks_of(engine, ada)
    assert (kept.completed, kept.priority) == (True, "high")
    assert "Not undone" in replies(events)


async def test_undo_of_several_added_keeps_the_one_changed_since(chat, engine, ada):
    events = await collect(chat.create_thread("add milk, eggs and bread"))
    [card] = widget_items(events)
    added = {t.title: t for t in tasks_of(engine, ada)}
    assert set(added) == {"milk", "eggs", "bread"}
    undo = next(
        node["onClickAction"] for node in _walk(tree(card))
        if node.get("type") == "Button" and (node.get("onClickAction") or {}).get("type") == "task.undo"
    )
    with session_scope(engine) as session:
        TaskService(session, ada).complete(added["eggs"].id)

    done = await collect(chat.custom_action(events[0].thread.id, card.id, undo))
    assert [t.title for t in tasks_of(engine, ada)] == ["eggs"]
    assert "Kept “eggs”" in replies(done)


async def test_the_checkbox_does_what_its_tick_means_even_on_a_card_that_was_behind(chat, engine, ada):
    thread_id, card, task = await _added(chat, engine, ada)
    with session_scope(engine) as session:
        TaskService(session, ada).complete(task.id)
    # The stale card still says "complete"; unticking it (done=False) reopens the task.
    tick = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    await chat.sync_action(thread_id, card.id, {**tick, "payload": {**tick["payload"], "done": False}})
    assert tasks_of(engine, ada)[0].completed is False


async def test_cards_read_back_show_tasks_completed_or_deleted_elsewhere(chat, engine, ada):
    first = await collect(chat.create_thread("add pay rent"))
    thread_id = first[0].thread.id
    await collect(chat.send(thread_id, "add call mom"))
    rent, mom = sorted(tasks_of(engine, ada), key=lambda t: t.id)
    with session_scope(engine) as session:
        service = TaskService(session, ada)
        service.complete(rent.id)
        service.delete(mom.id)

    page = await chat.list_items(thread_id, limit=20)
    cards = [i["widget"] for i in page["data"] if i["type"] == "widget"]
    rent_card = next(c for c in cards if c["id"] == f"task_{rent.id}_card")
    mom_card = next(c for c in cards if c["id"] == f"task_{mom.id}_card")
    assert find(rent_card, f"reopen_task_{rent.id}_checkbox")["defaultChecked"] is True
    assert find(rent_card, f"task_{rent.id}_title_text")["lineThrough"] is True
    assert "This task no longer exists." in texts(mom_card)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for child in node.get("children") or []:
            yield from _walk(child)


def test_an_undo_recorded_before_the_repeat_rules_migration_still_applies():
    """Migration 0006 rewrote "weekly" as FREQ=WEEKLY: the task did not change for a person,
    so an Undo fingerprinted before the upgrade must still see it as unchanged."""
    from todochat.chat.undo import fingerprint
    from todochat.models import Task

    before = Task(id=1, user_id="u", title="water plants", recurrence="weekly")
    after = Task(id=1, user_id="u", title="water plants", recurrence="FREQ=WEEKLY")
    other = Task(id=1, user_id="u", title="water plants", recurrence="FREQ=WEEKLY;INTERVAL=2")
    assert fingerprint(before) == fingerprint(after) != fingerprint(other)
