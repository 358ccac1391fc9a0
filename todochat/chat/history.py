"""What the model is told of the conversation so far: compact, dated, within a budget.

- Cards go as text: the card's heading and one ``task_facts`` line per task it shows,
  read from the database now, so a card the user has since acted on does not lie and
  dates are absolute ("due Fri 2026-12-04", never "Due Tomorrow"). Not widget JSON: a
  ten-row list card is ~17 KB of it.
- Earlier tool calls and their results go back as real tool calls. ``ToolCallRecorder``
  keeps each one as a hidden item of the thread; ChatKit never shows hidden items to
  clients.
- Assistant replies go as plain text, which both OpenAI APIs take (ChatKit's default,
  ``output_text`` parts, is refused by the Agents SDK's Chat Completions converter).
- The newest items are kept up to a character budget (``HISTORY_BUDGET_CHARS``), never
  by item count, so a 500-item thread costs what a 50-item one does. The kept history
  starts at a message the user typed: some chat templates refuse any other start.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from agents import RunHooks, TResponseInputItem
from chatkit.agents import AgentContext, ThreadItemConverter
from chatkit.types import (
    AssistantMessageItem,
    HiddenContextItem,
    ThreadItem,
    ThreadItemDoneEvent,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTagContent,
    WidgetItem,
)
from openai.types.responses import ResponseInputTextParam

from todochat.chat import widgets
from todochat.chat.card_ids import (
    BULK_CONFIRM_BUTTON_ID,
    COUNTS_CAPTION_ID,
    choice_task_id,
    task_ids_in,
    title_task_id,
)
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.task_facts import clip, task_fact
from todochat.chat.widget_tree import walk
from todochat.models import Task

if TYPE_CHECKING:
    from todochat.chat.store import SQLModelStore

# The opening of every card note; the offline model skips notes that start with it.
CARD_NOTE = "Card shown to the user (tasks as they are now):"
TOOL_CALL = "todochat.tool_call"  # marks a hidden item that records a tool call
CARD_TASKS = 20  # task lines per card note; a list card shows at most a page of 20
OUTPUT_CHARS = 4_000  # a tool result kept for later turns; ours are far shorter
ARGUMENT_CHARS = 4_000
NO_RESULT = (
    "No result: the user stopped the reply while this call ran. It may have taken effect; "
    "check the tasks before doing it again."
)
PAGE = 40  # items read per query while filling the budget
MAX_ITEMS = 400  # however small the items, a turn never reads more than this

# ---------------------------------------------------------------- recording tool calls


class ToolCallRecorder(RunHooks[AgentContext[RequestContext]]):
    """Keeps every tool call of a run, with its result, as a hidden item of the thread.

    The record is written when the call starts, saying it never reported back, and
    completed when it ends: a reply stopped while a tool ran still tells the next turn
    that the tool may have changed something (its database work finishes regardless).
    """

    def __init__(self) -> None:
        self._records: dict[str, HiddenContextItem] = {}

    async def on_tool_start(self, context, agent, tool) -> None:
        call_id = getattr(context, "tool_call_id", None)
        if not call_id:
            return
        chat: AgentContext[RequestContext] = context.context
        record = HiddenContextItem(
            id=chat.generate_id("tool_call"),
            thread_id=chat.thread.id,
            # Naive local time, as ChatKit stamps every other item; stamped now, so the
            # record sorts before the card the tool streams.
            created_at=dt.datetime.now(),
            content={
                "kind": TOOL_CALL,
                "call_id": call_id,
                "name": context.tool_name,
                "arguments": _replayable_arguments(context.tool_arguments),
                "output": NO_RESULT,
            },
        )
        self._records[call_id] = record
        await chat.store.add_thread_item(chat.thread.id, record, chat.request_context)

    async def on_tool_end(self, context, agent, tool, result: object) -> None:
        record = self._records.pop(getattr(context, "tool_call_id", None) or "", None)
        if record is None:
            return
        done = record.model_copy(update={"content": {**record.content, "output": str(result)[:OUTPUT_CHARS]}})
        # Done events are saved by the server and never sent to clients for hidden items.
        await context.context.stream(ThreadItemDoneEvent(item=done))


def _replayable_arguments(arguments: str | None) -> str:
    """The call's arguments as sent again later: valid JSON, or ``{}`` (some servers parse them)."""
    if not arguments or len(arguments) > ARGUMENT_CHARS:
        return "{}"
    try:
        json.loads(arguments)
    except ValueError:
        return "{}"
    return arguments


# ---------------------------------------------------------------- converting items


