"""Repeating tasks, as the tasks service sees them: which rule may repeat a task, and when
its next occurrence is due once it is completed (the rules themselves are
``todochat.recurrence``'s)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from todochat import recurrence
from todochat.models import Task
from todochat.recurrence import Occurrence, RuleError, is_month_end
from todochat.tasks.errors import InvalidRepeat
from todochat.tasks.validation import LAST_DUE


def check_repeat(rule: str | None, due_date: dt.date, due_time: dt.time | None) -> None:
    """Refuse a rule that cannot repeat a task due then (InvalidRepeat says why). An undated
    task is checked from today, the day its series would start from when completed."""
    if rule:
        try:
            recurrence.check(rule, due_date, due_time)
        except RuleError as exc:
            raise InvalidRepeat(str(exc)) from None


def following(task: Task, now_local: dt.datetime, anchor_day: int | None) -> Occurrence | None:
    """The occurrence that follows ``task`` once it is completed at ``now_local`` (the
    user's wall clock; an undated task's series starts today). None: the series has ended
    (its COUNT or UNTIL, or LAST_DUE), or its rule cannot be read (one written around the
    service) — completing must always work, so that ends the series too."""
    if not task.recurrence:
        return None
    try:
        return recurrence.next_occurrence(
            task.recurrence,
            task.due_date or now_local.date(),
            task.due_time,
            now_local.replace(tzinfo=None),
            last_day=LAST_DUE,
            anchor_day=anchor_day,
        )
    except RuleError:
        return None


def anchor_day(task: Task, parent_of: Callable[[int], Task | None]) -> int | None:
    """The day a monthly task repeats on when its own due date cannot say.

    A month-end due date could be the 28th, 29th or 30th clamped to a short month.
    If the task was scheduled from a monthly one due on a day that clamps to it, that
    day is the one meant (Jan 30 -> Feb 28 -> Mar 30). ``None``: the due date's own day,
    a month's last day meaning month end (``recurrence.anchored``). ``parent_of`` finds
    the same user's task by id (None if there is none); it is asked only when needed.
    """
    due = task.due_date
    if due is None or not _plain_monthly(task.recurrence) or not is_month_end(due):
        return None
    if task.spawned_from_id is None:
        return None
    parent = parent_of(task.spawned_from_id)
    if parent is None or not _plain_monthly(parent.recurrence):
        return None
    if parent.due_date is None or is_month_end(parent.due_date) or parent.due_date.day < due.day:
        return None  # itself ambiguous, or not the day this one was clamped from
    return parent.due_date.day


def _plain_monthly(text: str | None) -> bool:
    """A monthly rule that names no day: it repeats on its due date's day of month."""
    try:
        rule = recurrence.parse(text or "")
    except RuleError:
        return False
    return rule.freq == "MONTHLY" and not rule.get("BYDAY") and not rule.get("BYMONTHDAY")
