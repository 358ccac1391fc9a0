"""What update_task (and a choice card's button) asks to change, as a TaskPatch against the task.

The model says what to change in the tool's words — a new due date that keeps the
task's time, a shift by "P2D", tags to add and remove — and ``patch_from_changes`` turns
that into the service's patch for one task as it is now.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from todochat.chat.task_facts import clip
from todochat.limits import NOTES_MAX, TAGS_MAX, TITLE_MAX
from todochat.models import Task
from todochat.tasks import (
    DUE_RANGE_MESSAGE,
    FIRST_DUE,
    LAST_DUE,
    Priority,
    Recurrence,
    TaskPatch,
    normalize_tags,
    parse_due,
)


class TaskChanges(BaseModel):
    """update_task's arguments, as carried by a choice card's buttons."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=TITLE_MAX)
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    due: str | None = None
    clear_due: bool = False
    shift_due: str | None = Field(default=None, max_length=40)
    clear_time: bool = False
    priority: Priority | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=TAGS_MAX)
    remove_tags: list[str] = Field(default_factory=list, max_length=TAGS_MAX)
    recurrence: Recurrence | None = None
    clear_recurrence: bool = False


# A shift of the due date, ISO 8601 style: "P2D", "-P1W", "P1M", "+P1Y2M", "P1W3D".
_SHIFT = re.compile(r"([+-]?)P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?")
SHIFT_MAX_DAYS = 3650
SHIFT_HELP = (
    'shift_due is a signed ISO 8601 duration such as "P2D" (2 days later), "-P1W" (a week earlier), '
    f'"P1M" or "P1Y", at most {SHIFT_MAX_DAYS} days either way'
)


def shift_of(text: str) -> relativedelta:
    """``shift_due`` as a relativedelta; ValueError, in words a model can act on, otherwise."""
    match = _SHIFT.fullmatch(text.strip().upper())
    if not match or not any(match.groups()[1:]):
        raise ValueError(f"shift_due {clip(text, 40)!r} is not a duration: {SHIFT_HELP}. Nothing was changed")
    sign = -1 if match.group(1) == "-" else 1
    years, months, weeks, days = (int(g or 0) for g in match.groups()[1:])
    if years * 366 + months * 31 + weeks * 7 + days > SHIFT_MAX_DAYS:
        raise ValueError(f"shift_due {clip(text, 40)!r} is too far: {SHIFT_HELP}. Nothing was changed")
    return sign * relativedelta(years=years, months=months, weeks=weeks, days=days)


def _due_text(day: dt.date, time: dt.time | None) -> str:
    return day.isoformat() if time is None else f"{day.isoformat()}T{time:%H:%M}"


def patch_from_changes(task: Task, changes: dict[str, Any], today: dt.date) -> tuple[TaskPatch, str]:
    """The update_task tool's arguments as a TaskPatch (tags added/removed against the task's
    own), and a note for the sentence ("" mostly).

    - ``shift_due`` moves the task's own due date, keeping its time; a task without one is
      shifted from today, and the note says so.
    - A new ``due`` without a time keeps the task's time ("move it to friday" keeps 15:00),
      as Todoist does; ``clear_time`` drops it ("remove the time"). The REST API does not
      do this: there a date-only due is date-only.
    """
    changes = TaskChanges.model_validate(changes).model_dump()
    patch: dict[str, Any] = {}
    note = ""
    for field in ("title", "notes", "priority", "due", "recurrence"):
        if changes.get(field) is not None:
            patch[field] = changes[field]
    shift = changes.get("shift_due")
    if shift is not None and (changes.get("due") is not None or changes.get("clear_due")):
        raise ValueError("Give either due, shift_due or clear_due, not two of them. Nothing was changed")
    if changes.get("clear_due"):
        patch["due"] = None
    if changes.get("clear_recurrence"):
        if changes.get("recurrence") is not None:
            raise ValueError("Give either recurrence or clear_recurrence, not both. Nothing was changed")
        patch["recurrence"] = None
    if shift is not None:
        offset = shift_of(shift)
        start = task.due_date or today
        if task.due_date is None:
            note = " It had no due date, so I counted from today."
        try:
            day = start + offset
        except (OverflowError, ValueError):
            day = None
        if day is None or not FIRST_DUE <= day <= LAST_DUE:
            raise ValueError(
                f"Shifting {start.isoformat()} by {shift} would leave the due range: {DUE_RANGE_MESSAGE}. Nothing was changed"
            )
        patch["due"] = _due_text(day, task.due_time)
    elif patch.get("due") is not None:
        day, time = parse_due(patch["due"])
        if changes.get("clear_time"):
            patch["due"] = _due_text(day, None)
        elif time is None and task.due_time is not None:
            patch["due"] = _due_text(day, task.due_time)
    elif changes.get("clear_time") and not changes.get("clear_due"):
        if task.due_date is not None and task.due_time is not None:
            patch["due"] = _due_text(task.due_date, None)
        elif not patch:
            raise ValueError("it has no due time to remove. Nothing was changed")
    add, remove = changes.get("add_tags") or [], changes.get("remove_tags") or []
    if add or remove:
        tags = [t for t in task.tag_list if t not in set(normalize_tags(remove))]
        patch["tags"] = tags + [t for t in normalize_tags(add) if t not in tags]
    if not patch:
        raise ValueError("Tell me what to change: a new title, date, priority, tags or repeat")
    return TaskPatch.model_validate(patch), note
