"""add_tasks: new tasks, and a word when one of them is already open under the same title."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, ValidationError

from todochat.chat import undo as undo_actions
from todochat.chat import widgets
from todochat.chat.db_work import in_db
from todochat.chat.task_facts import clip, task_fact
from todochat.chat.task_query import every_match
from todochat.chat.tool_errors import task_tool
from todochat.chat.tools.tool_context import Ctx, ToolRecurrence, progress
from todochat.formatting import describe_task
from todochat.limits import CHAT_ADD_MAX_TASKS
from todochat.models import Task
from todochat.tasks import Priority, TaskCreate, TaskError, TaskFilter, TaskService
from todochat.validation_text import first_message

class NewTask(BaseModel):
    title: str = Field(description="What to do, in the user's words, without the date or priority")
    due: str | None = Field(default=None, description="YYYY-MM-DD or local YYYY-MM-DDTHH:MM")
    priority: Priority | None = None
    tags: list[str] = Field(default_factory=list, description="Tags without '#'")
    recurrence: ToolRecurrence | None = None
    notes: str | None = None


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
    if len(tasks) > CHAT_ADD_MAX_TASKS:
        return f"Error: add at most {CHAT_ADD_MAX_TASKS} tasks per call (got {len(tasks)}); nothing was added."
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
        return f"I couldn't add that: {first_message(exc)}"

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
    await ctx.context.stream_widget(card, copy_text="\n".join(describe_task(t, now) for t in added))
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
