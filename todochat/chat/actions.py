"""Widget buttons: validate the payload, act through TaskService, re-render the card.

Every action type has a pydantic payload model and a handler (``ACTIONS``). A payload
that does not validate, an unknown type, or a task that is not the user's raises
``ActionError`` before anything changes; the server turns that into a ChatKit ``error``
event (or a JSON error for sync actions). See docs/architecture.md, "One button press".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal, NamedTuple

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
from todochat.chat import widget_tree, widgets
from todochat.chat.action_outcome import ActionError, Outcome, show_as_now
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.intents import Applied, Intent, apply_intent
from todochat.chat.live_cards import refresh_trees
from todochat.chat.result_cards import list_card, result_card
from todochat.chat.task_changes import TaskChanges
from todochat.chat.task_query import ListQuery, every_match, list_page, to_filter
from todochat.chat.tool_errors import first_error
from todochat.chat.undo_buttons import own_undo, with_undo
from todochat.chat.undo_press import press_undo
from todochat.limits import CHAT_BULK_MAX_TASKS, TASK_ID_MAX
from todochat.tasks import TaskError, TaskNotFound, TaskService
from todochat.validation_text import first_message

TaskId = Field(ge=1, le=TASK_ID_MAX)


# ---------------------------------------------------------------- payloads


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRef(_Payload):
    task_id: int = TaskId
    # A task's checkbox sends its new state: ticked means complete, unticked reopen,
    # whatever the (possibly outdated) card thought the task was.
    done: bool | None = None


class UndoPayload(_Payload):
    # Only a token: what Undo does stays on the server (chat/undo.py), never the client's say.
    token: str = Field(min_length=16, max_length=64, pattern=undo_actions.TOKEN_PATTERN)


class MorePayload(_Payload):
    query: ListQuery
    cursor: str = Field(min_length=1, max_length=2000)


class BulkPayload(_Payload):
    action: Literal["complete", "delete"]
    ids: list[int] = Field(min_length=1, max_length=CHAT_BULK_MAX_TASKS)
    # What the user confirmed: a task that stopped matching since is left alone.
    query: ListQuery


class CancelPayload(_Payload):
    action: str | None = None
    intent: str | None = None


class ChoosePayload(_Payload):
    intent: Intent
    task_id: int = TaskId
    changes: TaskChanges = Field(default_factory=TaskChanges)


# ---------------------------------------------------------------- handlers

# (the request, the action's type, its validated payload, the sending card's tree or None)
Handler = Callable[[RequestContext, str, Any, dict | None], Awaitable[Outcome]]


def _note(text: str, card_id: str, color: str = "secondary") -> dict:
    return widgets.note_card(text, card_id=card_id, color=color).model_dump(mode="json", exclude_none=True)


async def _row_button(ctx: RequestContext, action_type: str, payload: TaskRef, tree: dict | None) -> Outcome:
    """A row's checkbox or bin: the task changes, and the card shows it (with that change's Undo)."""
    intent = action_type.removeprefix("task.")
    if intent != "delete" and payload.done is not None:
        intent = "complete" if payload.done else "reopen"
    try:
        done = await apply_intent(ctx, intent, payload.task_id, None)
    except TaskNotFound:
        return await show_as_now(ctx, tree)
    deleted = {payload.task_id: done.undo} if done.task is None else {}
    new_tree = await in_db(ctx, lambda tasks: _after_row_action(tree, tasks, done, deleted)) if tree else None
    return Outcome(new_tree, done.sentence)


def _after_row_action(tree: dict, tasks: TaskService, done: Applied, deleted: dict[int, dict]) -> dict:
    """The card after one of its rows acted: its Undo now undoes that, the newest change.

    The card's own Undo (e.g. the add's) is withdrawn, on the server too: once the task
    was completed, undoing the add would delete a task that has moved on. A deleted row
    carries its own Undo, so the card's goes; a button that changed nothing leaves the
    card's Undo as it was.
    """
    own = own_undo(tree)
    if own is not None and done.undo is not None:
        if own.token:
            undo_actions.forget(tasks, own.token)
        if done.task is not None:
            tree = with_undo(tree, own.button_id, done.undo)
        else:
            tree = widget_tree.remove_id(tree, own.button_id)
    return refresh_trees([tree], tasks, deleted)[0]


async def _choose(ctx: RequestContext, _: str, payload: ChoosePayload, tree: dict | None) -> Outcome:
    """A choice card's option: do what was asked to the task picked; the card shows the result."""
    try:
        done = await apply_intent(ctx, payload.intent, payload.task_id, payload.changes.model_dump())
    except TaskNotFound:
        if tree is None:
            raise ActionError("That task no longer exists.", not_found=True) from None
        gone = "That task no longer exists."
        return Outcome(_note(gone, str(tree.get("id", "choose_task_card"))), gone)
    except (TaskError, ValidationError, ValueError) as exc:
        raise ActionError(f"I couldn't do that: {first_error(exc)}") from None
    card, _copy = result_card(payload.intent, done, ctx.now_local())
    return Outcome(card.model_dump(mode="json", exclude_none=True), done.sentence)


