"""The page states' seams, run as Reflex runs their handlers on a real state tree: Stop
reaches a running turn through the tab's state (whichever worker handled it), the user's
zone is the session's and each part re-reads what it drew in another zone, and the
conversation list writes its times in that zone."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

import pytest
from chatkit.types import (
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ThreadItemAddedEvent,
    ThreadItemUpdatedEvent,
)
from reflex.state import State

import todochat.todochat  # noqa: F401  (registers every page's state)
import todochat.ui.auth_state as auth_state
from todochat.db import session_scope
from todochat.formatting import due_label
from todochat.settings import settings
from todochat.tasks import TaskCreate, TaskService
from todochat.ui.chat_items import ChatMessage
from todochat.ui.chat_state import ChatState
from todochat.ui.chat_threads import thread_entry
from todochat.ui.task_state import TaskState

# More than a day apart: at any moment their dates differ.
EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def tab(state_cls):
    """A fresh browser tab's state tree, at ``state_cls``."""
    state = State(_reflex_internal_init=True)
    for part in state_cls.get_full_name().split(".")[1:]:
        state = state.substates[part]
    return state


async def thinking_forever(ended: list):
    """A reply that starts, then waits (a model thinking) until the turn cancels it."""
    try:
        yield ThreadItemAddedEvent(item=AssistantMessageItem(id="a1", thread_id="thr", created_at=dt.datetime(2026, 1, 1),
                                                             content=[]))
        yield ThreadItemUpdatedEvent(item_id="a1", update=AssistantMessageContentPartTextDelta(content_index=0,
                                                                                               delta="Let me see"))
        await asyncio.Event().wait()
    finally:
        ended.append("cancelled")


async def test_stop_ends_the_running_turn_through_the_tabs_state():
    """Stop only marks the tab's state (which Reflex's state manager shares between
    workers; that sharing itself is not exercised here), and the turn, reading that state
    as it runs, stops and cancels the server's run. What was written stays, and the
    messages waiting their turn go back into the box."""
    state = tab(ChatState)
    turn_id = state._begin_turn()
    state.queued = ["and tomorrow?"]
    ended: list = []
    updates: list = []

    async def run():
        async for update in ChatState._run(state, thinking_forever(ended), turn_id):
            updates.append(update)

    turn = asyncio.create_task(run())
    for _ in range(200):  # until the reply's first words are on the page (at most 10 s)
        if [m.text for m in state.live] == ["Let me see"]:
            break
        await asyncio.sleep(0.05)
    assert not turn.done() and state.sending
    assert [m.text for m in state.live] == ["Let me see"]
    await ChatState.stop.fn(state)
    await asyncio.wait_for(turn, 2)

    assert ended == ["cancelled"]
    assert (state.sending, state.notice, state.live, state.queued) == (False, "Stopped.", [], [])
    assert [(m.text, m.streaming) for m in state.messages] == [("Let me see", False)]
    assert TaskState.refresh in updates  # the task list beside the chat is read again
    assert any("and tomorrow?" in str(getattr(u, "args", "")) for u in updates)


async def test_a_stop_with_no_turn_running_is_not_kept_for_the_next_one():
    state = tab(ChatState)
    await ChatState.stop.fn(state)
    assert state._stop_requested is False
    state._begin_turn()
    await ChatState.stop.fn(state)
    assert state._stop_requested is True
    state._end_turn(stopped=True)
    state._begin_turn()  # the next turn starts unstopped
    assert state._stop_requested is False


async def test_stop_ends_a_turn_whose_process_died(monkeypatch):
    """A turn no process is writing never reads the Stop flag: Stop ends it at once, says
    so, keeps the conversation usable and hands the waiting message back to the box."""
    monkeypatch.setattr(settings, "REDIS_URL", None)
    state = tab(ChatState)
    state._begin_turn()
    state.queued = ["and tomorrow?"]
    state._turn_process = "a-worker-that-died"
    take_back = await ChatState.stop.fn(state)
    assert (state.sending, state.queued, state._turn_process) == (False, [], "")
    assert "and tomorrow?" in str(take_back.args)


def _conversation(*roles: str) -> list[ChatMessage]:
    return [ChatMessage(id=f"item_{i}", role=role, text=role) for i, role in enumerate(roles)]


def _a_turn_whose_worker_died(state, question: str) -> None:
    """A turn begun in conversation thr_1, its stream having recorded ``question``."""
    state.thread_id = "thr_1"
    state._begin_turn()
    state._retry_item = question  # as its stream records the user message it answers
    state._turn_process = "a-worker-that-died"


