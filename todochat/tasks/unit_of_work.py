"""The one way to open a user's tasks: a database session, a ``TaskService`` bound to the
acting user, their clock and zone, and one transaction that commits on success and rolls
back on any error. The UI, the API, the CLI and the chat all come in through here.

A session also remembers whether it wrote any task (``wrote_tasks``): the chat tells the
official ChatKit UI's page to read its task list again only then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from todochat.db import session_scope
from todochat.models import Task, utcnow
from todochat.tasks.service import TaskService

_WROTE_TASKS = "todochat.wrote_tasks"


@contextmanager
def open_tasks(
    engine: Engine,
    user_id: str,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
    tz: dt.tzinfo = dt.timezone.utc,
) -> Iterator[TaskService]:
    with session_scope(engine) as session:
        yield TaskService(session, user_id, clock=clock, tz=tz)


def wrote_tasks(session: Session) -> bool:
    """Whether this session added, changed or deleted a task (flushed; committed only if
    its transaction was)."""
    return bool(session.info.get(_WROTE_TASKS))


# On every session, so no ORM write path (TaskService's objects, its bulk statements, a
# future one) is missed; a check of the flushed objects' types, nothing more. Raw SQL
# text is not seen: task writes never use it.
@event.listens_for(Session, "after_flush")
def _note_task_objects(session: Session, _: UOWTransaction) -> None:
    if _WROTE_TASKS in session.info:
        return
    if any(isinstance(obj, Task) for obj in (*session.new, *session.deleted)) or any(
        isinstance(obj, Task) and session.is_modified(obj) for obj in session.dirty
    ):
        session.info[_WROTE_TASKS] = True


@event.listens_for(Session, "do_orm_execute")
def _note_task_statements(state: ORMExecuteState) -> None:
    # delete(Task) names an annotated copy of the table, not the table itself.
    table = getattr(state.statement, "table", None)
    if (state.is_insert or state.is_update or state.is_delete) and table is not None \
            and table.is_derived_from(Task.__table__):
        state.session.info[_WROTE_TASKS] = True
