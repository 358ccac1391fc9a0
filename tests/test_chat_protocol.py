"""The assistant through ``server.process()``: every request type, widgets and their buttons.

Runs on SQLite and PostgreSQL with the offline model; events are decoded with the SDK's
``ThreadStreamEvent`` adapter (``todochat.chat.client``).
"""

from __future__ import annotations

import asyncio

import pytest
from agents import Model
from chatkit.store import NotFoundError

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
from todochat.chat.agent import build_agent
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.db import session_scope
from todochat.tasks import TaskService


@pytest.fixture
def server() -> TodoChatKitServer:
    return TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)


@pytest.fixture
def ada(engine):
    return make_user(engine, "ada@example.com")


@pytest.fixture
def bob(engine):
    return make_user(engine, "bob@example.com")


@pytest.fixture
def chat(server, engine, ada) -> ChatClient:
    return ChatClient(server, context(engine, ada))


def seed(engine, user_id, *titles, **fields):
    with session_scope(engine) as session:
        service = TaskService(session, user_id)
        return [service.create({"title": t, **fields}).id for t in titles]


async def test_add_streams_a_task_card_whose_buttons_work(chat, engine, ada):
    events = await collect(chat.create_thread("add pay rent tomorrow high priority"))
    assert events[0].type == "thread.created"
    thread_id = events[0].thread.id
    assert any(e.type == "thread.item.done" and e.item.type == "user_message" for e in events)

    [task] = tasks_of(engine, ada)
    assert (task.title, task.priority, task.due_date.isoformat()) == ("pay rent", "high", "2026-11-24")
    [card] = widget_items(events)
    shown = tree(card)
    assert shown["id"] == f"task_{task.id}_card"
    row = find(shown, f"task_{task.id}_row")
    assert "pay rent" in texts(row) and "High" in texts(row) and "Due Tomorrow" in texts(row)
    assert "pay rent" in replies(events).lower()

    # The row's tick is a sync action: no reply needed, the card comes back updated.
    button = find(shown, f"complete_task_{task.id}_checkbox")
    assert button["onChangeAction"]["streaming"] is False
    response = await chat.sync_action(thread_id, card.id, button["onChangeAction"])
    updated = response["updated_item"]["widget"]
    assert find(updated, f"reopen_task_{task.id}_checkbox") is not None
    assert find(updated, f"task_{task.id}_title_text")["lineThrough"] is True
    assert tasks_of(engine, ada)[0].completed

    # Reload: the thread shows the card as it is now.
    thread = await chat.get_thread(thread_id)
    stored = [i for i in thread["items"]["data"] if i["id"] == card.id][0]
    assert find(stored["widget"], f"reopen_task_{task.id}_checkbox") is not None
    assert thread["title"] == "add pay rent tomorrow high priority"


async def test_streaming_button_replaces_the_card_and_says_so(chat, engine, ada):
    events = await collect(chat.create_thread("add water the plants"))
    thread_id = events[0].thread.id
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada)
    delete = find(tree(card), f"delete_task_{task.id}_button")["onClickAction"]

    after = await collect(chat.custom_action(thread_id, card.id, delete))
    replaced = [e for e in after if e.type == "thread.item.replaced"]
    assert len(replaced) == 1 and replaced[0].item.id == card.id
    assert "Deleted" in texts(tree(replaced[0].item))
    assert "deleted" in replies(after).lower()
    assert tasks_of(engine, ada) == []

    # Its Undo brings the task back, with its id.
    undo = find(tree(replaced[0].item), f"undo_delete_task_{task.id}_button")["onClickAction"]
    await collect(chat.custom_action(thread_id, card.id, undo))
    [back] = tasks_of(engine, ada)
    assert (back.id, back.title, back.created_at) == (task.id, "water the plants", task.created_at)


