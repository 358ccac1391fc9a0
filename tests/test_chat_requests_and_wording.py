"""Issue 10, points 4 and 5, through ``server.process()`` with the offline model: what the
assistant understands (several lines, several tasks named at once, a title already open)
and how its replies and cards read (overdue in "due this week", day ranges, plurals, help).

The clock is Monday 2026-11-23 10:00 UTC (tests/chat_helpers.NOW).
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


def seed(engine, user_id, title, **fields) -> int:
    with session_scope(engine) as session:
        return TaskService(session, user_id).create({"title": title, **fields}).id


def complete(engine, user_id, task_id) -> None:
    with session_scope(engine) as session:
        TaskService(session, user_id).complete(task_id)


# ---------------------------------------------------------------- point 4: what it understands


async def test_a_message_of_two_lines_adds_two_tasks_on_one_card(chat, engine, ada):
    events = await collect(chat.create_thread("buy eggs\nadd buy bread"))
    assert [t.title for t in tasks_of(engine, ada)] == ["buy eggs", "buy bread"]
    [card] = widget_items(events)
    shown = texts(tree(card))
    assert "Added 2 tasks" in shown and "buy eggs" in shown and "buy bread" in shown
    said = replies(events)
    assert "buy eggs" in said and "buy bread" in said


async def test_lines_of_different_requests_each_run(chat, engine, ada):
    rent = seed(engine, ada, "pay rent")
    await collect(chat.create_thread("buy eggs\nmark pay rent as done"))
    by_title = {t.title: t for t in tasks_of(engine, ada)}
    assert set(by_title) == {"pay rent", "buy eggs"}
    assert by_title["pay rent"].id == rent and by_title["pay rent"].completed
    assert not by_title["buy eggs"].completed


async def test_complete_two_tasks_named_with_and_completes_both(chat, engine, ada):
    for title in ("Item 04", "Item 05", "Item 06"):
        seed(engine, ada, title)
    events = await collect(chat.create_thread("complete Item 05 and Item 06"))
    done = {t.title: t.completed for t in tasks_of(engine, ada)}
    assert done == {"Item 04": False, "Item 05": True, "Item 06": True}
    said = replies(events)
    assert "Item 05" in said and "Item 06" in said and "couldn't find" not in said
    assert len(widget_items(events)) == 2  # a card for each


async def test_numbered_titles_are_not_read_as_ids(chat, engine, ada):
    """"Item 05" names the task called so, even when another task's id is 5."""
    ids = {seed(engine, ada, f"Item {n:02d}"): f"Item {n:02d}" for n in range(7, 0, -1)}  # Item 07 gets id 1
    assert ids[5] == "Item 03"
    await collect(chat.create_thread("complete Item 05 and Item 06"))
    done = sorted(t.title for t in tasks_of(engine, ada) if t.completed)
    assert done == ["Item 05", "Item 06"]
    await collect(chat.create_thread("complete Item 01"))
    assert sorted(t.title for t in tasks_of(engine, ada) if t.completed) == ["Item 01", "Item 05", "Item 06"]


async def test_delete_two_tasks_named_with_a_comma_and_and(chat, engine, ada):
    for title in ("pay rent", "call mom", "walk the dog"):
        seed(engine, ada, title)
    await collect(chat.create_thread("delete pay rent, call mom"))
    assert [t.title for t in tasks_of(engine, ada)] == ["walk the dog"]


async def test_a_title_with_and_in_it_is_one_task(chat, engine, ada):
    seed(engine, ada, "buy salt and pepper")
    seed(engine, ada, "salt the steps")
    await collect(chat.create_thread("complete salt and pepper"))
    done = {t.title: t.completed for t in tasks_of(engine, ada)}
    assert done == {"buy salt and pepper": True, "salt the steps": False}


async def test_one_of_two_named_tasks_missing_is_said(chat, engine, ada):
    seed(engine, ada, "pay rent")
    events = await collect(chat.create_thread("complete pay rent and feed the unicorn"))
    assert tasks_of(engine, ada)[0].completed
    said = replies(events)
    assert "pay rent" in said and "couldn't find a task matching “feed unicorn”" in said


async def test_adding_a_title_already_open_adds_it_and_says_so(chat, engine, ada):
    rent = seed(engine, ada, "Pay rent")
    events = await collect(chat.create_thread("add pay rent"))
    tasks = tasks_of(engine, ada)
    assert [t.title for t in tasks] == ["Pay rent", "pay rent"], "the user asked to add it: it is added"
    [card] = widget_items(events)
    heading = find(tree(card), f"task_{tasks[1].id}_heading_caption")["value"]
    assert heading == f"Added — you already have an open “Pay rent” (#{rent})"
    said = replies(events)
    assert f"you already have an open “Pay rent” (#{rent})" in said and "Undo" in said


