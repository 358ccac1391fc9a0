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
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from agents import RunContextWrapper
from chatkit.agents import AgentContext
from chatkit.types import ProgressUpdateEvent
from dateutil.relativedelta import relativedelta
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from todochat import recurrence as repeat_rules
from todochat.chat import undo as undo_actions
from todochat.chat import widgets
from todochat.chat.context import RequestContext
from todochat.chat.matching import find_tasks
from todochat.chat.snapshots import snapshot_of
from todochat.chat.task_facts import clip, task_fact, task_facts
from todochat.chat.tool_errors import task_tool
from todochat.clean_text import refuse_nul
from todochat.limits import (
    CHAT_ADD_MAX_TASKS,
    CHAT_BULK_MAX_TASKS,
    SEARCH_MAX_CHARS,
    TAG_FILTER_MAX_CHARS,
)
from todochat.models import Task
from todochat.tasks import (
    DUE_RANGE_MESSAGE,
    FIRST_DUE,
    LAST_DUE,
    RECURRENCE_DESCRIPTION,
    Recurrence,
    TaskCreate,
    TaskError,
    TaskFilter,
    TaskPatch,
    TaskService,
    normalize_tag,
    normalize_tags,
    parse_due,
)
from todochat.validation_text import first_message

Ctx = RunContextWrapper[AgentContext[RequestContext]]
Priority = Literal["low", "medium", "high"]
# A repeat rule as the model sends it: the API's, without maxLength in the tool schema
# (strict tool schemas may not allow it); parse() refuses an over-long rule in words.
ToolRecurrence = Annotated[str, Field(description=RECURRENCE_DESCRIPTION), AfterValidator(repeat_rules.normalize)]
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
    recurrence: ToolRecurrence | None = None
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
    shift_due: str | None = Field(default=None, max_length=40)
    clear_time: bool = False
    priority: Priority | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=20)
    remove_tags: list[str] = Field(default_factory=list, max_length=20)
    recurrence: Recurrence | None = None
    clear_recurrence: bool = False


# ---------------------------------------------------------------- plumbing


async def in_db(ctx: RequestContext, work: Callable[[TaskService], T]) -> T:
    """Run blocking database work for this user off the event loop, in one transaction."""

    def run() -> T:
        with ctx.open_tasks() as tasks:
            return work(tasks)

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
        flt.due_before = end + day
        if query.due == "next_week":
            flt.due_after = start - day
        elif query.status != "open":
            flt.due_after = today - day  # what is left of this week
        # Open tasks "due this week" include the overdue ones (no lower bound): people asking
        # what is due this week mean everything they still have to do by Sunday, and a task
        # that slipped last week is the first of those. The card marks them overdue.
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


def describe_query(query: ListQuery, count: int | None = None, today: dt.date | None = None) -> str:
    """What the query shows, in words: "open tasks due this week", "1 open task due Fri Dec 4"
    when ``count`` is given (one task reads "task"). ``today`` words days near it ("due today")."""
    parts = {"open": "open", "done": "completed", "all": ""}[query.status]
    words = [str(count)] if count is not None else []
    if parts:
        words.append(parts)
    if query.priority:
        words.append(f"{query.priority}-priority")
    words.append("task" if count == 1 else "tasks")
    if query.tag:
        words.append(f"tagged #{query.tag}")
    if query.due:
        words.append(
            {
                "today": "due today",
                "tomorrow": "due tomorrow",
                "this_week": "due this week",
                "next_week": "due next week",
                "overdue": "that is overdue" if count == 1 else "that are overdue",
                "no_date": "without a due date",
            }[query.due]
        )
    if query.due_from or query.due_to:
        words.append(describe_range(query.due_from, query.due_to, today))
    words = [word for word in words if word]
    if query.search:
        words.append(f"matching “{query.search}”")
    return " ".join(words)


def day_words(day: dt.date, today: dt.date | None) -> str:
    """"today", "tomorrow", "Fri Dec 4", "Mon Jan 4, 2027": a day as a person says it."""
    if today is not None:
        near = {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)
        if near:
            return near
    words = f"{day:%a %b} {day.day}"
    return words if today is None or day.year == today.year else f"{words}, {day.year}"


