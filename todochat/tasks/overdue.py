"""What "overdue" means, in one place: an open task whose due day is before the user's
today, or today with a time that has passed. A task due today without a time is not
overdue until the day is over. The list query (``TaskService``), the Tasks page and the
chat's cards all ask here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from todochat.models import Task


def is_overdue(task: Task, now_local: dt.datetime) -> bool:
    """``now_local``: the user's wall-clock time (naive or aware in their zone)."""
    if task.completed or task.due_date is None:
        return False
    today = now_local.date()
    if task.due_date != today:
        return task.due_date < today
    return task.due_time is not None and task.due_time < _to_the_second(now_local)


def overdue_clause(now_local: dt.datetime) -> ColumnElement[bool]:
    """``is_overdue`` as SQL, for listing and counting."""
    today = now_local.date()
    return and_(
        col(Task.completed).is_(false()),
        or_(
            col(Task.due_date) < today,
            and_(
                col(Task.due_date) == today,
                col(Task.due_time).is_not(None),
                col(Task.due_time) < _to_the_second(now_local),
            ),
        ),
    )


def _to_the_second(now_local: dt.datetime) -> dt.time:
    # Due times are stored to the second: at 10:00:00.5 a task due 10:00 is not late yet.
    return now_local.time().replace(microsecond=0)
