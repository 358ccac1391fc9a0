"""bulk_tasks: complete or delete every task a filter matches, once the user confirms on its card.

Nothing changes here: the tool finds the tasks and streams a confirmation card whose
button carries their ids and the filter; the action (``actions``) acts on the ones
that still match when it is pressed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ValidationError

from todochat.chat import widgets
from todochat.chat.db_work import in_db
from todochat.chat.phrasing import describe_query
from todochat.chat.task_facts import task_facts
from todochat.chat.task_query import DueWindow, ListQuery, every_match, to_filter
from todochat.chat.tool_errors import task_tool
from todochat.chat.tools.tool_context import Ctx, progress
from todochat.limits import CHAT_BULK_MAX_TASKS
from todochat.models import Task
from todochat.tasks import Priority, TaskService
from todochat.validation_text import first_message

BULK_FACTS = 20  # tasks a bulk confirmation lists for the model; the card holds them all


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
        return f"I couldn't read that filter: {first_message(exc)}"
    if action == "complete" and query.status == "all":
        query.status = "open"
    await progress(ctx, "search", "Finding the tasks to " + action + "…")

    def matching(tasks: TaskService) -> tuple[list[Task], int]:
        flt = to_filter(query, tasks.today())
        return every_match(tasks, flt, CHAT_BULK_MAX_TASKS), tasks.count(flt)

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
