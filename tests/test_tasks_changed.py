"""The server's word that a request changed tasks (issue 15: the official ChatKit UI's task
list stays live). A stream carries a ``client_effect`` named ``tasks_changed`` as soon as
the change is stored; a JSON answer (a ticked row) carries ``X-Tasks-Changed``.
A request that changed nothing says nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.chat_helpers import collect, find, tasks_of, tree, widget_items
from tests.test_chat_protocol import ada, chat, seed, server  # noqa: F401 (fixtures)
from tests.test_chatkit_http import create
from tests.test_which_task import ask
from todochat.chat.client import decode_sse


def told(events) -> int:
    """How many times the stream said tasks changed."""
    return sum(1 for e in events if e.type == "client_effect" and e.name == "tasks_changed")


async def test_a_turn_that_adds_says_so_right_after_the_card(chat, engine, ada):
    events = await collect(chat.create_thread("add pay rent tomorrow"))
    assert told(events) == 1
    effect_at = next(i for i, e in enumerate(events) if e.type == "client_effect")
    reply_at = next(i for i, e in enumerate(events) if e.type == "thread.item.added" and e.item.type == "assistant_message")
    assert effect_at < reply_at  # told once it is stored, not when the reply has ended
    assert len(tasks_of(engine, ada)) == 1


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
    assert again.status_code == 200
    tasks = (await client.get("/api/tasks?status=all", headers=ada_.headers)).json()["items"]
    assert [t["completed"] for t in tasks] == [True]
