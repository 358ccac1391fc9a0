""""Which task did you mean?": asked as a ChatKit structured input, answered without guessing.

When a reference matches several tasks, the tool streams a ``StructuredInputItem`` with
one option per task (both chat clients render it as a form) and, just before it, a hidden
record of what picking does (the intent and the changes the tool was asked for). The
answer comes back as ``threads.add_structured_input``; ``answer`` applies the intent to
the task picked, in this order of trust:

- the options and their task ids are the stored question's, never the client's (the
  question's input id lists the ids, in the options' order: ``which-task-12-13``);
- the intent and changes are the stored record's, taken (deleted) atomically before the
  answer streams (``claim``), so of two tabs answering at once one acts, the other is told;
- the task must still be the user's (``apply_intent`` reads it through TaskService).

An answer typed instead of picked ("the second one", "the one due friday", "#13") is read
against the options only; one that fits none or several changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chatkit.types import (
    HiddenContextItem,
    StructuredInputItem,
    StructuredInputMultipleChoice,
    StructuredInputMultipleChoiceOption,
    ThreadAddStructuredInputParams,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    WidgetItem,
)
from pydantic import ValidationError

from todochat.chat.actions import assistant_note
from todochat.chat.context import RequestContext
from todochat.chat.intents import apply_intent
from todochat.chat.matching import meaningful, words
from todochat.chat.preflight import AlreadyAnswered
from todochat.chat.result_cards import result_card
from todochat.chat.task_facts import clip, task_fact
from todochat.chat.tool_errors import first_error
from todochat.formatting import describe_task
from todochat.models import Task
from todochat.tasks import TaskError, TaskNotFound

if TYPE_CHECKING:
    from todochat.chat.store import SQLModelStore

QUESTION_ID = "which-task"  # the input's id: "which-task-12-13" names the options' tasks in order
RECORD_KIND = "todochat.which_task"  # the hidden record's content kind
RECORD_SUFFIX = "_picks"  # the record's id: the question item's id and this
OPTIONS_MAX = 8
NOTHING_CHANGED = "OK — I left them as they are."
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}
_ID_IN_TEXT = re.compile(r"#(\d{1,9})\b")
_WORD = re.compile(r"[\w']+")
_POINTING_FILLER = {"the", "one", "that", "this", "it", "number", "no", "option", "please", "i", "mean", "meant"}


def record_id(question_item_id: str) -> str:
    return question_item_id + RECORD_SUFFIX


def ask(
    *, question_item_id: str, thread_id: str, question: str, tasks: Sequence[Task], intent: str,
    changes: dict | None, now_local: dt.datetime,
) -> tuple[HiddenContextItem, StructuredInputItem]:
    """The hidden record and the question, in the order they are stored."""
    shown = list(tasks)[:OPTIONS_MAX]
    labels = [describe_task(task, now_local) for task in shown]
    # Two tasks that read the same are told apart by their ids (the option is what is shown).
    labels = [f"{label} (#{task.id})" if labels.count(label) > 1 else label for label, task in zip(labels, shown)]
    now = dt.datetime.now()  # naive local time, as ChatKit stamps every item
    record = HiddenContextItem(
        id=record_id(question_item_id), thread_id=thread_id, created_at=now,
        content={"kind": RECORD_KIND, "intent": intent, "changes": changes or {}},
    )
    item = StructuredInputItem(
        id=question_item_id, thread_id=thread_id, created_at=now,
        inputs=[
            StructuredInputMultipleChoice(
                id=QUESTION_ID + "".join(f"-{task.id}" for task in shown),
                question=question,
                options=[StructuredInputMultipleChoiceOption(value=label) for label in labels],
            )
        ],
    )
    return record, item


def option_task_ids(input_id: str) -> list[int]:
    """The tasks a stored question offers, in its options' order; [] for a question not ours."""
    if not input_id.startswith(QUESTION_ID + "-"):
        return []
    parts = input_id[len(QUESTION_ID) + 1 :].split("-")
    return [int(part) for part in parts] if all(part.isdigit() and len(part) <= 9 for part in parts) else []


def is_record(content: Any) -> bool:
    return isinstance(content, dict) and content.get("kind") == RECORD_KIND


def tasks_asked_about(data: dict) -> list[int]:
    """The task ids a stored structured input item (its JSON) offers."""
    return [task_id for question in data.get("inputs") or [] for task_id in option_task_ids(str(question.get("id", "")))]


def question_text(item: StructuredInputItem) -> str:
    """A question in words, for clients that print (the CLI) and for copy text: the question,
    then its options numbered (an answer in words, "the second one", picks one)."""
    lines = []
    for question in item.inputs:
        lines.append(question.question)
        options = getattr(question, "options", [])
        lines.extend(f"{n}. {option.value}" for n, option in enumerate(options, 1))
        if question.answer is not None:
            lines.append("(skipped)" if question.answer.skipped else f"→ {', '.join(question.answer.values)}")
    return "\n".join(lines)


