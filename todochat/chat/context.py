"""What every chat request carries: who is asking, their zone and clock, and the database.

Built once at the edge (HTTP route, CLI, native UI) from the authenticated user; the
store, tools and actions read the user from here, never from the model or the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from chatkit.store import NotFoundError
from chatkit.types import ThreadMetadata
from sqlalchemy.engine import Engine

from todochat.chat.pending_items import PendingItems
from todochat.chat.store_rows import write_items
from todochat.models import utcnow
from todochat.tasks import TaskService, open_tasks, wrote_tasks
from todochat.zones import to_naive_utc


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
    # Chat items written by the request's next transaction, not each by its own.
    pending: PendingItems = field(default_factory=PendingItems, repr=False, compare=False)
    # The thread the request's checks just read (preflight.py): the SDK's own read of it,
    # which follows at once, takes this instead of reading it again. Used once.
    checked_thread: ThreadMetadata | None = field(default=None, repr=False, compare=False)
    # A threads.add_structured_input request's params: ``respond`` answers that question
    # (which_task.py) instead of running the model. Used once.
    answering: Any = field(default=None, repr=False, compare=False)  # which_task.Answering
    # Set once a transaction of this request has committed a change to a task: the server
    # then tells the client (a ClientEffectEvent, or a header), and clears it.
    tasks_changed: bool = field(default=False, compare=False)

    def now_local(self) -> dt.datetime:
        return self.clock().astimezone(self.tz)

    @contextmanager
    def open_tasks(self) -> Iterator[TaskService]:
        """This user's tasks in one transaction (see ``todochat.tasks.open_tasks``), which
        first writes the chat items the request holds back (pending_items.py)."""
        with self.pending.taken() as rows, open_tasks(self.engine, self.user_id, clock=self.clock, tz=self.tz) as tasks:
            if rows:
                try:
                    write_items(tasks.session, rows, self.user_id, to_naive_utc(self.clock()))
                except NotFoundError:
                    rows.clear()  # never writable (a thread or an item id not this user's): not put back
                    raise
            yield tasks
        # Reached only once the transaction has committed.
        self.tasks_changed = self.tasks_changed or wrote_tasks(tasks.session)
