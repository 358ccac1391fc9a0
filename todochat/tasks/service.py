"""TaskService: the only code that reads or writes tasks.

Every instance is bound to one acting user; every query it runs filters on that user's id,
so another user's task is simply "not found". Inputs are validated by ``TaskCreate`` and
``TaskPatch`` (validation.py); which tasks a listing shows is filters.py, its order and
pages paging.py, what completing a repeating task schedules repeats.py. See
docs/architecture.md, "Tasks".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import false, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, delete, select

from todochat import keyset
from todochat.limits import PAGE_MAX, POSITION_MAX
from todochat.models import Task, decode_tags, encode_tags, utcnow
from todochat.tasks import repeats
from todochat.tasks.errors import TaskNotFound
from todochat.tasks.filters import TaskFilter, filter_clauses
from todochat.tasks.paging import Sort, TaskPage, decode_cursor, encode_cursor, keys_of
from todochat.tasks.validation import TaskCreate, TaskPatch, normalize_title, parse_due
from todochat.zones import to_naive_utc


class TaskService:
    """Tasks of one user. ``clock`` and ``tz`` decide what "today" and "overdue" mean."""

    def __init__(
        self,
        session: Session,
        user_id: str,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        tz: ZoneInfo | dt.tzinfo = dt.timezone.utc,
    ):
        if not user_id:
            raise ValueError("TaskService needs the acting user's id")
        self.session = session
        self.user_id = user_id
        self.clock = clock
        self.tz = tz

    # -- time

    def now_local(self) -> dt.datetime:
        return self.clock().astimezone(self.tz)

    def today(self) -> dt.date:
        return self.now_local().date()

    def stamp(self) -> dt.datetime:
        return to_naive_utc(self.clock())

    # -- reads

    def get(self, task_id: int, *, lock: bool = False) -> Task:
        """This user's task. ``lock``: hold the row until the transaction ends, for a caller
        that decides on what it read and then writes (PostgreSQL: SELECT ... FOR UPDATE, so
        an edit landing in between waits instead of being overwritten; SQLite already
        serialises writers)."""
        query = select(Task).where(Task.id == task_id, Task.user_id == self.user_id)
        task = self.session.exec(query.with_for_update() if lock else query).first()
        if task is None:
            raise TaskNotFound(task_id)
        return task

    def _where(self, flt: TaskFilter) -> list[ColumnElement[bool]]:
        return filter_clauses(flt, self.user_id, self.now_local)

    def list(
        self,
        flt: TaskFilter | None = None,
        *,
        sort: Sort = "due",
        limit: int = 50,
        cursor: str | None = None,
    ) -> TaskPage:
        """One keyset page of tasks; pass ``next_cursor`` back for the next page."""
        flt = flt or TaskFilter()
        keys = keys_of(sort)
        size = keyset.page_size(limit, PAGE_MAX)
        query = select(Task).where(*self._where(flt))
        if cursor:
            query = query.where(keyset.rows_after(keys, decode_cursor(sort, cursor)))
        rows, more = keyset.split_page(self.session.exec(keyset.ordered_page(query, keys, size)).all(), size)
        return TaskPage(rows, encode_cursor(sort, rows[-1]) if more else None)

    def count(self, flt: TaskFilter | None = None) -> int:
        query = select(func.count()).select_from(Task).where(*self._where(flt or TaskFilter()))
        return int(self.session.exec(query).one())

    def tags(self) -> list[str]:
        """Every tag this user has used, alphabetically (for the filter menu)."""
        rows = self.session.exec(
            select(Task.tags).where(Task.user_id == self.user_id).distinct()
        ).all()
        return sorted({tag for row in rows for tag in decode_tags(row)})

    # -- writes

    def create(self, data: TaskCreate | dict[str, Any]) -> Task:
        data = data if isinstance(data, TaskCreate) else TaskCreate.model_validate(data)
        due_date, due_time = parse_due(data.due)
        repeats.check_repeat(data.recurrence, due_date or self.today(), due_time)
        now = self.stamp()
        task = Task(
            user_id=self.user_id,
            title=data.title,
            notes=data.notes,
            priority=data.priority,
            due_date=due_date,
            due_time=due_time,
            tags=encode_tags(data.tags),
            recurrence=data.recurrence,
            completed=data.completed,
            completed_at=now if data.completed else None,
            position=self._next_position(),
            created_at=now,
            updated_at=now,
        )
        self.session.add(task)
        self.session.flush()
        return task

    def create_many(self, items: Iterable[TaskCreate | dict[str, Any]]) -> list[Task]:
        return [self.create(item) for item in items]

    def update(self, task_id: int, patch: TaskPatch | dict[str, Any]) -> Task:
        patch = patch if isinstance(patch, TaskPatch) else TaskPatch.model_validate(patch)
        task = self.get(task_id)
        fields = patch.model_fields_set
        if fields & {"due", "recurrence"}:
            # Checked against the task as it will be, before anything changes.
            due_date, due_time = parse_due(patch.due) if "due" in fields else (task.due_date, task.due_time)
            repeats.check_repeat(patch.recurrence if "recurrence" in fields else task.recurrence,
                          due_date or self.today(), due_time)
        if "title" in fields:
            task.title = patch.title
        if "notes" in fields:
            task.notes = patch.notes
        if "priority" in fields:
            task.priority = patch.priority
        if "due" in fields:
            task.due_date, task.due_time = parse_due(patch.due)
        if "tags" in fields:
            task.tags = encode_tags(patch.tags or [])
        if "recurrence" in fields:
            task.recurrence = patch.recurrence
        if "position" in fields:
            task.position = patch.position
        task.updated_at = self.stamp()
        if "completed" in fields and patch.completed != task.completed:
            if patch.completed:
                self._complete(task)
            else:
                self._reopen(task)
        self.session.add(task)
        self.session.flush()
        return task

    def complete(self, task_id: int) -> tuple[Task, Task | None]:
        """Mark done. A recurring task schedules its next occurrence, which is returned too.

        A series ends at LAST_DUE: when the next occurrence would fall after it, the task
        is completed all the same and nothing is scheduled (``None``), as if its rule
        said "until 2999-12-31". Refusing instead would leave a task nobody can tick off.
        """
        task = self.get(task_id)
        spawned = None if task.completed else self._complete(task)
        self.session.flush()
        return task, spawned

    def reopen(self, task_id: int) -> Task:
        task = self.get(task_id)
        if task.completed:
            self._reopen(task)
        self.session.flush()
        return task

    def delete(self, task_id: int) -> Task:
        task = self.get(task_id)
        self.session.delete(task)
        self.session.flush()
        return task

    def restore(self, snapshot: dict[str, Any]) -> Task:
        """Put back a task removed by ``delete`` (undo), keeping its id when it is free."""
        snapshot = {k: v for k, v in snapshot.items() if k in Task.model_fields}
        snapshot["user_id"] = self.user_id
        task_id = snapshot.get("id")
        existing = self.session.get(Task, task_id) if task_id is not None else None
        if existing is not None and existing.user_id == self.user_id:
            return existing  # already restored (a second click, another tab): nothing to do
        if existing is not None:
            snapshot.pop("id")
        if snapshot.get("spawned_from_id") is not None and self._own_or_none(snapshot["spawned_from_id"]) is None:
            snapshot["spawned_from_id"] = None
        task = Task.model_validate(snapshot)
        task.title = normalize_title(task.title)
        self.session.add(task)
        self.session.flush()
        return task

    def complete_many(self, task_ids: Iterable[int]) -> list[Task]:
        """Complete each open task among ``task_ids``, scheduling next occurrences as ``complete`` does."""
        done = []
        for task in self.get_many(task_ids):
            if not task.completed:
                self._complete(task)
                done.append(task)
        self.session.flush()
        return done

    def delete_many(self, task_ids: Iterable[int]) -> list[int]:
        ids = [task.id for task in self.get_many(task_ids)]
        if ids:
            self.session.exec(
                delete(Task).where(col(Task.id).in_(ids), col(Task.user_id) == self.user_id)
            )
        self.session.flush()
        return ids

    def get_many(self, task_ids: Iterable[int], *, lock: bool = False) -> list[Task]:
        """This user's tasks among ``task_ids``, in no particular order; others' and missing ids are left out.
        ``lock`` as for ``get``."""
        ids = list({int(i) for i in task_ids})
        if not ids:
            return []
        query = select(Task).where(col(Task.id).in_(ids), col(Task.user_id) == self.user_id).order_by(col(Task.id))
        return list(
            self.session.exec(
                query.with_for_update() if lock else query
            ).all()
        )

    # -- internals

    def _next_position(self) -> float:
        top = self.session.exec(
            select(func.max(Task.position)).where(Task.user_id == self.user_id)
        ).one()
        # Never past the range a client may set: a task moved to the very end (POSITION_MAX)
        # must not push new ones to positions its own cursors and undo would refuse. Ties at
        # the end keep their order by id, as every sort does.
        return min(float(top or 0) + 1.0, POSITION_MAX)

    def _complete(self, task: Task) -> Task | None:
        """Mark ``task`` done; return the next occurrence it schedules, if any (see ``complete``)."""
        now = self.stamp()
        task.completed = True
        task.completed_at = now
        task.updated_at = now
        self.session.add(task)
        following = repeats.following(task, self.now_local(), repeats.anchor_day(task, self._own_or_none))
        if following is None:
            return None  # not repeating, or the series has ended
        spawned = Task(
            user_id=self.user_id,
            title=task.title,
            notes=task.notes,
            priority=task.priority,
            due_date=following.due_date,
            due_time=following.due_time,
            tags=task.tags,
            recurrence=following.rule,
            spawned_from_id=task.id,
            position=self._next_position(),
            created_at=now,
            updated_at=now,
        )
        self.session.add(spawned)
        self.session.flush()
        return spawned

    def _own_or_none(self, task_id: int) -> Task | None:
        task = self.session.get(Task, task_id)
        return task if task is not None and task.user_id == self.user_id else None

    def _reopen(self, task: Task) -> None:
        task.completed = False
        task.completed_at = None
        task.updated_at = self.stamp()
        self.session.add(task)
        # Undoing a completion withdraws the occurrence it scheduled, unless the
        # user has already touched that one.
        spawned = self.session.exec(
            select(Task).where(
                Task.spawned_from_id == task.id,
                Task.user_id == self.user_id,
                col(Task.completed).is_(false()),
                col(Task.created_at) == col(Task.updated_at),
            )
        ).all()
        for other in spawned:
            self.session.delete(other)
