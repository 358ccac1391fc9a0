"""How dates and tasks read to a person: "Today", "Tomorrow 3:00 PM", "Fri", "Dec 3",
"Jan 5, 2027"; "pay rent, due Fri, high priority, #home"."""

from __future__ import annotations

import datetime as dt

from todochat import recurrence
from todochat.models import Task


def due_label(due_date: dt.date | None, due_time: dt.time | None, today: dt.date) -> str:
    if due_date is None:
        return ""
    delta = (due_date - today).days
    if delta == 0:
        day = "Today"
    elif delta == 1:
        day = "Tomorrow"
    elif delta == -1:
        day = "Yesterday"
    elif 1 < delta < 7:
        day = due_date.strftime("%A")
    elif due_date.year == today.year:
        day = f"{due_date.strftime('%b')} {due_date.day}"
    else:
        day = f"{due_date.strftime('%b')} {due_date.day}, {due_date.year}"
    if due_time is None:
        return day
    hour = due_time.hour % 12 or 12
    return f"{day} {hour}:{due_time.minute:02d} {'AM' if due_time.hour < 12 else 'PM'}"


def describe_task(task: Task, now_local: dt.datetime) -> str:
    """One line of text for a task, for copy text, choice labels and replies."""
    parts = [task.title]
    if task.due_date:
        parts.append(f"due {due_label(task.due_date, task.due_time, now_local.date())}")
    if task.priority != "medium":
        parts.append(f"{task.priority} priority")
    if task.recurrence:
        parts.append(recurrence.describe(task.recurrence, now_local.date()))
    if task.tag_list:
        parts.append(" ".join(f"#{t}" for t in task.tag_list))
    if task.completed:
        parts.append("done")
    return ", ".join(parts)
