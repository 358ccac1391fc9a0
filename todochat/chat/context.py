"""What every chat request carries: who is asking, their zone and clock, and the database.

Built once at the edge (HTTP route, CLI, native UI) from the authenticated user; the
store, tools and actions read the user from here, never from the model or the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from todochat.models import utcnow
from todochat.tasks import TaskService, open_tasks


@dataclass
class RequestContext:
    user_id: str
    # Named by whoever builds the context (each worker and test has its own): never a global.
    engine: Engine
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    clock: Callable[[], dt.datetime] = utcnow
    # This turn's tool calls, and how many failed (tool_errors.py bounds both).
    tool_calls: int = 0
    tool_failures: int = 0

    def now_local(self) -> dt.datetime:
        return self.clock().astimezone(self.tz)

    def open_tasks(self) -> AbstractContextManager[TaskService]:
        """This user's tasks in one transaction (see ``todochat.tasks.open_tasks``)."""
        return open_tasks(self.engine, self.user_id, clock=self.clock, tz=self.tz)
