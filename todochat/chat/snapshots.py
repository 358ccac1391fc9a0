"""A task's state as JSON, so a card's Undo can put it back exactly as it was.

Snapshots travel inside action payloads (to the client and back), so restoring one
validates it like any other input and always writes to the acting user's tasks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from todochat.limits import NOTES_MAX, POSITION_MAX, TAGS_MAX, TASK_ID_MAX, TITLE_MAX
from todochat.models import DEFAULT_PRIORITY, Task, encode_tags
from todochat.tasks import (
    Priority,
    Recurrence,
    TaskPatch,
    TaskService,
    parse_due,
    task_to_json,
)
from todochat.zones import to_naive_utc


def snapshot_of(task: Task) -> dict[str, Any]:
    # The task JSON of the API and the CLI: everything Undo needs, in one shape.
    return task_to_json(task)


class Snapshot(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int = Field(ge=1, le=TASK_ID_MAX)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    notes: str = Field(default="", max_length=NOTES_MAX)
    completed: bool = False
    priority: Priority = DEFAULT_PRIORITY
    due: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=TAGS_MAX)
    recurrence: Recurrence | None = None
    position: float = Field(default=0.0, allow_inf_nan=False, ge=-POSITION_MAX, le=POSITION_MAX)
    created_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None


def restore_deleted(tasks: TaskService, snapshot: dict[str, Any]) -> Task:
    """Undo a delete: the task comes back with its id (if still free) and fields."""
    snap = Snapshot.model_validate(snapshot)
    due_date, due_time = parse_due(snap.due)
    return tasks.restore(
        {
            "id": snap.id,
            "title": snap.title,
            "notes": snap.notes,
            "completed": snap.completed,
            "priority": snap.priority,
            "due_date": due_date,
            "due_time": due_time,
            "tags": encode_tags(TaskPatch(tags=snap.tags).tags or []),
            "recurrence": snap.recurrence,
            "position": snap.position,
            "created_at": to_naive_utc(snap.created_at) if snap.created_at else tasks.stamp(),
            "updated_at": tasks.stamp(),
            "completed_at": to_naive_utc(snap.completed_at) if snap.completed_at else None,
        }
    )


def revert_to(tasks: TaskService, task_id: int, snapshot: dict[str, Any]) -> Task:
    """Undo an update, completion or reopening: put the editable fields back."""
    snap = Snapshot.model_validate(snapshot)
    return tasks.update(
        task_id,
        TaskPatch(
            title=snap.title,
            notes=snap.notes,
            priority=snap.priority,
            due=snap.due,
            tags=snap.tags,
            recurrence=snap.recurrence,
            completed=snap.completed,
        ),
    )
