"""Undo buttons carry a token; what Undo does is kept here, on the server, per user.

A card's Undo used to carry the task itself (id included) and restore what came back:
any client could then create a task under an id of its choosing, push the id sequence
past what the API accepts, or probe which ids exist. Now ``remember`` stores the undo
(the deleted task's snapshot, the state before a change, the ids just added) under a
random token, for ``UNDO_TTL``; ``take`` hands it back once, to the same user only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from sqlmodel import col, delete, select

from todochat.chat.snapshots import snapshot_of
from todochat.models import Task, UndoAction
from todochat.tasks import TaskService

UndoKind = Literal["add", "delete", "complete", "reopen", "update"]
# An Undo button in an old conversation stops working after this long.
UNDO_TTL = dt.timedelta(days=7)


class UndoExpired(Exception):
    """No such undo for this user: used already, expired, or never theirs."""


def remember(tasks: TaskService, kind: UndoKind, **data: Any) -> dict[str, str]:
    """Store an undo in the caller's transaction; returns the button's payload."""
    now = _now(tasks)
    # Drop this user's expired undos on the way: one indexed delete, no sweeper needed.
    tasks.session.exec(
        delete(UndoAction).where(col(UndoAction.user_id) == tasks.user_id, col(UndoAction.expires_at) < now)
    )
    token = secrets.token_urlsafe(24)
    tasks.session.add(UndoAction(token=token, user_id=tasks.user_id, kind=kind, data=data, expires_at=now + UNDO_TTL))
    return {"token": token}


def remember_deleted(tasks: TaskService, task: Task) -> dict[str, Any]:
    """A deleted task's row, as a card shows it: id, title and the token that brings it back."""
    snapshot = snapshot_of(task)
    return {"id": task.id, "title": task.title, "undo": remember(tasks, "delete", snapshot=snapshot)}


def take(tasks: TaskService, token: str) -> tuple[UndoKind, dict[str, Any]]:
    """The undo behind ``token``, removed so it runs once; ``UndoExpired`` if there is none."""
    row = tasks.session.exec(
        select(UndoAction).where(col(UndoAction.token) == token, col(UndoAction.user_id) == tasks.user_id)
    ).first()
    if row is None or row.expires_at < _now(tasks):
        raise UndoExpired(token)
    kind, data = row.kind, dict(row.data)
    # Claimed by a delete that must remove exactly this row: of two presses at once, the
    # second waits for the first's delete and finds nothing left to take.
    claimed = tasks.session.exec(
        delete(UndoAction).where(col(UndoAction.token) == token, col(UndoAction.user_id) == tasks.user_id)
    )
    if claimed.rowcount != 1:
        raise UndoExpired(token)
    tasks.session.expunge(row)
    return kind, data  # type: ignore[return-value]


def _now(tasks: TaskService) -> dt.datetime:
    return tasks.stamp()
