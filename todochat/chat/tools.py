"""The assistant's tools: every task change it makes goes through here, then TaskService.

The acting user comes from the request context (``ctx.context.request_context``), never
from the model's arguments. Each tool shows its progress, streams a card and returns what
happened for the model: a sentence first (what the offline model says back), then, after a
blank line, details only a model needs. Tasks appear there as ``task_facts`` lines, with
ids and absolute dates, since tool results stay in the history for later turns and days.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, TypeVar

from agents import RunContextWrapper
from chatkit.agents import AgentContext
from chatkit.types import ProgressUpdateEvent
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from todochat.chat import undo as undo_actions
from todochat.chat import widgets
from todochat.chat.context import RequestContext
from todochat.chat.matching import find_tasks
from todochat.chat.snapshots import snapshot_of
from todochat.chat.task_facts import clip, task_fact, task_facts
from todochat.chat.tool_errors import task_tool
from todochat.clean_text import refuse_nul
from todochat.db import session_scope
from todochat.limits import CHAT_ADD_MAX_TASKS, CHAT_BULK_MAX_TASKS, SEARCH_MAX_CHARS, TAG_FILTER_MAX_CHARS
from todochat.models import Task
from todochat.tasks import TaskCreate, TaskError, TaskFilter, TaskPatch, TaskService, normalize_tag, normalize_tags

Ctx = RunContextWrapper[AgentContext[RequestContext]]
Priority = Literal["low", "medium", "high"]
Recurrence = Literal["daily", "weekdays", "weekly", "monthly", "yearly"]
DueWindow = Literal["today", "tomorrow", "this_week", "next_week", "overdue", "no_date"]
BULK_MAX = CHAT_BULK_MAX_TASKS
ADD_MAX = CHAT_ADD_MAX_TASKS
BULK_FACTS = 20  # tasks a bulk confirmation lists for the model; the card holds them all
T = TypeVar("T")


class NewTask(BaseModel):
    title: str = Field(description="What to do, in the user's words, without the date or priority")
    due: str | None = Field(default=None, description="YYYY-MM-DD or local YYYY-MM-DDTHH:MM")
    priority: Priority | None = None
    tags: list[str] = Field(default_factory=list, description="Tags without '#'")
    recurrence: Recurrence | None = None
    notes: str | None = None


class ListQuery(BaseModel):
    """Which tasks to show or act on; the shape shared by list and bulk actions.

    It also travels in "Show more" and "Confirm" payloads, so it validates like input.
    """

    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "done", "all"] = "open"
    priority: Priority | None = None
    tag: str | None = Field(default=None, max_length=TAG_FILTER_MAX_CHARS)
    due: DueWindow | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    search: str | None = Field(default=None, max_length=SEARCH_MAX_CHARS)

    @field_validator("tag")
    @classmethod
    def _tag(cls, value: str | None) -> str | None:
        return normalize_tag(value) if value else None

    @field_validator("search")
    @classmethod
    def _search(cls, value: str | None) -> str | None:
        return refuse_nul(value, "Search words") if value else None


class TaskChanges(BaseModel):
    """update_task's arguments, as carried by a choice card's buttons."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=10_000)
    due: str | None = None
    clear_due: bool = False
    priority: Priority | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=20)
    remove_tags: list[str] = Field(default_factory=list, max_length=20)
    recurrence: Recurrence | None = None
    clear_recurrence: bool = False


# ---------------------------------------------------------------- plumbing


async def in_db(ctx: RequestContext, work: Callable[[TaskService], T]) -> T:
    """Run blocking database work for this user off the event loop, in one transaction."""

    def run() -> T:
        with session_scope(ctx.engine) as session:
            return work(TaskService(session, ctx.user_id, clock=ctx.clock, tz=ctx.tz))

    return await asyncio.to_thread(run)


def _week_bounds(today: dt.date, weeks_ahead: int) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_ahead)
    return monday, monday + dt.timedelta(days=6)


