"""Which tasks a list or a bulk action means (``ListQuery``), in TaskService terms, and fetching them.

A ListQuery is what the model asks for ("open tasks due this week tagged #home"); it also
travels in "Show more" and "Confirm" payloads, so it validates like any other input.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from todochat.chat.widgets import PAGE_SIZE
from todochat.clean_text import refuse_nul
from todochat.limits import SEARCH_MAX_CHARS, TAG_FILTER_MAX_CHARS
from todochat.models import Task
from todochat.tasks import Priority, TaskFilter, TaskService, normalize_tag

DueWindow = Literal["today", "tomorrow", "this_week", "next_week", "overdue", "no_date"]


class ListQuery(BaseModel):
    """Which tasks to show or act on; the shape shared by list and bulk actions."""

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


def list_page(tasks: TaskService, query: ListQuery, cursor: str | None = None) -> tuple[list[Task], int, dict | None]:
    """One page of a list card: rows, the count of all matches and the "Show more" payload."""
    flt = to_filter(query, tasks.today())
    page = tasks.list(flt, sort="due", limit=PAGE_SIZE, cursor=cursor)
    total = tasks.count(flt)
    more = None
    if page.next_cursor:
        more = {"query": query.model_dump(mode="json"), "cursor": page.next_cursor}
    return page.items, total, more


def count_overdue(tasks: TaskService, query: ListQuery) -> int:
    """How many of the query's tasks are overdue (a "due this week" list includes them)."""
    if query.status == "done":
        return 0
    flt = to_filter(query, tasks.today())
    flt.overdue = True
    return tasks.count(flt)
