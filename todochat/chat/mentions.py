"""@-mentions of tasks: which of a user's tasks match what they type after "@", and the
tag a chosen one becomes in a message.

Both chat clients use this: the official ChatKit UI through ``GET /chatkit/mentions``
(its ``entities.onTagSearch`` hook), the native composer through its state. A tag is a
ChatKit ``input_tag`` part; only ``data["task_id"]`` is read back from it, and only as a
task of the sender's (``task_id_of``): its id, title and data come from the client.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from todochat.formatting import describe_task
from todochat.limits import MENTIONS_MAX_PER_MESSAGE, SEARCH_MAX_CHARS, TASK_ID_MAX
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


def entities(found: list[Task], now_local: dt.datetime) -> list[dict[str, Any]]:
    """``entity`` of each task found, for a picker that shows titles only (the official
    UI's tag menu): tasks with the same title carry what tells them apart, worded as the
    "which one?" question words it ("pay rent, due Saturday"), else their number."""
    titles = [task.title for task in found]
    shown = []
    for task in found:
        one = entity(task)
        if titles.count(task.title) > 1:
            one["title"] = describe_task(task, now_local)
        shown.append(one)
    labels = [one["title"] for one in shown]
    for one, task in zip(shown, found):
        if labels.count(one["title"]) > 1:
            one["title"] = f"{one['title']} (#{task.id})"
    return shown


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


def tagged_task_ids(content: Any) -> list[int]:
    """The task ids a stored user message's tags name, in order (at most
    MENTIONS_MAX_PER_MESSAGE, as preflight allows): still to be checked as the user's."""
    parts = content if isinstance(content, list) else []
    tags = (part for part in parts if isinstance(part, dict) and part.get("type") == "input_tag")
    ids = (task_id for tag in tags if (task_id := task_id_of(tag.get("data"))) is not None)
    return list(dict.fromkeys(ids))[:MENTIONS_MAX_PER_MESSAGE]


def tag_part(entity_: dict[str, Any]) -> dict[str, Any]:
    """The ``input_tag`` part a chosen task (its ``entity``) becomes in a message."""
    return {
        "type": "input_tag",
        "id": entity_["id"],
        "text": entity_["title"],
        "data": entity_["data"],
        "group": entity_["group"],
        "interactive": False,
    }


def message_content(text: str, chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A message's content parts: ``text``, with each chosen task (an ``entity``) that is
    still written "@<its title>" in it as an ``input_tag`` part where it stands, in order.

    A task chosen twice is a tag twice; a chosen task whose "@title" was edited away is no
    tag (its words go as typed), nor is an "@title" typed without choosing it. "@pay" never
    takes a task called "pay" out of "@payment": the title must end at a word's end.
    """
    waiting = list(chosen)
    parts: list[dict[str, Any]] = []
    written, at = 0, text.find("@")
    while at >= 0 and waiting:
        here = [e for e in waiting if _written_at(text, at, e["title"])]
        if not here:
            at = text.find("@", at + 1)
            continue
        chosen_here = max(here, key=lambda e: len(e["title"]))  # the first of the longest
        waiting.remove(chosen_here)
        if at > written:
            parts.append({"type": "input_text", "text": text[written:at]})
        parts.append(tag_part(chosen_here))
        written = at + 1 + len(chosen_here["title"])
        at = text.find("@", written)
    if written < len(text) or not parts:
        parts.append({"type": "input_text", "text": text[written:]})
    return parts


def _written_at(text: str, at: int, title: str) -> bool:
    end = at + 1 + len(title)
    return bool(title) and text.startswith(title, at + 1) and (end == len(text) or not text[end].isalnum())


def text_of(content: list[dict[str, Any]]) -> str:
    """A message's content as the composer shows it: each tag as "@<its text>"."""
    return "".join(
        f"@{part.get('text', '')}" if part.get("type") == "input_tag" else str(part.get("text", ""))
        for part in content
    )
