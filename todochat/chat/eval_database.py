"""A database of its own for each evaluation case: migrated, one user, the case's tasks.

A case must not see another's tasks or threads, and a run must leave nothing behind:
the database is a SQLite file in a temporary folder, gone when the case ends.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine

from todochat import migrate
from todochat.chat.context import RequestContext
from todochat.db import get_engine, session_scope
from todochat.models import User
from todochat.tasks import TaskCreate, TaskFilter, task_to_json

EVAL_USER = "eval@todochat.local"


@contextmanager
def case_database(zone: dt.tzinfo, moment: dt.datetime, given: Iterable[dict[str, Any]]) -> Iterator[RequestContext]:
    """A request context on a fresh database holding ``given``, whose clock stands at ``moment``."""
    with tempfile.TemporaryDirectory(prefix="todochat-eval-") as folder:
        url = f"sqlite:///{folder}/case.db"
        migrate.upgrade(url)
        engine = _private_engine(url)
        try:
            context = RequestContext(user_id=_add_user(engine), tz=zone, clock=lambda: moment, engine=engine)
            _seed(context, given)
            yield context
        finally:
            engine.dispose()  # before the folder goes: SQLite keeps the file open


def _private_engine(url: str) -> Engine:
    # get_engine caches one engine per URL for the life of the process; a throwaway
    # database per case would pile them up. Its undecorated function configures
    # SQLite the same way (pragmas, Unicode lower()) without keeping the engine.
    return get_engine.__wrapped__(url)


def _add_user(engine: Engine) -> str:
    with session_scope(engine) as session:
        user = User(name="eval", email=EVAL_USER)
        session.add(user)
        session.flush()
        return user.id


def _seed(context: RequestContext, given: Iterable[dict[str, Any]]) -> None:
    with context.open_tasks() as tasks:
        tasks.create_many(TaskCreate.model_validate(item) for item in given)


def all_tasks(context: RequestContext) -> list[dict[str, Any]]:
    with context.open_tasks() as service:
        rows, cursor = [], None
        while True:
            page = service.list(TaskFilter(status="all"), sort="created", limit=200, cursor=cursor)
            rows.extend(task_to_json(task) for task in page.items)
            if not page.next_cursor:
                return rows
            cursor = page.next_cursor
