"""Undo buttons carry a token; what Undo does is kept here, on the server, per user.

A card's Undo used to carry the task itself (id included) and restore what came back:
any client could then create a task under an id of its choosing, push the id sequence
past what the API accepts, or probe which ids exist. Now ``remember`` stores the undo
(the deleted task's snapshot, the state before a change, the ids just added) under a
random token, for ``UNDO_TTL``; ``take`` hands it back once, to the same user only.

An undo also records how its tasks looked right after the change (``after``, a
fingerprint per task). If a task has changed since — completed in the side panel,
renamed on the Tasks page, edited through the API — undoing would silently throw that
later work away, so ``changed_since`` names those tasks and the caller leaves them be;
``still_applies`` lets a card hide an Undo that could no longer run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from typing import Any, Literal

from sqlmodel import col, delete, select

from todochat.chat.snapshots import snapshot_of
from todochat.models import Task, UndoAction
from todochat.recurrence import LEGACY_WORDS
from todochat.tasks import TaskService, format_due

UndoKind = Literal["add", "delete", "complete", "reopen", "update"]
# An Undo button in an old conversation stops working after this long.
UNDO_TTL = dt.timedelta(days=7)
# What a token looks like (``secrets.token_urlsafe``'s alphabet): a payload must match it.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]+$"


class UndoExpired(Exception):
    """No such undo for this user: used already, expired, or never theirs."""


def fingerprint(task: Task) -> str:
    """What a person can see or edit of a task, hashed: equal means "not changed since".

    Position (manual order) and timestamps are left out: moving a task in the list is
    not work that an Undo would lose.
    """
    fields = [task.title, task.notes, bool(task.completed), task.priority, format_due(task),
              task.tag_list, _repeat_key(task.recurrence)]
    return hashlib.sha256(json.dumps(fields, default=str).encode()).hexdigest()[:32]


_LEGACY_OF = {rule: word for word, rule in LEGACY_WORDS.items()}


def _repeat_key(rule: str | None) -> str | None:
    """The rule as fingerprinted: the five rules that were words before migration 0006 are
    hashed as those words, so an Undo recorded before the upgrade still sees its task as
    unchanged after it."""
    return _LEGACY_OF.get(rule, rule) if rule else rule


def _task_ids(data: dict[str, Any]) -> list[int]:
    if "task_ids" in data:
        return [int(i) for i in data["task_ids"]]
    if "task_id" in data:
        return [int(data["task_id"])]
    return []


def remember(tasks: TaskService, kind: UndoKind, **data: Any) -> dict[str, str]:
    """Store an undo in the caller's transaction (after the change); returns the button's payload."""
    now = _now(tasks)
    # Drop this user's expired undos on the way: one indexed delete, no sweeper needed.
    tasks.session.exec(
        delete(UndoAction).where(col(UndoAction.user_id) == tasks.user_id, col(UndoAction.expires_at) < now)
    )
    if kind != "delete":
        data["after"] = {str(t.id): fingerprint(t) for t in tasks.get_many(_task_ids(data))}
    token = secrets.token_urlsafe(24)
    tasks.session.add(UndoAction(token=token, user_id=tasks.user_id, kind=kind, data=data, expires_at=now + UNDO_TTL))
    return {"token": token}


def remember_deleted(tasks: TaskService, task: Task) -> dict[str, Any]:
    """A deleted task's row, as a card shows it: id, title and the token that brings it back."""
    snapshot = snapshot_of(task)
    return {"id": task.id, "title": task.title, "undo": remember(tasks, "delete", snapshot=snapshot)}


def _row(tasks: TaskService, token: str) -> UndoAction | None:
    row = tasks.session.exec(
        select(UndoAction).where(col(UndoAction.token) == token, col(UndoAction.user_id) == tasks.user_id)
    ).first()
    if row is None or row.expires_at < _now(tasks):
        return None
    return row


def take(tasks: TaskService, token: str) -> tuple[UndoKind, dict[str, Any]]:
    """The undo behind ``token``, removed so it runs once; ``UndoExpired`` if there is none."""
    row = _row(tasks, token)
    if row is None:
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


def forget(tasks: TaskService, token: str) -> None:
    """Withdraw an undo that a newer change on the same card has replaced."""
    tasks.session.exec(
        delete(UndoAction).where(col(UndoAction.token) == token, col(UndoAction.user_id) == tasks.user_id)
    )


def changed_since(data: dict[str, Any], current: dict[int, Task]) -> list[int]:
    """Ids of the undo's tasks that were changed after it was recorded (``current``: the tasks now).

    An undo recorded before fingerprints were kept has no ``after``: nothing is known to
    have changed. A task that no longer exists is not "changed" here; callers say it is gone.
    """
    after = data.get("after")
    if not isinstance(after, dict):
        return []
    return [
        task_id for task_id in _task_ids(data)
        if task_id in current and after.get(str(task_id)) != fingerprint(current[task_id])
    ]


def waiting(tasks: TaskService, tokens: Iterable[str]) -> set[str]:
    """Which of ``tokens`` still have an undo stored for this user (not used, not expired),
    whether or not it could run without losing later work."""
    wanted = [t for t in set(tokens) if isinstance(t, str) and t]
    if not wanted:
        return set()
    rows = tasks.session.exec(
        select(UndoAction.token).where(
            col(UndoAction.token).in_(wanted),
            col(UndoAction.user_id) == tasks.user_id,
            col(UndoAction.expires_at) >= _now(tasks),
        )
    ).all()
    return set(rows)


def still_applies(tasks: TaskService, tokens: Iterable[str]) -> set[str]:
    """Which of ``tokens`` an Undo button could still run without losing later work."""
    wanted = [t for t in set(tokens) if isinstance(t, str) and t]
    if not wanted:
        return set()
    rows = tasks.session.exec(
        select(UndoAction).where(
            col(UndoAction.token).in_(wanted),
            col(UndoAction.user_id) == tasks.user_id,
            col(UndoAction.expires_at) >= _now(tasks),
        )
    ).all()
    ids = {i for row in rows for i in _task_ids(row.data)}
    current = {t.id: t for t in tasks.get_many(ids)}
    good = set()
    for row in rows:
        data = dict(row.data)
        if row.kind == "delete":
            good.add(row.token)  # bringing a deleted task back loses nothing
        else:
            changed = set(changed_since(data, current))
            if any(i in current and i not in changed for i in _task_ids(data)):
                good.add(row.token)  # at least one task it would undo is as the change left it
    return good


def _now(tasks: TaskService) -> dt.datetime:
    return tasks.stamp()
