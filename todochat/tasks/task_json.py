"""A task as JSON, the one shape the REST API and the CLI both send (docs/architecture.md,
"Tasks")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from todochat import recurrence
from todochat.models import Task
from todochat.zones import from_naive_utc


def format_due(task: Task) -> str | None:
    """``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` in the user's local time; None when undated."""
    if task.due_date is None:
        return None
    if task.due_time is None:
        return task.due_date.isoformat()
    return f"{task.due_date.isoformat()}T{task.due_time.strftime('%H:%M')}"


def _utc_iso(stamp: dt.datetime) -> str:
    # Stored naive in UTC; say so on the wire.
    return from_naive_utc(stamp).isoformat()


def task_to_json(task: Task) -> dict[str, Any]:
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
