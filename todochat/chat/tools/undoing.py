"""undo_last_change: what the newest card's Undo would do, asked for in words ("undo that").

The tool finds the conversation's newest change that can still be undone (its cards'
Undo tokens, checked against the server's), then presses those Undo buttons through
the same action a click runs, and replaces each card as a click would.
"""

from __future__ import annotations

from typing import Any

from chatkit.agents import AgentContext
from chatkit.types import Action, ThreadItemReplacedEvent, WidgetItem

from todochat.chat import actions
from todochat.chat import undo as undo_actions
from todochat.chat.card_ids import task_ids_in
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.task_facts import task_facts
from todochat.chat.tool_errors import task_tool
from todochat.chat.tools.tool_context import Ctx, progress
from todochat.chat.undo_buttons import undo_tokens_in

UNDO_SCAN = 200  # thread items looked through for the newest change that can still be undone
NOTHING_TO_UNDO = (
    "There's nothing to undo: nothing changed in this conversation can still be undone."
)


@task_tool
async def undo_last_change(ctx: Ctx) -> str:
    """Undo the newest change made in this conversation, as its card's Undo button would:
    tasks just added are removed, deleted ones come back, changed ones go back to how they
    were. All the changes of that one request are undone together ("complete the first two").
    Refused, with the reason, for a task that was changed again since.
    """
    chat = ctx.context
    request = chat.request_context
    await progress(ctx, "reload", "Undoing the last change…")
    items = await _newest_items(chat, UNDO_SCAN)
    cards = [(index, item) for index, item in enumerate(items) if isinstance(item, WidgetItem)]
    tokens = {item.id: undo_tokens_in(item.widget.model_dump(mode="json", exclude_none=True)) for _, item in cards}
    # Only this user's undos, still stored: the cards are the thread's, the tokens checked here.
    waiting = await in_db(request, lambda tasks: undo_actions.waiting(tasks, [t for ts in tokens.values() for t in ts]))
    newest = next((index for index, item in cards if set(tokens[item.id]) & waiting), None)
    if newest is None:
        return NOTHING_TO_UNDO
    group = [item for index, item in cards if _same_turn(items, newest, index) and set(tokens[item.id]) & waiting]
    said: list[str] = []
    task_ids: list[int] = []
    for item in group:
        task_ids.extend(task_ids_in(item.widget.model_dump(mode="json", exclude_none=True)))
        for token in [t for t in tokens[item.id] if t in waiting]:
            try:
                outcome = await actions.run(request, Action(type="task.undo", payload={"token": token}), item)
            except actions.ActionError as exc:
                said.append(exc.message)
                continue
            if outcome.tree is not None:
                item = actions.replaced(item, outcome.tree)
                await ctx.context.stream(ThreadItemReplacedEvent(item=item))  # saved, and shown in place
            if outcome.note:
                said.append(outcome.note)
    now = await in_db(request, lambda tasks: tasks.get_many(list(dict.fromkeys(task_ids))))
    facts = f"\n\n{task_facts(now)}" if now else ""
    return (" ".join(said) or NOTHING_TO_UNDO) + facts


async def _newest_items(chat: AgentContext[RequestContext], limit: int) -> list[Any]:
    """The thread's items as stored, newest first (cards not refreshed: an Undo that would
    be refused must still be found, and refused in words)."""
    store = chat.store
    load = getattr(store, "load_stored_items", None) or store.load_thread_items
    found: list[Any] = []
    after = None
    while len(found) < limit:
        page = await load(chat.thread.id, after, min(50, limit - len(found)), "desc", chat.request_context)
        found.extend(page.data)
        if not page.has_more or not page.data:
            break
        after = page.after
    return found


def _same_turn(items: list[Any], first: int, second: int) -> bool:
    """Whether no user message stands between two items (of a newest-first list)."""
    low, high = sorted((first, second))
    return not any(getattr(item, "type", None) == "user_message" for item in items[low + 1 : high + 1])
