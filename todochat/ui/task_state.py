"""State of the tasks page: one page of rows at a time, filters, inline edit, undo."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import reflex as rx
from pydantic import ValidationError

from todochat.db import session_scope
from todochat.models import Task
from todochat.tasks import TaskError, TaskFilter, TaskService, format_due
from todochat.ui.auth_state import AuthState
from todochat.formatting import due_label
from todochat.zones import zone_or_none

PAGE_SIZE = 50


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
    recurrence: str = ""


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err.get("loc", ()))
    message = str(err.get("msg", "Invalid value")).removeprefix("Value error, ")
    return f"{field.capitalize()}: {message}" if field else message


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
    open_count: int = 0
    done_count: int = 0
    editing_id: int = -1
    undo_title: str = ""
    tz: str = "UTC"
    _undo_snapshot: dict = {}
    # Whose tasks this tab shows: a different user (sign-out, then in) starts afresh.
    _shown_user: str = ""

    # -- plumbing

    def _service(self, session) -> TaskService:
        zone = zone_or_none(self.tz) or ZoneInfo("UTC")
        return TaskService(session, self._user_id, tz=zone)

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
        overdue = (
            not task.completed
            and task.due_date is not None
            and (
                task.due_date < now.date()
                or (task.due_date == now.date() and task.due_time is not None and task.due_time < now.time())
            )
        )
        return TaskRow(
            id=task.id,
            title=task.title,
            notes=task.notes,
            completed=task.completed,
            priority=task.priority,
            due=format_due(task) or "",
            due_label=due_label(task.due_date, task.due_time, now.date()),
            overdue=overdue,
            tags=task.tag_list,
            recurrence=task.recurrence or "",
        )

    def _reload(self) -> None:
        """Fetch the first page and the counts again (after any change or filter)."""
        if not self._still_signed_in():
            return
        try:
            with session_scope() as session:
                tasks = self._service(session)
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
            with session_scope() as session:
                change(self._service(session))
        except ValidationError as exc:
            self.error = _first_error(exc)
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
        self._reload()
        # Ask the browser for its zone, so "today" and "overdue" mean the user's today.
        return rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=TaskState.set_timezone
        )

    def _start_fresh(self) -> None:
        self.rows, self.next_cursor, self.error, self.notice = [], "", "", ""
        self.status_filter, self.priority_filter, self.tag_filter = "open", "any", "any"
        self.due_filter, self.search, self.sort = "any", "", "due"
        self.editing_id, self.undo_title, self._undo_snapshot = -1, "", {}
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
        with session_scope() as session:
            tasks = self._service(session)
            page = tasks.list(self._filter(tasks), sort=self.sort, limit=PAGE_SIZE, cursor=self.next_cursor)
            self.rows = self.rows + [self._row(t, tasks) for t in page.items]
            self.next_cursor = page.next_cursor or ""

    # -- filters (each re-queries the first page)

    @rx.event
    def set_status_filter(self, value: str | list[str]):
        self.status_filter = value if isinstance(value, str) else (value[0] if value else "open")
        self._reload()

    @rx.event
    def set_priority_filter(self, value: str):
        self.priority_filter = value
        self._reload()

    @rx.event
    def set_tag_filter(self, value: str):
        self.tag_filter = value
        self._reload()

    @rx.event
    def set_due_filter(self, value: str):
        self.due_filter = value
        self._reload()

    @rx.event
    def set_sort(self, value: str):
        self.sort = value
        self._reload()

    @rx.event
    def set_search(self, value: str):
        self.search = value[:200]
        self._reload()

    @rx.event
    def clear_filters(self):
        self.status_filter, self.priority_filter, self.tag_filter = "all", "any", "any"
        self.due_filter, self.search = "any", ""
        self._reload()

    # -- changes

    @rx.event
    def add_task(self, form: dict):
        due = (form.get("due_date") or "").strip()
        time = (form.get("due_time") or "").strip()
        data = {
            "title": form.get("title", ""),
            "priority": form.get("priority") or "medium",
            "due": f"{due}T{time}" if due and time else (due or None),
            "tags": form.get("tags", ""),
            "recurrence": form.get("recurrence") or None,
        }
        if time and not due:
            self.error = "Pick a date for the time you gave"
            return
        if self._write(lambda tasks: tasks.create(data)):
            self.notice = f"Added “{' '.join(str(data['title']).split())}”"
            self._reload()

    @rx.event
    def toggle(self, task_id: int):
        def change(tasks: TaskService):
            task = tasks.get(task_id)
            if task.completed:
                tasks.reopen(task_id)
            else:
                tasks.complete(task_id)

        self._write(change)
        self._reload()

    @rx.event
    def start_edit(self, task_id: int):
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
        due = (form.get("due_date") or "").strip()
        time = (form.get("due_time") or "").strip()
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
    def delete(self, task_id: int):
        snapshot: dict = {}

        def change(tasks: TaskService):
            task = tasks.get(task_id)
            snapshot.update(task.model_dump())
            tasks.delete(task_id)

        if self._write(change):
            self._undo_snapshot = snapshot
            self.undo_title = snapshot.get("title", "")
            self._reload()

    @rx.event
    def undo_delete(self):
        snapshot = self._undo_snapshot
        if not snapshot:
            return
        if self._write(lambda tasks: tasks.restore(snapshot)):
            self._undo_snapshot = {}
            self.undo_title = ""
            self._reload()

    @rx.event
    def dismiss_undo(self):
        self._undo_snapshot = {}
        self.undo_title = ""

    @rx.event
    def dismiss_error(self):
        self.error = ""

    @rx.var
    def today_iso(self) -> str:
        return dt.datetime.now(zone_or_none(self.tz) or ZoneInfo("UTC")).date().isoformat()
