"""Items a chat request has produced and not yet written: written together, in the
transaction of the request's next database work (docs/architecture.md, "One chat message").

A turn produces several items: the user's message, a record of each tool call, a card,
the reply. Each used to be a transaction of its own, each bumping the thread's
``updated_at``; under several clients on SQLite's single writer that was most of a turn's
time. While a stream runs (``TodoChatKitServer.process``), the store puts items here
instead, and every transaction the request opens (``RequestContext.open_tasks``) writes
them first, so they land with:
- the history read that feeds the model: the user's message is stored before any model
  runs (a reply cut off by a dead process can still be retried);
- a tool's work: a tool's change and the record that it was called commit together, or
  neither does;
- the end of the stream: the reply, before the stream's last byte, so a client asking
  again once it has ended finds everything.
A card is written the moment it is done (with whatever waits): a client may press it
while the reply is still being written.
A transaction that fails puts its items back for the next one: nothing is lost to a
rolled-back tool.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Row = dict[str, Any]  # a chat_item row (store_rows.item_row)


class PendingItems:
    """The rows waiting, by item id: a later write of an item replaces the earlier one."""

    def __init__(self) -> None:
        # Added to on the event loop, taken from a worker thread: a tool can stream a card
        # while the store writes.
        self._lock = threading.Lock()
        self._rows: dict[str, Row] = {}
        # A request's transactions run one at a time: the SDK saving a new title can overlap
        # a tool's work. So a row is never in two transactions at once, a failed one puts
        # back nothing a later one already wrote, and a tool's record is never left in a
        # transaction that commits after the tool's change.
        self._one_transaction = threading.Lock()
        self.deferring = False  # while a stream runs: hold items for the next transaction

    def add(self, row: Row) -> None:
        with self._lock:
            self._rows.pop(row["id"], None)
            self._rows[row["id"]] = row

    def discard(self, item_ids: set[str] | None = None, thread_id: str | None = None) -> None:
        """Forget waiting rows: these ids, or every row of ``thread_id`` (deleted ones must
        not come back)."""
        with self._lock:
            self._rows = {
                item_id: row
                for item_id, row in self._rows.items()
                if not (item_ids and item_id in item_ids) and not (thread_id and row["thread_id"] == thread_id)
            }

    def __bool__(self) -> bool:
        return bool(self._rows)

    @contextmanager
    def taken(self) -> Iterator[list[Row]]:
        """The rows waiting, for one transaction, held for as long as it runs; put back if
        it fails (rows added since win)."""
        with self._one_transaction:
            with self._lock:
                rows, self._rows = list(self._rows.values()), {}
            try:
                yield rows
            except BaseException:
                with self._lock:
                    self._rows = {**{row["id"]: row for row in rows}, **self._rows}
                raise