async def test_undo_of_an_add_removes_the_task(chat, engine, ada):
    events = await collect(chat.create_thread("add eggs, bread and butter"))
    [card] = widget_items(events)
    assert sorted(t.title for t in tasks_of(engine, ada)) == ["bread", "butter", "eggs"]
    undo = find(tree(card), f"undo_{tree(card)['id']}_button")["onClickAction"]
    after = await collect(chat.custom_action(events[0].thread.id, card.id, undo))
    assert tasks_of(engine, ada) == []
    assert find(tree([e for e in after if e.type == "thread.item.replaced"][0].item), f"undo_{tree(card)['id']}_button") is None


async def test_list_shows_a_page_and_show_more_the_next(chat, engine, ada):
    seed(engine, ada, *[f"chore {i:02d}" for i in range(30)])
    events = await collect(chat.create_thread("show my tasks"))
    [card] = widget_items(events)
    # Streamed progressively: the header arrives first, the rows in a later update.
    added = [e for e in events if e.type == "thread.item.added" and e.item.type == "widget"]
    assert added and find(tree(added[0].item), "task_list_title") and not _row_ids(tree(added[0].item))
    assert any(e.type == "thread.item.updated" and e.item_id == card.id for e in events)
    first = tree(card)
    assert first["id"] == "task_list_card"
    assert len([i for i in _row_ids(first)]) == 20
    more = find(first, "show_more_button")["onClickAction"]

    after = await collect(chat.custom_action(events[0].thread.id, card.id, more))
    replaced = [e.item for e in after if e.type == "thread.item.replaced"]
    assert find(tree(replaced[0]), "show_more_button") is None
    [second] = widget_items(after)
    assert len(_row_ids(tree(second))) == 10
    assert set(_row_ids(first)).isdisjoint(_row_ids(tree(second)))


