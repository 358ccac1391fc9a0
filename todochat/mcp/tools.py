"""What each MCP tool does to the caller's tasks, through ``TaskService``, and what it answers.

A tool is a plain function of the user's ``TaskService`` (one transaction: it commits when
the function returns, and rolls back if it raises) and its validated arguments. It answers
an ``Answer``: a short text for the model (a sentence, then one ``task_fact`` line per
task, with ids and absolute dates) and structured content with each task as the REST API
gives it (``task_to_json``). A ``Refusal`` is a failure the model can act on ("several
tasks match: …"); nothing is changed then.

The tools are the assistant's (todochat/chat/tools/) without its cards: ids and words of a
title find a task the same way (``matching.find_tasks``), an update means the same
(``task_changes.patch_from_changes``), and a filter the same (``task_query.to_filter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mcp.types import ToolAnnotations
from pydantic import BaseModel, ValidationError

from todochat.chat.matching import find_tasks
from todochat.chat.task_changes import patch_from_changes
from todochat.chat.task_facts import clip, task_fact, task_facts
from todochat.chat.task_query import ListQuery, to_filter
from todochat.limits import TASK_ID_MAX
from todochat.mcp.arguments import AddTasks, BulkTasks, ListTasks, OneTask, UpdateTask
from todochat.models import Task
from todochat.tasks import TaskCreate, TaskNotFound, TaskService, task_to_json
from todochat.validation_text import error_field, error_message

# Tasks a refusal for an ambiguous reference lists, so the model can pick one by id.
MATCHES_SHOWN = 10


class Refusal(Exception):
    """A call that changes nothing, with the reason in words a model can act on."""


@dataclass(frozen=True)
class Answer:
    text: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Tool:
    name: str
    title: str
    description: str
    arguments: type[BaseModel]
    run: Callable[[TaskService, Any], Answer]
    hints: ToolAnnotations = field(default_factory=ToolAnnotations)


def _lines(sentence: str, tasks: list[Task]) -> str:
    return f"{sentence}\n{task_facts(tasks)}" if tasks else sentence


# ---------------------------------------------------------------- finding the task meant

_ID = re.compile(r"#?\s*(\d{1,12})")


def find_one(tasks: TaskService, reference: int | str, *, prefer: str = "all") -> Task:
    """The one task ``reference`` names: an id (12, "12", "#12") is that task of this user
    or none, never a title that happens to hold the digits; words are a title's
    (``find_tasks``), in tasks of status ``prefer`` first. None or several: ``Refusal``."""
    as_id = reference if isinstance(reference, int) else _id_of(reference)
    if as_id is not None:
        if not 1 <= as_id <= TASK_ID_MAX:
            raise Refusal(f"There is no task #{as_id}: ids are whole numbers from 1 to {TASK_ID_MAX}.")
        try:
            return tasks.get(as_id)
        except TaskNotFound:
            raise Refusal(f"There is no task #{as_id} among this user's tasks.") from None
    words = str(reference)
    matches = find_tasks(tasks, words, status=prefer)
    if not matches and prefer != "all":
        matches = find_tasks(tasks, words, status="all")
    if not matches:
        raise Refusal(f"No task matches “{clip(words, 80)}”. list_tasks with search= shows what there is.")
    if len(matches) > 1:
        shown = matches[:MATCHES_SHOWN]
        more = f"\n(and {len(matches) - len(shown)} more)" if len(matches) > len(shown) else ""
        raise Refusal(
            f"Several tasks match “{clip(words, 80)}”. Nothing was changed: ask the user which one "
            f"they mean, then call again with its id (\"#{shown[0].id}\").\n{task_facts(shown)}{more}"
        )
    return matches[0]


def _id_of(text: str) -> int | None:
    match = _ID.fullmatch(text.strip())
    return int(match.group(1)) if match else None


# ---------------------------------------------------------------- the tools


def add_tasks(tasks: TaskService, args: AddTasks) -> Answer:
    creates = []
    for number, new in enumerate(args.tasks):
        try:
            creates.append(TaskCreate(**new.model_dump()))
        except ValidationError as exc:  # said with its place: "tasks.3.due: ..."
            error = exc.errors()[0]
            raise Refusal(
                f"tasks.{number}.{error_field(error)}: {_sentence(error_message(error))} Nothing was added."
            ) from None
    added = tasks.create_many(creates)
    sentence = "Added 1 task:" if len(added) == 1 else f"Added {len(added)} tasks:"
    return Answer(_lines(sentence, added), {"tasks": [task_to_json(t) for t in added]})


def list_tasks(tasks: TaskService, args: ListTasks) -> Answer:
    query = ListQuery(
        status=args.status, priority=args.priority, tag=args.tag, due=args.due,
        due_from=args.due_from, due_to=args.due_to, search=args.search,
    )
    flt = to_filter(query, tasks.today())
    page = tasks.list(flt, sort="due", limit=args.limit, cursor=args.cursor)
    total = tasks.count(flt)
    what = {"open": "open task", "done": "completed task", "all": "task"}[args.status]
    if not page.items:
        sentence = f"No {what}s match." if total == 0 else f"No more {what}s: that was the last page."
    elif total == 1:
        sentence = f"1 {what} matches:"
    else:
        sentence = f"{total} {what}s match; in due-date order (undated last):"
    if page.next_cursor:
        sentence = sentence.removesuffix(":") + (
            f'. These are {len(page.items)}; for the next ones call list_tasks again with the same filters '
            f'and cursor "{page.next_cursor}":'
        )
    data = {"tasks": [task_to_json(t) for t in page.items], "total": total, "next_cursor": page.next_cursor}
    return Answer(_lines(sentence, page.items), data)


def complete_task(tasks: TaskService, args: OneTask) -> Answer:
    task = find_one(tasks, args.task, prefer="open")
    if task.completed:
        return Answer(f"Already done:\n{task_fact(task)}", {"task": task_to_json(task), "next": None})
    task, following = tasks.complete(task.id)
    text = f"Completed:\n{task_fact(task)}"
    if following is not None:
        text += f"\nIt repeats; the next one is scheduled:\n{task_fact(following)}"
    return Answer(text, {"task": task_to_json(task), "next": task_to_json(following) if following else None})


def reopen_task(tasks: TaskService, args: OneTask) -> Answer:
    task = find_one(tasks, args.task, prefer="done")
    if not task.completed:
        return Answer(f"Already open:\n{task_fact(task)}", {"task": task_to_json(task)})
    task = tasks.reopen(task.id)
    return Answer(f"Reopened:\n{task_fact(task)}", {"task": task_to_json(task)})


def update_task(tasks: TaskService, args: UpdateTask) -> Answer:
    task = find_one(tasks, args.task)
    changes = args.model_dump(exclude={"task"})
    try:
        patch, note = patch_from_changes(task, changes, tasks.today())
    except ValidationError:
        raise  # a value a task may not hold: the server names the field
    except ValueError as exc:  # (a ValidationError is one too)
        raise Refusal(_sentence(str(exc))) from None
    task = tasks.update(task.id, patch)
    return Answer(f"Updated:{note}\n{task_fact(task)}", {"task": task_to_json(task)})


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def delete_task(tasks: TaskService, args: OneTask) -> Answer:
    task = find_one(tasks, args.task)
    gone = task_to_json(task)
    fact = task_fact(task)
    tasks.delete(task.id)
    return Answer(f"Deleted:\n{fact}", {"deleted": gone})


def bulk_tasks(tasks: TaskService, args: BulkTasks) -> Answer:
    wanted = list(dict.fromkeys(args.ids))
    own = tasks.get_many(wanted, lock=True)
    missing = sorted(set(wanted) - {t.id for t in own})
    if missing:
        named = ", ".join(f"#{i}" for i in missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        raise Refusal(f"Not among this user's tasks: {named}. Nothing was changed.")
    if args.action == "delete":
        ids = tasks.delete_many(wanted)
        return Answer(_lines(f"Deleted {len(ids)} task{'s' * (len(ids) != 1)}:", own), {"deleted": ids})
    already = [t for t in own if t.completed]
    done = tasks.complete_many(wanted)
    sentence = f"Completed {len(done)} task{'s' * (len(done) != 1)}"
    sentence += f" ({len(already)} already done)." if already else "."
    return Answer(_lines(sentence, done), {"completed": [t.id for t in done], "tasks": [task_to_json(t) for t in done]})


_WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool(
            "add_tasks",
            "Add tasks",
            "Add one or more tasks to the user's todo list (todochat). Give each a short title and, "
            "when the user said them, a due date, priority, tags, notes or repeat. Returns the new "
            "tasks with their ids; structuredContent.tasks holds them as JSON.",
            AddTasks,
            add_tasks,
            ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False),
        ),
        Tool(
            "list_tasks",
            "List or find tasks",
            "List the user's tasks, or find some: by status (open by default), priority, tag, a due "
            "window or date range, and words in the title or notes. One page at a time in due-date "
            "order; structuredContent holds tasks (JSON), total (all matches) and next_cursor (null "
            "on the last page). Use it to find a task's id before changing it.",
            ListTasks,
            list_tasks,
            ToolAnnotations(read_only_hint=True, open_world_hint=False),
        ),
        Tool(
            "complete_task",
            "Complete a task",
            "Mark one task done. A repeating task schedules its next occurrence, which the result "
            "shows (structuredContent.next).",
            OneTask,
            complete_task,
            _WRITES,
        ),
        Tool(
            "reopen_task",
            "Reopen a task",
            "Mark one completed task as not done again.",
            OneTask,
            reopen_task,
            _WRITES,
        ),
        Tool(
            "update_task",
            "Change a task",
            "Change one task: title, notes, due date or time (set, shift, clear), priority, tags "
            "(add, remove) or repeat (set, stop). Give only what changes.",
            UpdateTask,
            update_task,
            ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=False),
        ),
        Tool(
            "delete_task",
            "Delete a task",
            "Delete one task for good (there is no undo here: make sure it is the task the user means).",
            OneTask,
            delete_task,
            ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=False),
        ),
        Tool(
            "bulk_tasks",
            "Complete or delete several tasks",
            "Complete or delete several tasks at once, by id (from list_tasks). All of them or none: "
            "if any id is not one of the user's tasks, nothing is changed.",
            BulkTasks,
            bulk_tasks,
            ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=False),
        ),
    )
}
