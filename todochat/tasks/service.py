"""TaskService: the only code that reads or writes tasks.

Every instance is bound to one acting user; every query it runs filters on that
user's id, so another user's task is simply "not found". Inputs are validated by
the pydantic models below, which the REST API reuses as its request bodies.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    tuple_,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, delete, select

from todochat import recurrence
from todochat.clean_text import refuse_nul, strip_controls
from todochat.limits import (
    DUE_YEAR_MAX,
    DUE_YEAR_MIN,
    NOTES_MAX,
    PAGE_MAX,
    POSITION_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
)
from todochat.models import Task, due_key_of, utcnow
from todochat.recurrence import RULE_MAX, RuleError
from todochat.tasks.overdue import overdue_clause
from todochat.zones import from_naive_utc, to_naive_utc

Priority = Literal["low", "medium", "high"]
RECURRENCE_DESCRIPTION = (
    "How the task repeats: an RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU, "
    "or daily/weekdays/weekly/monthly/yearly"
)
# Any spelling ``recurrence.parse`` accepts, stored in its one spelling; a refusal says why.
Recurrence = Annotated[
    str, Field(max_length=RULE_MAX, description=RECURRENCE_DESCRIPTION), AfterValidator(recurrence.normalize)
]
Status = Literal["open", "done", "all"]
Sort = Literal["due", "priority", "created", "position"]

_TAG_RE = re.compile(r"^[\w-]+$")
_DUE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
FIRST_DUE = dt.date(DUE_YEAR_MIN, 1, 1)
LAST_DUE = dt.date(DUE_YEAR_MAX, 12, 31)
DUE_RANGE_MESSAGE = f"Due dates must be between {FIRST_DUE.isoformat()} and {LAST_DUE.isoformat()}"


class TaskError(Exception):
    """Base for errors a caller can show to the user."""


class TaskNotFound(TaskError):
    def __init__(self, task_id: Any):
        super().__init__(f"Task {task_id} not found")
        self.task_id = task_id


class InvalidRepeat(TaskError):
    """A repeat rule that cannot repeat this task (it never lands on a day from its due
    date, or is hourly without a due time). The API answers 422."""


class InvalidCursor(TaskError):
    def __init__(self) -> None:
        super().__init__("The page cursor is not valid for this listing")


# ---------------------------------------------------------------- validation


# Characters that take no space: soft hyphen, zero-width space/non-joiner/joiner, word
# joiner, invisible operators, BOM. Kept inside a title (emoji sequences need the joiner),
# but a title of nothing else is empty.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060-\u2064\ufeff\\s]")


def normalize_title(value: str) -> str:
    # NUL is refused (PostgreSQL text cannot hold it); other control characters and bidi
    # overrides are dropped, so a title never injects terminal escapes or reorders a line.
    title = " ".join(strip_controls(refuse_nul(str(value), "A title")).split())
    if not _INVISIBLE.sub("", title):  # zero-width spaces alone show as an empty row
        raise ValueError("Title must not be empty")
    if len(title) > TITLE_MAX:
        raise ValueError(f"Title must be at most {TITLE_MAX} characters")
    return title


def normalize_tag(value: str) -> str | None:
    tag = unicodedata.normalize("NFKC", str(value)).strip().lstrip("#").strip().lower()
    tag = re.sub(r"\s+", "-", tag)
    if not tag:
        return None
    if not _TAG_RE.match(tag):
        raise ValueError(f"Tag {value!r} may only contain letters, digits, '-' and '_'")
    if len(tag) > TAG_MAX:
        raise ValueError(f"Tags must be at most {TAG_MAX} characters")
    return tag


def normalize_tags(values: Iterable[str] | str | None) -> list[str]:
    """Lower-case, no '#', no duplicates, order kept: ``["#Work", "work", "Home"]`` -> work, home."""
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[,\s]+", values)
    tags: list[str] = []
    for value in values:
        tag = normalize_tag(value)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValueError(f"A task can have at most {TAGS_MAX} tags")
    return tags


def parse_due(value: Any) -> tuple[dt.date | None, dt.time | None]:
    """``None``, a date, a naive datetime, ``"YYYY-MM-DD"`` or ``"YYYY-MM-DDTHH:MM"``."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("A due time is a local wall-clock time: give it without a zone")
        return value.date(), value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        text = value.strip()
        if not _DUE_RE.match(text):
            raise ValueError("Due must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)")
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text), None
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "Due must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)"
            ) from None
        return parse_due(parsed)
    raise ValueError("Due must be a date string")


