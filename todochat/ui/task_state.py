"""State of the tasks page and the chat's task panel: one page of rows at a time, filters,
quick add, inline edit, manual order, and one undo bar for deletes and completions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import reflex as rx
from pydantic import ValidationError

from todochat import quick_add, recurrence
from todochat.formatting import due_label
from todochat.limits import MESSAGE_MAX_CHARS
from todochat.models import Task
from todochat.quick_add import Chip
from todochat.task_order import place_between
from todochat.tasks import (
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
from todochat.zones import zone_or_none

PAGE_SIZE = 50
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


class TaskState(AuthState):
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
    # The undo bar: what the last delete or completion was, said in words, and how to undo it.
    undo_message: str = ""
    _undo: dict = {}
    tz: str = "UTC"

    # Quick add: what the add box was read as (chips under it) and the chips removed.
    quick_title: str = ""  # the title that will be stored, shown when the box said more
    quick_chips: list[Chip] = []
    quick_dropped: list[str] = []
    _quick_text: str = ""
    # Small screens fold the add form's extra fields and the filters behind a button each.
    show_add_options: bool = False
    show_filters: bool = False
    # Whose tasks this tab shows: a different user (sign-out, then in) starts afresh.
    _shown_user: str = ""

    # -- plumbing

    def _open_tasks(self):
        return open_tasks(None, self._user_id, tz=zone_or_none(self.tz) or ZoneInfo("UTC"))

    def _filter(self, tasks: TaskService) -> TaskFilter:
        today = tasks.today()
        flt = TaskFilter(
            status=self.status_filter if self.status_filter in ("open", "done", "all") else "open",
            priority=self.priority_filter if self.priority_filter in ("low", "medium", "high") else None,
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

    def _reload(self) -> None:
        """Fetch the first page and the counts again (after any change or filter)."""
        if not self._still_signed_in():
            return
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

    # -- page lifecycle

    @rx.event
    def load(self):
        self.loading = True
        if not self._resolve_user():
            return rx.redirect("/sign-in")
        if self._shown_user != self._user_id:  # another user signed in in this tab
            self._start_fresh()
        self.editing_id = -1  # an editor left open on another page does not follow the user here
        self._reload()
        # Ask the browser for its zone, so "today" and "overdue" mean the user's today.
        return [
            rx.call_script("Intl.DateTimeFormat().resolvedOptions().timeZone", callback=TaskState.set_timezone),
            rx.call_script(REFRESH_LIST_ON_RETURN_JS),
        ]

    @rx.event
    def refresh_list(self):
        """The list as it is now, when the user comes back to the tab: a task may have been
        completed on another device, in another tab or through the API. Not while an
        editor is open (its fields would change under the user's fingers)."""
        if self.loading or self.editing_id >= 0:
            return
        if self._still_signed_in():
            self._reload()

    def _start_fresh(self) -> None:
        self.rows, self.next_cursor, self.error, self.notice = [], "", "", ""
        self.status_filter, self.priority_filter, self.tag_filter = "open", "any", "any"
        self.due_filter, self.search, self.sort = "any", "", "due"
        self.editing_id, self.undo_message, self._undo = -1, "", {}
        self.quick_title, self.quick_chips, self.quick_dropped, self._quick_text = "", [], [], ""
        self.show_add_options = self.show_filters = False
        self._shown_user = self._user_id

    @rx.event
    def set_timezone(self, tz: str):
        if zone_or_none(tz) is None:
            return
        if tz != self.tz:
            self.tz = tz
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

    @rx.event
    def set_status_filter(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if isinstance(value, list) and value else "open")
        if isinstance(value, str):
            self.status_filter = value
            self._reload()

    @rx.event
    def set_priority_filter(self, value: str):
        if isinstance(value, str):  # what the browser sends; anything else is a tampered event
            self.priority_filter = value
            self._reload()

    @rx.event
    def set_tag_filter(self, value: str):
        if isinstance(value, str):  # what the browser sends; anything else is a tampered event
            self.tag_filter = value
            self._reload()

    @rx.event
    def set_due_filter(self, value: str):
        if isinstance(value, str):  # what the browser sends; anything else is a tampered event
            self.due_filter = value
            self._reload()

    @rx.event
    def set_sort(self, value: str):
        if isinstance(value, str):  # what the browser sends; anything else is a tampered event
            self.sort = value
            self._reload()

    @rx.event
    def set_search(self, value: str):
        if isinstance(value, str):
            self.search = value[:200]
            self._reload()

    @rx.event
    def clear_filters(self):
        self.status_filter, self.priority_filter, self.tag_filter = "all", "any", "any"
        self.due_filter, self.search = "any", ""
        self._reload()

    # -- changes

    @rx.event
    def read_quick_add(self, text: str):
        """Show what the add box will store, as chips, while the person types."""
        if not isinstance(text, str):
            return
        self._quick_text = text[: MESSAGE_MAX_CHARS + 1]  # longer is read as typed anyway
        if not text.strip():
            self.quick_dropped = []  # an emptied box starts afresh
        self._show_reading()

    @rx.event
    def drop_chip(self, key: str):
        """A removed chip is not stored: "tomorrow" misread as a date stays off the task,
        and its words go back into the title."""
        if isinstance(key, str) and key in {chip.key for chip in self.quick_chips} and key not in self.quick_dropped:
            self.quick_dropped = self.quick_dropped + [key]
        self._show_reading()

    def _show_reading(self) -> None:
        reading = self._read(self._quick_text)
        self.quick_chips = reading.chips(self._today())
        # Worth showing when the box said more than a title, or a removed chip changed it.
        self.quick_title = reading.title if self.quick_chips or self.quick_dropped else ""

    def _read(self, text: str) -> quick_add.QuickAdd:
        zone = zone_or_none(self.tz) or ZoneInfo("UTC")
        now = dt.datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)
        return quick_add.read(text, now, frozenset(self.quick_dropped))

    def _today(self) -> dt.date:
        return dt.datetime.now(zone_or_none(self.tz) or ZoneInfo("UTC")).date()

    @rx.event
    def add_task(self, form: dict):
        """Add what the box says, read as the chips showed it, plus the plain fields.

        A refused add keeps everything typed (the form is emptied only once the task is
        stored); a plain field that disagrees with a chip is refused rather than one of
        them silently winning."""
        form = _text_fields(form)
        typed = form.get("title", "")
        reading = self._read(typed)
        due = form.get("due_date", "").strip()
        time = form.get("due_time", "").strip()
        if time and not due:
            if reading.due and "T" not in reading.due:
                # The chip's date, at the time the field gives.
                due, reading = reading.due, dataclasses.replace(reading, due=None)
            else:
                self.error = "Pick a date for the time you gave"
                return
        if typed.strip() and not reading.title:
            self.error = "Say what the task is, not only when, how important or which tag"
            return
        conflicts = [
            name for name, field, chip in (
                ("date", due, reading.due), ("priority", form.get("priority"), reading.priority),
                ("repeat", form.get("recurrence"), reading.recurrence),
            )
            if field and chip
        ]
        if conflicts:
            self.error = (f"The box and the {conflicts[0]} field both set the {conflicts[0]}: "
                          "remove the chip or clear the field")
            return
        field_tags = str(form.get("tags", ""))
        data = {
            "title": reading.title or typed,
            "priority": form.get("priority") or reading.priority or "medium",
            "due": (f"{due}T{time}" if due and time else due) or reading.due,
            "tags": ", ".join([*reading.tags, field_tags]) if field_tags.strip() else reading.tags,
            "recurrence": form.get("recurrence") or reading.recurrence,
        }
        if self._write(lambda tasks: tasks.create(data)):
            self.notice = f"Added “{' '.join(str(data['title']).split())}”"
            self.quick_title, self.quick_chips, self.quick_dropped, self._quick_text = "", [], [], ""
            self._reload()
            return rx.call_script(EMPTY_ADD_FORM_JS)

    @rx.event
    def toggle_add_options(self):
        self.show_add_options = not self.show_add_options

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

    @rx.event
    def toggle(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is None:
            return
        # The box means what the row showed: ticking an open row completes it. If the task
        # changed elsewhere in the meantime, say so instead of flipping it back.
        shown_done = next(row.completed for row in self.rows if row.id == task_id)
        done: dict = {}
        already: list[str] = []

        def change(tasks: TaskService):
            task = tasks.get(task_id, lock=True)  # decided on what is read: held until written
            if task.completed != shown_done:
                already.append(task.title)
            elif task.completed:
                tasks.reopen(task_id)
            else:
                _, spawned = tasks.complete(task_id)
                done.update(title=task.title, next=spawned.due_date if spawned else None,
                            next_time=spawned.due_time if spawned else None)

        stale = ""
        if self._write(change) and already:
            state = "completed" if not shown_done else "reopened"
            stale = f"“{already[0]}” was already {state} elsewhere; the list now shows it as it is."
        elif done:
            message = f"Completed “{done['title']}”"
            if done["next"] is not None:
                message += f" · next one {due_label(done['next'], done['next_time'], self._today())}"
            self._offer_undo(message, {"kind": "complete", "task_id": task_id})
        self._reload()
        if stale:
            self.error = stale

    @rx.event
    def delete(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is None:
            return
        snapshot: dict = {}

        def change(tasks: TaskService):
            task = tasks.get(task_id)
            snapshot.update(task.model_dump())
            tasks.delete(task_id)

        if self._write(change):
            if self.editing_id == task_id:
                self.editing_id = -1
            self._offer_undo(f"Deleted “{snapshot.get('title', '')}”", {"kind": "delete", "snapshot": snapshot})
            self._reload()

    def _offer_undo(self, message: str, undo: dict) -> None:
        """One undo bar, on the tasks page and beside the chat: the latest change replaces it."""
        self.undo_message, self._undo = message, undo

    @rx.event
    def undo(self):
        undo = self._undo
        if not undo:
            return
        if undo["kind"] == "delete":
            ok = self._write(lambda tasks: tasks.restore(undo["snapshot"]))
        else:  # reopening withdraws the next occurrence the completion scheduled
            ok = self._write(lambda tasks: tasks.reopen(undo["task_id"]))
        if ok:
            self._undo, self.undo_message = {}, ""
        self._reload()

    @rx.event
    def dismiss_undo(self):
        self._undo = {}
        self.undo_message = ""

    # -- manual order (sort "position")

    @rx.event
    def move_task(self, task_id: int, step: int):
        """Move up (-1) or down (+1) one row; focus follows the task so the key can repeat."""
        task_id = self._shown_id(task_id)
        if task_id is None or isinstance(step, bool) or step not in (-1, 1):
            return
        ids = [row.id for row in self.rows]
        index = ids.index(task_id) + step
        if 0 <= index < len(ids):
            self._move_to(task_id, index)
        button = "up" if step < 0 else "down"
        return rx.call_script(
            f"document.querySelector('li[data-task-id=\"{int(task_id)}\"] [data-move=\"{button}\"]')?.focus()"
        )

    @rx.event
    def drop_task(self, dragged: str, target_id: int):
        """A row dropped on another takes that row's place."""
        try:
            dragged_id = int(dragged)
        except (TypeError, ValueError):
            return
        dragged_id, target_id = self._shown_id(dragged_id), self._shown_id(target_id)
        ids = [row.id for row in self.rows]
        if dragged_id is not None and target_id is not None and dragged_id != target_id:
            self._move_to(dragged_id, ids.index(target_id))

    def _move_to(self, task_id: int, index: int) -> None:
        """Put the task between its new neighbours in the shown list (see task_order)."""
        if self.sort != "position":
            return
        order = [row.id for row in self.rows if row.id != task_id]
        order.insert(index, task_id)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None

        def change(tasks: TaskService):
            below = after
            if below is None and self.next_cursor:
                # The last row shown is not the last task: the first one not yet loaded is
                # the real neighbour below (else the two could tie and swap places).
                hidden = tasks.list(self._filter(tasks), sort="position", limit=1, cursor=self.next_cursor).items
                below = hidden[0].id if hidden and hidden[0].id != task_id else None
            place_between(tasks, task_id, before, below)

        if self._write(change):
            title = next(row.title for row in self.rows if row.id == task_id)
            self.notice = f"Moved “{title}” to place {index + 1} of {len(order)}"  # for screen readers
        self._reload()

    @rx.event
    def start_edit(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is not None:
            self.editing_id = task_id

    @rx.event
    def cancel_edit(self):
        self.editing_id = -1

    @rx.event
    def edit_key(self, key: str):
        if key == "Escape":
            self.editing_id = -1

    @rx.event
    def save_edit(self, form: dict):
        task_id = self.editing_id
        if task_id < 0:
            return
        form = _text_fields(form)
        due = form.get("due_date", "").strip()
        time = form.get("due_time", "").strip()
        patch = {
            "title": form.get("title", ""),
            "priority": form.get("priority") or "medium",
            "due": f"{due}T{time}" if due and time else (due or None),
            "tags": form.get("tags", ""),
            "recurrence": form.get("recurrence") or None,
        }
        if "notes" in form:
            patch["notes"] = form.get("notes", "")
        if self._write(lambda tasks: tasks.update(task_id, patch)):
            self.editing_id = -1
            self._reload()

    @rx.event
    def dismiss_error(self):
        self.error = ""

    @rx.var
    def manual_order(self) -> bool:
        return self.sort == "position"


def _short(tag: str) -> str:
    return tag if len(tag) <= TAG_LABEL_MAX else tag[: TAG_LABEL_MAX - 1] + "…"


# The add form is emptied only after the task was stored: a refused add keeps the text.
# The input event makes the box's debounced reader's last word "": a read of the old text
# still pending would otherwise put its chips back under the emptied box.
EMPTY_ADD_FORM_JS = """(() => {
  const form = document.querySelector('form[aria-label="Add a task"]');
  if (!form) return;
  form.reset();
  form.querySelector('input[name="title"]')?.dispatchEvent(new Event("input", {bubbles: true}));
})()"""

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


def _text_fields(form: object) -> dict[str, str]:
    """A submitted form's fields, each a string: the browser sends strings, and anything
    else (a number, a list, no dict at all) is a tampered event, read as an empty field."""
    if not isinstance(form, dict):
        return {}
    return {key: value for key, value in form.items() if isinstance(key, str) and isinstance(value, str)}