async def test_the_page_ends_a_turn_whose_worker_died_and_offers_to_answer_it_again(monkeypatch, caplog):
    """No more updates come from a dead worker: the page's watch (check_turn, every few
    seconds while a reply is written) ends the turn with the error and a Retry of the
    question that turn was answering."""
    monkeypatch.setattr(settings, "REDIS_URL", None)
    caplog.set_level(logging.INFO, logger="todochat.requests")
    state = tab(ChatState)
    state.messages = _conversation("user", "assistant", "user", "assistant")
    state.thread_id = "thr_1"
    state._begin_turn()
    await ChatState.check_turn.fn(state)
    assert state.sending  # its own process is writing it: left alone

    _a_turn_whose_worker_died(state, "item_0")
    await ChatState.check_turn.fn(state)
    assert (state.sending, state.progress, state._turn_process) == (False, "", "")
    assert (state.turn_error, state.can_retry) == ("The server stopped before the reply was finished.", True)
    # The question its stream recorded, not merely the last one on the page.
    assert state._retry_item == "item_0"
    # Its worker could not log the turn's end: this one did, as one line without the text.
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "todochat.requests"]
    assert (line["event"], line["outcome"], line["thread_id"]) == ("chat_turn", "lost", "thr_1")
    assert line["lost_process"] == "a-worker-that-died"


async def test_no_retry_for_a_lost_turn_after_a_card_or_without_a_question(monkeypatch):
    """A card after the question means a tool ran (and was committed): answering again
    could add the task twice. A turn from a card's button has no question to ask again."""
    monkeypatch.setattr(settings, "REDIS_URL", None)
    state = tab(ChatState)
    state.messages = _conversation("user", "widget", "assistant")
    _a_turn_whose_worker_died(state, "item_0")
    await ChatState.check_turn.fn(state)
    assert not state.sending and not state.can_retry and state._retry_item == ""
    assert state.turn_error == "The server stopped before the reply was finished; the cards above show how far it got."

    state.messages = _conversation("user", "assistant")
    _a_turn_whose_worker_died(state, "")  # a button's turn: the stream records no question
    await ChatState.check_turn.fn(state)
    assert (state.turn_error, state.can_retry) == ("The server stopped before the reply was finished.", False)


async def test_a_lost_turn_of_another_conversation_is_a_notice_without_retry(monkeypatch):
    monkeypatch.setattr(settings, "REDIS_URL", None)
    state = tab(ChatState)
    state.messages = _conversation("user", "assistant")
    _a_turn_whose_worker_died(state, "item_0")
    state.thread_id = "thr_2"  # the page shows another conversation now (as load() may)
    await ChatState.check_turn.fn(state)
    assert (state.turn_error, state.can_retry, state._retry_item) == ("", False, "")
    assert state.notice == "The server stopped before the reply was finished."


async def test_no_turn_running_is_never_lost(monkeypatch):
    monkeypatch.setattr(settings, "REDIS_URL", None)
    state = tab(ChatState)
    state._turn_process = "a-worker-that-died"  # a leftover, with nothing being written
    await ChatState.check_turn.fn(state)
    assert (state.turn_error, state.can_retry) == ("", False)


async def test_a_turn_taken_for_lost_stops_and_leaves_the_next_turn_alone():
    """If a turn was declared lost while its worker was in fact alive (its beats late), and
    the user pressed Retry, the old turn must not write into the page or end the new one."""
    state = tab(ChatState)
    first = state._begin_turn()
    ended: list = []

    async def run():
        async for _ in ChatState._run(state, thinking_forever(ended), first):
            pass

    turn = asyncio.create_task(run())
    for _ in range(200):
        if [m.text for m in state.live] == ["Let me see"]:
            break
        await asyncio.sleep(0.05)
    assert [m.text for m in state.live] == ["Let me see"]
    state._end_lost_turn()
    second = state._begin_turn()  # Retry
    await asyncio.wait_for(turn, 5)
    assert ended == ["cancelled"]  # the old stream was stopped
    assert state.sending and state._turn_id == second  # the new turn still owns the page
    assert state.notice != "Stopped."


@pytest.fixture
def tasks_tab(auth, monkeypatch):
    """A Tasks page state signed in as Ada, who has a task due on today's date in EAST."""
    monkeypatch.setattr(auth_state, "get_auth", lambda: auth)
    user = auth.sign_up("Ada", "ada@example.com", "correct horse 1")
    east_today = dt.datetime.now(ZoneInfo(EAST)).date()
    with session_scope(auth.engine) as session:
        TaskService(session, user.id).create(TaskCreate(title="pay rent", due=east_today.isoformat()))
    state = tab(TaskState)
    state.token = auth.token_for(user)
    TaskState.load.fn(state)
    return state, east_today