def _row_ids(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        if str(node.get("id", "")).endswith("_row"):
            found.append(node["id"])
        for child in node.get("children") or []:
            found.extend(_row_ids(child))
    return found


async def test_bulk_delete_waits_for_confirmation(chat, engine, ada):
    ids = seed(engine, ada, "old one", "old two")
    seed(engine, ada, "keep me")
    with session_scope(engine) as session:
        for task_id in ids:
            TaskService(session, ada).complete(task_id)
    events = await collect(chat.create_thread("delete all completed tasks"))
    [card] = widget_items(events)
    assert tree(card)["id"] == "bulk_confirm_card"
    assert len(tasks_of(engine, ada)) == 3, "nothing changes before the button"

    confirm = find(tree(card), "bulk_confirm_button")["onClickAction"]
    await collect(chat.custom_action(events[0].thread.id, card.id, confirm))
    assert [t.title for t in tasks_of(engine, ada)] == ["keep me"]


async def test_bulk_cancel_changes_nothing(chat, engine, ada):
    seed(engine, ada, "a", "b")
    events = await collect(chat.create_thread("delete all my tasks"))
    [card] = widget_items(events)
    cancel = find(tree(card), "bulk_cancel_button")["onClickAction"]
    after = await collect(chat.custom_action(events[0].thread.id, card.id, cancel))
    assert len(tasks_of(engine, ada)) == 2
    assert "nothing was changed" in replies(after).lower()


@pytest.mark.parametrize(
    "action",
    [
        {"type": "task.complete", "payload": {"task_id": "seven"}},
        {"type": "task.complete", "payload": {}},
        {"type": "task.complete", "payload": {"task_id": 1, "extra": True}},
        {"type": "task.explode", "payload": {"task_id": 1}},
        {"type": "tasks.bulk_confirm", "payload": {"action": "delete", "ids": []}},
        {"type": "task.undo", "payload": {"kind": "sideways"}},
    ],
)
async def test_invalid_actions_are_error_events_and_change_nothing(chat, engine, ada, action):
    seed(engine, ada, "stay as you are")
    thread_id = (await collect(chat.create_thread("hi")))[0].thread.id
    before = [(t.title, t.completed) for t in tasks_of(engine, ada)]
    events = await collect(chat.custom_action(thread_id, None, action))
    assert [e.type for e in events if e.type == "error"] == ["error"]
    assert [(t.title, t.completed) for t in tasks_of(engine, ada)] == before


async def test_actions_on_another_users_task_change_nothing(server, engine, ada, bob):
    [theirs] = seed(engine, ada, "ada's secret")
    bobs = ChatClient(server, context(engine, bob))
    thread_id = (await collect(bobs.create_thread("hi")))[0].thread.id
    for kind in ("task.complete", "task.delete", "task.reopen"):
        events = await collect(bobs.custom_action(thread_id, None, {"type": kind, "payload": {"task_id": theirs}}))
        assert any(e.type == "error" for e in events)
        assert "secret" not in str([e.model_dump() for e in events])
    choose = {"type": "task.choose", "payload": {"intent": "delete", "task_id": theirs, "changes": {}}}
    assert any(e.type == "error" for e in await collect(bobs.custom_action(thread_id, None, choose)))
    bulk = {"type": "tasks.bulk_confirm", "payload": {"action": "delete", "ids": [theirs]}}
    await collect(bobs.custom_action(thread_id, None, bulk))
    [task] = tasks_of(engine, ada)
    assert (task.title, task.completed) == ("ada's secret", False)
    with pytest.raises(Exception):
        await bobs.sync_action(thread_id, None, {"type": "task.complete", "payload": {"task_id": theirs}})
    assert not tasks_of(engine, ada)[0].completed


async def test_threads_list_get_rename_delete_and_items(chat):
    first = (await collect(chat.create_thread("add first thing")))[0].thread.id
    second = (await collect(chat.create_thread("add second thing")))[0].thread.id
    listed = await chat.list_threads(limit=10)
    assert [t["id"] for t in listed["data"]] == [second, first]
    page = await chat.list_threads(limit=1)
    assert page["has_more"] is True
    rest = await chat.list_threads(limit=1, after=page["after"])
    assert [t["id"] for t in rest["data"]] == [first]

    renamed = await chat.rename_thread(first, "Errands")
    assert renamed["title"] == "Errands"
    assert (await chat.get_thread(first))["title"] == "Errands"

    items = await chat.list_items(first)
    kinds = [i["type"] for i in items["data"]]
    assert kinds[0] == "user_message" and "widget" in kinds and "assistant_message" in kinds

    await chat.delete_thread(first)
    assert [t["id"] for t in (await chat.list_threads())["data"]] == [second]
    with pytest.raises(NotFoundError):
        await chat.get_thread(first)


async def test_continue_a_thread_and_retry(chat, engine, ada):
    events = await collect(chat.create_thread("add call the bank"))
    thread_id = events[0].thread.id
    await collect(chat.send(thread_id, "show my tasks"))
    items = (await chat.list_items(thread_id, limit=50))["data"]
    last_user = [i for i in items if i["type"] == "user_message"][-1]
    retried = await collect(chat.retry(thread_id, last_user["id"]))
    assert "call the bank" in replies(retried).lower()
    after = (await chat.list_items(thread_id, limit=50))["data"]
    assert [i["type"] for i in after].count("user_message") == 2, "retry does not duplicate the question"


async def test_feedback_is_stored(chat, server, engine, ada):
    events = await collect(chat.create_thread("hi"))
    thread_id = events[0].thread.id
    reply_id = [e.item.id for e in events if e.type == "thread.item.done" and e.item.type == "assistant_message"][0]
    assert await chat.feedback(thread_id, [reply_id], "positive") == {}
    thread = await server.store.load_thread(thread_id, context(engine, ada))
    assert thread.metadata["feedback"] == {reply_id: "positive"}


async def test_another_users_threads_are_not_found(server, engine, ada, bob):
    adas = ChatClient(server, context(engine, ada))
    bobs = ChatClient(server, context(engine, bob))
    events = await collect(adas.create_thread("add ada's plan"))
    thread_id = events[0].thread.id
    user_item = [e.item.id for e in events if e.type == "thread.item.done" and e.item.type == "user_message"][0]

    for call in (
        lambda: bobs.get_thread(thread_id),
        lambda: bobs.list_items(thread_id),
        lambda: bobs.rename_thread(thread_id, "mine now"),
        lambda: bobs.delete_thread(thread_id),
        lambda: bobs.feedback(thread_id, [user_item], "negative"),
    ):
        with pytest.raises(NotFoundError):
            await call()
    for stream in (lambda: bobs.send(thread_id, "delete everything"), lambda: bobs.retry(thread_id, user_item)):
        with pytest.raises(NotFoundError):
            await collect(stream())
    assert (await bobs.list_threads())["data"] == []
    thread = await adas.get_thread(thread_id)
    assert thread["title"] == "add ada's plan"
    assert len(thread["items"]["data"]) == len((await adas.list_items(thread_id))["data"])


class FailingModel(Model):
    """A model whose provider is down."""

    async def get_response(self, *args, **kwargs):
        raise ConnectionError("provider down")

    def stream_response(self, *args, **kwargs):
        async def fail():
            raise ConnectionError("provider down")
            yield  # pragma: no cover

        return fail()


class SilentModel(FailingModel):
    """A model that never answers."""

    def stream_response(self, *args, **kwargs):
        async def hang():
            await asyncio.Event().wait()  # nothing ever sets it
            yield  # pragma: no cover

        return hang()


@pytest.mark.parametrize("broken", [FailingModel, SilentModel])
async def test_model_failure_is_an_error_event_and_the_next_message_works(engine, ada, broken):
    server = TodoChatKitServer(SQLModelStore(), model=broken(), model_timeout=0.5)
    chat = ChatClient(server, context(engine, ada))
    events = await collect(chat.create_thread("add pay rent"))
    errors = [e for e in events if e.type == "error"]
    assert len(errors) == 1 and errors[0].allow_retry
    thread_id = events[0].thread.id
    items = (await chat.list_items(thread_id))["data"]
    assert [i["type"] for i in items] == ["user_message"], "the user's message is kept"

    server.agent = build_agent(LocalModel())  # the provider is back
    after = await collect(chat.send(thread_id, "add pay rent"))
    assert not [e for e in after if e.type == "error"]
    assert [t.title for t in tasks_of(engine, ada)] == ["pay rent"]


async def test_a_client_that_disconnects_leaves_a_readable_thread(chat, engine, ada):
    stream = chat.create_thread("add eggs, bread and butter")
    first = await anext(stream)
    # The browser goes away mid-stream: the server's task is cancelled while it works,
    # exactly what Starlette does on a disconnect. (Events that need no work, such as the
    # user's message, whose write waits for the turn's next transaction, come at once.)
    while True:
        pending = asyncio.create_task(anext(stream))
        await asyncio.sleep(0)
        if not pending.done():
            break
        await pending
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending
    thread_id = first.thread.id
    thread = await chat.get_thread(thread_id)
    assert thread["id"] == thread_id
    after = await collect(chat.send(thread_id, "show my tasks"))
    assert not [e for e in after if e.type == "error"]


async def test_a_tag_in_a_message_does_not_break_the_thread(chat, engine, ada):
    thread_id = (await collect(chat.create_thread("hi")))[0].thread.id
    tagged = {"content": [{"type": "input_text", "text": "add call "}, {"type": "input_tag", "id": "t1", "text": "mom", "data": {}}],
              "attachments": [], "inference_options": {}}
    events = await collect(chat.stream({"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": tagged}}))
    assert not [e for e in events if e.type == "error"]
    after = await collect(chat.send(thread_id, "add water the plants"))
    assert not [e for e in after if e.type == "error"]
    assert "water the plants" in [t.title for t in tasks_of(engine, ada)]


