"""Whether a turn did what a case expects: the tasks it left, and the words of its reply.

A case's ``expect`` lists a task ``count``, ``tasks`` that must exist (each a subset of
the task JSON), titles ``absent``, and words the reply ``mentions`` or ``not_mentions``.
``judge`` gives one reason per miss, so a failure says what went wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from todochat import recurrence


def matches(task: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Does this task JSON have every listed field? Titles compare case-insensitively;
    repeats compare by meaning (``same_repeat``)."""
    for key, value in expected.items():
        if key == "title":
            if not isinstance(value, str) or task["title"].lower() != value.lower():
                return False
        elif key == "recurrence":
            if not same_repeat(task.get(key), value, task.get("due")):
                return False
        elif task.get(key) != value:
            return False
    return True


def same_repeat(got: str | None, wanted: str | None, due: str | None) -> bool:
    """Whether two repeat values mean the same series for a task due ``due``: the same rule
    in ``recurrence.normalize`` spelling (the first version's words, like "weekly", read
    as the rules they meant), or rules that land on the same next dates from the due date
    ("weekly" for a task due on a Tuesday is "FREQ=WEEKLY;BYDAY=TU")."""
    if got == wanted:
        return True
    if not got or not wanted:
        return False
    try:
        got, wanted = recurrence.normalize(got), recurrence.normalize(wanted)
    except recurrence.RuleError:
        return False
    if got == wanted:
        return True
    if not due:
        return False
    day = dt.date.fromisoformat(due[:10])
    return _next_dates(got, day) == _next_dates(wanted, day)


def _next_dates(rule: str, day: dt.date, count: int = 8) -> list[dt.date]:
    found: list[dt.date] = []
    for _ in range(count):
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        occurrence = recurrence.next_occurrence(rule, day, None, after, last_day=day + dt.timedelta(days=3700))
        if occurrence is None:
            break
        found.append(occurrence.due_date)
        day, rule = occurrence.due_date, occurrence.rule
    return found


def judge(expect: dict[str, Any], tasks: list[dict[str, Any]], reply: str) -> list[str]:
    """Why the tasks and reply after a turn miss ``expect``, one reason per miss; [] = pass."""
    return [
        *_check_count(expect, tasks),
        *_check_tasks(expect, tasks),
        *_check_absent(expect, tasks),
        *_check_mentions(expect, reply.lower()),
    ]


def _check_count(expect: dict[str, Any], tasks: list[dict[str, Any]]) -> list[str]:
    if "count" not in expect or len(tasks) == expect["count"]:
        return []
    wanted = expect["count"]
    return [f"expected {wanted} task{'' if wanted == 1 else 's'}, found {len(tasks)}"]


def _check_tasks(expect: dict[str, Any], tasks: list[dict[str, Any]]) -> list[str]:
    return [
        f"no task like {quote(wanted)}"
        for wanted in expect.get("tasks", [])
        if not any(matches(task, wanted) for task in tasks)
    ]


def _check_absent(expect: dict[str, Any], tasks: list[dict[str, Any]]) -> list[str]:
    titles = {task["title"].lower() for task in tasks}
    return [f"{quote(title)} still there" for title in expect.get("absent", []) if title.lower() in titles]


def _check_mentions(expect: dict[str, Any], reply: str) -> list[str]:
    missing = [f"reply does not mention {quote(t)}" for t in expect.get("mentions", []) if t.lower() not in reply]
    extra = [f"reply mentions {quote(t)}" for t in expect.get("not_mentions", []) if t.lower() in reply]
    return missing + extra


def quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