class ModelHistory(ThreadItemConverter):
    """Thread items as model input; ``tasks`` holds the current state of the cards' tasks."""

    def __init__(self, tasks: dict[int, Task], latest_user_message_id: str | None = None):
        self.tasks = tasks
        self.latest_user_message_id = latest_user_message_id

    async def user_message_to_input(self, item: UserMessageItem, is_last_message: bool = True):
        # Quoted text matters for the message being answered, not for every earlier one.
        return await super().user_message_to_input(item, item.id == self.latest_user_message_id)

    async def tag_to_message_content(self, tag: UserMessageTagContent) -> ResponseInputTextParam:
        return ResponseInputTextParam(type="input_text", text=tag.text)

    async def assistant_message_to_input(self, item: AssistantMessageItem):
        return {"role": "assistant", "content": "".join(part.text for part in item.content)}

    async def widget_to_input(self, item: WidgetItem):
        tree = item.widget.model_dump(mode="json", exclude_none=True)
        return {"role": "user", "content": card_note(tree, self.tasks)}

    async def hidden_context_to_input(self, item: HiddenContextItem):
        content = item.content
        if isinstance(content, dict) and content.get("kind") == TOOL_CALL:
            return [
                {
                    "type": "function_call",
                    "call_id": content["call_id"],
                    "name": content["name"],
                    "arguments": content["arguments"],
                },
                {"type": "function_call_output", "call_id": content["call_id"], "output": content["output"]},
            ]
        return await super().hidden_context_to_input(item)


def card_note(tree: dict, tasks: dict[int, Task]) -> str:
    """A card in a few lines: its heading, then each task it names as it is now."""
    lines = [f"{CARD_NOTE} {_heading(tree)}"]
    ids = card_task_ids(tree)
    titles = _row_titles(tree)
    for task_id in ids[:CARD_TASKS]:
        if task_id in tasks:
            lines.append(task_fact(tasks[task_id]))
        else:
            lines.append(f"#{task_id} {clip(titles.get(task_id, ''), 80)} — deleted".replace("  ", " "))
    if len(ids) > CARD_TASKS:
        lines.append(f"(and {len(ids) - CARD_TASKS} more)")
    if not ids:
        lines.append(clip(widgets.widget_text(tree).replace("\n", " · "), 300))
    return "\n".join(line for line in lines if line.strip())


def card_task_ids(tree: Any) -> list[int]:
    """Every task a card names: its rows, its choice buttons, its bulk confirmation's ids."""
    found: list[int] = list(task_ids_in(tree))
    for node in walk(tree):
        if (task_id := choice_task_id(node)) is not None:
            found.append(task_id)
        if node.get("id") == BULK_CONFIRM_BUTTON_ID:
            payload = (node.get("onClickAction") or {}).get("payload") or {}
            found.extend(int(i) for i in payload.get("ids", []) if isinstance(i, int))
    return list(dict.fromkeys(found))


def _heading(tree: Any) -> str:
    """The card's first words (its title) and, on a list card, its counts."""
    heading, counts = "", ""
    for node in walk(tree):
        if node.get("id") == COUNTS_CAPTION_ID:
            counts = str(node.get("value", ""))
        elif not heading and node.get("type") in ("Title", "Caption", "Text") and node.get("value"):
            heading = str(node["value"])
    return clip(heading + (f" ({counts})" if counts else ""), 200)


def _row_titles(tree: Any) -> dict[int, str]:
    """The title each row shows, by task: all a deleted task's line has left."""
    return {task_id: str(node.get("value", "")) for node in walk(tree) if (task_id := title_task_id(node)) is not None}


# ---------------------------------------------------------------- the budget


async def history_for_model(
    store: SQLModelStore, thread: ThreadMetadata, context: RequestContext, budget_chars: int
) -> list[TResponseInputItem]:
    """The newest part of the thread that fits ``budget_chars``, as model input, oldest first."""
    kept: list[tuple[ThreadItem, list[TResponseInputItem]]] = []  # newest first
    used, after, scanned, latest_user = 0, None, 0, None
    while scanned < MAX_ITEMS:
        page = await store.load_stored_items(thread.id, after, PAGE, "desc", context)
        latest_user = latest_user or next((i.id for i in page.data if i.type == "user_message"), None)
        converter = ModelHistory(await _card_tasks(page.data, context), latest_user)
        for item in page.data:
            scanned += 1
            converted = await converter.to_agent_input([item])
            size = len(json.dumps(converted, ensure_ascii=False, default=str))
            if kept and used + size > budget_chars:
                return _from_a_user_message(kept)
            kept.append((item, converted))
            used += size
        if not page.has_more or not page.data:
            break
        after = page.after
    return _from_a_user_message(kept)


def _from_a_user_message(kept: list[tuple[ThreadItem, list[TResponseInputItem]]]) -> list[TResponseInputItem]:
    oldest_first = kept[::-1]
    start = next((n for n, (item, _) in enumerate(oldest_first) if item.type == "user_message"), 0)
    return [entry for _, converted in oldest_first[start:] for entry in converted]


async def _card_tasks(items: list[ThreadItem], context: RequestContext) -> dict[int, Task]:
    ids = {
        task_id
        for item in items
        if isinstance(item, WidgetItem)
        for task_id in card_task_ids(item.widget.model_dump(mode="json", exclude_none=True))
    }
    if not ids:
        return {}
    return await in_db(context, lambda tasks: {task.id: task for task in tasks.get_many(ids)})
