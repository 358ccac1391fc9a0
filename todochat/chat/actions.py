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

from todochat.chat import live_cards, widgets
from todochat.chat import undo as undo_actions
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
from todochat.limits import TASK_ID_MAX
from todochat.models import Task
from todochat.tasks import TaskError, TaskNotFound, TaskService

TaskId = Field(ge=1, le=TASK_ID_MAX)


class ActionError(Exception):
    """``not_found``: the task is gone; ``refused``: doing it would lose later work.
    Either way nothing changed, and a card that sent it is shown as it now is."""

    def __init__(self, message: str, *, not_found: bool = False, refused: bool = False):
        super().__init__(message)
        self.message = message
        self.not_found = not_found
        self.refused = refused


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRef(_Payload):
    task_id: int = TaskId
    # A task's checkbox sends its new state: ticked means complete, unticked reopen,
    # whatever the (possibly outdated) card thought the task was.
    done: bool | None = None


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
    return live_cards.refresh_trees([tree], tasks, deleted, moved)[0]


def _footer_undo(tree: dict) -> tuple[str, str] | None:
    """The card's own Undo (its footer button) and its token, if it has one."""
    button = widgets.find_component(tree, _undo_button_id(tree))
    if button is None:
        return None
    token = ((button.get("onClickAction") or {}).get("payload") or {}).get("token")
    return str(button["id"]), str(token or "")


def _after_row_action(tree: dict, tasks: TaskService, done, deleted: dict[int, dict]) -> dict:
    """The card after one of its rows acted: its Undo now undoes that, the newest change.

    The footer Undo the card had (e.g. the add's) is withdrawn, on the server too: once
    the task was completed, undoing the add would delete a task that has moved on. A
    deleted row carries its own Undo, so the footer goes; a button that changed nothing
    leaves the card's Undo as it was.
    """
    footer = _footer_undo(tree)
    if footer is not None and done.undo is not None:
        button_id, token = footer
        if token:
            undo_actions.forget(tasks, token)
        if done.task is not None:
            tree = widgets.with_undo(tree, button_id, done.undo)
        else:
            tree = widgets.remove_component(tree, button_id)
    return _refresh(tree, tasks, deleted)


async def run(
    ctx: RequestContext, action: Action[str, Any], sender: WidgetItem | None
) -> Outcome:
    """Validate and apply one action; raises ``ActionError`` with nothing changed on bad input."""
    payload = parse(action)
    tree = sender.widget.model_dump(mode="json", exclude_none=True) if sender else None

    if isinstance(payload, TaskRef):
        intent = action.type.removeprefix("task.")
        if intent != "delete" and payload.done is not None:
            intent = "complete" if payload.done else "reopen"
        try:
            done = await apply_intent(ctx, intent, payload.task_id, None)
        except TaskNotFound:
            return await _gone(ctx, tree)
        deleted = {payload.task_id: done.undo} if done.task is None else {}
        new_tree = await in_db(ctx, lambda tasks: _after_row_action(tree, tasks, done, deleted)) if tree else None
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
            # Locked from the check to the write: an edit landing in between waits, then is seen.
            owned = {t.id: t for t in tasks.get_many(data["task_ids"], lock=True)}
            if not owned:
                raise ActionError("Those tasks no longer exist.", not_found=True)
            changed = set(undo_actions.changed_since(tasks, data, owned))
            kept = [owned[i] for i in sorted(changed)]
            if len(kept) == len(owned):
                raise ActionError(_would_lose(kept, " it was added" if len(kept) == 1 else " they were added"), refused=True)
            for task_id in sorted(set(owned) - changed):
                deleted[task_id] = undo_actions.remember_deleted(tasks, owned[task_id])
                tasks.delete(task_id)
            sentence = "Undone: removed " + ", ".join(f"“{d['title']}”" for d in deleted.values()) + "."
            if kept:
                sentence += " Kept " + ", ".join(f"“{t.title}”" for t in kept) + ": changed since it was added."
        elif kind == "delete":
            task = restore_deleted(tasks, data["snapshot"])
            sentence = f"Restored “{task.title}”."
            # If its old id was taken meanwhile, the card's row now shows the new one.
            moved[int(data["snapshot"]["id"])] = task
        else:
            current = _get(tasks, data["task_id"], lock=True)
            if current is None:
                raise ActionError("That task no longer exists.", not_found=True)
            if undo_actions.changed_since(tasks, data, {current.id: current}):
                raise ActionError(_would_lose([current], ""), refused=True)
            task = revert_to(tasks, data["task_id"], data["before"])
            sentence = f"Undone: “{task.title}” is back as it was."
        new_tree = None
        if tree is not None:
            new_tree = _refresh(widgets.remove_component(tree, _undo_button_id(tree)), tasks, deleted, moved)
        return new_tree, sentence

    try:
        new_tree, sentence = await in_db(ctx, work)
    except ActionError as exc:
        if (exc.not_found or exc.refused) and tree is not None:
            return await _gone(ctx, tree, exc.message)
        raise
    except (TaskError, ValidationError, ValueError) as exc:
        raise ActionError(f"I couldn't undo that: {first_error(exc)}") from None
    return Outcome(new_tree, sentence)


def _would_lose(tasks: list[Task], since: str) -> str:
    names = ", ".join(f"“{t.title}”" for t in tasks)
    verb = "has" if len(tasks) == 1 else "have"
    return f"Not undone: {names} {verb} changed since{since}, and undoing would lose that. Nothing was changed."


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


def _get(tasks: TaskService, task_id: int, *, lock: bool = False) -> Task | None:
    try:
        return tasks.get(task_id, lock=lock)
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
