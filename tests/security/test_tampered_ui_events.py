"""Found by the hostile review of issue 9: the Tasks page's event handlers took their
arguments on trust. Over the websocket, ``toggle``/``delete`` with a task id of 2**63 or
"abc" and ``add_task`` with a number for a date raised inside the handler (a traceback,
an "An error occurred" toast, NumericValueOutOfRange on PostgreSQL). The browser sends
these values, so they are input: an id must name a row the tab shows, a form field must
be text. The handlers run here as Reflex runs them, on a state tree signed in as a real
user on the test database."""

from __future__ import annotations

import pytest
from reflex.state import State

import todochat.todochat  # noqa: F401  (registers every page's state)
import todochat.ui.auth_state as auth_state
from todochat.db import session_scope
from todochat.tasks import TaskCreate, TaskFilter, TaskService
from todochat.ui.chat_state import ChatState
from todochat.ui.task_state import TaskState


@pytest.fixture
def tasks_tab(auth, db_url, monkeypatch):
    """A Tasks page state signed in as Ada, with one task shown."""
    monkeypatch.setattr(auth_state, "get_auth", lambda: auth)
    user = auth.sign_up("Ada", "ada@example.com", "correct horse 1")
    with session_scope(auth.engine) as session:
        TaskService(session, user.id).create(TaskCreate(title="pay rent"))
    state = State(_reflex_internal_init=True)
    for part in TaskState.get_full_name().split(".")[1:]:
        state = state.substates[part]
    state.token = auth.token_for(user)
    TaskState.load.fn(state)
    assert [row.title for row in state.rows] == ["pay rent"], state.error
    return state, user


def all_tasks(auth, user):
    with session_scope(auth.engine) as session:
        return TaskService(session, user.id).list(TaskFilter(status="all")).items


@pytest.mark.parametrize("task_id", [2**63, 2**31, -1, "abc", None, True, 1.5])
@pytest.mark.parametrize("handler", ["toggle", "delete", "start_edit"])
def test_a_tampered_task_id_changes_nothing(tasks_tab, auth, handler, task_id):
    state, user = tasks_tab
    getattr(TaskState, handler).fn(state, task_id)
    [task] = all_tasks(auth, user)
    assert task.title == "pay rent" and not task.completed
    assert state.editing_id == -1


@pytest.mark.parametrize("form", [{"title": "buy milk", "due_date": 5}, {"title": ["x"]}, "not a form", None])
def test_a_tampered_form_adds_nothing_odd_and_raises_nothing(tasks_tab, auth, form):
    state, user = tasks_tab
    TaskState.add_task.fn(state, form)
    titles = sorted(task.title for task in all_tasks(auth, user))
    assert titles in (["pay rent"], ["buy milk", "pay rent"])


def test_a_shown_task_still_toggles(tasks_tab, auth):
    state, user = tasks_tab
    TaskState.toggle.fn(state, state.rows[0].id)
    assert state.undo_message.startswith("Completed")


@pytest.fixture
def chat_tab(auth, monkeypatch):
    monkeypatch.setattr(auth_state, "get_auth", lambda: auth)
    user = auth.sign_up("Ada", "ada@example.com", "correct horse 1")
    state = State(_reflex_internal_init=True)
    for part in ChatState.get_full_name().split(".")[1:]:
        state = state.substates[part]
    state.token = auth.token_for(user)
    return state


@pytest.mark.parametrize("value", [12345, None, ["thr_x"], {"id": 1}])
async def test_the_chat_ignores_tampered_ids_and_forms(chat_tab, value):
    state = chat_tab
    assert await ChatState.open_thread.fn(state, value) is None
    ChatState.start_rename.fn(state, value)
    ChatState.ask_delete.fn(state, value)
    assert state.renaming_id == "" and state.deleting_id == ""
    await ChatState.save_rename.fn(state, value)
    ChatState.unqueue.fn(state, "0" if value is None else value, "text")
    assert state.thread_id == "" and state.notice == ""


@pytest.mark.parametrize("value", [["x"], {"a": 1}, 5, None, True])
def test_tampered_filters_moves_and_chips_change_nothing(tasks_tab, auth, value):
    """Found by review: True matched row id 1 in the move handlers (PostgreSQL: id = true),
    a list stored as the search broke every later reload."""
    state, user = tasks_tab
    for handler in ("set_search", "set_priority_filter", "set_tag_filter", "set_due_filter", "set_sort",
                    "set_status_filter", "read_quick_add", "drop_chip"):
        getattr(TaskState, handler).fn(state, value)
    TaskState.move_task.fn(state, value, 1)
    TaskState.move_task.fn(state, state.rows[0].id, value)
    TaskState.drop_task.fn(state, value, value)
    assert isinstance(state.search, str) and isinstance(state.sort, str) and isinstance(state.status_filter, str)
    assert state.active_filter_count >= 0 and state.error == ""
    assert [task.title for task in all_tasks(auth, user)] == ["pay rent"]