def test_the_zone_belongs_to_the_session_and_each_list_follows_it(tasks_tab):
    """The chat page asks for the zone too; whichever answer comes first, the task list is
    read again in the zone it was not drawn in."""
    state, east_today = tasks_tab
    TaskState.set_timezone.fn(state, WEST)
    [row] = state.rows
    assert row.due_label != "Today"  # in the west it is still yesterday (or the day before)

    state._take_zone(EAST)  # the chat part's answer arrived first: the zone is the session's
    assert tab_zone(state) == EAST
    TaskState.set_timezone.fn(state, EAST)
    [row] = state.rows
    assert row.due_label == due_label(east_today, None, east_today) == "Today"

    for tampered in ("Mars/Olympus", 5, None, ["UTC"]):
        TaskState.set_timezone.fn(state, tampered)
        assert tab_zone(state) == EAST and state.rows[0].due_label == "Today"


def tab_zone(state) -> str:
    return state._zone_name


def test_the_conversation_list_writes_times_in_the_users_zone():
    started = {"id": "thr_1", "title": "", "created_at": "2026-11-23T23:30:00"}  # stored as naive UTC
    berlin = ZoneInfo("Europe/Berlin")
    assert thread_entry(started, berlin, today=dt.date(2026, 11, 24)).when == "00:30"
    assert thread_entry(started, berlin, today=dt.date(2026, 11, 25)).when == "Nov 24"
    assert thread_entry(started, ZoneInfo("UTC"), today=dt.date(2026, 11, 24)).when == "Nov 23"
    assert thread_entry(started, berlin).title == "New conversation"
    assert thread_entry({"id": "thr_2", "created_at": "not a date"}, berlin).when == ""


async def test_a_turn_whose_process_is_gone_was_lost(monkeypatch):
    """Without Redis the state's owner is this process: a turn recorded by another (a
    restart) was cut off. With Redis, by a process whose key has expired (it died); a
    process that still beats may be writing it (tests/test_live_processes.py)."""
    from todochat.live_processes import this_process
    from todochat.settings import settings
    from todochat.ui.chat_turn import turn_was_lost

    monkeypatch.setattr(settings, "REDIS_URL", None)
    assert await turn_was_lost(True, "a-process-before-the-restart")
    assert not await turn_was_lost(True, this_process())
    assert not await turn_was_lost(False, "a-process-before-the-restart")


def test_a_page_state_without_a_token_reloads_only_when_the_browser_holds_one():
    """to_sign_in asks the browser; only its plain ``true`` reloads the page (to hand the
    token over), anything else (a tampered answer too) goes to sign-in."""
    from todochat.ui.auth_state import AuthState

    state = tab(AuthState)
    assert "reload" in str(AuthState.reload_or_sign_in.fn(state, True))
    for answer in (False, "true", 1, None, {"x": 1}):
        assert "/sign-in" in str(AuthState.reload_or_sign_in.fn(state, answer))


def test_a_list_refresh_during_an_edit_waits_for_the_editor_to_close(tasks_tab, auth):
    """The official ChatKit UI beside the list says tasks changed while a task is being
    edited: the open editor is left alone, and the list catches up as soon as it closes."""
    state, _ = tasks_tab
    [row] = state.rows
    user_id = state._user_id
    for close in (lambda: TaskState.cancel_edit.fn(state), lambda: TaskState.edit_key.fn(state, "Escape")):
        TaskState.start_edit.fn(state, row.id)
        with session_scope(auth.engine) as session:
            TaskService(session, user_id).create(TaskCreate(title=f"added beside {len(state.rows)}"))
        shown = len(state.rows)
        TaskState.refresh_list.fn(state)
        assert len(state.rows) == shown
        assert state.editing_id == row.id  # not closed, not redrawn under the user's fingers
        close()
        assert state.editing_id == -1 and len(state.rows) == shown + 1
    # With nothing missed, closing the editor reads nothing again.
    TaskState.start_edit.fn(state, row.id)
    with session_scope(auth.engine) as session:
        TaskService(session, user_id).create(TaskCreate(title="added unseen"))
    TaskState.cancel_edit.fn(state)
    assert "added unseen" not in [r.title for r in state.rows]
