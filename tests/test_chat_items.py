"""The native client's bookkeeping: real server streams run through the TurnStream the
chat page uses (and the apply_update/message_of it is built on).

What the page ends up showing after a stream must equal what the server stored, so a
reload never changes a conversation.
"""

from __future__ import annotations

import json

import pytest
from chatkit.store import NotFoundError

from tests.chat_helpers import collect, context, make_user
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.preflight import UnsupportedRequest
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.db import session_scope
from todochat.tasks import TaskService
from todochat.ui.chat_items import ChatMessage, apply_update, message_of
from todochat.ui.chat_stream import TurnStream


@pytest.fixture
def client(engine) -> ChatClient:
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    return ChatClient(server, context(engine, make_user(engine, "ada@example.com")), preflight=True)


def replay(events, shown_before: list[ChatMessage] | None = None) -> list[ChatMessage]:
    """What the page shows after a whole stream, the way ChatState takes it in."""
    turn = TurnStream()
    for event in events:
        turn.feed(event)
    turn.cut()
    changes = turn.take()
    assert changes.live in ([], None)
    return changes.applied_to(list(shown_before or []))


def shown(items) -> list:
    return [m for m in (message_of(i) for i in items) if m is not None]


async def stored(client: ChatClient, thread_id: str) -> list[dict]:
    return (await client.list_items(thread_id, limit=100))["data"]


async def test_a_turn_replayed_shows_what_the_server_stored(client):
    events = await collect(client.create_thread("add pay rent tomorrow high priority"))
    thread_id = events[0].thread.id
    replayed = replay(events)
    assert replayed == shown(await stored(client, thread_id))
    roles = [m.role for m in replayed]
    assert roles == ["user", "widget", "assistant"]
    card = replayed[1]
    assert "pay rent" in card.text and card.widget["kind"] == "box"


async def test_a_streamed_list_card_ends_as_stored(client, engine):
    with session_scope(engine) as session:
        service = TaskService(session, client.context.user_id)
        for i in range(25):
            service.create({"title": f"chore {i:02d}"})
    events = await collect(client.create_thread("show my tasks"))
    thread_id = events[0].thread.id
    # The card arrives in steps (header first, then rows) ...
    card_id = next(e.item.id for e in events if e.type == "thread.item.added" and e.item.type == "widget")
    assert any(e.type == "thread.item.updated" and e.item_id == card_id for e in events)
    replayed = replay(events)
    assert replayed == shown(await stored(client, thread_id))

    # ... and "Show more" (sent as the page's button sends it) loses its button and the
    # next page follows, as stored.
    card = next(m for m in replayed if m.id == card_id)
    more = await collect(client.custom_action(thread_id, card_id, _more_action(card)))
    after = replay(more, replayed)
    assert after == shown(await stored(client, thread_id))
    assert _more_action(next(m for m in after if m.id == card_id)) is None
    widgets = [m.widget for m in after if m.role == "widget"]
    assert sum(1 for w in widgets for _ in _rows(w)) == 25


def _more_action(card: ChatMessage) -> dict | None:
    """The action the card's "Show more" button sends, as the page reads it from the view."""
    def find(node):
        if isinstance(node, dict):
            if node.get("wid") == "show_more_button":
                return json.loads(node["action"])["action"]
            for child in node.get("children") or []:
                found = find(child)
                if found is not None:
                    return found
        return None

    return find(card.widget)


def _rows(node):
    if isinstance(node, dict):
        if str(node.get("wid", "")).endswith("_row"):
            yield node
        for child in node.get("children") or []:
            yield from _rows(child)