async def _show_more(ctx: RequestContext, _: str, payload: MorePayload, tree: dict | None) -> Outcome:
    """The next page of a list, as a new card; the old card loses its "Show more"."""
    try:
        items, total, more = await in_db(ctx, lambda tasks: list_page(tasks, payload.query, payload.cursor))
    except (TaskError, ValueError) as exc:
        raise ActionError(first_error(exc)) from None
    card = list_card(payload.query, items, total, more, ctx.now_local())
    trimmed = widget_tree.remove_id(tree, "show_more_button") if tree else None
    return Outcome(trimmed, "", extra_card=card, extra_copy="\n".join(t.title for t in items))


async def _undo(ctx: RequestContext, _: str, payload: UndoPayload, tree: dict | None) -> Outcome:
    return await press_undo(ctx, payload.token, tree)


async def _cancel(ctx: RequestContext, _: str, payload: CancelPayload, tree: dict | None) -> Outcome:
    card = _note("Cancelled — nothing was changed.", (tree or {}).get("id", "cancelled_card"))
    return Outcome(card, "OK, nothing was changed.")


async def _bulk(ctx: RequestContext, _: str, payload: BulkPayload, tree: dict | None) -> Outcome:
    """A confirmed bulk action: the confirmed tasks that still match what was confirmed."""

    def work(tasks: TaskService) -> tuple[list[str], int]:
        # Only the confirmed tasks that still match what was confirmed (and are this user's),
        # all of them: every page of matches, not the first.
        confirmed = set(payload.ids)
        still = every_match(tasks, to_filter(payload.query, tasks.today()), CHAT_BULK_MAX_TASKS)
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
    named = " " + ", ".join(f"“{t}”" for t in titles[:5]) + ("…" if count > 5 else "") if titles else ""
    return Outcome(_note(sentence + named, "bulk_confirm_card", "success" if count else "secondary"), sentence)


class ActionType(NamedTuple):
    payload: type[BaseModel]
    handler: Handler


ACTIONS: dict[str, ActionType] = {
    "task.complete": ActionType(TaskRef, _row_button),
    "task.reopen": ActionType(TaskRef, _row_button),
    "task.delete": ActionType(TaskRef, _row_button),
    "task.undo": ActionType(UndoPayload, _undo),
    "task.choose": ActionType(ChoosePayload, _choose),
    "task.choose_cancel": ActionType(CancelPayload, _cancel),
    "tasks.more": ActionType(MorePayload, _show_more),
    "tasks.bulk_confirm": ActionType(BulkPayload, _bulk),
    "tasks.bulk_cancel": ActionType(CancelPayload, _cancel),
}


async def run(ctx: RequestContext, action: Action[str, Any], sender: WidgetItem | None) -> Outcome:
    """Validate and apply one action; raises ``ActionError`` with nothing changed on bad input."""
    kind = ACTIONS.get(action.type)
    if kind is None:
        raise ActionError(f"Unknown action “{action.type}”.")
    try:
        payload = kind.payload.model_validate(action.payload or {})
    except ValidationError as exc:
        raise ActionError(f"That button sent something I can't use ({first_message(exc)}).") from None
    tree = sender.widget.model_dump(mode="json", exclude_none=True) if sender else None
    return await kind.handler(ctx, action.type, payload, tree)


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
