"""Tasks: the only code that reads or writes them (``service``), and the one way to open
them for a user (``unit_of_work.open_tasks``). See docs/architecture.md, "Tasks"."""

from todochat.tasks.service import (
    InvalidCursor,
    InvalidRepeat,
    TaskCreate,
    TaskError,
    TaskFilter,
    TaskNotFound,
    TaskPage,
    TaskPatch,
    TaskService,
    task_to_json,
)
from todochat.tasks.unit_of_work import open_tasks

__all__ = [
    "InvalidCursor",
    "InvalidRepeat",
    "TaskCreate",
    "TaskError",
    "TaskFilter",
    "TaskNotFound",
    "TaskPage",
    "TaskPatch",
    "TaskService",
    "open_tasks",
    "task_to_json",
]
