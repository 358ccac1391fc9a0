"""@-mentions of tasks: which of a user's tasks match what they type after "@", and the
tag a chosen one becomes in a message.

Both chat clients use this: the official ChatKit UI through ``GET /chatkit/mentions``
(its ``entities.onTagSearch`` hook), the native composer through its state. A tag is a
ChatKit ``input_tag`` part; only ``data["task_id"]`` is read back from it, and only as a
task of the sender's (``task_id_of``): its id, title and data come from the client.
"""

from __future__ import annotations

import re
from typing import Any

from todochat.limits import SEARCH_MAX_CHARS, TASK_ID_MAX
from todochat.models import Task
from todochat.tasks import TaskFilter, TaskService

MENTIONS_MAX = 10  # suggestions one search returns: what fits a picker without scrolling
TAG_ID_PREFIX = "task_"
GROUP_OPEN, GROUP_DONE = "Open", "Done"
_TASK_ID = re.compile(r"^[1-9][0-9]{0,9}$")


def search(tasks: TaskService, query: str, limit: int = MENTIONS_MAX) -> list[Task]:
    """The user's tasks whose title or notes hold every word typed, open ones first (soonest
    due first), then done ones; with nothing typed yet, the open ones."""
    words = " ".join((query or "").replace("\x00", "")[:SEARCH_MAX_CHARS].split())
    limit = max(1, min(limit, MENTIONS_MAX))
    found = tasks.list(TaskFilter(status="open", search=words or None), sort="due", limit=limit).items
    if len(found) < limit and words:
        found += tasks.list(TaskFilter(status="done", search=words), sort="due", limit=limit - len(found)).items
    return found


def entity(task: Task) -> dict[str, Any]:
    """A task as ChatKit's ``Entity`` (what ``onTagSearch`` returns) and as the
    ``input_tag`` part the message carries once it is chosen (id, text, data, group)."""
    return {
        "id": f"{TAG_ID_PREFIX}{task.id}",
        "title": task.title,
        "group": GROUP_DONE if task.completed else GROUP_OPEN,
        "interactive": False,
        "data": {"task_id": str(task.id)},
    }


def task_id_of(tag_data: Any) -> int | None:
    """The task id a tag names (``data.task_id``, a string, as ChatKit entity data is), or
    None when it names none or an impossible one. Still to be checked as the user's."""
    value = tag_data.get("task_id") if isinstance(tag_data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _TASK_ID.match(value):
        return None
    task_id = int(value)
    return task_id if task_id <= TASK_ID_MAX else None
