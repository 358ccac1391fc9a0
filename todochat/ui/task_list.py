"""The task list of the Tasks page and of the panel beside the chat: one page of rows at
a time, filters, counts, and reading the list again after a change.

A part of TaskState (a Reflex state mixin; task_state.py puts the parts together). Every
read and write opens the user's tasks through ``open_tasks``; see docs/architecture.md,
"Layers" and "Tasks".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import get_args

import reflex as rx
from pydantic import ValidationError

from todochat import recurrence
from todochat.formatting import due_label
from todochat.limits import SEARCH_MAX_CHARS
from todochat.models import PRIORITIES, Task
from todochat.tasks import (
    Sort,
    TaskError,
    TaskFilter,
    TaskService,
    format_due,
    is_overdue,
    open_tasks,
)
from todochat.ui.auth_state import AuthState
from todochat.ui.components.fields import RECURRENCE_PRESETS
from todochat.validation_text import first_message

PAGE_SIZE = 50
# The values the list's controls send (components/filters.py, task_panel.py); the priority,
# tag and sort choices come from their owners.
STATUS_CHOICES = ("open", "done", "all")
DUE_CHOICES = ("any", "overdue", "today", "upcoming")
# A tag's name in the filter menu: longer ones end in "…" (the full name is in the row).
TAG_LABEL_MAX = 18


@dataclasses.dataclass
class TaskRow:
    """What one row shows; computed on the server so the browser only renders."""

    id: int = 0
    title: str = ""
    notes: str = ""
    completed: bool = False
    priority: str = "medium"
    due: str = ""  # YYYY-MM-DD or YYYY-MM-DDTHH:MM, for the edit fields
    due_label: str = ""
    overdue: bool = False
    tags: list[str] = dataclasses.field(default_factory=list)
    recurrence: str = ""  # the rule as stored, for the editor's select
    repeat_text: str = ""  # the rule in plain English: "every other Tuesday until 31 Mar"
    repeat_label: str = ""  # the same as a select option: "Every other Tuesday until 31 Mar"
    repeat_custom: bool = False  # a rule none of the editor's presets is


class TaskList(AuthState, mixin=True):
    rows: list[TaskRow] = []
    next_cursor: str = ""
    loading: bool = True
    error: str = ""
    notice: str = ""

    status_filter: str = "open"
    priority_filter: str = "any"
    tag_filter: str = "any"
    due_filter: str = "any"
    search: str = ""
    sort: str = "due"

    all_tags: list[str] = []
    # (tag, label) for the filter menu: the label is cut to TAG_LABEL_MAX with "…".
    tag_options: list[list[str]] = []
    open_count: int = 0
    done_count: int = 0
    editing_id: int = -1
    # Small screens fold the filters behind a button.
    show_filters: bool = False
    # The zone the rows' dates were written in: the browser's answer may come later.
    _listed_zone: str = ""
    # A refresh came while a task was being edited: the list catches up when the editor closes.
    _missed_refresh: bool = False

    # -- plumbing

    def _open_tasks(self):
        return open_tasks(self._engine(), self._user_id, tz=self._zone())

    def _filter(self, tasks: TaskService) -> TaskFilter:
        today = tasks.today()
        flt = TaskFilter(
            status=self.status_filter if self.status_filter in STATUS_CHOICES else "open",
            priority=self.priority_filter if self.priority_filter in PRIORITIES else None,
            tag=None if self.tag_filter == "any" else self.tag_filter,
            search=self.search.strip() or None,
        )
        if self.due_filter == "overdue":
            flt.overdue = True
        elif self.due_filter == "today":
            flt.due_on = today
        elif self.due_filter == "upcoming":
            flt.due_after = today
        return flt

    def _row(self, task: Task, tasks: TaskService) -> TaskRow:
        now = tasks.now_local()
        repeat_text = recurrence.describe(task.recurrence, now.date()) if task.recurrence else ""
        return TaskRow(
            id=task.id,
            title=task.title,
            notes=task.notes,
            completed=task.completed,
            priority=task.priority,
            due=format_due(task) or "",
            due_label=due_label(task.due_date, task.due_time, now.date()),
            overdue=is_overdue(task, now),
            tags=task.tag_list,
            recurrence=task.recurrence or "",
            repeat_text=repeat_text,
            repeat_label=repeat_text[:1].upper() + repeat_text[1:],
            repeat_custom=bool(task.recurrence) and task.recurrence not in RECURRENCE_PRESETS,
        )

    def _close_editor(self) -> None:
        self.editing_id = -1
        if self._missed_refresh:
            self._reload()

    def _reload(self) -> None:
        """Fetch the first page and the counts again (after any change or filter)."""
        if not self._still_signed_in():
            return
        self._listed_zone = self._zone_name
        self._missed_refresh = False
        try:
            with self._open_tasks() as tasks:
                try:
                    page = tasks.list(self._filter(tasks), sort=self.sort, limit=PAGE_SIZE)
                except ValueError as exc:
                    self.error = str(exc)
                    return
                self.rows = [self._row(t, tasks) for t in page.items]
                self.next_cursor = page.next_cursor or ""
                self.open_count = tasks.count(TaskFilter(status="open"))
                self.done_count = tasks.count(TaskFilter(status="done"))
                self.all_tags = tasks.tags()
                self.tag_options = [[tag, _short(tag)] for tag in self.all_tags]
            self.error = ""
        except Exception:  # the database is down: say so instead of showing stale rows
            self.error = "Could not load your tasks. Check your connection and try again."
        finally:
            self.loading = False

    def _still_signed_in(self) -> bool:
        """The tab's token is checked again before every read and write: a session that was
        signed out elsewhere, or has expired, stops acting here at once."""
        if self._resolve_user():
            return True
        self.rows, self.error = [], "You were signed out. Sign in again to keep going."
        self.loading = False
        return False

    def _write(self, change) -> bool:
        """Run one change through TaskService; turn its errors into a message."""
        if not self._still_signed_in():
            return False
        try:
            with self._open_tasks() as tasks:
                change(tasks)
        except ValidationError as exc:
            self.error = first_message(exc, with_field=True)
            return False
        except (TaskError, ValueError) as exc:
            self.error = str(exc)
            return False
        self.error = ""
        return True

    # -- reading the list

    @rx.event
    def refresh(self):
        """The list as the database has it now, after a change made beside it: the
        assistant's turn or a card's button on the chat page."""
        self._reload()

    @rx.event
    def refresh_list(self):
        """The list as it is now, when the user comes back to the tab: a task may have been
        completed on another device, in another tab or through the API, or by the official
        ChatKit UI beside it. Not while an editor is open (its fields would change under the
        user's fingers): then once it closes (``_close_editor``)."""
        if self.editing_id >= 0:
            self._missed_refresh = True
            return
        if self.loading:
            return  # the first load is still to come, and reads what is there by then
        if self._still_signed_in():
            self._reload()

    @rx.event
    def set_timezone(self, tz: str):
        """The browser's zone (asked for by the page's load): "today" and "overdue" follow it."""
        self._take_zone(tz)
        if self._listed_zone != self._zone_name:
            self._reload()

    @rx.event
    def retry(self):
        self.loading = True
        yield
        self._reload()

    @rx.event
    def load_more(self):
        if not self.next_cursor or not self._still_signed_in():
            return
        with self._open_tasks() as tasks:
            page = tasks.list(self._filter(tasks), sort=self.sort, limit=PAGE_SIZE, cursor=self.next_cursor)
            self.rows = self.rows + [self._row(t, tasks) for t in page.items]
            self.next_cursor = page.next_cursor or ""

    # -- filters (each re-queries the first page)

    def _choose(self, field: str, value: object, choices: Iterable[str]) -> None:
        """Set a filter to one of the choices its control offers and list again. Anything
        else (another type, a value of any length a tampered event sends) changes nothing."""
        if isinstance(value, str) and value in choices:
            setattr(self, field, value)
            self._reload()

    @rx.event
    def set_status_filter(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if isinstance(value, list) and value else "open")
        self._choose("status_filter", value, STATUS_CHOICES)

    @rx.event
    def set_priority_filter(self, value: str):
        self._choose("priority_filter", value, ("any", *PRIORITIES))

    @rx.event
    def set_tag_filter(self, value: str):
        self._choose("tag_filter", value, ("any", *self.all_tags))

    @rx.event
    def set_due_filter(self, value: str):
        self._choose("due_filter", value, DUE_CHOICES)

    @rx.event
    def set_sort(self, value: str):
        self._choose("sort", value, get_args(Sort))

    @rx.event
    def set_search(self, value: str):
        if isinstance(value, str):
            self.search = value[:SEARCH_MAX_CHARS]
            self._reload()

    @rx.event
    def clear_filters(self):
        self.status_filter, self.priority_filter, self.tag_filter = "all", "any", "any"
        self.due_filter, self.search = "any", ""
        self._reload()

    @rx.event
    def toggle_filters(self):
        self.show_filters = not self.show_filters

    @rx.var
    def active_filter_count(self) -> int:
        """Filters narrowing the list besides Open/Done/All, for the folded "Filters" button."""
        return sum([
            self.priority_filter != "any",
            self.tag_filter != "any",
            self.due_filter != "any",
            bool(self.search.strip()),
            self.sort != "due",
        ])

    def _shown_id(self, task_id: object) -> int | None:
        """``task_id`` if it names a row this tab shows, else None: ids come from the browser,
        so a tampered event (a huge number, a string) is ignored instead of reaching SQL."""
        if isinstance(task_id, int) and not isinstance(task_id, bool) and any(row.id == task_id for row in self.rows):
            return task_id
        return None

    def _today(self) -> dt.date:
        return dt.datetime.now(self._zone()).date()

    @rx.event
    def dismiss_error(self):
        self.error = ""

    @rx.var
    def manual_order(self) -> bool:
        return self.sort == "position"


def _short(tag: str) -> str:
    return tag if len(tag) <= TAG_LABEL_MAX else tag[: TAG_LABEL_MAX - 1] + "…"


# When the tab comes back into view, the list is read again (components/list_refresh.py
# holds the button this presses). Installed once per tab.
REFRESH_LIST_ON_RETURN_JS = """
if (!window.__todochatListRefresh) {
  window.__todochatListRefresh = true;
  // Coming back fires both focus and visibilitychange: one refresh for the two.
  let returned = 0;
  const refresh = () => {
    if (Date.now() - returned < 1000) return;
    returned = Date.now();
    document.getElementById("refresh-task-list")?.click();
  };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") refresh(); });
  window.addEventListener("focus", refresh);
}
"""


def text_fields(form: object) -> dict[str, str]:
    """A submitted form's fields, each a string: the browser sends strings, and anything
    else (a number, a list, no dict at all) is a tampered event, read as an empty field."""
    if not isinstance(form, dict):
        return {}
    return {key: value for key, value in form.items() if isinstance(key, str) and isinstance(value, str)}
