"""The ids a card is built with and later read back by: one format, one owner.

The builders (``widgets``) name a task's row, its title, a task's card, a choice card's
buttons, a list's counts, a bulk confirmation's button and a card's own Undo with
these; the code that reads a stored card again — its tasks for a refresh or for the
model's history, its Undo for an action — finds them with the same functions, so the
two sides cannot drift apart. The formats are stored in every
conversation ever saved: changing one would orphan the cards already kept.
"""

from __future__ import annotations

import re
from typing import Any

from todochat.chat.widget_tree import walk

_ROW_ID = re.compile(r"^task_(\d+)_row$")
_TITLE_ID = re.compile(r"^task_(\d+)_title_text$")
_CHOICE_ID = re.compile(r"^choose_task_(\d+)_button$")

# A list card's counts ("3 tasks"), which the model's history adds to the card's heading.
COUNTS_CAPTION_ID = "task_list_counts_caption"
# A bulk confirmation's confirm button, whose action's payload holds the tasks' ids.
BULK_CONFIRM_BUTTON_ID = "bulk_confirm_button"


def _task_id(pattern: re.Pattern[str], node: dict) -> int | None:
    match = pattern.match(str(node.get("id", "")))
    return int(match.group(1)) if match else None


def row_id(task_id: int) -> str:
    """The id of the row that shows a task, on every card (live or deleted)."""
    return f"task_{task_id}_row"


def row_task_id(node: dict) -> int | None:
    """The task a component shows if it is a task's row (see ``row_id``), else None."""
    return _task_id(_ROW_ID, node)


def title_text_id(task_id: int) -> str:
    """The id of the text that shows a task's title in its row (live or deleted)."""
    return f"task_{task_id}_title_text"


def title_task_id(node: dict) -> int | None:
    """The task whose title a component shows (see ``title_text_id``), else None."""
    return _task_id(_TITLE_ID, node)


def choice_button_id(task_id: int) -> str:
    """The id of a choice card's button that picks a task."""
    return f"choose_task_{task_id}_button"


def choice_task_id(node: dict) -> int | None:
    """The task a component picks if it is a choice button (see ``choice_button_id``), else None."""
    return _task_id(_CHOICE_ID, node)


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