def question_note(data: dict, tasks: dict[int, Task], card_note: str) -> str:
    """A question as the model reads it in later turns: like a card (``card_note`` opening),
    its question and the options' tasks as they are now, then how it was answered."""
    lines = []
    for question in data.get("inputs") or []:
        lines.append(f"{card_note} {clip(str(question.get('question', '')), 200)}")
        for task_id in option_task_ids(str(question.get("id", ""))):
            lines.append(task_fact(tasks[task_id]) if task_id in tasks else f"#{task_id} — deleted")
        answer = question.get("answer") or {}
        if answer.get("skipped"):
            lines.append("(the user picked none of them)")
        elif answer.get("values"):
            lines.append(f"(the user answered: {clip(', '.join(map(str, answer['values'])), 200)})")
    return "\n".join(lines)


def picked(question: StructuredInputMultipleChoice, text: str) -> int | None:
    """The task an answer means, among the question's options only; None if not exactly one.

    An option's own words (what clicking sends), "#13", "the second one" / "2" / "last",
    or words found in exactly one option ("the one due friday")."""
    ids = option_task_ids(question.id)
    values = [option.value for option in question.options][: len(ids)]
    if text in values:
        return ids[values.index(text)]
    said = _WORD.findall(text.lower())
    if (named := _ID_IN_TEXT.search(text)) and int(named.group(1)) in ids:
        return int(named.group(1))
    pointing = [word for word in said if word not in _POINTING_FILLER]
    if len(pointing) == 1:
        word = pointing[0]
        position = len(ids) if word == "last" else _ORDINALS.get(word)
        if position is None and (number := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)):
            position = int(number.group(1))
        if position is not None:
            return ids[position - 1] if 1 <= position <= len(ids) else None
    wanted = set(meaningful(" ".join(pointing))) if pointing else set()
    fits = [task_id for task_id, value in zip(ids, values) if wanted and wanted <= set(words(value))]
    return fits[0] if len(fits) == 1 else None


@dataclass
class Answering:
    """An answer on its way in, with the record it took (``claim``)."""

    params: ThreadAddStructuredInputParams
    record: HiddenContextItem


async def claim(store: SQLModelStore, params: ThreadAddStructuredInputParams, context: RequestContext) -> Answering:
    """Take the question's record before anything streams: of two answers to one question
    (two tabs), one takes it and goes on, the other is ``AlreadyAnswered`` and changes nothing,
    not even the answer the question shows."""
    taken = await store.take_item(params.thread_id, record_id(params.item_id), context)
    if not isinstance(taken, HiddenContextItem) or not is_record(taken.content):
        raise AlreadyAnswered("This question was already answered")
    return Answering(params, taken)


async def answer(
    store: SQLModelStore, thread: ThreadMetadata, answering: Answering, context: RequestContext,
    new_id: Callable[[str], str],
) -> AsyncIterator[ThreadStreamEvent]:
    """What answering a question of ours does: the intent applied to the task picked (its card,
    then a sentence), or a sentence saying why nothing changed."""
    say = lambda text: ThreadItemDoneEvent(item=assistant_note(thread, new_id("message"), text))  # noqa: E731
    question_item = await store.load_item(thread.id, answering.params.item_id, context)
    inputs = question_item.inputs if isinstance(question_item, StructuredInputItem) else []
    question = next((q for q in inputs if option_task_ids(q.id)), None)
    submission = answering.params.input
    given = submission.answers.get(question.id) if question is not None else None
    if question is None or submission.status == "skipped" or given is None or given.skipped or not given.values:
        yield say(NOTHING_CHANGED)
        return
    task_id = picked(question, given.values[0])
    if task_id is None:
        yield say(f"I couldn't tell which of them “{clip(given.values[0], 60)}” means, so I changed nothing. "
                  "Ask again naming the task.")
        return
    content = answering.record.content
    try:
        done = await apply_intent(context, content["intent"], task_id, content.get("changes") or None)
    except TaskNotFound:
        yield say("That task no longer exists.")
        return
    except (TaskError, ValidationError, ValueError) as exc:
        yield say(f"I couldn't do that: {first_error(exc)}")
        return
    card, copy = result_card(content["intent"], done, context.now_local())
    yield ThreadItemDoneEvent(
        item=WidgetItem(id=new_id("message"), thread_id=thread.id, created_at=dt.datetime.now(), widget=card, copy_text=copy)
    )
    yield say(done.sentence)