async def test_a_completed_namesake_is_no_duplicate(chat, engine, ada):
    complete(engine, ada, seed(engine, ada, "pay rent"))
    events = await collect(chat.create_thread("add pay rent"))
    assert len(tasks_of(engine, ada)) == 2
    assert "already" not in replies(events) and "already" not in " ".join(texts(tree(widget_items(events)[0])))


async def test_adding_several_names_the_ones_already_open(chat, engine, ada):
    milk = seed(engine, ada, "milk")
    events = await collect(chat.create_thread("add eggs, milk and bread"))
    assert sorted(t.title for t in tasks_of(engine, ada)) == ["bread", "eggs", "milk", "milk"]
    [card] = widget_items(events)
    assert f"Added 3 tasks — you already have an open “milk” (#{milk})" in texts(tree(card))


async def test_the_rest_api_adds_a_namesake_as_before(client, signup):
    ada = await signup(client)
    first = await client.post("/api/tasks", json={"title": "pay rent"}, headers=ada.headers)
    second = await client.post("/api/tasks", json={"title": "pay rent"}, headers=ada.headers)
    assert first.status_code == second.status_code == 201
    assert set(second.json()) == set(first.json()), "no new field in the API's answer"
    listed = await client.get("/api/tasks", headers=ada.headers)
    assert [t["title"] for t in listed.json()["items"]] == ["pay rent", "pay rent"]


# ---------------------------------------------------------------- point 5: how it reads


async def test_due_this_week_includes_overdue_tasks_marked_overdue(chat, engine, ada):
    late = seed(engine, ada, "file taxes", due="2026-11-18")
    seed(engine, ada, "pay rent", due="2026-11-26")
    seed(engine, ada, "next week's thing", due="2026-12-01")
    complete(engine, ada, seed(engine, ada, "done last week", due="2026-11-17"))
    events = await collect(chat.create_thread("What's due this week?"))
    [card] = widget_items(events)
    shown = tree(card)
    assert find(shown, "task_list_title")["value"] == "Open tasks due this week"
    assert find(shown, "task_list_counts_caption")["value"] == "2 tasks"
    assert [t for t in texts(find(shown, "task_list_rows")) if t in ("file taxes", "pay rent", "next week's thing")] == [
        "file taxes", "pay rent"
    ]
    assert find(shown, f"task_{late}_due_caption")["value"].startswith("Overdue")
    assert "You have 2 open tasks due this week (1 of them overdue)" in replies(events)


async def test_a_one_day_range_is_headed_with_the_day(chat, engine, ada):
    seed(engine, ada, "dentist", due="2026-12-04")
    events = await collect(chat.create_thread("what's due on december 4?"))
    [card] = widget_items(events)
    assert find(tree(card), "task_list_title")["value"] == "Open tasks due Fri Dec 4"
    assert "You have 1 open task due Fri Dec 4: “dentist”" in replies(events)


async def test_one_open_task_is_one_task_in_every_count(chat, engine, ada):
    seed(engine, ada, "pay rent")
    events = await collect(chat.create_thread("show my tasks"))
    [card] = widget_items(events)
    assert find(tree(card), "task_list_counts_caption")["value"] == "1 task"
    assert "You have 1 open task:" in replies(events)


@pytest.mark.parametrize(("overdue", "words"), [(1, "1 open task that is overdue"), (2, "2 open tasks that are overdue")])
async def test_overdue_agrees_with_its_count(chat, engine, ada, overdue, words):
    """Found by a walk through the app: "You have 1 open task that are overdue"."""
    for n in range(overdue):
        seed(engine, ada, f"old bill {n}", due="2026-11-20")
    events = await collect(chat.create_thread("what's overdue?"))
    assert words in replies(events)


async def test_confirming_one_completed_task_says_task(chat, engine, ada):
    complete(engine, ada, seed(engine, ada, "pay rent"))
    events = await collect(chat.create_thread("delete completed tasks"))
    [card] = widget_items(events)
    assert "Delete 1 task?" in texts(tree(card))
    said = replies(events)
    assert "delete 1 completed task?" in said and "tasks?" not in said


async def test_help_reply_is_a_markdown_list(chat):
    events = await collect(chat.create_thread("help"))
    said = replies(events)
    assert "Try:\n\n- “add pay rent tomorrow, high priority”\n- “what's due this week?”" in said
