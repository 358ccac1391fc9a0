"""Widget buttons: validate the payload, act through TaskService, re-render the card.

Every action type has a pydantic payload model. A payload that does not validate, an
unknown type, or a task that is not the user's raises ``ActionError`` before anything
changes; the server turns that into a ChatKit ``error`` event (or a JSON error for
sync actions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any, Literal

from chatkit.types import (
    Action,
    AssistantMessageContent,
    AssistantMessageItem,
    ThreadItemDoneEvent,
    ThreadItemReplacedEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    WidgetItem,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from todochat.chat import undo as undo_actions
from todochat.chat import widgets
from todochat.chat.context import RequestContext
from todochat.chat.snapshots import restore_deleted, revert_to
from todochat.chat.tools import (
    BULK_MAX,
    ListQuery,
    TaskChanges,
    apply_intent,
    card_after,
    every_match,
    first_error,
    in_db,
    list_card,
    list_page,
    to_filter,
)
from todochat.models import Task
from todochat.tasks import TaskError, TaskNotFound, TaskService

TaskId = Field(ge=1, le=2**31 - 1)


class ActionError(Exception):
    def __init__(self, message: str, *, not_found: bool = False):
        super().__init__(message)
        self.message = message
        self.not_found = not_found


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRef(_Payload):
    task_id: int = TaskId


class UndoPayload(_Payload):
    # Only a token: what Undo does stays on the server (chat/undo.py), never the client's say.
    token: str = Field(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class MorePayload(_Payload):
    query: ListQuery
    cursor: str = Field(min_length=1, max_length=2000)


class BulkPayload(_Payload):
    action: Literal["complete", "delete"]
    ids: list[int] = Field(min_length=1, max_length=500)
    # What the user confirmed: a task that stopped matching since is left alone.
    query: ListQuery


class CancelPayload(_Payload):
    action: str | None = None
    intent: str | None = None


class ChoosePayload(_Payload):
    intent: Literal["complete", "reopen", "delete", "update"]
    task_id: int = TaskId
    changes: TaskChanges = Field(default_factory=TaskChanges)


PAYLOADS: dict[str, type[BaseModel]] = {
    "task.complete": TaskRef,
    "task.reopen": TaskRef,
    "task.delete": TaskRef,
    "task.undo": UndoPayload,
    "task.choose": ChoosePayload,
    "task.choose_cancel": CancelPayload,
    "tasks.more": MorePayload,
    "tasks.bulk_confirm": BulkPayload,
    "tasks.bulk_cancel": CancelPayload,
}


def parse(action: Action[str, Any]) -> BaseModel:
    model = PAYLOADS.get(action.type)
    if model is None:
        raise ActionError(f"Unknown action “{action.type}”.")
    try:
        return model.model_validate(action.payload or {})
    except ValidationError as exc:
        raise ActionError(f"That button sent something I can't use ({first_error(exc)}).") from None


# ---------------------------------------------------------------- outcomes


class Outcome:
    """What an action produced: the card's new tree, a sentence, and maybe a new card."""

    def __init__(self, tree: dict | None, note: str, extra_card=None, extra_copy: str | None = None):
        self.tree = tree
        self.note = note
        self.extra_card = extra_card
        self.extra_copy = extra_copy


def _refresh(
    tree: dict, tasks: TaskService, deleted: dict[int, dict] | None = None, moved: dict[int, Task] | None = None
) -> dict:
    """Re-render every row of ``tree``; ``moved`` maps a row's old task id to the task it shows now."""
    current = {}
    for task_id in widgets.task_ids_in(tree):
        task = (moved or {}).get(task_id) or _get(tasks, task_id)
        if task is not None:
            current[task_id] = task
    return widgets.refresh_rows(tree, current, deleted or {}, tasks.now_local())


