"""How the assistant words queries, days and task lists in its replies and card headings.

"1 open task due Fri Dec 4", "open high-priority tasks tagged #home matching “rent”",
"“pay rent”, “call mom” and 3 more": the same words on a list card's heading, in the
sentence the offline model says back, and in what a language model reads.
"""

from __future__ import annotations

import datetime as dt

from todochat.chat.task_query import ListQuery
from todochat.models import Task


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