def describe_range(first: dt.date | None, last: dt.date | None, today: dt.date | None) -> str:
    """A due range in words: "due today", "due Fri Dec 4", "due Dec 1 to Dec 7", "due by Fri Dec 4"."""
    # The calendar's ends bound nothing (a model may send them to mean "any date").
    first = None if first == dt.date.min else first
    last = None if last == dt.date.max else last
    if first and last and first == last:
        return f"due {day_words(first, today)}"
    if first and last:
        return f"due {day_words(first, today)} to {day_words(last, today)}"
    if last:
        return f"due by {day_words(last, today)}"
    return f"due {day_words(first, today)} or later" if first else ""


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
    what = describe_query(query, today=now.date())
    counts = f"{total} task" + ("" if total == 1 else "s")
    return widgets.task_list_card(
        items, heading=what[:1].upper() + what[1:], counts=counts, now_local=now, more=more, empty_text=f"No {what}."
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
        due: A due window: today, tomorrow, this_week (for open tasks, overdue ones too), next_week, overdue or no_date.
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
        what = describe_query(query, today=now.date())
        yield widgets.task_list_card(
            [], heading=what[:1].upper() + what[1:], counts="…", now_local=now, empty_text="Loading…"
        )
        found["items"], found["total"], more = await in_db(request, lambda tasks: list_page(tasks, query))
        found["overdue"] = await in_db(request, lambda tasks: count_overdue(tasks, query))
        yield list_card(query, found["items"], found["total"], more, now)

    await ctx.context.stream_widget(header_then_rows())
    items, total, overdue = found["items"], found["total"], found["overdue"]
    today = request.now_local().date()
    if total == 0:
        return f"You have no {describe_query(query, today=today)}."
    shown = f" (showing the first {len(items)})" if total > len(items) else ""
    late = ""
    if overdue and query.due != "overdue":
        late = " (all of them overdue)" if overdue == total else f" ({overdue} of them overdue)"
        late = " (it is overdue)" if total == 1 else late
    what = describe_query(query, total, today)
    return f"You have {what}{late}{shown}: {quote_list(items)}.\n\n{task_facts(items)}"


def count_overdue(tasks: TaskService, query: ListQuery) -> int:
    """How many of the query's tasks are overdue (a "due this week" list includes them)."""
    if query.status == "done":
        return 0
    flt = to_filter(query, tasks.today())
    flt.overdue = True
    return tasks.count(flt)


# ---------------------------------------------------------------- adding


@task_tool
async def add_tasks(ctx: Ctx, tasks: list[NewTask]) -> str:
    """Add one or more tasks. A title the user already has open is added all the same, and
    the result says so: pass that on to the user.

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
    def add(service: TaskService) -> tuple[list[Task], dict, list[Task]]:
        already = open_namesakes(service, [c.title for c in creates])
        added = service.create_many(creates)
        return added, undo_actions.remember(service, "add", task_ids=[t.id for t in added]), already

    # A title the user already has open is still added, and said so (here and on the card)
    # rather than asked about first. Whoever types "add pay rent" means it: people keep
    # several tasks of one name (a "call mom" each week, "buy milk" on two lists), and a
    # question before every such add would cost a second message each time. An accidental
    # second add is one press of the card's Undo away, so telling is enough.
    try:
        added, undo, already = await in_db(request, add)
    except TaskError as exc:  # a repeat that cannot repeat its task: nothing was added
        return f"I couldn't add that: {exc}"
    now = request.now_local()
    heading = "Added" if len(added) == 1 else f"Added {len(added)} tasks"
    if already:
        heading += " — " + already_open_note(already)
    if len(added) == 1:
        card = widgets.task_card(added[0], heading=heading, now_local=now, undo=undo)
    else:
        card = widgets.tasks_card(added, heading=heading, now_local=now, undo=undo, card_id=f"added_{added[0].id}_card")
    await ctx.context.stream_widget(card, copy_text="\n".join(widgets.describe(t, now) for t in added))
    said = "Added " + "; ".join(task_fact(t) for t in added) + "."
    if already:
        added_too = "this one was added as well" if len(added) == 1 else "these were added as well"
        undo_what = "it" if len(added) == 1 else "the tasks just added"
        said += f" Note: {already_open_note(already)}; {added_too} (Undo on the card removes {undo_what})."
    return said


def same_title(title: str) -> str:
    """Titles that read the same to a person compare equal: case, spacing and punctuation aside."""
    words = re.findall(r"[\w']+", title.casefold())
    return " ".join(words) if words else " ".join(title.casefold().split())


DUPLICATE_SCAN = 200  # open tasks sharing a title's words that are compared with it


def open_namesakes(tasks: TaskService, titles: list[str]) -> list[Task]:
    """The user's open tasks whose title is one of ``titles``, one per title, in that order."""
    found: list[Task] = []
    for title in dict.fromkeys(titles):
        key = same_title(title)
        words = " ".join(re.findall(r"[\w']+", title)) or title.strip()
        candidates = every_match(tasks, TaskFilter(status="open", search=words), DUPLICATE_SCAN) if words else []
        namesake = next((t for t in candidates if same_title(t.title) == key), None)
        if namesake is not None:
            found.append(namesake)
    return found


def already_open_note(already: list[Task]) -> str:
    """"you already have an open “pay rent” (#12)" for the card and the reply."""
    named = ", ".join(f"“{clip(t.title, 60)}” (#{t.id})" for t in already[:3])
    more = f" and {len(already) - 3} more" if len(already) > 3 else ""
    return f"you already have an open {named}{more}"


# ---------------------------------------------------------------- acting on one task


CHOICE_VERBS = {"complete": "mark done", "reopen": "reopen", "delete": "delete", "update": "change"}


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
                # Says what picking does: a choice for a delete deletes at once (with Undo).
                question=f"Which “{clip(reference, 80)}” should I {CHOICE_VERBS.get(intent, 'use')}?",
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
            patch, note = patch_from_changes(task, changes or {}, tasks.today())
            updated = tasks.update(task_id, patch)
            return Applied(updated, None, undo(), f"Updated {task_fact(updated)}.{note}")
        raise ValueError(f"Unknown intent {intent!r}")

    return await in_db(ctx_request, work)


# A shift of the due date, ISO 8601 style: "P2D", "-P1W", "P1M", "+P1Y2M", "P1W3D".
_SHIFT = re.compile(r"([+-]?)P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?")
SHIFT_MAX_DAYS = 3650
SHIFT_HELP = (
    'shift_due is a signed ISO 8601 duration such as "P2D" (2 days later), "-P1W" (a week earlier), '
    f'"P1M" or "P1Y", at most {SHIFT_MAX_DAYS} days either way'
)


def shift_of(text: str) -> relativedelta:
    """``shift_due`` as a relativedelta; ValueError, in words a model can act on, otherwise."""
    match = _SHIFT.fullmatch(text.strip().upper())
    if not match or not any(match.groups()[1:]):
        raise ValueError(f"shift_due {clip(text, 40)!r} is not a duration: {SHIFT_HELP}. Nothing was changed")
    sign = -1 if match.group(1) == "-" else 1
    years, months, weeks, days = (int(g or 0) for g in match.groups()[1:])
    if years * 366 + months * 31 + weeks * 7 + days > SHIFT_MAX_DAYS:
        raise ValueError(f"shift_due {clip(text, 40)!r} is too far: {SHIFT_HELP}. Nothing was changed")
    return sign * relativedelta(years=years, months=months, weeks=weeks, days=days)


def _due_text(day: dt.date, time: dt.time | None) -> str:
    return day.isoformat() if time is None else f"{day.isoformat()}T{time:%H:%M}"


def patch_from_changes(task: Task, changes: dict[str, Any], today: dt.date) -> tuple[TaskPatch, str]:
    """The update_task tool's arguments as a TaskPatch (tags added/removed against the task's
    own), and a note for the sentence ("" mostly).

    - ``shift_due`` moves the task's own due date, keeping its time; a task without one is
      shifted from today, and the note says so.
    - A new ``due`` without a time keeps the task's time ("move it to friday" keeps 15:00),
      as Todoist does; ``clear_time`` drops it ("remove the time"). The REST API does not
      do this: there a date-only due is date-only.
    """
    changes = TaskChanges.model_validate(changes).model_dump()
    patch: dict[str, Any] = {}
    note = ""
    for field in ("title", "notes", "priority", "due", "recurrence"):
        if changes.get(field) is not None:
            patch[field] = changes[field]
    shift = changes.get("shift_due")
    if shift is not None and (changes.get("due") is not None or changes.get("clear_due")):
        raise ValueError("Give either due, shift_due or clear_due, not two of them. Nothing was changed")
    if changes.get("clear_due"):
        patch["due"] = None
    if shift is not None:
        offset = shift_of(shift)
        start = task.due_date or today
        if task.due_date is None:
            note = " It had no due date, so I counted from today."
        try:
            day = start + offset
        except (OverflowError, ValueError):
            day = None
        if day is None or not FIRST_DUE <= day <= LAST_DUE:
            raise ValueError(
                f"Shifting {start.isoformat()} by {shift} would leave the due range: {DUE_RANGE_MESSAGE}. Nothing was changed"
            )
        patch["due"] = _due_text(day, task.due_time)
    elif patch.get("due") is not None:
        day, time = parse_due(patch["due"])
        if changes.get("clear_time"):
            patch["due"] = _due_text(day, None)
        elif time is None and task.due_time is not None:
            patch["due"] = _due_text(day, task.due_time)
    elif changes.get("clear_time") and not changes.get("clear_due"):
        if task.due_date is not None and task.due_time is not None:
            patch["due"] = _due_text(task.due_date, None)
        elif not patch:
            raise ValueError("it has no due time to remove. Nothing was changed")
    add, remove = changes.get("add_tags") or [], changes.get("remove_tags") or []
    if add or remove:
        tags = [t for t in task.tag_list if t not in set(normalize_tags(remove))]
        patch["tags"] = tags + [t for t in normalize_tags(add) if t not in tags]
    if not patch:
        raise ValueError("Tell me what to change: a new title, date, priority, tags or repeat")
    return TaskPatch.model_validate(patch), note


ACT_PROGRESS = {
    "complete": ("check-circle", "Completing"),
    "reopen": ("reload", "Reopening"),
    "delete": ("empty-circle", "Deleting"),
    "update": ("write", "Updating"),
}


# "Item 05 and Item 06", "pay rent, call mom": several tasks named in one reference.
_REFERENCE_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", re.I)
MAX_REFERENCES = 10  # tasks one complete/reopen/delete call may name; more is not a list of names


async def references_in(request: RequestContext, reference: str, status: str) -> list[str]:
    """The task references in ``reference``: itself when a task matches it whole ("salt and
    pepper" is one task if the user has one called so), else its parts, split at commas
    and "and", when each names something ("complete Item 05 and Item 06" completes both)."""
    parts = [part.strip() for part in _REFERENCE_SEPARATOR.split(reference) if part.strip()]
    if not 1 < len(parts) <= MAX_REFERENCES:
        return [reference]
    whole = await in_db(request, lambda tasks: find_tasks(tasks, reference, status="all"))
    return [reference] if whole else parts


async def _act(ctx: Ctx, reference: str, intent: str, status: str, changes: dict | None = None) -> str:
    """Do ``intent`` to the task(s) ``reference`` names; several only for complete, reopen and
    delete (an update names one task, whose new title may well contain "and")."""
    request = ctx.context.request_context
    references = [reference] if intent == "update" else await references_in(request, reference, status)
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
        due: A due window: today, tomorrow, this_week (for open tasks, overdue ones too), next_week, overdue or no_date.
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
    today = request.now_local().date()
    if not found:
        return f"There are no {describe_query(query, today=today)} to {action}."
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
        f"Please confirm: {action} {describe_query(query, len(found), today)}{capped}? Nothing changes until you press the button."
        f"\n\n{listed}{more}"
    )


