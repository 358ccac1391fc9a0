"""The ids a card is built with and later read back by: one format, one owner.

The builders (``widgets``) name a task's row, a task's card and a card's own Undo
button with these; the code that reads a stored card again — its tasks for a refresh
or for the model's history, its Undo for an action — finds them with the same
functions, so the two sides cannot drift apart. The formats are stored in every
conversation ever saved: changing one would orphan the cards already kept.
"""

from __future__ import annotations

import re
from typing import Any

from todochat.chat.widget_tree import walk

_ROW_ID = re.compile(r"^task_(\d+)_row$")


def row_id(task_id: int) -> str:
    """The id of the row that shows a task, on every card (live or deleted)."""
    return f"task_{task_id}_row"


def row_task_id(node: dict) -> int | None:
    """The task a component shows if it is a task's row (see ``row_id``), else None."""
    match = _ROW_ID.match(str(node.get("id", "")))
    return int(match.group(1)) if match else None


def deleted_row_key(task_id: int) -> str:
    """The key of a row that shows its task as deleted (with that delete's Undo)."""
    return f"deleted_task_{task_id}"


def task_card_id(task_id: int) -> str:
    return f"task_{task_id}_card"


def undo_button_id(card_id: str) -> str:
    """The id of a card's own Undo button (the one in its footer), from the card's id."""
    if card_id.startswith("task_") and card_id.endswith("_card"):
        return f"undo_{card_id.removesuffix('_card')}_button"
    return f"undo_{card_id}_button"


def task_ids_in(tree: Any) -> list[int]:
    """Ids of the tasks whose rows a card shows, in order."""
    return [task_id for node in walk(tree) if (task_id := row_task_id(node)) is not None]
