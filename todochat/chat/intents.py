"""One thing done to one task — complete, reopen, delete or update — with its Undo, in one transaction.

The tools (after finding the task a person means) and the buttons (a row's checkbox or
bin, a choice card's option) both act through ``apply_intent``; what it did comes back
as an ``Applied``, which ``result_cards.result_card`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from todochat.chat import undo as undo_actions
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.snapshots import snapshot_of
from todochat.chat.task_changes import patch_from_changes
from todochat.chat.task_facts import task_fact
from todochat.models import Task
from todochat.tasks import TaskService

Intent = Literal["complete", "reopen", "delete", "update"]


@dataclass(frozen=True)
class Applied:
    """What ``apply_intent`` did to one task.

    ``task`` is the task now (None once deleted). ``undo`` is what the card's Undo needs:
    a token payload, or for a delete the deleted row (``undo.remember_deleted``); None
    when nothing changed (completing a task already done). ``sentence`` says it to the model.
    """

    task: Task | None
    undo: dict | None
    sentence: str


async def apply_intent(ctx: RequestContext, intent: Intent, task_id: int, changes: dict | None) -> Applied:
    """Do one thing to one task, and remember how to undo it, in one transaction."""

    def work(tasks: TaskService) -> Applied:
        task = tasks.get(task_id)
        before = snapshot_of(task)

        def undo() -> dict:
            return undo_actions.remember(tasks, intent, task_id=task_id, before=before)

        if intent == "complete":
            if task.completed:
                return Applied(task, None, f"{task_fact(task)} was already done.")
            task, spawned = tasks.complete(task_id)
            extra = f" Next one: {task_fact(spawned)}." if spawned else ""
            return Applied(task, undo(), f"Marked #{task.id} “{task.title}” as done.{extra}")
        if intent == "reopen":
            if not task.completed:
                return Applied(task, None, f"{task_fact(task)} is already open.")
            task = tasks.reopen(task_id)
            return Applied(task, undo(), f"Reopened {task_fact(task)}.")
        if intent == "delete":
            fact = task_fact(task)
            deleted = undo_actions.remember_deleted(tasks, task)
            tasks.delete(task_id)
            return Applied(None, deleted, f"Deleted {fact.removesuffix(', open').removesuffix(', done')}.")
        if intent == "update":
            patch, note = patch_from_changes(task, changes or {}, tasks.today())
            updated = tasks.update(task_id, patch)
            return Applied(updated, undo(), f"Updated {task_fact(updated)}.{note}")
        raise ValueError(f"Unknown intent {intent!r}")

    return await in_db(ctx, work)