def test_text_deltas_build_the_reply():
    item = {"id": "m1", "type": "assistant_message", "content": []}
    item = apply_update(item, {"type": "assistant_message.content_part.added", "content_index": 0,
                               "content": {"type": "output_text", "text": "", "annotations": []}})
    for piece in ("Added ", "“pay ", "rent”."):
        item = apply_update(item, {"type": "assistant_message.content_part.text_delta", "content_index": 0,
                                   "delta": piece})
    assert message_of(item, streaming=True).text == "Added “pay rent”."
    assert message_of(item, streaming=True).streaming is True
    done = apply_update(item, {"type": "assistant_message.content_part.done", "content_index": 0,
                               "content": {"type": "output_text", "text": "Final.", "annotations": []}})
    assert message_of(done).text == "Final."


def test_widget_updates_change_only_their_component():
    item = {"id": "w1", "type": "widget", "widget": {"type": "Card", "children": [
        {"type": "Text", "id": "a_text", "value": "one"},
        {"type": "Text", "id": "b_text", "value": "", "streaming": True},
    ]}}
    item = apply_update(item, {"type": "widget.component.updated", "component_id": "a_text",
                               "component": {"type": "Text", "id": "a_text", "value": "uno"}})
    item = apply_update(item, {"type": "widget.streaming_text.value_delta", "component_id": "b_text",
                               "delta": "stre", "done": False})
    item = apply_update(item, {"type": "widget.streaming_text.value_delta", "component_id": "b_text",
                               "delta": "amed", "done": True})
    assert [c["value"] for c in item["widget"]["children"]] == ["uno", "streamed"]
    assert item["widget"]["children"][1]["streaming"] is False
    unchanged = apply_update(item, {"type": "widget.component.updated", "component_id": "missing",
                                    "component": {"type": "Text", "value": "x"}})
    assert unchanged == item
    assert apply_update(item, {"type": "something.new"}) == item


def test_items_the_page_does_not_show():
    assert message_of({"id": "e", "type": "end_of_turn"}) is None
    assert message_of({"id": "h", "type": "sdk_hidden_context", "content": "x"}) is None
    user = message_of({"id": "u", "type": "user_message", "content": [
        {"type": "input_text", "text": "hi "}, {"type": "input_tag", "text": "home", "id": "t", "data": {}}]})
    assert (user.role, user.text) == ("user", "hi @home")


async def test_preflight_refuses_before_anything_streams(client, engine):
    other = ChatClient(client.server, context(engine, make_user(engine, "bob@example.com")), preflight=True)
    events = await collect(client.create_thread("add pay rent"))
    thread_id = events[0].thread.id
    with pytest.raises(NotFoundError):
        await collect(other.send(thread_id, "show my tasks"))
    with pytest.raises(NotFoundError):
        await other.list_items(thread_id)
    user_item = next(e.item.id for e in events if e.type == "thread.item.done" and e.item.type == "user_message")
    with pytest.raises(UnsupportedRequest):
        await collect(client.custom_action(thread_id, user_item, {"type": "task.complete", "payload": {"task_id": 1}}))
    # Nothing of Bob's attempt reached Ada's thread.
    assert len((await client.list_items(thread_id))["data"]) == len(shown_ids(events))


def shown_ids(events) -> set[str]:
    return {e.item.id for e in events if e.type == "thread.item.done"}


async def test_cards_and_replies_say_a_repeat_rule_in_words(client, engine):
    """Issue 11: a rule the assistant did not write (made on the Tasks page or by the API)
    shows on its card as people say it, and completing it says when the next one is."""
    with session_scope(engine) as session:
        TaskService(session, client.context.user_id).create(
            {"title": "team sync", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261231"})
    events = await collect(client.create_thread("show my tasks"))
    card = next(m for m in replay(events) if m.role == "widget")
    assert "every other Tuesday until 31 Dec" in card.text
    assert "2026" not in card.text.split("until 31 Dec")[1][:6]  # this year's date needs no year

    events = await collect(client.send(events[0].thread.id, "done with team sync"))
    messages = replay(events)
    reply = next(m for m in messages if m.role == "assistant").text
    assert "Next one" in reply and "Tue 2026-12-08" in reply and "every other Tuesday until 31 Dec 2026" in reply