async def run(
    ctx: RequestContext, action: Action[str, Any], sender: WidgetItem | None
) -> Outcome:
    """Validate and apply one action; raises ``ActionError`` with nothing changed on bad input."""
    payload = parse(action)
    tree = sender.widget.model_dump(mode="json", exclude_none=True) if sender else None

    if isinstance(payload, TaskRef):
        intent = action.type.removeprefix("task.")
        try:
            done = await apply_intent(ctx, intent, payload.task_id, None)
        except TaskNotFound:
            return await _gone(ctx, tree)
        deleted = {payload.task_id: done.undo} if done.task is None else {}
        new_tree = await in_db(ctx, lambda tasks: _refresh(tree, tasks, deleted)) if tree else None
        return Outcome(new_tree, done.sentence)

    if isinstance(payload, ChoosePayload):
        try:
            done = await apply_intent(ctx, payload.intent, payload.task_id, payload.changes.model_dump())
        except TaskNotFound:
            if tree is None:
                raise ActionError("That task no longer exists.", not_found=True) from None
            note = widgets.note_card("That task no longer exists.", card_id=str(tree.get("id", "choose_task_card")))
            return Outcome(note.model_dump(mode="json", exclude_none=True), "That task no longer exists.")
        except (TaskError, ValidationError, ValueError) as exc:
            raise ActionError(f"I couldn't do that: {first_error(exc)}") from None
        card, _copy = card_after(payload.intent, done, ctx.now_local())
        return Outcome(card.model_dump(mode="json", exclude_none=True), done.sentence)

    if isinstance(payload, UndoPayload):
        return await _undo(ctx, payload, tree)

    if isinstance(payload, MorePayload):
        try:
            items, total, more = await in_db(ctx, lambda tasks: list_page(tasks, payload.query, payload.cursor))
        except (TaskError, ValueError) as exc:
            raise ActionError(first_error(exc)) from None
        card = list_card(payload.query, items, total, more, ctx.now_local())
        trimmed = widgets.remove_component(tree, "show_more_button") if tree else None
        return Outcome(trimmed, "", extra_card=card, extra_copy="\n".join(t.title for t in items))

    if isinstance(payload, BulkPayload):
        return await _bulk(ctx, payload)

    if isinstance(payload, CancelPayload):
        card_id = (tree or {}).get("id", "cancelled_card")
        note = widgets.note_card("Cancelled — nothing was changed.", card_id=card_id)
        return Outcome(note.model_dump(mode="json", exclude_none=True), "OK, nothing was changed.")

    raise ActionError(f"Unknown action “{action.type}”.")


async def _undo(ctx: RequestContext, payload: UndoPayload, tree: dict | None) -> Outcome:
    def work(tasks: TaskService):
        try:
            kind, data = undo_actions.take(tasks, payload.token)
        except undo_actions.UndoExpired:
            raise ActionError("There is nothing to undo here any more.", not_found=True) from None
        deleted: dict[int, dict] = {}
        moved: dict[int, Task] = {}
        if kind == "add":
            owned = tasks.get_many(data["task_ids"])
            if not owned:
                raise ActionError("Those tasks no longer exist.", not_found=True)
            for task in sorted(owned, key=lambda t: t.id):
                deleted[task.id] = undo_actions.remember_deleted(tasks, task)
                tasks.delete(task.id)
            sentence = "Undone: removed " + ", ".join(f"“{d['title']}”" for d in deleted.values()) + "."
        elif kind == "delete":
            task = restore_deleted(tasks, data["snapshot"])
            sentence = f"Restored “{task.title}”."
            # If its old id was taken meanwhile, the card's row now shows the new one.
            moved[int(data["snapshot"]["id"])] = task
        else:
            if _get(tasks, data["task_id"]) is None:
                raise ActionError("That task no longer exists.", not_found=True)
            task = revert_to(tasks, data["task_id"], data["before"])
            sentence = f"Undone: “{task.title}” is back as it was."
        new_tree = None
        if tree is not None:
            new_tree = _refresh(widgets.remove_component(tree, _undo_button_id(tree)), tasks, deleted, moved)
        return new_tree, sentence

    try:
        new_tree, sentence = await in_db(ctx, work)
    except ActionError as exc:
        if exc.not_found and tree is not None:
            return await _gone(ctx, tree, exc.message)
        raise
    except (TaskError, ValidationError, ValueError) as exc:
        raise ActionError(f"I couldn't undo that: {first_error(exc)}") from None
    return Outcome(new_tree, sentence)