# ---------------------------------------------------------------- undo

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
    # Imported here: actions imports this module.
    from chatkit.types import Action, ThreadItemReplacedEvent, WidgetItem

    from todochat.chat import actions

    chat = ctx.context
    request = chat.request_context
    await progress(ctx, "reload", "Undoing the last change…")
    items = await _newest_items(chat, UNDO_SCAN)
    cards = [(index, item) for index, item in enumerate(items) if isinstance(item, WidgetItem)]
    tokens = {item.id: widgets.undo_tokens_in(item.widget.model_dump(mode="json", exclude_none=True)) for _, item in cards}
    # Only this user's undos, still stored: the cards are the thread's, the tokens checked here.
    waiting = await in_db(request, lambda tasks: undo_actions.waiting(tasks, [t for ts in tokens.values() for t in ts]))
    newest = next((index for index, item in cards if set(tokens[item.id]) & waiting), None)
    if newest is None:
        return NOTHING_TO_UNDO
    group = [item for index, item in cards if _same_turn(items, newest, index) and set(tokens[item.id]) & waiting]
    said: list[str] = []
    task_ids: list[int] = []
    for item in group:
        task_ids.extend(widgets.task_ids_in(item.widget.model_dump(mode="json", exclude_none=True)))
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


TOOLS = [add_tasks, list_tasks, complete_task, reopen_task, delete_task, update_task, bulk_tasks, undo_last_change]


def first_error(exc: Exception) -> str:
    return first_message(exc) if isinstance(exc, ValidationError) else str(exc)


__all__ = [
    "BULK_MAX", "TOOLS", "Applied", "ListQuery", "TaskChanges", "apply_intent", "card_after", "every_match",
    "first_error", "in_db", "list_card", "list_page", "to_filter", "undo_last_change",
]
