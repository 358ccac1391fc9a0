"""The chat page's stream bookkeeping on its own: TurnStream (events in, messages out) and
drive (when the browser is told, and how Stop ends a turn on whichever worker it lands)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ErrorEvent,
    InferenceOptions,
    NoticeEvent,
    ProgressUpdateEvent,
    Thread,
    ThreadCreatedEvent,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemRemovedEvent,
    ThreadItemReplacedEvent,
    ThreadItemUpdatedEvent,
    UserMessageItem,
    UserMessageTextContent,
)

from todochat.chat.preflight import UnsupportedRequest
from todochat.ui.chat_items import ChatMessage
from todochat.ui.chat_stream import TurnStream, drive

WHEN = dt.datetime(2026, 11, 23, 10, 0)


def user(item_id: str, text: str) -> UserMessageItem:
    return UserMessageItem(id=item_id, thread_id="thr", created_at=WHEN, inference_options=InferenceOptions(),
                           content=[UserMessageTextContent(text=text)])


def reply(item_id: str, text: str = "") -> AssistantMessageItem:
    content = [{"type": "output_text", "text": text, "annotations": []}] if text else []
    return AssistantMessageItem(id=item_id, thread_id="thr", created_at=WHEN, content=content)


def delta(item_id: str, text: str, index: int = 0) -> ThreadItemUpdatedEvent:
    return ThreadItemUpdatedEvent(item_id=item_id,
                                  update=AssistantMessageContentPartTextDelta(content_index=index, delta=text))


def test_a_reply_is_live_while_written_then_joins_the_conversation():
    turn = TurnStream()
    assert turn.feed(ThreadCreatedEvent(thread=Thread(id="thr", title="Rent", created_at=WHEN, items={"data": [], "has_more": False})))
    assert turn.feed(ThreadItemDoneEvent(item=user("u1", "add pay rent")))
    assert turn.feed(ProgressUpdateEvent(text="Thinking…"))
    first = turn.take()
    assert [(m.role, m.text) for m in first.finished] == [("user", "add pay rent")]
    assert first.retry_item == "u1" and first.progress == "Thinking…"
    assert first.thread["title"] == "Rent" and turn.thread_touched
    assert first.live is None  # nothing was being written: the live list is not re-sent

    assert turn.feed(ThreadItemAddedEvent(item=reply("a1")))
    # Text deltas can wait for the next flush; the reply grows in ``live`` only.
    assert turn.feed(delta("a1", "Added ")) is False
    assert turn.feed(delta("a1", "“pay rent”.")) is False
    writing = turn.take()
    assert writing.finished == [] and writing.progress == ""  # the reply started: no more "Thinking…"
    assert writing.live == [ChatMessage(id="a1", role="assistant", text="Added “pay rent”.", streaming=True)]
    assert not writing.touches_messages()

    turn.feed(ThreadItemDoneEvent(item=reply("a1", "Added “pay rent”.")))
    done = turn.take()
    assert done.live == [] and [(m.id, m.streaming) for m in done.finished] == [("a1", False)]
    shown = done.applied_to(first.applied_to([]))
    assert [m.text for m in shown] == ["add pay rent", "Added “pay rent”."]
    # Taken once: the next take has nothing left to show.
    assert turn.take() == type(done)(finished=[], replaced={}, live=None)


def test_items_already_shown_are_replaced_or_removed_in_place():
    history = [ChatMessage(id="u0", role="user", text="show my tasks"),
               ChatMessage(id="a0", role="assistant", text="old"),
               ChatMessage(id="a9", role="assistant", text="gone soon")]
    turn = TurnStream()
    turn.feed(ThreadItemReplacedEvent(item=reply("a0", "new")))
    turn.feed(ThreadItemRemovedEvent(item_id="a9"))
    turn.feed(ThreadItemReplacedEvent(item=reply("never-shown", "ignored")))
    shown = turn.take().applied_to(history)
    assert [(m.id, m.text) for m in shown] == [("u0", "show my tasks"), ("a0", "new")]
    assert history[1].text == "old"  # the page's list is not changed behind its back

    # An item still being written is replaced or removed in ``live``, never in the history.
    turn.feed(ThreadItemAddedEvent(item=reply("a1", "draft")))
    turn.feed(ThreadItemReplacedEvent(item=reply("a1", "redrafted")))
    changes = turn.take()
    assert [m.text for m in changes.live] == ["redrafted"] and not changes.touches_messages()
    turn.feed(ThreadItemRemovedEvent(item_id="a1"))
    changes = turn.take()
    assert changes.live == [] and changes.applied_to(shown) == shown


def test_a_cut_stream_keeps_what_was_written_so_far():
    turn = TurnStream()
    turn.feed(ThreadItemAddedEvent(item=reply("a1")))
    turn.feed(delta("a1", "Half an ans"))
    turn.cut()
    changes = turn.take()
    assert changes.live == []
    assert changes.finished == [ChatMessage(id="a1", role="assistant", text="Half an ans", streaming=False)]


def test_errors_and_notices_reach_the_page():
    turn = TurnStream()
    turn.feed(NoticeEvent(level="info", message="Only your own tasks."))
    turn.feed(ErrorEvent(message=None, allow_retry=True))
    changes = turn.take()
    assert changes.notice == "Only your own tasks."
    assert changes.error == ("Something went wrong. Try again.", True)
    turn.fail("The assistant could not answer. Try again.", True)
    assert turn.take().error == ("The assistant could not answer. Try again.", True)


async def quiet_after(events, ended: list):
    """A server stream that sends ``events`` and then thinks forever (until cancelled)."""
    try:
        for event in events:
            yield event
        await asyncio.Event().wait()
    finally:
        ended.append("cancelled")


async def test_stop_pressed_anywhere_is_seen_while_the_stream_is_quiet():
    """The Stop handler only sets a flag in the page's state (which may live on another
    worker); the turn reads it at each flush and every poll, and cancels the server's run."""
    turn, ended, shown = TurnStream(), [], []
    pressed = asyncio.Event()

    async def flush() -> bool:
        shown.append(turn.take())
        return pressed.is_set()

    stream = quiet_after([ThreadItemAddedEvent(item=reply("a1")), delta("a1", "Let me th")], ended)
    running = asyncio.create_task(drive(stream, turn, flush, flush_seconds=0, poll_seconds=0.01))
    await asyncio.sleep(0.05)
    assert not running.done() and not turn.stopped  # still thinking, still polled
    polls = len(shown)
    await asyncio.sleep(0.05)
    assert len(shown) > polls
    pressed.set()
    await asyncio.wait_for(running, 1)
    assert turn.stopped and ended == ["cancelled"]
    turn.cut()
    assert [m.text for m in turn.take().finished] == ["Let me th"]


