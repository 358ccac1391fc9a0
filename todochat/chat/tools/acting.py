"""complete_task, reopen_task, delete_task, update_task: one thing done to the task(s) a reference names.

A reference is words from a title or "#<id>" (``matching.find_tasks``). One match is
acted on (``intents.apply_intent``) and shown (``result_cards.result_card``); several
matches stream a question instead (which_task.py), whose answer does the same thing to
the one picked.
"""

from __future__ import annotations

import re

from chatkit.types import ThreadItemDoneEvent
from pydantic import ValidationError

from todochat.chat import which_task
from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.intents import apply_intent
from todochat.chat.matching import find_tasks
from todochat.chat.phrasing import quote_list
from todochat.chat.result_cards import result_card
from todochat.chat.task_facts import clip, task_facts
from todochat.chat.tool_errors import first_error, task_tool
from todochat.chat.tools.tool_context import Ctx, ToolRecurrence, progress
from todochat.models import Task
from todochat.tasks import Priority, TaskError


ACT_PROGRESS = {
    "complete": ("check-circle", "Completing"),
    "reopen": ("reload", "Reopening"),
    "delete": ("empty-circle", "Deleting"),
    "update": ("write", "Updating"),
}


# "Item 05 and Item 06", "pay rent, call mom": several tasks named in one reference.
_REFERENCE_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", re.I)
MAX_REFERENCES = 10  # tasks one complete/reopen/delete call may name; more is not a list of names
# Tasks named by number, as a message's @-mentions reach the model ("#11 call mom and #5
# pay rent", or with no "and" between them): split before each "#<id>".
_NUMBERED = re.compile(r"#[1-9][0-9]{0,9}\b")
_BEFORE_NUMBER = re.compile(r"(?:\s*[,;&]\s*(?:and\s+)?|\s+and\s+|\s+)(?=#[1-9][0-9]{0,9}\b)", re.I)


def numbered_parts(reference: str) -> list[str]:
    """``reference``'s parts when it is two or more "#<id> title" references, else []."""
    # Spaces squeezed first: the split's "\s*" before each position would otherwise make a
    # long run of them cost its length squared.
    parts = [part.strip() for part in _BEFORE_NUMBER.split(" ".join(reference.split())) if part.strip()]
    return parts if len(parts) > 1 and all(_NUMBERED.match(part) for part in parts) else []


async def references_in(request: RequestContext, reference: str, *, numbered_only: bool = False) -> list[str]:
    """The task references in ``reference``: itself when a task matches it whole ("salt and
    pepper" is one task if the user has one called so), else its parts, split at commas
    and "and", when each names something ("complete Item 05 and Item 06" completes both),
    or before each "#<id>" when every part names a task by number (``numbered_only``: only
    that way)."""
    parts = numbered_parts(reference)
    if not parts and not numbered_only:
        parts = [part.strip() for part in _REFERENCE_SEPARATOR.split(reference) if part.strip()]
    if not 1 < len(parts) <= MAX_REFERENCES:
        return [reference]
    whole = await in_db(request, lambda tasks: find_tasks(tasks, reference, status="all"))
    return [reference] if whole else parts


