"""Reading the conversation the Agents SDK hands the model: what is being asked right now.

The input is either a string or a list of Responses API input items (dicts, or pydantic
models when a caller passes output items back). ChatKit's ThreadItemConverter adds user-role
messages the user never typed — widget descriptions, hidden context, quoted text — so those
are recognised and skipped when looking for the user's latest words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from todochat.models import PRIORITIES

# Openings of the user-role messages that ChatKit's converter (and our history.py) write themselves.
_CONTEXT_NOTE_OPENINGS = (
    "Card shown to the user",  # todochat.chat.history.CARD_NOTE
    "Hidden context for the agent",
    "The following graphical UI widget",
    "A message was displayed to the user",
    "A structured input request was displayed",
    "The following image was generated",
    "# User-provided context for @-mentions",
)
_QUOTED_TEXT_OPENING = "The user is referring to this in particular:"
_TOOL_CALL_TYPES = {"function_call", "custom_tool_call", "computer_call", "shell_call", "apply_patch_call"}
_TOOL_OUTPUT_TYPES = {"function_call_output", "custom_tool_call_output", "computer_call_output"}


@dataclass(frozen=True)
class Turn:
    """The current turn: the user's latest message and what tools already answered it."""

    user_text: str | None = None
    tool_outputs: list[str] = field(default_factory=list)
    tools_called: bool = False
    quoted_text: str | None = None

    @property
    def needs_tool_calls(self) -> bool:
        """Nothing has been done about the latest message yet: decide what to call."""
        return self.user_text is not None and not self.tools_called


def read_turn(input: str | Sequence[Any]) -> Turn:
    if isinstance(input, str):
        return Turn(user_text=input)
    outputs: list[str] = []
    tools_called = False
    quoted: str | None = None
    for item in reversed(list(input)):
        kind = _get(item, "type") or ("message" if _get(item, "role") else None)
        if kind in _TOOL_OUTPUT_TYPES:
            outputs.append(_output_text(_get(item, "output")))
            continue
        if kind in _TOOL_CALL_TYPES:
            tools_called = True
            continue
        if kind != "message":
            continue  # reasoning items and the like say nothing about the turn
        role = _get(item, "role")
        text = _content_text(_get(item, "content"))
        if role == "assistant":
            # The latest user message was already answered; nothing new to act on.
            return Turn(tool_outputs=outputs[::-1], tools_called=tools_called)
        if role != "user":
            continue  # system/developer notes are instructions, not requests
        if text.startswith(_QUOTED_TEXT_OPENING):
            quoted = quoted or text[len(_QUOTED_TEXT_OPENING) :].strip()
            continue
        if text.startswith(_CONTEXT_NOTE_OPENINGS):
            continue
        return Turn(user_text=text, tool_outputs=outputs[::-1], tools_called=tools_called, quoted_text=quoted)
    return Turn(tool_outputs=outputs[::-1], tools_called=tools_called)


def _get(item: Any, key: str) -> Any:
    if isinstance(item, dict):
        return item.get(key)
    return getattr(item, key, None)


def _content_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content.strip()
    parts = []
    for part in content:
        text = _get(part, "text") if _get(part, "type") in ("input_text", "output_text", "text") else None
        if text:
            parts.append(text)
    return "\n".join(parts).strip()


def _output_text(output: Any) -> str:
    if isinstance(output, str):
        return output.strip()
    if isinstance(output, list):
        return _content_text(output)
    return str(output or "").strip()


# ---------------------------------------------------------------- the thread so far
#
# What earlier turns showed and did, for "it", "the first one", "both" and answers to a
# question (references.py). Everything is read back from the input the model was given:
# the model keeps no state between calls (several server workers may answer one thread).


@dataclass(frozen=True)
class ShownTask:
    """A task as a card (or a tool result) described it: a ``task_facts`` line read back."""

    id: int
    title: str
    due: str | None = None  # "2026-12-04" or "2026-12-04T15:00"
    priority: str | None = None
    tags: tuple[str, ...] = ()
    done: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Card:
    """A card note (history.card_note): its heading and the tasks it shows, in order."""

    heading: str
    tasks: tuple[ShownTask, ...] = ()
    more: int = 0  # tasks the note left out ("(and 3 more)")

    @property
    def kind(self) -> str:
        """"choice" (which one?), "confirm" (a bulk action to confirm), "added", "changed"
        (completed, reopened, updated), "deleted", "list", or "note" (no tasks)."""
        heading = self.heading
        if heading.startswith("Which “") and "should I" in heading:
            return "choice"
        if re.match(r"^(?:Delete|Complete) \d+ tasks?\?$", heading):
            return "confirm"
        if heading.startswith("Added"):
            return "added"
        if heading.startswith(("Completed", "Reopened", "Updated")):
            return "changed"
        if heading.startswith("Deleted"):
            return "deleted"
        return "list" if self.tasks else "note"


