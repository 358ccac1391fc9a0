"""list_tasks: one page of the user's tasks as a card, and in words for the model."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ValidationError

from todochat.chat.db_work import in_db
from todochat.chat.phrasing import describe_query, quote_list
from todochat.chat.result_cards import list_card, loading_list_card
from todochat.chat.task_facts import clip, task_facts
from todochat.chat.task_query import DueWindow, ListQuery, count_overdue, list_page
from todochat.chat.tool_errors import first_error, task_tool
from todochat.chat.tools.tool_context import Ctx, progress
from todochat.tasks import Priority


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
        yield loading_list_card(query, now)
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
