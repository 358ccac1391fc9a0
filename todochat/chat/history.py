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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agents import RunHooks, TResponseInputItem
from chatkit.agents import AgentContext, ThreadItemConverter
from chatkit.types import (
    AssistantMessageItem,
    HiddenContextItem,
    ThreadItemDoneEvent,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTagContent,
    UserMessageTextContent,
)
from openai.types.responses import ResponseInputTextParam

from todochat.chat import mentions, which_task, widgets
from todochat.chat.card_ids import (
    BULK_CONFIRM_BUTTON_ID,
    COUNTS_CAPTION_ID,
    choice_task_id,
    row_task_id,
    title_task_id,
)
from todochat.chat.context import RequestContext
from todochat.chat.store_rows import stored_item
from todochat.chat.task_facts import clip, task_fact
from todochat.chat.widget_tree import walk
from todochat.limits import MENTIONS_MAX_PER_MESSAGE
from todochat.models import Task

if TYPE_CHECKING:
    from todochat.chat.store import SQLModelStore

# The opening of every card note; the offline model skips notes that start with it.
CARD_NOTE = "Card shown to the user (tasks as they are now):"
# The opening of the note on the tasks a message @-mentions: the Agents SDK's own heading
# for tag context, which the offline model skips like the SDK's.
MENTION_NOTE = "# User-provided context for @-mentions"
TOOL_CALL = "todochat.tool_call"  # marks a hidden item that records a tool call
CARD_TASKS = 20  # task lines per card note; a list card shows at most a page of 20
OUTPUT_CHARS = 4_000  # a tool result kept for later turns; ours are far shorter
ARGUMENT_CHARS = 4_000
NO_RESULT = (
    "No result: the user stopped the reply while this call ran. It may have taken effect; "
    "check the tasks before doing it again."
)
PAGE = 100  # items read per query while filling the budget (a full budget is about 100)
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
    """Thread items other than cards as model input (cards: ``card_note``, from their stored JSON).

    ``tasks``: the user's tasks that the items name, read with them (``load_history_page``);
    an @-mention of one of them becomes "#12 pay rent" in the message, its title as it is
    now, so neither model has to guess which "pay rent" was meant.
    """

    def __init__(self, latest_user_message_id: str | None = None, tasks: dict[int, Task] | None = None):
        self.latest_user_message_id = latest_user_message_id
        self.tasks = tasks or {}

    async def user_message_to_input(self, item: UserMessageItem, is_last_message: bool = True):
        mentioned: dict[int, Task] = {}
        content = [self._as_text(part, mentioned) for part in item.content]
        # Quoted text matters for the message being answered, not for every earlier one.
        converted = await super().user_message_to_input(
            item.model_copy(update={"content": content}), item.id == self.latest_user_message_id
        )
        if not mentioned:
            return converted
        lines = [MENTION_NOTE, "The user tagged these tasks of theirs; “#<id>” in the message means exactly that task:"]
        note = {"role": "user", "content": "\n".join(lines + [task_fact(task) for task in mentioned.values()])}
        return [*(converted if isinstance(converted, list) else [converted]), note]

    def _as_text(self, part, mentioned: dict[int, Task]) -> UserMessageTextContent:
        """A message part as text: a tag naming one of the user's tasks as "#12 <title>"
        (the title from the database, never the tag's), any other tag as its bare text.
        Never another user's title: ``tasks`` holds the sender's tasks only."""
        if not isinstance(part, UserMessageTagContent):
            return part
        task_id = mentions.task_id_of(part.data) if len(mentioned) < MENTIONS_MAX_PER_MESSAGE else None
        task = self.tasks.get(task_id) if task_id is not None else None
        if task is None:
            return UserMessageTextContent(text=part.text)
        mentioned[task.id] = task
        return UserMessageTextContent(text=f"#{task.id} {' '.join(task.title.split())}")

    async def tag_to_message_content(self, tag: UserMessageTagContent) -> ResponseInputTextParam:
        return ResponseInputTextParam(type="input_text", text=tag.text)

    async def assistant_message_to_input(self, item: AssistantMessageItem):
        return {"role": "assistant", "content": "".join(part.text for part in item.content)}

    async def hidden_context_to_input(self, item: HiddenContextItem):
        content = item.content
        if which_task.is_record(content):
            return None  # what a question's answer will do: the server's, not the model's
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
    card = _read_card(tree)
    lines = [f"{CARD_NOTE} {card.heading}"]
    for task_id in card.task_ids[:CARD_TASKS]:
        if task_id in tasks:
            lines.append(task_fact(tasks[task_id]))
        else:
            lines.append(f"#{task_id} {clip(card.titles.get(task_id, ''), 80)} — deleted".replace("  ", " "))
    if len(card.task_ids) > CARD_TASKS:
        lines.append(f"(and {len(card.task_ids) - CARD_TASKS} more)")
    if not card.task_ids:
        lines.append(clip(widgets.widget_text(tree).replace("\n", " · "), 300))
    return "\n".join(line for line in lines if line.strip())


