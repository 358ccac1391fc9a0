"""A chat turn's writes (issue 14): its items go in with the transactions the turn opens
anyway, each thread bumped once per transaction, and none of the store's guarantees lost —
the question is stored before the model runs, a tool's change and its record commit
together, everything is stored when the stream ends, a failed transaction loses nothing,
and a deleted conversation is not written back."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from tests.chat_helpers import collect, context, make_user, tasks_of
from tests.test_chat_protocol import NO_HANG, GatedLocalModel
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.chat.turn_store import TurnStore
from todochat.db import session_scope
from todochat.models import ChatItem


@pytest.fixture
def ada(engine):
    return make_user(engine, "ada@example.com")


def stored_types(engine, thread_id: str) -> list[str]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(ChatItem.type).where(ChatItem.thread_id == thread_id).order_by(ChatItem.created_at, ChatItem.id)
        )
        return [row[0] for row in rows]


async def new_thread(chat: ChatClient, text: str = "hello") -> str:
    return (await collect(chat.create_thread(text)))[0].thread.id


class Statements:
    """The item inserts, thread bumps and commits an engine sees."""

    def __init__(self, engine):
        self.seen: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", lambda _connection: self.seen.update(["commit"]))

    def _statement(self, _connection, _cursor, statement: str, *_args) -> None:
        if statement.startswith("INSERT INTO chat_item"):
            self.seen["item insert"] += 1
        elif statement.startswith("UPDATE chat_thread SET updated_at"):
            self.seen["thread bump"] += 1


async def test_a_turn_writes_its_items_in_the_transactions_it_opens_anyway(engine, ada):
    chat = ChatClient(TodoChatKitServer(SQLModelStore(), model=LocalModel()), context(engine, ada))
    thread_id = await new_thread(chat)
    before = len(stored_types(engine, thread_id))
    counted = Statements(engine)

    events = await collect(chat.send(thread_id, "add call mom"))

    assert not [e for e in events if e.type == "error"]
    # The question, the tool call's record, the card, the record's result and the reply ...
    added = stored_types(engine, thread_id)[before:]
    assert sorted(added) == sorted(["user_message", "hidden_context_item", "widget", "assistant_message"])
    # ... in four writes (with the history read, with the tool's work, the card as it is
    # shown, the rest at the end), each bumping the thread once: not one transaction and one
    # bump per item.
    assert counted.seen["item insert"] == 4
    assert counted.seen["thread bump"] == 4
    assert counted.seen["commit"] <= 6  # with the thread's read and the tool's own


async def test_the_question_is_stored_before_the_model_answers(engine, ada):
    model = GatedLocalModel()
    chat = ChatClient(TodoChatKitServer(SQLModelStore(), model=model, model_timeout=10 * NO_HANG), context(engine, ada))
    thread_id = await new_thread(ChatClient(TodoChatKitServer(SQLModelStore(), model=LocalModel()), context(engine, ada)))
    turn = asyncio.create_task(collect(chat.send(thread_id, "add zebra")))
    await asyncio.wait_for(model.thinking.wait(), NO_HANG)

    # A process killed now would leave the question behind: a Retry has something to answer.
    assert stored_types(engine, thread_id)[-1] == "user_message"

    model.may_answer.set()
    await asyncio.wait_for(turn, NO_HANG)
    assert [t.title for t in tasks_of(engine, ada)] == ["zebra"]


class GatedReply(LocalModel):
    """The offline model, held back before its reply (the call after the tools ran)."""

    def __init__(self) -> None:
        super().__init__()
        self.replying = asyncio.Event()
        self.may_reply = asyncio.Event()

    def stream_response(self, system_instructions, input, *args, **kwargs):
        inner = super().stream_response(system_instructions, input, *args, **kwargs)
        after_tools = isinstance(input, list) and input and input[-1].get("type") == "function_call_output"

        async def gated():
            if after_tools:
                self.replying.set()
                await self.may_reply.wait()
            async for streamed in inner:
                yield streamed

        return gated()


async def test_a_tools_change_and_the_record_of_its_call_are_stored_together(engine, ada):
    model = GatedReply()
    chat = ChatClient(TodoChatKitServer(SQLModelStore(), model=model, model_timeout=10 * NO_HANG), context(engine, ada))
    thread_id = await new_thread(chat)
    turn = asyncio.create_task(collect(chat.send(thread_id, "add zebra")))
    await asyncio.wait_for(model.replying.wait(), NO_HANG)

    # The task exists, so the record that the tool was called exists too: the next turn
    # is told of the change even if this one never finishes.
    assert [t.title for t in tasks_of(engine, ada)] == ["zebra"]
    assert stored_types(engine, thread_id)[-3:] == ["user_message", "hidden_context_item", "widget"]

    model.may_reply.set()
    await asyncio.wait_for(turn, NO_HANG)
    assert stored_types(engine, thread_id)[-3:] == ["hidden_context_item", "widget", "assistant_message"]


async def test_a_card_can_be_pressed_while_its_reply_is_still_written(engine, ada):
    model = GatedReply()
    server = TodoChatKitServer(SQLModelStore(), model=model, model_timeout=10 * NO_HANG)
    chat = ChatClient(server, context(engine, ada))
    other_tab = ChatClient(server, context(engine, ada), preflight=True)
    thread_id = await new_thread(chat)
    turn = asyncio.create_task(collect(chat.send(thread_id, "add zebra")))
    await asyncio.wait_for(model.replying.wait(), NO_HANG)

    cards = [i for i in (await other_tab.list_items(thread_id))["data"] if i["type"] == "widget"]
    assert len(cards) == 1, "the card shown is stored"
    [task] = tasks_of(engine, ada)
    pressed = await other_tab.sync_action(thread_id, cards[0]["id"],
                                          {"type": "task.complete", "payload": {"task_id": task.id}})
    assert pressed["updated_item"]["id"] == cards[0]["id"]
    assert tasks_of(engine, ada)[0].completed

    model.may_reply.set()
    events = await asyncio.wait_for(turn, NO_HANG)
    assert not [e for e in events if e.type == "error"]


async def test_a_reply_that_cannot_be_stored_ends_with_an_error(engine, ada, monkeypatch):
    store = SQLModelStore()
    chat = ChatClient(TodoChatKitServer(store, model=LocalModel()), context(engine, ada))
    thread_id = await new_thread(chat)
    real_write = store.write_pending

    async def database_gone_at_the_end(context):
        if not context.pending.deferring:  # the stream's last write
            raise OperationalError("INSERT", None, Exception("disk I/O error"))
        await real_write(context)

    monkeypatch.setattr(store, "write_pending", database_gone_at_the_end)
    events = await collect(chat.send(thread_id, "hello again"))

    # The client saw the reply, and is told it is not kept, with a Retry.
    assert events[-1].type == "error" and events[-1].allow_retry
    assert "could not be saved" in events[-1].message


async def test_a_transaction_that_fails_keeps_the_items_for_the_next(engine, ada):
    store = SQLModelStore()
    ctx = context(engine, ada)
    chat = ChatClient(TodoChatKitServer(store, model=LocalModel()), ctx)
    thread_id = await new_thread(chat)
    before = len(stored_types(engine, thread_id))
    item = (await store.load_thread_items(thread_id, None, 1, "desc", ctx)).data[0]
    kept = item.model_copy(update={"id": "msg_kept"})
    ctx.pending.deferring = True
    await store.add_thread_item(thread_id, kept, ctx)

    with pytest.raises(RuntimeError):
        with ctx.open_tasks() as tasks:
            tasks.create({"title": "rolled back"})
            raise RuntimeError("a tool failed")

    assert len(stored_types(engine, thread_id)) == before and tasks_of(engine, ada) == []
    await store.write_pending(ctx)
    assert len(stored_types(engine, thread_id)) == before + 1
    assert (await store.load_item(thread_id, "msg_kept", ctx)).id == "msg_kept"


async def test_a_conversation_deleted_mid_reply_is_not_written_back(engine, ada):
    model = GatedReply()
    chat = ChatClient(TodoChatKitServer(SQLModelStore(), model=model, model_timeout=10 * NO_HANG), context(engine, ada))
    other_tab = ChatClient(chat.server, context(engine, ada))
    thread_id = await new_thread(chat)
    turn = asyncio.create_task(collect(chat.send(thread_id, "add zebra")))
    await asyncio.wait_for(model.replying.wait(), NO_HANG)

    await other_tab.delete_thread(thread_id)
    model.may_reply.set()
    await asyncio.wait_for(turn, NO_HANG)  # ends, without raising

    assert stored_types(engine, thread_id) == []
    assert [t.title for t in tasks_of(engine, ada)] == ["zebra"]  # the tool ran before


async def test_a_deleted_item_waiting_to_be_written_is_not_written(engine, ada):
    store = SQLModelStore()
    ctx = context(engine, ada)
    thread_id = await new_thread(ChatClient(TodoChatKitServer(store, model=LocalModel()), ctx))
    before = stored_types(engine, thread_id)
    item = (await store.load_thread_items(thread_id, None, 1, "desc", ctx)).data[0]
    ctx.pending.deferring = True
    await store.add_thread_item(thread_id, item.model_copy(update={"id": "msg_gone"}), ctx)

    await store.delete_thread_item(thread_id, "msg_gone", ctx)
    await store.write_pending(ctx)

    assert stored_types(engine, thread_id) == before


async def test_the_turn_store_answers_only_the_first_question_from_the_history(engine, ada):
    store = SQLModelStore()
    ctx = context(engine, ada)
    chat = ChatClient(TodoChatKitServer(store, model=LocalModel()), ctx)
    thread_id = await new_thread(chat, "add milk")
    newest = (await store.load_thread_items(thread_id, None, 2, "desc", ctx)).data
    turn_store = TurnStore(store, thread_id, [item.model_dump(mode="json") for item in newest])

    first = await turn_store.load_thread_items(thread_id, None, 2, "desc", ctx)
    assert [i.id for i in first.data] == [i.id for i in newest]
    # Items added since are seen by every later read: the answer was a one-off.
    added = newest[0].model_copy(update={"id": "msg_added", "created_at": newest[0].created_at.replace(year=2099)})
    await store.add_thread_item(thread_id, added, ctx)
    later = await turn_store.load_thread_items(thread_id, None, 2, "desc", ctx)
    assert later.data[0].id == "msg_added"
    assert turn_store.generate_thread_id(ctx).startswith("thr_")  # everything else is the store's


async def test_a_thread_read_by_the_checks_is_not_kept_past_its_request(engine, ada):
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel())
    ctx = context(engine, ada)
    mine = ChatClient(server, ctx, preflight=True)  # one context for every request, as the CLI has
    thread_id = await new_thread(mine)
    await mine.list_items(thread_id)  # checked (the thread read), but the SDK reads no thread
    await ChatClient(server, context(engine, ada)).rename_thread(thread_id, "renamed elsewhere")

    # The next request, unchecked, reads the thread afresh: not the copy the checks read.
    assert (await ChatClient(server, ctx).get_thread(thread_id))["title"] == "renamed elsewhere"
    assert ctx.checked_thread is None