def test_a_task_moved_to_the_last_row_shown_stays_above_the_rows_not_loaded(tasks_tab, auth):
    """Found by review: with more tasks than one page, a task moved onto the last row shown
    took that row's position + 1, tying with the first row not yet loaded and falling
    below it (off the page), the newer task sorting second."""
    state, user = tasks_tab
    with session_scope(auth.engine) as session:
        tasks = TaskService(session, user.id)
        for n in range(55):
            tasks.create(TaskCreate(title=f"task {n:02d}"))
        newest = tasks.create(TaskCreate(title="newest")).id
        tasks.update(newest, {"position": 0.0})  # first in manual order, largest id
    TaskState.set_sort.fn(state, "position")
    assert state.rows[0].id == newest and len(state.rows) == 50 and state.next_cursor
    for _ in range(49):  # down, one row at a time, to the last row shown
        TaskState.move_task.fn(state, newest, 1)
    with session_scope(auth.engine) as session:
        order = [task.id for task in TaskService(session, user.id).list(
            TaskFilter(status="all"), sort="position", limit=200).items]
    assert order.index(newest) == 49  # the 50th place, where it was put


def test_the_editor_keeps_a_rule_it_has_no_preset_for_and_refuses_an_unknown_one(tasks_tab, auth):
    """Issue 11: a task repeating "every other Tuesday" shows it in words, saving the editor
    (which sends the rule back as its selected option) keeps it, and a tampered rule is
    refused with the page's error line, nothing changed."""
    state, user = tasks_tab
    task_id = state.rows[0].id
    with session_scope(auth.engine) as session:
        TaskService(session, user.id).update(task_id, {"due": "2099-03-03", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"})
    TaskState.load.fn(state)
    [row] = state.rows
    assert (row.repeat_text, row.repeat_label, row.repeat_custom) == (
        "every other Tuesday", "Every other Tuesday", True)

    form = {"title": "team sync", "due_date": "2099-03-03", "due_time": "", "priority": "medium", "tags": "",
            "recurrence": row.recurrence, "notes": ""}
    TaskState.start_edit.fn(state, task_id)
    TaskState.save_edit.fn(state, form)
    [task] = all_tasks(auth, user)
    assert (task.title, task.recurrence, state.error) == ("team sync", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "")

    for tampered, message in ((["FREQ=DAILY"], None), ("FREQ=SECONDLY", "FREQ=HOURLY, DAILY"),
                              ("FREQ=DAILY;INTERVAL=1e9", "INTERVAL"), ("x" * 10_000, "200 characters"),
                              ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "This repeat never happens")):
        TaskState.start_edit.fn(state, task_id)
        TaskState.save_edit.fn(state, {**form, "title": "changed", "recurrence": tampered})
        [task] = all_tasks(auth, user)
        if message is None:  # not text: read as an empty field, so "does not repeat"
            assert task.recurrence is None
            TaskState.start_edit.fn(state, task_id)
            TaskState.save_edit.fn(state, form)
            continue
        assert message in state.error, state.error
        assert (task.title, task.recurrence) == ("team sync", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")


@pytest.mark.parametrize("value", ["x" * 100_000, "high\x00", "nonsense", "#pay"])
def test_a_filter_takes_only_a_choice_its_control_offers(tasks_tab, value):
    """A tampered event can send any string; the filters keep what they had instead of
    storing it (and querying with it) on every later reload."""
    state, _ = tasks_tab
    before = (state.status_filter, state.priority_filter, state.tag_filter, state.due_filter, state.sort)
    for handler in ("set_status_filter", "set_priority_filter", "set_tag_filter", "set_due_filter", "set_sort"):
        getattr(TaskState, handler).fn(state, value)
    assert (state.status_filter, state.priority_filter, state.tag_filter, state.due_filter, state.sort) == before
    TaskState.set_priority_filter.fn(state, "high")
    TaskState.set_sort.fn(state, "priority")
    assert (state.priority_filter, state.sort) == ("high", "priority")