def to_filter(query: ListQuery, today: dt.date) -> TaskFilter:
    """A ListQuery in TaskService terms. Inclusive ranges become the service's strict bounds."""
    flt = TaskFilter(status=query.status, priority=query.priority, tag=query.tag, search=query.search)
    day = dt.timedelta(days=1)
    if query.due == "today":
        flt.due_on = today
    elif query.due == "tomorrow":
        flt.due_on = today + day
    elif query.due in ("this_week", "next_week"):
        start, end = _week_bounds(today, 0 if query.due == "this_week" else 1)
        if query.due == "this_week":
            start = today  # what is left of this week
        flt.due_after, flt.due_before = start - day, end + day
    elif query.due == "overdue":
        flt.overdue = True
    elif query.due == "no_date":
        flt.no_due = True
    # The service's bounds are strict; at the calendar's ends there is nothing beyond to exclude.
    if query.due_from and query.due_from > dt.date.min:
        flt.due_after = query.due_from - day
    if query.due_to and query.due_to < dt.date.max:
        flt.due_before = query.due_to + day
    return flt


def describe_query(query: ListQuery) -> str:
    parts = {"open": "open", "done": "completed", "all": ""}[query.status]
    words = [parts] if parts else []
    if query.priority:
        words.append(f"{query.priority}-priority")
    words.append("tasks")
    if query.tag:
        words.append(f"tagged #{query.tag}")
    if query.due:
        words.append(
            {
                "today": "due today",
                "tomorrow": "due tomorrow",
                "this_week": "due this week",
                "next_week": "due next week",
                "overdue": "that are overdue",
                "no_date": "without a due date",
            }[query.due]
        )
    if query.due_from or query.due_to:
        words.append(f"due {query.due_from or '…'} to {query.due_to or '…'}")
    if query.search:
        words.append(f"matching “{query.search}”")
    return " ".join(words)


def quote_list(tasks: list[Task], limit: int = 5) -> str:
    titles = [f"“{t.title}”" for t in tasks[:limit]]
    more = len(tasks) - len(titles)
    text = ", ".join(titles)
    return f"{text} and {more} more" if more > 0 else text


async def progress(ctx: Ctx, icon: str, text: str) -> None:
    """A progress line both chat clients show while the tool works."""
    await ctx.context.stream(ProgressUpdateEvent(icon=icon, text=text))


# ---------------------------------------------------------------- listing


def every_match(tasks: TaskService, flt: TaskFilter, cap: int) -> list[Task]:
    """Up to ``cap`` matching tasks in due order, page after page (one page holds at most PAGE_MAX)."""
    found: list[Task] = []
    cursor = None
    while len(found) < cap:
        page = tasks.list(flt, sort="due", limit=cap - len(found), cursor=cursor)
        found.extend(page.items)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return found


def list_page(tasks: TaskService, query: ListQuery, cursor: str | None = None):
    """One page of a list card: rows, the counts line and the "Show more" payload."""
    flt = to_filter(query, tasks.today())
    page = tasks.list(flt, sort="due", limit=widgets.PAGE_SIZE, cursor=cursor)
    total = tasks.count(flt)
    more = None
    if page.next_cursor:
        more = {"query": query.model_dump(mode="json"), "cursor": page.next_cursor}
    return page.items, total, more


def list_card(query: ListQuery, items: list[Task], total: int, more: dict | None, now: dt.datetime):
    heading = describe_query(query).capitalize()
    counts = f"{total} task" + ("" if total == 1 else "s")
    return widgets.task_list_card(
        items, heading=heading, counts=counts, now_local=now, more=more, empty_text=f"No {describe_query(query)}."
    )


