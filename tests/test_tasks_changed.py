"""The server's word that a request changed tasks (issue 15: the official ChatKit UI's task
list stays live). A stream that changed tasks ends with a ``client_effect`` named
``tasks_changed``, once all it wrote is stored; a JSON answer (a ticked row) carries ``X-Tasks-Changed``.
A request that changed nothing says nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.chat_helpers import collect, context, find, tasks_of, tree, widget_items
from tests.test_chat_protocol import ada, chat, seed, server  # noqa: F401 (fixtures)
from tests.test_chatkit_http import create
from tests.test_which_task import ask
from todochat.chat.client import decode_sse


def told(events) -> int:
    """How many times the stream said tasks changed."""
    return sum(1 for e in events if e.type == "client_effect" and e.name == "tasks_changed")


async def test_a_turn_that_adds_ends_by_saying_so_once_all_of_it_is_stored(chat, engine, ada):
    events = await collect(chat.create_thread("add pay rent tomorrow"))
    assert told(events) == 1
    assert events[-1].type == "client_effect"  # last: the whole reply is stored by then
    thread_id = events[0].thread.id
    stored = {item["id"] for item in (await chat.list_items(thread_id, limit=50))["data"]}
    streamed = {e.item.id for e in events if e.type == "thread.item.done"}
    assert streamed <= stored
    assert len(tasks_of(engine, ada)) == 1


async def test_several_changes_in_one_turn_are_told_once(chat, engine, ada):
    seed(engine, ada, "buy milk", "buy bread")
    events = await collect(chat.create_thread("complete buy milk and buy bread"))
    assert sum(t.completed for t in tasks_of(engine, ada)) == 2
    assert told(events) == 1


async def test_a_turn_that_only_reads_or_answers_says_nothing(chat, engine, ada):
    seed(engine, ada, "pay rent")
    assert told(await collect(chat.create_thread("show my tasks"))) == 0
    assert told(await collect(chat.create_thread("hello"))) == 0
    assert told(await collect(chat.create_thread("complete the zebra"))) == 0  # nothing matched


async def test_a_card_button_that_changes_a_task_says_so(chat, engine, ada):
    events = await collect(chat.create_thread("add water the plants"))
    thread_id = events[0].thread.id
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada)
    delete = find(tree(card), f"delete_task_{task.id}_button")["onClickAction"]
    assert told(await collect(chat.custom_action(thread_id, card.id, delete))) == 1
    assert tasks_of(engine, ada) == []


async def test_an_answered_which_task_question_says_so(chat, engine, ada):
    seed(engine, ada, "buy milk", "buy milk powder")
    thread_id, question, events = await ask(chat, "complete milk")
    assert told(events) == 0  # asked, nothing done yet
    answered = await collect(chat.answer(thread_id, question.id, {question.inputs[0].id: ["buy milk"]}))
    assert told(answered) == 1
    assert [t.title for t in tasks_of(engine, ada) if t.completed] == ["buy milk"]


async def test_a_ticked_row_answers_with_the_header_and_a_read_without(client, signup):
    ada_ = await signup(client)
    response = await client.post("/chatkit", json=create("add call mom"), headers=ada_.headers)
    events = decode_sse(response.content)
    assert told(events) == 1
    thread_id = events[0].thread.id
    [card] = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "widget"]
    widget = card.widget.model_dump(mode="json", exclude_none=True)
    task_id = widget["id"].removeprefix("task_").removesuffix("_card")
    tick = find(widget, f"complete_task_{task_id}_checkbox")["onChangeAction"]

    ticked = await client.post("/chatkit", headers=ada_.headers, json={
        "type": "threads.sync_custom_action", "params": {"thread_id": thread_id, "item_id": card.id, "action": tick}})
    assert ticked.status_code == 200 and ticked.headers["x-tasks-changed"] == "true"
    listed = await client.post("/chatkit", headers=ada_.headers, json={"type": "threads.list", "params": {}})
    assert listed.status_code == 200 and "x-tasks-changed" not in listed.headers
    again = await client.post("/chatkit", headers=ada_.headers, json={
        "type": "threads.sync_custom_action", "params": {"thread_id": thread_id, "item_id": card.id, "action": tick}})
    assert again.status_code == 200 and "x-tasks-changed" not in again.headers  # done already: no change
    tasks = (await client.get("/api/tasks?status=all", headers=ada_.headers)).json()["items"]
    assert [t["completed"] for t in tasks] == [True]


# ---------------------------------------------------------------- what counts as a change

WRITES = {
    "create": lambda tasks, ids: tasks.create({"title": "new"}),
    "update": lambda tasks, ids: tasks.update(ids[0], {"title": "renamed"}),
    "complete": lambda tasks, ids: tasks.complete(ids[0]),
    "reopen": lambda tasks, ids: (tasks.complete(ids[0]), tasks.session.flush(), tasks.reopen(ids[0])),
    "delete": lambda tasks, ids: tasks.delete(ids[0]),
    "complete_many": lambda tasks, ids: tasks.complete_many(ids),
    "delete_many": lambda tasks, ids: tasks.delete_many(ids),  # one DELETE statement, no objects
    "restore": lambda tasks, ids: tasks.restore({"id": 999, "title": "back", "user_id": "x"}),
}
READS = {
    "get, list, count and tags": lambda tasks, ids: (tasks.get(ids[0]), tasks.list(), tasks.count(), tasks.tags()),
    "completing a done task": lambda tasks, ids: tasks.complete(ids[1]),
    "reopening an open task": lambda tasks, ids: tasks.reopen(ids[0]),
    "deleting none of the user's": lambda tasks, ids: tasks.delete_many([10**6]),
}


@pytest.mark.parametrize("name", WRITES)
def test_every_kind_of_task_write_is_noticed(engine, ada, name):
    ids = seed(engine, ada, "pay rent", "call mom")
    ctx = context(engine, ada)
    with ctx.open_tasks() as tasks:
        WRITES[name](tasks, ids)
    assert ctx.tasks_changed


@pytest.mark.parametrize("name", READS)
def test_what_changes_nothing_is_not_a_change(engine, ada, name):
    ids = seed(engine, ada, "pay rent", "call mom")
    with context(engine, ada).open_tasks() as tasks:
        tasks.complete(ids[1])  # done before the transaction under test
    ctx = context(engine, ada)
    with ctx.open_tasks() as tasks:
        READS[name](tasks, ids)
    assert not ctx.tasks_changed


def test_a_change_rolled_back_is_not_told(engine, ada):
    ctx = context(engine, ada)
    with pytest.raises(RuntimeError), ctx.open_tasks() as tasks:
        tasks.create({"title": "never stored"})  # flushed, then the transaction fails
        raise RuntimeError("the rest of the transaction failed")
    assert not ctx.tasks_changed and tasks_of(engine, ada) == []
    with ctx.open_tasks() as tasks:  # the next transaction starts clean
        tasks.list()
    assert not ctx.tasks_changed