async def test_bulk_confirm_leaves_tasks_that_stopped_matching(chat, engine, ada):
    ids = seed(engine, ada, "alpha", "beta")
    with session_scope(engine) as session:
        for task_id in ids:
            TaskService(session, ada).complete(task_id)
    events = await collect(chat.create_thread("delete all completed tasks"))
    [card] = widget_items(events)
    with session_scope(engine) as session:
        TaskService(session, ada).reopen(ids[0])  # alpha is open again before the click
    confirm = find(tree(card), "bulk_confirm_button")["onClickAction"]
    await collect(chat.custom_action(events[0].thread.id, card.id, confirm))
    assert [t.title for t in tasks_of(engine, ada)] == ["alpha"]


async def test_a_button_for_a_task_deleted_elsewhere_updates_the_card(chat, engine, ada):
    events = await collect(chat.create_thread("add dentist"))
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada)
    with session_scope(engine) as session:
        TaskService(session, ada).delete(task.id)
    button = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    response = await chat.sync_action(events[0].thread.id, card.id, button)
    assert "This task no longer exists." in texts(response["updated_item"]["widget"])


async def test_undo_of_a_delete_twice_restores_once(chat, engine, ada):
    events = await collect(chat.create_thread("add gym"))
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada)
    delete = find(tree(card), f"delete_task_{task.id}_button")["onClickAction"]
    after = await collect(chat.custom_action(events[0].thread.id, card.id, delete))
    undo = find(tree([e.item for e in after if e.type == "thread.item.replaced"][0]), f"undo_delete_task_{task.id}_button")
    for _ in range(2):
        await collect(chat.custom_action(events[0].thread.id, card.id, undo["onClickAction"]))
    assert [(t.id, t.title) for t in tasks_of(engine, ada)] == [(task.id, "gym")]