@task_tool
async def list_tasks(
    ctx: Ctx,
    status: Literal["open", "done", "all"] = "open",
    priority: Priority | None = None,
    tag: str | None = None,
    due: DueWindow | None = None,
    due_from: str | None = None,
    due_to: str | None = None,
    search: str | None = None,
) -> str:
    """Show the user's tasks, optionally filtered. Shows one page with a "Show more" button.

    Args:
        status: "open" (not done), "done" (completed) or "all".
        priority: Only this priority.
        tag: Only tasks with this tag (no '#').
        due: A due window: today, tomorrow, this_week, next_week, overdue or no_date.
        due_from: First due date to include, YYYY-MM-DD.
        due_to: Last due date to include, YYYY-MM-DD.
        search: Words that must appear in the title or notes.
    """
    request = ctx.context.request_context
    try:
        query = ListQuery(
            status=status, priority=priority, tag=tag, due=due, due_from=due_from, due_to=due_to, search=search
        )
    except (ValidationError, ValueError) as exc:
        return f"I couldn't read that filter: {first_error(exc)}"
    if search:
        await progress(ctx, "search", f"Searching for “{clip(search, 60)}”…")
    else:
        await progress(ctx, "search", "Looking up your tasks…")
    found: dict[str, Any] = {}

    async def header_then_rows():
        # The card's header shows at once; its rows follow when the query returns.
        now = request.now_local()
        yield widgets.task_list_card(
            [], heading=describe_query(query).capitalize(), counts="…", now_local=now, empty_text="Loading…"
        )
        found["items"], found["total"], more = await in_db(request, lambda tasks: list_page(tasks, query))
        yield list_card(query, found["items"], found["total"], more, now)

    await ctx.context.stream_widget(header_then_rows())
    items, total = found["items"], found["total"]
    what = describe_query(query)
    if total == 0:
        return f"You have no {what}."
    shown = f" (showing the first {len(items)})" if total > len(items) else ""
    return f"You have {total} {what}{shown}: {quote_list(items)}.\n\n{task_facts(items)}"


# ---------------------------------------------------------------- adding


@task_tool
async def add_tasks(ctx: Ctx, tasks: list[NewTask]) -> str:
    """Add one or more tasks.

    Args:
        tasks: The tasks to add, each with its own title, due date, priority, tags and recurrence.
    """
    request = ctx.context.request_context
    if not tasks:
        return "There was nothing to add."
    if len(tasks) > ADD_MAX:
        return f"Error: add at most {ADD_MAX} tasks per call (got {len(tasks)}); nothing was added."
    await progress(ctx, "plus", "Adding a task…" if len(tasks) == 1 else f"Adding {len(tasks)} tasks…")
    try:
        creates = [
            TaskCreate(
                title=t.title,
                due=t.due,
                priority=t.priority or "medium",
                tags=t.tags,
                recurrence=t.recurrence,
                notes=t.notes or "",
            )
            for t in tasks
        ]
    except ValidationError as exc:
        return f"I couldn't add that: {first_error(exc)}"
    def add(service: TaskService) -> tuple[list[Task], dict]:
        added = service.create_many(creates)
        return added, undo_actions.remember(service, "add", task_ids=[t.id for t in added])

    added, undo = await in_db(request, add)
    now = request.now_local()
    if len(added) == 1:
        card = widgets.task_card(added[0], heading="Added", now_local=now, undo=undo)
    else:
        card = widgets.tasks_card(
            added, heading=f"Added {len(added)} tasks", now_local=now, undo=undo, card_id=f"added_{added[0].id}_card"
        )
    await ctx.context.stream_widget(card, copy_text="\n".join(widgets.describe(t, now) for t in added))
    return "Added " + "; ".join(task_fact(t) for t in added) + "."


# ---------------------------------------------------------------- acting on one task