def check_due_in_range(day: dt.date | None) -> None:
    """Refuse due dates outside FIRST_DUE..LAST_DUE, so date arithmetic always has room."""
    if day is not None and not FIRST_DUE <= day <= LAST_DUE:
        raise ValueError(DUE_RANGE_MESSAGE)


def format_due(task: Task) -> str | None:
    if task.due_date is None:
        return None
    if task.due_time is None:
        return task.due_date.isoformat()
    return f"{task.due_date.isoformat()}T{task.due_time.strftime('%H:%M')}"


class _TaskFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=NOTES_MAX)

    @field_validator("title", check_fields=False)
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return None if value is None else normalize_title(value)

    @field_validator("notes", check_fields=False)
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return None if value is None else strip_controls(refuse_nul(value, "Notes"))

    @field_validator("tags", check_fields=False, mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if value is None:
            return value
        if not isinstance(value, (list, tuple, str)):
            raise ValueError("Tags must be a list of strings")
        if isinstance(value, (list, tuple)) and not all(isinstance(v, str) for v in value):
            raise ValueError("Tags must be a list of strings")
        return normalize_tags(value)

    @field_validator("due", check_fields=False, mode="before")
    @classmethod
    def _due(cls, value: Any) -> Any:
        # Both raise a readable error. Only new input is checked here: rows stored before
        # the range existed still load, list and complete (see ``recurrence.next_occurrence``).
        day, _ = parse_due(value)
        check_due_in_range(day)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value or None


class TaskCreate(_TaskFields):
    """A new task. ``due`` is ``YYYY-MM-DD`` or local ``YYYY-MM-DDTHH:MM``."""

    title: str = Field(max_length=TITLE_MAX * 4)
    notes: str = ""
    priority: Priority = "medium"
    due: str | None = None
    tags: list[str] = Field(default_factory=list)
    recurrence: Recurrence | None = None
    completed: bool = False


class TaskPatch(_TaskFields):
    """Changes to a task: only the fields present are applied; ``due: null`` clears it."""

    title: str | None = Field(default=None, max_length=TITLE_MAX * 4)
    notes: str | None = None
    priority: Priority | None = None
    due: str | None = None
    tags: list[str] | None = None
    recurrence: Recurrence | None = None
    completed: bool | None = None
    # Finite and bounded: Infinity was stored as null and broke the manual order, NaN was a 500.
    position: float | None = Field(default=None, allow_inf_nan=False, ge=-POSITION_MAX, le=POSITION_MAX)

    @field_validator("title", "notes", "priority", "tags", "completed", "position")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # ``due`` and ``recurrence`` may be cleared with null; these fields may not.
        if value is None:
            raise ValueError("may be left out, but not null")
        return value


@dataclass
class TaskFilter:
    status: Status = "all"
    priority: Priority | None = None
    tag: str | None = None
    due_before: dt.date | None = None  # strictly before
    due_after: dt.date | None = None  # strictly after
    due_on: dt.date | None = None
    overdue: bool = False
    no_due: bool = False
    search: str | None = None


@dataclass
class TaskPage:
    items: list[Task]
    next_cursor: str | None


# ---------------------------------------------------------------- sorting

_PRIORITY_RANK = {"high": 3, "medium": 2, "low": 1}

_priority_key = case(
    *((col(Task.priority) == name, rank) for name, rank in _PRIORITY_RANK.items()), else_=0
)


@dataclass(frozen=True)
class _Key:
    expr: Any
    descending: bool
    value_of: Callable[[Task], Any]
    decode: Callable[[Any], Any]
    sql_type: Any = None


def _cursor_int(v: Any) -> int:
    # A cursor comes back from the client: only what the database can compare is let through.
    if not isinstance(v, int) or isinstance(v, bool) or not -(2**31) <= v < 2**31:
        raise ValueError("not a cursor integer")
    return v


def _cursor_float(v: Any) -> float:
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not -POSITION_MAX <= float(v) <= POSITION_MAX:
        raise ValueError("not a cursor number")  # Infinity and NaN fail the comparison too
    return float(v)


def _cursor_datetime(v: Any) -> dt.datetime:
    if not isinstance(v, str) or len(v) > 40:
        raise ValueError("not a cursor time")
    return dt.datetime.fromisoformat(v)


_ID_ASC = _Key(col(Task.id), False, lambda t: t.id, _cursor_int, Integer())
_DUE_KEYS = (
    _Key(col(Task.due_key), False, lambda t: due_key_of(t.due_date, t.due_time), _cursor_datetime, DateTime()),
)
SORT_KEYS: dict[str, tuple[_Key, ...]] = {
    "due": (*_DUE_KEYS, _ID_ASC),
    "priority": (
        _Key(_priority_key, True, lambda t: _PRIORITY_RANK.get(t.priority, 0), _cursor_int, Integer()),
        *_DUE_KEYS,
        _ID_ASC,
    ),
    "created": (
        _Key(col(Task.created_at), True, lambda t: t.created_at, _cursor_datetime),
        _Key(col(Task.id), True, lambda t: t.id, _cursor_int, Integer()),
    ),
    "position": (
        _Key(col(Task.position), False, lambda t: t.position, _cursor_float, Float()),
        _ID_ASC,
    ),
}


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else value


def encode_cursor(sort: str, task: Task) -> str:
    values = [_encode(key.value_of(task)) for key in SORT_KEYS[sort]]
    raw = json.dumps({"s": sort, "k": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        keys = SORT_KEYS[sort]
        if data["s"] != sort or len(data["k"]) != len(keys):
            raise InvalidCursor()
        return [key.decode(value) for key, value in zip(keys, data["k"])]
    except (ValueError, KeyError, TypeError, OverflowError, binascii.Error):
        raise InvalidCursor() from None


def _after(keys: Sequence[_Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order ``keys``: a keyset condition, no OFFSET."""
    bounds = [literal(v, k.sql_type) if k.sql_type is not None else v for k, v in zip(keys, values)]
    if len({k.descending for k in keys}) == 1:
        # One direction: a row-value comparison, which PostgreSQL turns into an index range.
        row, bound = tuple_(*(k.expr for k in keys)), tuple_(*bounds)
        return row < bound if keys[0].descending else row > bound
    clauses = []
    for i, key in enumerate(keys):
        step = key.expr < bounds[i] if key.descending else key.expr > bounds[i]
        clauses.append(and_(*(keys[j].expr == bounds[j] for j in range(i)), step))
    # Mixed directions need the OR chain; the first key's bound still narrows the scan.
    first = keys[0].expr <= bounds[0] if keys[0].descending else keys[0].expr >= bounds[0]
    return and_(first, or_(*clauses))


# ---------------------------------------------------------------- recurrence


def is_month_end(day: dt.date) -> bool:
    # monthrange, not "tomorrow is the 1st": that would overflow on 9999-12-31.
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _plain_monthly(text: str | None) -> bool:
    """A monthly rule that names no day: it repeats on its due date's day of month."""
    try:
        rule = recurrence.parse(text or "")
    except recurrence.RuleError:
        return False
    return rule.freq == "MONTHLY" and not rule.get("BYDAY") and not rule.get("BYMONTHDAY")


# ---------------------------------------------------------------- the service


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
        where: list[ColumnElement[bool]] = [col(Task.user_id) == self.user_id]
        if flt.status == "open":
            where.append(col(Task.completed).is_(false()))
        elif flt.status == "done":
            where.append(col(Task.completed).is_(True))
        if flt.priority:
            where.append(col(Task.priority) == flt.priority)
        if flt.tag:
            tag = normalize_tag(flt.tag)
            if tag:
                where.append(col(Task.tags).like(f"% {_escape_like(tag)} %", escape="\\"))
        if flt.due_before:
            where.append(col(Task.due_date) < flt.due_before)
        if flt.due_after:
            where.append(col(Task.due_date) > flt.due_after)
        if flt.due_on:
            where.append(col(Task.due_date) == flt.due_on)
        if flt.no_due:
            where.append(col(Task.due_date).is_(None))
        if flt.overdue:
            where.append(overdue_clause(self.now_local()))
        # NUL cannot reach PostgreSQL: the API and the tools refuse it, this drops any left.
        search = (flt.search or "").replace("\x00", "")
        if search.strip():
            for word in search.split():
                pattern = f"%{_escape_like(word.lower())}%"
                where.append(
                    or_(
                        func.lower(col(Task.title)).like(pattern, escape="\\"),
                        func.lower(col(Task.notes)).like(pattern, escape="\\"),
                    )
                )
        return where

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
        if sort not in SORT_KEYS:
            raise ValueError(f"Unknown sort {sort!r}")
        limit = max(1, min(int(limit), PAGE_MAX))
        keys = SORT_KEYS[sort]
        query = select(Task).where(*self._where(flt))
        if cursor:
            query = query.where(_after(keys, decode_cursor(sort, cursor)))
        query = query.order_by(*(k.expr.desc() if k.descending else k.expr.asc() for k in keys))
        rows = list(self.session.exec(query.limit(limit + 1)).all())
        more = len(rows) > limit
        rows = rows[:limit]
        return TaskPage(rows, encode_cursor(sort, rows[-1]) if more and rows else None)

    def count(self, flt: TaskFilter | None = None) -> int:
        query = select(func.count()).select_from(Task).where(*self._where(flt or TaskFilter()))
        return int(self.session.exec(query).one())

    def tags(self) -> list[str]:
        """Every tag this user has used, alphabetically (for the filter menu)."""
        rows = self.session.exec(
            select(Task.tags).where(Task.user_id == self.user_id).distinct()
        ).all()
        return sorted({tag for row in rows for tag in row.split()})

    # -- writes

    def create(self, data: TaskCreate | dict[str, Any]) -> Task:
        data = data if isinstance(data, TaskCreate) else TaskCreate.model_validate(data)
        due_date, due_time = parse_due(data.due)
        _check_repeat(data.recurrence, due_date or self.today(), due_time)
        now = self.stamp()
        task = Task(
            user_id=self.user_id,
            title=data.title,
            notes=data.notes,
            priority=data.priority,
            due_date=due_date,
            due_time=due_time,
            tags=_store_tags(data.tags),
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
            _check_repeat(patch.recurrence if "recurrence" in fields else task.recurrence,
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
            task.tags = _store_tags(patch.tags or [])
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
        if snapshot.get("spawned_from_id") is not None:
            parent = self.session.get(Task, snapshot["spawned_from_id"])
            if parent is None or parent.user_id != self.user_id:
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
        if not task.recurrence:
            return None
        try:
            following = recurrence.next_occurrence(
                task.recurrence,
                task.due_date or self.today(),
                task.due_time,
                self.now_local().replace(tzinfo=None),
                last_day=LAST_DUE,
                anchor_day=self._anchor_day(task),
            )
        except RuleError:
            # A rule that cannot be read (written around the service): the task is done
            # all the same, as completing must always work, and the series ends.
            following = None
        if following is None:
            return None  # the series has ended: COUNT or UNTIL reached, or LAST_DUE
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

    def _anchor_day(self, task: Task) -> int | None:
        """The day a monthly task repeats on when its own due date cannot say.

        A month-end due date could be the 28th, 29th or 30th clamped to a short month.
        If the task was scheduled from a monthly one due on a day that clamps to it, that
        day is the one meant (Jan 30 -> Feb 28 -> Mar 30). ``None``: the due date's own day,
        a month's last day meaning month end (``recurrence.anchored``).
        """
        due = task.due_date
        if due is None or not _plain_monthly(task.recurrence) or not is_month_end(due):
            return None
        if task.spawned_from_id is None:
            return None
        parent = self.session.get(Task, task.spawned_from_id)
        if parent is None or parent.user_id != self.user_id or not _plain_monthly(parent.recurrence):
            return None
        if parent.due_date is None or is_month_end(parent.due_date) or parent.due_date.day < due.day:
            return None  # itself ambiguous, or not the day this one was clamped from
        return parent.due_date.day

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


def _check_repeat(rule: str | None, due_date: dt.date, due_time: dt.time | None) -> None:
    """Refuse a rule that cannot repeat a task due then (InvalidRepeat says why). An undated
    task is checked from today, the day its series would start from when completed."""
    if rule:
        try:
            recurrence.check(rule, due_date, due_time)
        except RuleError as exc:
            raise InvalidRepeat(str(exc)) from None


def _store_tags(tags: Iterable[str]) -> str:
    return " " + " ".join(tags) + " " if tags else " "


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _utc_iso(stamp: dt.datetime) -> str:
    # Stored naive in UTC; say so on the wire.
    return from_naive_utc(stamp).isoformat()


def task_to_json(task: Task) -> dict[str, Any]:
    """The task JSON of DESIGN §9, shared by the API and the CLI."""
    return {
        "id": task.id,
        "title": task.title,
        "notes": task.notes,
        "completed": task.completed,
        "priority": task.priority,
        "due": format_due(task),
        "tags": task.tag_list,
        "recurrence": task.recurrence,
        # The rule in plain English; an UNTIL date is said with its year (no "today" here).
        "recurrence_text": recurrence.describe(task.recurrence) if task.recurrence else None,
        "position": task.position,
        "created_at": _utc_iso(task.created_at),
        "updated_at": _utc_iso(task.updated_at),
        "completed_at": _utc_iso(task.completed_at) if task.completed_at else None,
    }
