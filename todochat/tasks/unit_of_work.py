"""The one way to open a user's tasks: a database session, a ``TaskService`` bound to the
acting user, their clock and zone, and one transaction that commits on success and rolls
back on any error. The UI, the API, the CLI and the chat all come in through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from todochat.db import session_scope
from todochat.models import utcnow
from todochat.tasks.service import TaskService


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
