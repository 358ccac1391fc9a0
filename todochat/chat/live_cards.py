"""Cards as the tasks are now: every task row re-rendered from the database when read.

A card stored in a conversation is a snapshot of the moment it was made. Tasks change
elsewhere (the side panel, the Tasks page, the API, another device), so whatever hands
a card to a client — the store reading a page of items for ``items.list`` or a thread,
an action re-rendering the card it came from — passes it through here first: rows show
each task as it is, a deleted task shows as deleted, and an Undo that could no longer
run (used, expired, or its task changed since) is not offered.

All cards of a page are refreshed with two queries (their tasks, their undos).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from chatkit.types import ThreadItem, WidgetItem

from todochat.chat import undo as undo_actions
from todochat.chat import widget_tree, widgets
from todochat.chat.card_ids import deleted_row_key, row_task_id, task_ids_in
from todochat.chat.undo_buttons import keep_undo_buttons, undo_tokens_in
from todochat.models import Task
from todochat.tasks import TaskService


def refresh_trees(
    trees: Sequence[dict],
    tasks: TaskService,
    deleted: dict[int, dict] | None = None,
    moved: dict[int, Task] | None = None,
) -> list[dict]:
    """Each card tree re-rendered; ``deleted`` as in ``refresh_rows``; ``moved`` maps a
    row's old task id to the task it shows now (restored under a new id)."""
    wanted = {task_id for tree in trees for task_id in task_ids_in(tree)}
    found = {t.id: t for t in tasks.get_many(wanted)}
    for old_id, task in (moved or {}).items():
        found[old_id] = task
    now = tasks.now_local()
    rendered = [refresh_rows(tree, found, deleted or {}, now) for tree in trees]
    usable = undo_actions.still_applies(tasks, [t for tree in rendered for t in undo_tokens_in(tree)])
    return [keep_undo_buttons(tree, usable) for tree in rendered]


def refresh_rows(tree: dict, tasks: dict[int, Task], deleted: dict[int, dict], now_local: dt.datetime) -> dict:
    """A copy of a card with every task row re-rendered from the database.

    ``tasks`` holds the rows' current tasks; a row whose task is gone shows as deleted
    (with Undo when ``deleted`` has it, from ``undo.remember_deleted``), so an old card
    never claims a task still exists or still looks the way it did.
    """

    def row_now(node: dict) -> dict | None:
        task_id = row_task_id(node)
        if task_id is None:
            return None
        if task_id in tasks:
            return widgets.task_row(tasks[task_id], now_local)
        if task_id in deleted:
            return widgets.deleted_row(deleted[task_id])
        if node.get("key") == deleted_row_key(task_id):
            return node  # already shown as deleted, with its Undo
        return widgets.gone_row(task_id)

    return widget_tree.replace(tree, row_now)


def refresh_items(items: Sequence[ThreadItem], tasks: TaskService) -> list[ThreadItem]:
    """The same items, with every task card showing its tasks as they are now."""
    cards = [
        (i, item.widget.model_dump(mode="json", exclude_none=True))
        for i, item in enumerate(items)
        if isinstance(item, WidgetItem)
    ]
    cards = [(i, tree) for i, tree in cards if task_ids_in(tree) or undo_tokens_in(tree)]
    if not cards:
        return list(items)
    fresh = refresh_trees([tree for _, tree in cards], tasks)
    out = list(items)
    for (i, old), new in zip(cards, fresh):
        if new != old:
            out[i] = items[i].model_copy(update={"widget": widgets.root(new)})
    return out
