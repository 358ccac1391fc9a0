"""Which of a user's tasks a listing shows: ``TaskFilter``, and the SQL conditions it
stands for (always within the one user's tasks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import false, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from todochat.models import Priority, Task, encode_tags
from todochat.tasks.overdue import overdue_clause
from todochat.tasks.validation import normalize_tag

Status = Literal["open", "done", "all"]


@dataclass
class TaskFilter:
    status: Status = "all"
    priority: Priority | None = None
    tag: str | None = None
    due_before: dt.date | None = None  # strictly before
    due_after: dt.date | None = None  # strictly after
    due_on: dt.date | None = None
    overdue: bool = False
    no_due: bool = False
    search: str | None = None


def filter_clauses(
    flt: TaskFilter, user_id: str, now_local: Callable[[], dt.datetime]
) -> list[ColumnElement[bool]]:
    """The conditions on ``task`` rows for ``flt``; the user's wall-clock time, asked only
    when ``flt`` wants overdue tasks, decides which are."""
    where: list[ColumnElement[bool]] = [col(Task.user_id) == user_id]
    if flt.status == "open":
        where.append(col(Task.completed).is_(false()))
    elif flt.status == "done":
        where.append(col(Task.completed).is_(True))
    if flt.priority:
        where.append(col(Task.priority) == flt.priority)
    if flt.tag:
        tag = normalize_tag(flt.tag)
        if tag:
            # The column holds every tag between spaces: one tag matches as " tag ".
            where.append(col(Task.tags).like(f"%{_escape_like(encode_tags([tag]))}%", escape="\\"))
    if flt.due_before:
        where.append(col(Task.due_date) < flt.due_before)
    if flt.due_after:
        where.append(col(Task.due_date) > flt.due_after)
    if flt.due_on:
        where.append(col(Task.due_date) == flt.due_on)
    if flt.no_due:
        where.append(col(Task.due_date).is_(None))
    if flt.overdue:
        where.append(overdue_clause(now_local()))
    # NUL cannot reach PostgreSQL: the API and the tools refuse it, this drops any left.
    search = (flt.search or "").replace("\x00", "")
    if search.strip():
        for word in search.split():
            pattern = f"%{_escape_like(word.lower())}%"
            where.append(
                or_(
                    func.lower(col(Task.title)).like(pattern, escape="\\"),
                    func.lower(col(Task.notes)).like(pattern, escape="\\"),
                )
            )
    return where


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
