"""The errors of the tasks package a caller can show to the user (the API maps each to a
status: see todochat/api/errors.py)."""

from __future__ import annotations

from typing import Any


class TaskError(Exception):
    """Base for errors a caller can show to the user."""


class TaskNotFound(TaskError):
    """No such task of this user: another user's task is "not found" too."""

    def __init__(self, task_id: Any):
        super().__init__(f"Task {task_id} not found")
        self.task_id = task_id


class InvalidRepeat(TaskError):
    """A repeat rule that cannot repeat this task (it never lands on a day from its due
    date, or is hourly without a due time). The API answers 422."""


class InvalidCursor(TaskError):
    def __init__(self) -> None:
        super().__init__("The page cursor is not valid for this listing")