def card_task_ids(tree: Any) -> list[int]:
    """Every task a card names: its rows, its choice buttons, its bulk confirmation's ids."""
    return _read_card(tree).task_ids


@dataclass
class _Card:
    task_ids: list[int]  # rows first, then choice buttons and a bulk confirmation's ids
    titles: dict[int, str]  # the title each row shows: all a deleted task's line has left
    heading: str  # the card's first words (its title) and, on a list card, its counts


def _read_card(tree: Any) -> _Card:
    """What a card note needs, in one walk of the tree (every history read walks every card)."""
    rows: list[int] = []
    others: list[int] = []
    titles: dict[int, str] = {}
    heading, counts = "", ""
    for node in walk(tree):
        if (task_id := row_task_id(node)) is not None:
            rows.append(task_id)
        elif (task_id := title_task_id(node)) is not None:
            titles[task_id] = str(node.get("value", ""))
        elif (task_id := choice_task_id(node)) is not None:
            others.append(task_id)
        elif node.get("id") == BULK_CONFIRM_BUTTON_ID:
            payload = (node.get("onClickAction") or {}).get("payload") or {}
            others.extend(int(i) for i in payload.get("ids", []) if isinstance(i, int))
        if node.get("id") == COUNTS_CAPTION_ID:
            counts = str(node.get("value", ""))
        elif not heading and node.get("type") in ("Title", "Caption", "Text") and node.get("value"):
            heading = str(node["value"])
    return _Card(list(dict.fromkeys(rows + others)), titles, clip(heading + (f" ({counts})" if counts else ""), 200))


# ---------------------------------------------------------------- the budget


@dataclass
class History:
    input: list[TResponseInputItem]  # what the model is told, oldest first
    newest: list[dict]  # the thread's three newest items as stored (their JSON), newest first


async def history_for_model(
    store: SQLModelStore, thread: ThreadMetadata, context: RequestContext, budget_chars: int
) -> History:
    """The newest part of the thread that fits ``budget_chars``, as model input, oldest first."""
    kept: list[tuple[str, list[TResponseInputItem]]] = []  # (item type, its input), newest first
    used, after, scanned, latest_user, newest = 0, None, 0, None, None
    while scanned < MAX_ITEMS:
        page = await store.load_history_page(thread.id, after, PAGE, context, card_task_ids)
        latest_user = latest_user or next((d["id"] for d in page.data if d.get("type") == "user_message"), None)
        newest = newest if newest is not None else page.data[:3]
        converter = ModelHistory(latest_user, page.tasks)
        for data in page.data:
            scanned += 1
            if data.get("type") == "widget":
                converted = [{"role": "user", "content": card_note(data.get("widget") or {}, page.tasks)}]
            elif data.get("type") == "structured_input":
                converted = [{"role": "user", "content": which_task.question_note(data, page.tasks, CARD_NOTE)}]
            else:
                converted = await converter.to_agent_input([stored_item(data)])
            size = len(json.dumps(converted, ensure_ascii=False, default=str))
            if kept and used + size > budget_chars:
                return History(_from_a_user_message(kept), newest)
            kept.append((data.get("type"), converted))
            used += size
        if not page.has_more or not page.data:
            break
        after = page.after
    return History(_from_a_user_message(kept), newest or [])


def _from_a_user_message(kept: list[tuple[str, list[TResponseInputItem]]]) -> list[TResponseInputItem]:
    oldest_first = kept[::-1]
    start = next((n for n, (kind, _) in enumerate(oldest_first) if kind == "user_message"), 0)
    return [entry for _, converted in oldest_first[start:] for entry in converted]
