"""A task as one line of facts for a language model: id, title, absolute date, state.

"#12 pay rent — due Fri 2026-12-04 15:00, high, #home, repeats every month, open"

Tool results and the conversation history both use this form. Dates are absolute, never
"tomorrow": the history is read again on later days, when "tomorrow" would be wrong.
The id lets a model refer to exactly this task ("#12") in its next call.
"""

from __future__ import annotations

from collections.abc import Iterable

from todochat import recurrence
from todochat.models import Task

# Facts are for the model's context: long titles and notes are cut, the id is what counts.
TITLE_CHARS = 160
NOTES_CHARS = 120


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def task_fact(task: Task) -> str:
    parts = []
    if task.due_date:
        when = f"{task.due_date:%a %Y-%m-%d}"
        if task.due_time:
            when += f" {task.due_time:%H:%M}"
        parts.append(f"due {when}")
    else:
        parts.append("no due date")
    parts.append(task.priority)
    if task.tag_list:
        parts.append(" ".join(f"#{tag}" for tag in task.tag_list))
    if task.recurrence:
        # In words, with an UNTIL's year (no "today" here: facts stay true on later days).
        parts.append(f"repeats {recurrence.describe(task.recurrence)}")
    if task.notes.strip():
        parts.append(f"notes: {clip(task.notes, NOTES_CHARS)}")
    parts.append("done" if task.completed else "open")
    return f"#{task.id} {clip(task.title, TITLE_CHARS)} — " + ", ".join(parts)


def task_facts(tasks: Iterable[Task]) -> str:
    return "\n".join(task_fact(task) for task in tasks)