async def test_text_deltas_are_batched_and_structural_events_go_at_once():
    turn, flushed = TurnStream(), []

    async def flush() -> bool:
        flushed.append(turn.take())
        return False

    async def stream():
        yield ThreadItemAddedEvent(item=reply("a1"))
        for piece in ("a", "b", "c"):
            yield delta("a1", piece)
        yield ThreadItemDoneEvent(item=reply("a1", "abc"))

    await drive(stream(), turn, flush, flush_seconds=60, poll_seconds=60)
    # Added and done were flushed at once; the three deltas waited (a minute had not passed).
    assert len(flushed) == 2
    assert [m.text for m in flushed[1].finished] == ["abc"] and not turn.stopped


@pytest.mark.parametrize(("failure", "error"), [
    (NotFoundError("thr"), ("That conversation or card no longer exists.", False)),
    (UnsupportedRequest("That card cannot do this."), ("That card cannot do this.", False)),
    (RuntimeError("boom"), ("The assistant could not answer. Try again.", True)),
])
async def test_a_failing_stream_becomes_the_turns_error(failure, error):
    turn = TurnStream()

    async def stream():
        yield ThreadItemDoneEvent(item=user("u1", "hi"))
        raise failure

    async def flush() -> bool:
        return False

    await drive(stream(), turn, flush)
    changes = turn.take()
    assert changes.error == error and [m.text for m in changes.finished] == ["hi"]