@pytest.mark.parametrize(
    "action",
    [
        {"type": "tasks.more", "payload": {"query": {"due_from": "garbage"}, "cursor": "x"}},
        {"type": "task.choose", "payload": {"intent": "update", "task_id": 1, "changes": {"add_tags": 5}}},
        {"type": "task.undo", "payload": {"kind": "delete", "snapshot": {"id": 99, "title": "x", "position": "inf"}}},
    ],
)
async def test_forged_payloads_are_error_events(chat, engine, ada, action):
    seed(engine, ada, "untouched")
    thread_id = (await collect(chat.create_thread("hi")))[0].thread.id
    events = await collect(chat.custom_action(thread_id, None, action))
    assert [e.type for e in events if e.type == "error"] == ["error"]
    assert [t.title for t in tasks_of(engine, ada)] == ["untouched"]


class GatedLocalModel(LocalModel):
    """The offline model, thinking until the test lets it answer. It tells the test when it
    starts thinking and whether its thinking was cut short."""

    def __init__(self) -> None:
        super().__init__()
        self.thinking = asyncio.Event()
        self.may_answer = asyncio.Event()
        self.stopped = asyncio.Event()

    def stream_response(self, *args, **kwargs):
        inner = super().stream_response(*args, **kwargs)

        async def gated():
            self.thinking.set()
            try:
                await self.may_answer.wait()
            except asyncio.CancelledError:
                self.stopped.set()
                raise
            async for event in inner:
                yield event

        return gated()


# Only a guard against hanging: every wait below ends on an event, long before this.
NO_HANG = 30


async def test_stopping_a_turn_stops_its_tools(engine, ada):
    model = GatedLocalModel()
    # A silence limit far beyond NO_HANG: only the stop can cut the model short.
    server = TodoChatKitServer(SQLModelStore(), model=model, model_timeout=10 * NO_HANG)
    chat = ChatClient(server, context(engine, ada))
    stream = chat.create_thread("add zebra")
    async for event in stream:
        if event.type == "stream_options":
            break
    pending = asyncio.create_task(anext(stream))
    await asyncio.wait_for(model.thinking.wait(), NO_HANG)  # the model is thinking
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending
    # The run itself is stopped, not left running unseen: the model's call is cancelled ...
    try:
        await asyncio.wait_for(model.stopped.wait(), NO_HANG)
    except TimeoutError:
        pytest.fail("the run went on after its turn was stopped")
    model.may_answer.set()  # ... so it can no longer answer and call its tool.
    assert tasks_of(engine, ada) == []
