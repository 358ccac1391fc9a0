"""The store as one chat turn's agent sees it: the real one, except for one question
ChatKit's agents integration asks as the run starts.

``stream_agent_response`` first reads the thread's two newest items, to carry on a workflow
the previous turn left open. The turn's history read (history.py) has just read them, in
the same transaction that stored the user's message: that answer is given instead of a
transaction, a thread check and a live re-render of cards more (a tenth of a turn). Only
that first question: every later read, and every write, goes to the store itself, so
nothing the turn adds is ever missed.
"""

from __future__ import annotations

from typing import Any

from chatkit.store import Store
from chatkit.types import Page, ThreadItem

from todochat.chat.context import RequestContext
from todochat.chat.store_rows import stored_item


class TurnStore:
    def __init__(self, store: Store[RequestContext], thread_id: str, newest: list[dict]):
        """``newest``: the thread's newest items as stored (their JSON), newest first, three
        of them (or all); only those asked for are made items."""
        self._store = store
        self._thread_id = thread_id
        self._newest: list[dict] | None = newest

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def load_thread_items(
        self, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext
    ) -> Page[ThreadItem]:
        known, self._newest = self._newest, None
        if known is not None and thread_id == self._thread_id and after is None and order == "desc" and limit <= 2:
            # ``known`` holds one item more than asked for (history.py): whether more follow.
            shown, more = [stored_item(data) for data in known[:limit]], len(known) > limit
            return Page(data=shown, has_more=more, after=shown[-1].id if more else None)
        return await self._store.load_thread_items(thread_id, after, limit, order, context)