async def _gone(ctx: RequestContext, tree: dict | None, note: str = "That task no longer exists.") -> Outcome:
    """The task a button names was deleted elsewhere: say so, and show the card as it now is."""
    if tree is None:
        raise ActionError(note, not_found=True)
    new_tree = await in_db(ctx, lambda tasks: _refresh(tree, tasks))
    return Outcome(new_tree, note)


def _undo_button_id(tree: dict) -> str:
    """The card's own Undo button (the footer one), which has done its job."""
    card_id = str(tree.get("id", ""))
    if card_id.startswith("task_") and card_id.endswith("_card"):
        return f"undo_{card_id.removesuffix('_card')}_button"
    return f"undo_{card_id}_button"


def _get(tasks: TaskService, task_id: int) -> Task | None:
    try:
        return tasks.get(task_id)
    except TaskNotFound:
        return None


async def _bulk(ctx: RequestContext, payload: BulkPayload) -> Outcome:
    def work(tasks: TaskService) -> tuple[list[str], int]:
        # Only the confirmed tasks that still match what was confirmed (and are this user's),
        # all of them: every page of matches, not the first.
        confirmed = set(payload.ids)
        still = every_match(tasks, to_filter(payload.query, tasks.today()), BULK_MAX)
        chosen = [t for t in still if t.id in confirmed]
        if payload.action == "complete":
            done = tasks.complete_many([t.id for t in chosen])
            return [t.title for t in done], len(done)
        tasks.delete_many([t.id for t in chosen])
        return [t.title for t in chosen], len(chosen)

    titles, count = await in_db(ctx, work)
    verb = "Completed" if payload.action == "complete" else "Deleted"
    noun = "task" if count == 1 else "tasks"
    confirmed = len(set(payload.ids))
    sentence = f"{verb} {count} {noun}." if count else "Nothing left to change: those tasks are gone or already done."
    if 0 < count < confirmed:
        # Never drop part of a confirmed action without saying so.
        left = confirmed - count
        sentence = (
            f"{verb} {count} of the {confirmed} tasks you confirmed; {left} had changed since "
            "(done, deleted or no longer matching) and were left alone."
        )
    card = widgets.note_card(
        sentence + (" " + ", ".join(f"“{t}”" for t in titles[:5]) + ("…" if count > 5 else "") if titles else ""),
        card_id="bulk_confirm_card",
        color="success" if count else "secondary",
    )
    return Outcome(card.model_dump(mode="json", exclude_none=True), sentence)


# ---------------------------------------------------------------- as ChatKit events


def assistant_note(thread: ThreadMetadata, item_id: str, text: str) -> AssistantMessageItem:
    return AssistantMessageItem(
        id=item_id,
        thread_id=thread.id,
        created_at=dt.datetime.now(),
        content=[AssistantMessageContent(text=text, annotations=[])],
    )


async def events_for(
    outcome: Outcome, thread: ThreadMetadata, sender: WidgetItem | None, new_id
) -> AsyncIterator[ThreadStreamEvent]:
    """The stream a streaming action answers with: card replaced in place, new card, one-line note."""
    if sender is not None and outcome.tree is not None:
        yield ThreadItemReplacedEvent(item=replaced(sender, outcome.tree))
    if outcome.extra_card is not None:
        yield ThreadItemDoneEvent(
            item=WidgetItem(
                id=new_id("message"),
                thread_id=thread.id,
                created_at=dt.datetime.now(),
                widget=outcome.extra_card,
                copy_text=outcome.extra_copy,
            )
        )
    if outcome.note:
        yield ThreadItemDoneEvent(item=assistant_note(thread, new_id("message"), outcome.note))


def replaced(sender: WidgetItem, tree: dict) -> WidgetItem:
    return sender.model_copy(update={"widget": widgets.root(tree)})
