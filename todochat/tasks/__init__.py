"""Tasks: the only code that reads or writes them (``TaskService``), the one way to open
them for a user (``open_tasks``), and the rules every caller shares. Code outside this
package imports from here, not from its modules. See docs/architecture.md, "Tasks"."""

from todochat.models import Priority
from todochat.tasks.errors import InvalidCursor, InvalidRepeat, TaskError, TaskNotFound
from todochat.tasks.filters import Status, TaskFilter
from todochat.tasks.order import place_between
from todochat.tasks.overdue import is_overdue, overdue_clause
from todochat.tasks.paging import Sort, TaskPage, encode_cursor
from todochat.tasks.service import TaskService
from todochat.tasks.task_json import format_due, task_to_json
from todochat.tasks.unit_of_work import open_tasks, wrote_tasks
from todochat.tasks.validation import (
    DUE_RANGE_MESSAGE,
    FIRST_DUE,
    LAST_DUE,
    RECURRENCE_DESCRIPTION,
    Recurrence,
    TaskCreate,
    TaskPatch,
    normalize_tag,
    normalize_tags,
    parse_due,
)

__all__ = [
    "DUE_RANGE_MESSAGE",
    "FIRST_DUE",
    "LAST_DUE",
    "RECURRENCE_DESCRIPTION",
    "InvalidCursor",
    "InvalidRepeat",
    "Priority",
    "Recurrence",
    "Sort",
    "Status",
    "TaskCreate",
    "TaskError",
    "TaskFilter",
    "TaskNotFound",
    "TaskPage",
    "TaskPatch",
    "TaskService",
    "encode_cursor",
    "format_due",
    "is_overdue",
    "normalize_tag",
    "normalize_tags",
    "open_tasks",
    "wrote_tasks",
    "overdue_clause",
    "parse_due",
    "place_between",
    "task_to_json",
]