async def _resolve(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> Task | str:
    """The single task ``reference`` means, or the sentence to say instead (choice card streamed)."""
    request = ctx.context.request_context
    matches = await in_db(request, lambda tasks: find_tasks(tasks, reference, status=status))
    if not matches and status != "all":
        matches = await in_db(request, lambda tasks: find_tasks(tasks, reference, status="all"))
    if not matches:
        return f"I couldn't find a task matching “{clip(reference, 80)}”."
    if len(matches) > 1:
        shown = matches[:8]
        await ctx.context.stream_widget(
            widgets.choice_card(
                question=f"Which task did you mean by “{clip(reference, 80)}”?",
                tasks=shown,
                intent=intent,
                changes=changes,
                now_local=request.now_local(),
            )
        )
        return (
            f"Several tasks match “{clip(reference, 80)}”: {quote_list(shown)}. Which one did you mean?"
            f"\n\n{task_facts(shown)}"
        )
    return matches[0]


class Applied(NamedTuple):
    """One thing done to one task: the task now (None once deleted), the occurrence a
    repeating task spawned, the card's Undo (a deleted row for a delete; None when nothing
    changed), and the sentence for the model."""

    task: Task | None
    spawned: Task | None
    undo: dict | None
    sentence: str


async def apply_intent(ctx_request: RequestContext, intent: str, task_id: int, changes: dict | None) -> Applied:
    """Do one thing to one task, and remember how to undo it, in one transaction."""

    def work(tasks: TaskService) -> Applied:
        task = tasks.get(task_id)
        before = snapshot_of(task)

        def undo() -> dict:
            return undo_actions.remember(tasks, intent, task_id=task_id, before=before)

        if intent == "complete":
            if task.completed:
                return Applied(task, None, None, f"{task_fact(task)} was already done.")
            task, spawned = tasks.complete(task_id)
            extra = f" Next one: {task_fact(spawned)}." if spawned else ""
            return Applied(task, spawned, undo(), f"Marked #{task.id} “{task.title}” as done.{extra}")
        if intent == "reopen":
            if not task.completed:
                return Applied(task, None, None, f"{task_fact(task)} is already open.")
            task = tasks.reopen(task_id)
            return Applied(task, None, undo(), f"Reopened {task_fact(task)}.")
        if intent == "delete":
            fact = task_fact(task)
            deleted = undo_actions.remember_deleted(tasks, task)
            tasks.delete(task_id)
            return Applied(None, None, deleted, f"Deleted {fact.removesuffix(', open').removesuffix(', done')}.")
        if intent == "update":
            updated = tasks.update(task_id, patch_from_changes(task, changes or {}))
            return Applied(updated, None, undo(), f"Updated {task_fact(updated)}.")
        raise ValueError(f"Unknown intent {intent!r}")

    return await in_db(ctx_request, work)


def patch_from_changes(task: Task, changes: dict[str, Any]) -> TaskPatch:
    """The update_task tool's arguments as a TaskPatch (tags added/removed against the task's own)."""
    changes = TaskChanges.model_validate(changes).model_dump()
    patch: dict[str, Any] = {}
    for field in ("title", "notes", "priority", "due", "recurrence"):
        if changes.get(field) is not None:
            patch[field] = changes[field]
    if changes.get("clear_due"):
        patch["due"] = None
    if changes.get("clear_recurrence"):
        patch["recurrence"] = None
    add, remove = changes.get("add_tags") or [], changes.get("remove_tags") or []
    if add or remove:
        tags = [t for t in task.tag_list if t not in set(normalize_tags(remove))]
        patch["tags"] = tags + [t for t in normalize_tags(add) if t not in tags]
    if not patch:
        raise ValueError("Tell me what to change: a new title, date, priority, tags or repeat")
    return TaskPatch.model_validate(patch)


ACT_PROGRESS = {
    "complete": ("check-circle", "Completing"),
    "reopen": ("reload", "Reopening"),
    "delete": ("empty-circle", "Deleting"),
    "update": ("write", "Updating"),
}


async def _act(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> str:
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
    await ctx.context.stream_widget(*card_after(intent, done, request.now_local()))
    return done.sentence


def card_after(intent: str, done: Applied, now: dt.datetime) -> tuple[Any, str | None]:
    """The card (and its copy text) that shows what ``apply_intent`` did."""
    if done.task is None:
        return widgets.deleted_card(done.undo), None
    heading = {"complete": "Completed", "reopen": "Reopened", "update": "Updated"}[intent]
    card = widgets.task_card(done.task, heading=heading, now_local=now, undo=done.undo)
    return card, widgets.describe(done.task, now)


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
    priority: Priority | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    recurrence: Recurrence | None = None,
    clear_recurrence: bool = False,
) -> str:
    """Change a task: rename, notes, reschedule or clear the due date, priority, tags, repeat.

    Args:
        reference: Words from the task's current title (or "#<id>") that identify it.
        title: The new title.
        notes: New notes.
        due: New due date, YYYY-MM-DD or local YYYY-MM-DDTHH:MM.
        clear_due: True to remove the due date.
        priority: New priority.
        add_tags: Tags to add (no '#').
        remove_tags: Tags to remove.
        recurrence: New repeat rule.
        clear_recurrence: True to stop repeating.
    """
    changes = {
        "title": title,
        "notes": notes,
        "due": due,
        "clear_due": clear_due,
        "priority": priority,
        "add_tags": add_tags or [],
        "remove_tags": remove_tags or [],
        "recurrence": recurrence,
        "clear_recurrence": clear_recurrence,
    }
    return await _act(ctx, reference, "update", "all", changes)


# ---------------------------------------------------------------- bulk


@task_tool
async def bulk_tasks(
    ctx: Ctx,
    action: Literal["complete", "delete"],
    status: Literal["open", "done", "all"] = "open",
    priority: Priority | None = None,
    tag: str | None = None,
    due: DueWindow | None = None,
    search: str | None = None,
) -> str:
    """Complete or delete every task matching a filter. Asks the user to confirm first.

    Args:
        action: "complete" or "delete".
        status: Which tasks: "open", "done" or "all".
        priority: Only this priority.
        tag: Only tasks with this tag.
        due: A due window: today, tomorrow, this_week, next_week, overdue or no_date.
        search: Words that must appear in the title or notes.
    """
    request = ctx.context.request_context
    try:
        query = ListQuery(status=status, priority=priority, tag=tag, due=due, search=search)
    except ValidationError as exc:
        return f"I couldn't read that filter: {first_error(exc)}"
    if action == "complete" and query.status == "all":
        query.status = "open"
    await progress(ctx, "search", "Finding the tasks to " + action + "…")

    def matching(tasks: TaskService) -> tuple[list[Task], int]:
        flt = to_filter(query, tasks.today())
        return every_match(tasks, flt, BULK_MAX), tasks.count(flt)

    found, total = await in_db(request, matching)
    what = describe_query(query)
    if not found:
        return f"There are no {what} to {action}."
    payload = {"action": action, "ids": [t.id for t in found], "query": query.model_dump(mode="json")}
    await ctx.context.stream_widget(
        widgets.confirm_card(
            action_name=action, tasks=found, total=len(found), payload=payload, now_local=request.now_local()
        )
    )
    capped = f" (the first {len(found)} of {total})" if total > len(found) else ""
    listed = task_facts(found[:BULK_FACTS])
    more = f"\n(and {len(found) - BULK_FACTS} more)" if len(found) > BULK_FACTS else ""
    return (
        f"Please confirm: {action} {len(found)} {what}{capped}? Nothing changes until you press the button."
        f"\n\n{listed}{more}"
    )


TOOLS = [add_tasks, list_tasks, complete_task, reopen_task, delete_task, update_task, bulk_tasks]


def first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return str(exc)


__all__ = [
    "BULK_MAX", "TOOLS", "Applied", "ListQuery", "TaskChanges", "apply_intent", "card_after", "every_match",
    "first_error", "in_db", "list_card", "list_page", "to_filter",
]
