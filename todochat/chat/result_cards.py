"""The cards that show what a tool or a button did: a page of a list, a task after a change.

One builder per result, shared by the tools and the actions, so a task completed by
the model and one completed by a choice card's button look the same.
"""

from __future__ import annotations

import datetime as dt

from chatkit.widgets import DynamicWidgetRoot

from todochat.chat import widgets
from todochat.chat.intents import Applied
from todochat.chat.phrasing import describe_query
from todochat.chat.task_query import ListQuery
from todochat.formatting import describe_task
from todochat.models import Task

HEADINGS = {"complete": "Completed", "reopen": "Reopened", "update": "Updated"}


def _heading(query: ListQuery, now: dt.datetime) -> tuple[str, str]:
    what = describe_query(query, today=now.date())
    return what[:1].upper() + what[1:], what


def loading_list_card(query: ListQuery, now: dt.datetime) -> DynamicWidgetRoot:
    """A list card's header, shown at once while its rows are being fetched."""
    heading, _ = _heading(query, now)
    return widgets.task_list_card([], heading=heading, counts="…", now_local=now, empty_text="Loading…")


def list_card(
    query: ListQuery, items: list[Task], total: int, more: dict | None, now: dt.datetime
) -> DynamicWidgetRoot:
    """One page of a list (``task_query.list_page``'s rows, count and "Show more" payload)."""
    heading, what = _heading(query, now)
    counts = f"{total} task" + ("" if total == 1 else "s")
    return widgets.task_list_card(
        items, heading=heading, counts=counts, now_local=now, more=more, empty_text=f"No {what}."
    )


def result_card(intent: str, done: Applied, now: dt.datetime) -> tuple[DynamicWidgetRoot, str | None]:
    """The card (and its copy text) that shows what ``apply_intent`` did."""
    if done.task is None:
        return widgets.deleted_card(done.undo), None
    card = widgets.task_card(done.task, heading=HEADINGS[intent], now_local=now, undo=done.undo)
    return card, describe_task(done.task, now)