async def _act(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> str:
    """Do ``intent`` to the task(s) ``reference`` names. An update names one task by its
    words (a title may well contain "and"), or several by number (@-mentions), never
    when it renames: two tasks are not given one title."""
    request = ctx.context.request_context
    if intent != "update":
        references = await references_in(request, reference)
    elif (changes or {}).get("title") is None:
        references = await references_in(request, reference, numbered_only=True)
    else:
        references = [reference]
    if len(references) == 1:
        return await _act_on_one(ctx, reference, intent, status, changes)
    results = [await _act_on_one(ctx, part, intent, status, changes) for part in references]
    # Each result is a sentence for the user, then (after a blank line) details for a model.
    said = " ".join(result.split("\n\n", 1)[0].strip() for result in results)
    details = "\n".join(result.split("\n\n", 1)[1] for result in results if "\n\n" in result)
    return f"{said}\n\n{details}" if details else said


async def _act_on_one(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> str:
    request = ctx.context.request_context
    icon, verb = ACT_PROGRESS[intent]
    await progress(ctx, icon, f"{verb} “{clip(reference, 60)}”…")
    target = await _resolve(ctx, reference, intent, status, changes)
    if isinstance(target, str):
        return target
    try:
        done = await apply_intent(request, intent, target.id, changes)
    except (TaskError, ValidationError, ValueError) as exc:
        return f"I couldn't do that: {first_error(exc)}"
    await ctx.context.stream_widget(*result_card(intent, done, request.now_local()))
    return done.sentence


CHOICE_VERBS = {"complete": "mark done", "reopen": "reopen", "delete": "delete", "update": "change"}


async def _resolve(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> Task | str:
    """The single task ``reference`` means, or the sentence to say instead (question streamed)."""
    request = ctx.context.request_context
    matches = await in_db(request, lambda tasks: find_tasks(tasks, reference, status=status))
    if not matches and status != "all":
        matches = await in_db(request, lambda tasks: find_tasks(tasks, reference, status="all"))
    if not matches:
        return f"I couldn't find a task matching “{clip(reference, 80)}”."
    if len(matches) > 1:
        shown = matches[: which_task.OPTIONS_MAX]
        chat = ctx.context
        # Says what picking does: picking for a delete deletes at once (with Undo).
        record, question = which_task.ask(
            question_item_id=chat.generate_id("message"),
            thread_id=chat.thread.id,
            question=f"Which “{clip(reference, 80)}” should I {CHOICE_VERBS.get(intent, 'use')}?",
            tasks=shown,
            intent=intent,
            changes=changes,
            now_local=request.now_local(),
        )
        await chat.store.add_thread_item(chat.thread.id, record, request)  # before the question can be answered
        await chat.stream(ThreadItemDoneEvent(item=question))
        return (
            f"Several tasks match “{clip(reference, 80)}”: {quote_list(shown)}. Which one did you mean?"
            f"\n\n{task_facts(shown)}"
        )
    return matches[0]


@task_tool
async def complete_task(ctx: Ctx, reference: str) -> str:
    """Mark a task as done. A repeating task schedules its next occurrence.

    Args:
        reference: Words from the task's title (or "#<id>") that identify it.
    """
    return await _act(ctx, reference, "complete", "open")


@task_tool
async def reopen_task(ctx: Ctx, reference: str) -> str:
    """Mark a completed task as not done.

    Args:
        reference: Words from the task's title (or "#<id>") that identify it.
    """
    return await _act(ctx, reference, "reopen", "done")


@task_tool
async def delete_task(ctx: Ctx, reference: str) -> str:
    """Delete a task (the card offers Undo).

    Args:
        reference: Words from the task's title (or "#<id>") that identify it.
    """
    return await _act(ctx, reference, "delete", "all")


@task_tool
async def update_task(
    ctx: Ctx,
    reference: str,
    title: str | None = None,
    notes: str | None = None,
    due: str | None = None,
    clear_due: bool = False,
    shift_due: str | None = None,
    clear_time: bool = False,
    priority: Priority | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    recurrence: ToolRecurrence | None = None,
    clear_recurrence: bool = False,
) -> str:
    """Change a task: rename, notes, reschedule or clear the due date, priority, tags, repeat.

    Args:
        reference: Words from the task's current title (or "#<id>") that identify it.
        title: The new title.
        notes: New notes.
        due: New due date, YYYY-MM-DD or local YYYY-MM-DDTHH:MM. A date without a time keeps the
            task's time ("move it to friday" keeps 3 PM); give a YYYY-MM-DDTHH:MM to change the time.
        clear_due: True to remove the due date.
        shift_due: Move the due date by an amount, from the task's own due date, keeping its time:
            a signed ISO 8601 duration, "P2D" (push back 2 days), "-P1W" (a week earlier), "P1M",
            "P1Y". For "postpone/push back/delay by ..." and "bring forward by ...": do not compute
            the date yourself. A task without a due date is shifted from today.
        clear_time: True to keep the due date but drop its time ("remove the time").
        priority: New priority.
        add_tags: Tags to add (no '#').
        remove_tags: Tags to remove.
        recurrence: New repeat: an RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU (every other
            Tuesday) or FREQ=MONTHLY;BYDAY=3FR (the third Friday), or daily/weekdays/weekly/monthly/yearly.
        clear_recurrence: True to stop repeating.
    """
    changes = {
        "title": title,
        "notes": notes,
        "due": due,
        "clear_due": clear_due,
        "shift_due": shift_due,
        "clear_time": clear_time,
        "priority": priority,
        "add_tags": add_tags or [],
        "remove_tags": remove_tags or [],
        "recurrence": recurrence,
        "clear_recurrence": clear_recurrence,
    }
    return await _act(ctx, reference, "update", "all", changes)
