"""Pressing Undo: the change behind a token is undone, unless that would lose later work.

The button sends only its token (``undo.remember`` made it); what it undoes is read
here from the server's copy, for this user only. An add is undone by deleting the tasks
it added, a delete by restoring the task, a change by putting the task back as it was;
a task changed again since (``undo.changed_since``) is kept, and the reply says why.
"""

from __future__ import annotations

from pydantic import ValidationError

from todochat.chat import undo as undo_actions
from todochat.chat.action_outcome import ActionError, Outcome, show_as_now
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.live_cards import refresh_trees
from todochat.chat.snapshots import restore_deleted, revert_to
from todochat.chat.tool_errors import first_error
from todochat.chat.undo_buttons import without_own_undo
from todochat.models import Task
from todochat.tasks import TaskError, TaskNotFound, TaskService

async def press_undo(ctx: RequestContext, token: str, tree: dict | None) -> Outcome:
    """Undo what ``token`` stands for; the card (if any) shows its tasks as they now are."""

    def work(tasks: TaskService) -> tuple[dict | None, str]:
        try:
            kind, data = undo_actions.take(tasks, token)
        except undo_actions.UndoExpired:
            raise ActionError("There is nothing to undo here any more.", not_found=True) from None
        deleted: dict[int, dict] = {}
        moved: dict[int, Task] = {}
        if kind == "add":
            sentence = _undo_add(tasks, data, deleted)
        elif kind == "delete":
            task = restore_deleted(tasks, data["snapshot"])
            sentence = f"Restored “{task.title}”."
            # If its old id was taken meanwhile, the card's row now shows the new one.
            moved[int(data["snapshot"]["id"])] = task
        else:
            current = _get(tasks, data["task_id"], lock=True)
            if current is None:
                raise ActionError("That task no longer exists.", not_found=True)
            if undo_actions.changed_since(data, {current.id: current}):
                raise ActionError(_would_lose([current], ""), refused=True)
            task = revert_to(tasks, data["task_id"], data["before"])
            sentence = f"Undone: “{task.title}” is back as it was."
        new_tree = None
        if tree is not None:
            new_tree = refresh_trees([without_own_undo(tree)], tasks, deleted, moved)[0]
        return new_tree, sentence

    try:
        new_tree, sentence = await in_db(ctx, work)
    except ActionError as exc:
        if (exc.not_found or exc.refused) and tree is not None:
            return await show_as_now(ctx, tree, exc.message)
        raise
    except (TaskError, ValidationError, ValueError) as exc:
        raise ActionError(f"I couldn't undo that: {first_error(exc)}") from None
    return Outcome(new_tree, sentence)


def _undo_add(tasks: TaskService, data: dict, deleted: dict[int, dict]) -> str:
    """Delete the tasks an add made, but those changed since; ``deleted`` gets their rows."""
    # Locked from the check to the write: an edit landing in between waits, then is seen.
    owned = {t.id: t for t in tasks.get_many(data["task_ids"], lock=True)}
    if not owned:
        raise ActionError("Those tasks no longer exist.", not_found=True)
    changed = set(undo_actions.changed_since(data, owned))
    kept = [owned[i] for i in sorted(changed)]
    if len(kept) == len(owned):
        raise ActionError(_would_lose(kept, " it was added" if len(kept) == 1 else " they were added"), refused=True)
    for task_id in sorted(set(owned) - changed):
        deleted[task_id] = undo_actions.remember_deleted(tasks, owned[task_id])
        tasks.delete(task_id)
    sentence = "Undone: removed " + ", ".join(f"“{d['title']}”" for d in deleted.values()) + "."
    if kept:
        sentence += " Kept " + ", ".join(f"“{t.title}”" for t in kept) + ": changed since it was added."
    return sentence


def _would_lose(tasks: list[Task], since: str) -> str:
    names = ", ".join(f"“{t.title}”" for t in tasks)
    verb = "has" if len(tasks) == 1 else "have"
    return f"Not undone: {names} {verb} changed since{since}, and undoing would lose that. Nothing was changed."


def _get(tasks: TaskService, task_id: int, *, lock: bool = False) -> Task | None:
    try:
        return tasks.get(task_id, lock=lock)
    except TaskNotFound:
        return None