@dataclass
class Call:
    """A tool call of an earlier turn, its result, and the cards it showed."""

    name: str
    arguments: dict[str, Any]
    output: str = ""
    cards: list[Card] = field(default_factory=list)


@dataclass
class Exchange:
    """One user message and what followed it: tool calls with their cards, and replies.

    Cards that no call of the turn showed (a card a button added later) are in ``cards``."""

    user_text: str
    calls: list[Call] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    @property
    def all_cards(self) -> list[Card]:
        return [card for call in self.calls for card in call.cards] + self.cards

    @property
    def reply(self) -> str:
        return self.replies[-1] if self.replies else ""


def read_exchanges(input: str | Sequence[Any]) -> list[Exchange]:
    """The conversation as exchanges, oldest first; the last one is the current message's."""
    if isinstance(input, str):
        return [Exchange(user_text=input)]
    exchanges: list[Exchange] = []
    calls: dict[str, Call] = {}
    for item in input:
        kind = _get(item, "type") or ("message" if _get(item, "role") else None)
        if kind == "function_call":
            if exchanges:
                call = Call(name=str(_get(item, "name") or ""), arguments=_arguments(_get(item, "arguments")))
                exchanges[-1].calls.append(call)
                calls[str(_get(item, "call_id"))] = call
            continue
        if kind in _TOOL_OUTPUT_TYPES:
            call = calls.get(str(_get(item, "call_id")))
            if call is not None:
                call.output = _output_text(_get(item, "output"))
            continue
        if kind != "message":
            continue
        role = _get(item, "role")
        text = _content_text(_get(item, "content"))
        if role == "assistant":
            if exchanges:
                exchanges[-1].replies.append(text)
        elif role == "user":
            if text.startswith(CARD_NOTE):
                card = read_card(text)
                if exchanges:
                    current = exchanges[-1]
                    # A card follows the call that streamed it (cards a button made follow none).
                    if current.calls and not current.replies:
                        current.calls[-1].cards.append(card)
                    else:
                        current.cards.append(card)
            elif text.startswith(_QUOTED_TEXT_OPENING) or text.startswith(_CONTEXT_NOTE_OPENINGS):
                continue
            else:
                exchanges.append(Exchange(user_text=text))
    return exchanges


CARD_NOTE = _CONTEXT_NOTE_OPENINGS[0] + " (tasks as they are now):"
# "#12 pay rent — due Fri 2026-12-04 15:00, high, #home, repeats every month, open"
_FACT = re.compile(r"^#(?P<id>\d{1,9}) (?P<rest>.*)$")
_FACT_DUE = re.compile(r"^due \w{3} (?P<date>\d{4}-\d{2}-\d{2})(?: (?P<time>\d{2}:\d{2}))?$")
_MORE = re.compile(r"^\(and (\d+) more\)$")


def read_card(note: str) -> Card:
    lines = note.splitlines()
    heading = lines[0][len(CARD_NOTE) :].strip() if lines else ""
    tasks: list[ShownTask] = []
    more = 0
    for line in lines[1:]:
        task = read_fact(line)
        if task is not None:
            tasks.append(task)
        elif _MORE.match(line.strip()):
            more = int(_MORE.match(line.strip()).group(1))
    return Card(heading=heading, tasks=tuple(tasks), more=more)


def read_facts(text: str) -> list[ShownTask]:
    """The task lines in a tool's result (after its first paragraph)."""
    return [task for line in text.splitlines() if (task := read_fact(line)) is not None]


def read_fact(line: str) -> ShownTask | None:
    """A ``task_facts`` line (or a card note's "#3 title — deleted") read back; None if it is none.

    A title may hold " — " itself: the split is the first one whose right side reads as facts."""
    match = _FACT.match(line.strip())
    if not match:
        return None
    task_id, rest = int(match.group("id")), match.group("rest")
    start = 0
    while (cut := rest.find(" — ", start)) != -1:
        title, facts = rest[:cut], rest[cut + 3 :]
        task = _with_facts(task_id, title, facts)
        if task is not None:
            return task
        start = cut + 1
    return None


def _with_facts(task_id: int, title: str, facts: str) -> ShownTask | None:
    if facts.strip() == "deleted":
        return ShownTask(id=task_id, title=title, deleted=True)
    parts = [part.strip() for part in facts.split(", ")]
    if len(parts) < 3 or parts[-1] not in ("open", "done"):
        return None
    due = None
    if parts[0] != "no due date":
        when = _FACT_DUE.match(parts[0])
        if when is None:
            return None
        due = when.group("date") + (f"T{when.group('time')}" if when.group("time") else "")
    if parts[1] not in PRIORITIES:
        return None
    tags: tuple[str, ...] = ()
    if len(parts) > 3 and parts[2].startswith("#"):
        tags = tuple(word.lstrip("#") for word in parts[2].split())
    return ShownTask(
        id=task_id, title=title, due=due, priority=parts[1], tags=tags, done=parts[-1] == "done"
    )


def _arguments(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
