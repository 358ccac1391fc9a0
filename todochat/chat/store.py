"""ChatKit's ``Store`` on todochat's database: tables ``chat_thread`` and ``chat_item``
(docs/architecture.md, "Data model").

Every query filters by ``context.user_id``: another user's thread or item is
indistinguishable from a missing one (``NotFoundError``), reads and writes alike.

Pages are keyset pages (``todochat.keyset``) on ``(created_at, id)``. The SDK stamps items
with a naive ``datetime.now()``, so two items can share a timestamp; the id breaks the tie,
and ``after`` (the last id of the previous page, as the SDK passes it) is resolved to its
``(created_at, id)`` within the same user's thread — or list of threads. A page's own
``after`` is its last id while ``has_more``, and None on the last page, as in the SDK's
own stores.

The SDK's methods are async; the database calls are blocking, so each method runs its
unit of work in a worker thread (``asyncio.to_thread``) and never stalls the event loop.
Every unit of work goes through ``RequestContext.open_tasks``, which first writes the items
the request holds back: while a stream runs, ``add_thread_item`` and ``save_item`` only
hand their row to it (pending_items.py); otherwise they write it at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from chatkit.store import NotFoundError, Store, StoreItemType, default_generate_id
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, delete, select

from todochat import keyset
from todochat.chat import live_cards, mentions, which_task
from todochat.chat.context import RequestContext
from todochat.chat.store_rows import item_row, stored_item, thread_metadata, thread_row, upsert
from todochat.clean_text import refuse_nul, strip_controls
from todochat.limits import CHAT_PAGE_MAX_ITEMS, THREAD_TITLE_MAX_CHARS
from todochat.models import ChatItem, ChatThread, Task
from todochat.tasks import TaskService
from todochat.zones import to_naive_utc

T = TypeVar("T")

# Pages larger than this are cut short (``has_more`` stays true): a client asking for a
# million items gets them a thousand at a time, never in one response.
MAX_PAGE_SIZE = CHAT_PAGE_MAX_ITEMS
# Items a person can act on as soon as they show (a card's buttons, a question's options),
# from this page or another: written at once, even mid-stream.
ANSWERABLE_AT_ONCE = ("widget", "structured_input")

_THREADS = ChatThread.__table__


@dataclass
class HistoryPage:
    data: list[dict]  # items as stored, newest first
    has_more: bool
    after: str | None  # the last id while has_more, as in a Page
    tasks: dict[int, Task]  # the tasks the page's cards name, as they are now


class SQLModelStore(Store[RequestContext]):
    """Threads and items of the requesting user, and nobody else's."""

    # ----------------------------------------------------------------- ids

    def generate_thread_id(self, context: RequestContext) -> str:
        # The SDK's default is 8 hex digits: 32 bits shared by every user's threads.
        return f"thr_{uuid.uuid4().hex}"

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: RequestContext
    ) -> str:
        # Keep the SDK's prefixes (msg_, tc_, shcx_, ...), with 128 random bits after them.
        prefix = default_generate_id(item_type).partition("_")[0]
        return f"{prefix}_{uuid.uuid4().hex}"

    # ----------------------------------------------------------------- threads

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        checked, context.checked_thread = context.checked_thread, None
        if checked is not None and checked.id == thread_id:
            return checked  # read a moment ago by this request's checks (preflight.py)

        def work(session: Session) -> ThreadMetadata:
            return thread_metadata(_own_thread(session, thread_id, context.user_id))

        return await _run(context, work)

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        """Insert or replace; an id that belongs to another user is ``NotFoundError``, never overwritten.

        A title over ``THREAD_TITLE_MAX_CHARS`` is ``ValueError`` (threads.update answers 400).
        """
        if thread.title is not None:
            if len(thread.title) > THREAD_TITLE_MAX_CHARS:
                raise ValueError(f"A conversation title can be at most {THREAD_TITLE_MAX_CHARS} characters")
            # PostgreSQL cannot store NUL; escapes and bidi overrides must not reach a terminal or page.
            thread.title = strip_controls(refuse_nul(thread.title, "A conversation title"))
        row = thread_row(thread, context.user_id, _now(context))

        def work(session: Session) -> None:
            if not upsert(session, _THREADS, [row], owner_columns=("user_id",)):
                raise NotFoundError(f"Thread {thread.id} not found")

        await _run(context, work)

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: RequestContext
    ) -> Page[ThreadMetadata]:
        """A page of the user's threads by (created_at, id); ``after`` is the previous page's last id."""

        def work(session: Session) -> Page[ThreadMetadata]:
            query = select(ChatThread).where(ChatThread.user_id == context.user_id)
            if after is not None:
                anchor = _own_thread(session, after, context.user_id)
                query = query.where(
                    _beyond(ChatThread, order, anchor.created_at, anchor.id)
                )
            rows, more = _read_page(session, query, ChatThread, order, limit)
            return _page(Page[ThreadMetadata], [thread_metadata(row) for row in rows], more)

        return await _run(context, work)

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        """Delete the user's thread and its items; a thread that is not theirs is ``NotFoundError``."""
        context.pending.discard(thread_id=thread_id)

        def work(session: Session) -> None:
            # Items first, explicitly: correct even where foreign keys are not enforced.
            session.exec(
                delete(ChatItem).where(
                    *_in_thread(thread_id, context.user_id)
                )
            )
            deleted = session.exec(
                delete(ChatThread).where(
                    col(ChatThread.id) == thread_id, ChatThread.user_id == context.user_id
                )
            )
            if deleted.rowcount != 1:
                raise NotFoundError(f"Thread {thread_id} not found")

        await _run(context, work)

    # ----------------------------------------------------------------- items

    async def load_thread_items(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        order: str,
        context: RequestContext,
    ) -> Page[ThreadItem]:
        """A page of one thread's items, as a client is shown them: every task card shows
        its tasks as they are now, not as they were when the card was made (live_cards)."""
        return await self._load_items(thread_id, after, limit, order, context, live=True)

    async def load_stored_items(
        self, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext
    ) -> Page[ThreadItem]:
        """The same page as stored, cards unrefreshed: for the undo tool, which must find an
        Undo as it was offered (an Undo a refresh would drop is refused in words)."""
        return await self._load_items(thread_id, after, limit, order, context, live=False)

    async def _load_items(
        self, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext, *, live: bool
    ) -> Page[ThreadItem]:
        """A page of one thread's items by (created_at, id) (``_item_rows``)."""

        def work(tasks: TaskService) -> Page[ThreadItem]:
            rows, more = self._item_rows(tasks.session, thread_id, after, limit, order, context)
            page = _page(Page[ThreadItem], [stored_item(data) for data in rows], more)
            if live:
                page.data = live_cards.refresh_items(page.data, tasks)
            return page

        return await _run_with_tasks(context, work)

    async def load_history_page(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        context: RequestContext,
        tasks_named_by: Callable[[dict], Iterable[int]],
    ) -> HistoryPage:
        """A page of the thread's items newest first, as stored (the SDK's JSON of each, not
        validated: a card's tree is read as the dict it is stored as, never rebuilt as
        widget objects and dumped again), with the tasks ``tasks_named_by`` finds in its
        cards, and those its messages @-mention, as they are now (the user's only), read in
        the same transaction."""

        def work(tasks: TaskService) -> HistoryPage:
            rows, more = self._item_rows(tasks.session, thread_id, after, limit, "desc", context)
            named = {task_id for data in rows for task_id in _tasks_named(data, tasks_named_by)}
            found = {task.id: task for task in tasks.get_many(named)} if named else {}
            return HistoryPage(rows, more, rows[-1]["id"] if more else None, found)

        return await _run_with_tasks(context, work)

    @staticmethod
    def _item_rows(
        session: Session, thread_id: str, after: str | None, limit: int, order: str, context: RequestContext
    ) -> tuple[list[dict], bool]:
        """The stored JSON of a page of the user's thread's items, and whether more follow.

        ``after`` must be an item of this thread (normally the previous page's ``after``);
        anything else — another thread's item, another user's, a deleted one — is
        ``NotFoundError``, like the thread itself.
        """
        _check_own_thread(session, thread_id, context.user_id)
        query = select(ChatItem.data).where(
            *_in_thread(thread_id, context.user_id)
        )
        if after is not None:
            anchor = session.exec(
                select(ChatItem.created_at, ChatItem.id).where(
                    col(ChatItem.id) == after,
                    *_in_thread(thread_id, context.user_id),
                )
            ).first()
            if anchor is None:
                raise NotFoundError(f"Item {after} not found in thread {thread_id}")
            query = query.where(_beyond(ChatItem, order, *anchor))
        return _read_page(session, query, ChatItem, order, limit)

    async def load_current_items(
        self, thread_id: str, item_ids: list[str], context: RequestContext
    ) -> list[ThreadItem]:
        """Some items of the user's thread, cards re-rendered from the database.

        For a client that already shows these items and wants them as they are now (a
        task changed elsewhere); items that are gone or not theirs are left out.
        """
        wanted = list(dict.fromkeys(item_ids))[-MAX_PAGE_SIZE:]  # the newest, nearest the reader

        def work(tasks: TaskService) -> list[ThreadItem]:
            if not wanted:
                return []
            rows = tasks.session.exec(
                select(ChatItem.data).where(
                    col(ChatItem.id).in_(wanted),
                    *_in_thread(thread_id, context.user_id),
                )
            ).all()
            return live_cards.refresh_items([stored_item(data) for data in rows], tasks)

        return await _run_with_tasks(context, work)

    async def add_thread_item(
        self, thread_id: str, item: ThreadItem, context: RequestContext
    ) -> None:
        """Store a new item in the user's thread.

        Adding an id the thread already holds replaces that item (the same as
        ``save_item``), so persisting an item twice is harmless; an id held by another
        thread or user is ``NotFoundError``.
        """
        await self._write_item(thread_id, item, context)

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Insert or replace an item of the user's thread (the SDK's "replace" of a widget, a tool call)."""
        await self._write_item(thread_id, item, context)

    async def _write_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Written by the request's next transaction (pending_items.py): this one, unless a
        stream is running and the item is not ``ANSWERABLE_AT_ONCE``."""
        context.pending.add(item_row(thread_id, item, context.user_id))
        if context.pending.deferring and item.type not in ANSWERABLE_AT_ONCE:
            return
        try:
            await self.write_pending(context)
        except BaseException:
            if not context.pending.deferring:
                context.pending.discard(item_ids={item.id})  # the caller is told; no later write
            raise

    async def write_pending(self, context: RequestContext) -> None:
        """Write the items the request holds back, now."""
        if context.pending:
            await _run(context, lambda session: None)  # every transaction writes them first

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        def work(session: Session) -> ThreadItem:
            data = session.exec(
                select(ChatItem.data).where(
                    col(ChatItem.id) == item_id,
                    *_in_thread(thread_id, context.user_id),
                )
            ).first()
            if data is None:
                raise NotFoundError(f"Item {item_id} not found in thread {thread_id}")
            return stored_item(data)

        return await _run(context, work)

    async def take_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem | None:
        """Delete an item of the user's thread and return it; None if it was not there. One
        statement: of two requests taking the same item, exactly one gets it."""

        def work(session: Session) -> ThreadItem | None:
            row = session.exec(
                delete(ChatItem).where(col(ChatItem.id) == item_id, *_in_thread(thread_id, context.user_id))
                .returning(ChatItem.data)
            ).first()
            return None if row is None else stored_item(row[0])

        return await _run(context, work)

    async def existing_item_ids(self, thread_id: str, item_ids: list[str], context: RequestContext) -> set[str]:
        """Which of ``item_ids`` are items of the user's thread, in one query."""

        def work(session: Session) -> set[str]:
            _check_own_thread(session, thread_id, context.user_id)
            found = session.exec(
                select(ChatItem.id).where(
                    col(ChatItem.id).in_(item_ids),
                    *_in_thread(thread_id, context.user_id),
                )
            ).all()
            return set(found)

        return await _run(context, work)

    async def delete_thread_item(
        self, thread_id: str, item_id: str, context: RequestContext
    ) -> None:
        """Delete an item; the thread must be the user's, the item need not exist.

        The SDK deletes items it streamed but never saved (``ThreadItemRemovedEvent``
        for a pending item), so a missing item is not an error.
        """

        context.pending.discard(item_ids={item_id})

        def work(session: Session) -> None:
            _check_own_thread(session, thread_id, context.user_id)
            session.exec(
                delete(ChatItem).where(
                    col(ChatItem.id) == item_id,
                    *_in_thread(thread_id, context.user_id),
                )
            )

        await _run(context, work)

    # ----------------------------------------------------------------- attachments

    # todochat has no uploads (no AttachmentStore, so the SDK refuses attachments.create
    # before it reaches us). A message can still name an attachment id: that is not found.

    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        raise ValueError("Attachments are not supported")

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        raise NotFoundError(f"Attachment {attachment_id} not found")

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        raise ValueError("Attachments are not supported")


# --------------------------------------------------------------------- helpers


def _tasks_named(data: dict, by_card: Callable[[dict], Iterable[int]]) -> Iterable[int]:
    """The tasks a stored item names: a card's (``by_card`` reads its tree), a question's
    options, a message's @-mentions."""
    if data.get("type") == "widget":
        return by_card(data.get("widget") or {})
    if data.get("type") == "structured_input":
        return which_task.tasks_asked_about(data)
    if data.get("type") == "user_message":
        return mentions.tagged_task_ids(data.get("content"))
    return ()


async def _run(context: RequestContext, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction on the request's database, off the event loop; the
    transaction writes the request's pending items first (``RequestContext.open_tasks``)."""

    def in_transaction() -> T:
        with context.open_tasks() as tasks:
            return work(tasks.session)

    return await asyncio.to_thread(in_transaction)


async def _run_with_tasks(context: RequestContext, work: Callable[[TaskService], T]) -> T:
    """Like ``_run``, for work that also re-reads the user's tasks (live cards) in the same
    transaction; ``tasks.session`` is that transaction's session."""

    def in_transaction() -> T:
        with context.open_tasks() as tasks:
            return work(tasks)

    return await asyncio.to_thread(in_transaction)


def _now(context: RequestContext) -> dt.datetime:
    return to_naive_utc(context.clock())


def _in_thread(thread_id: str, user_id: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Items of this thread, and the user's: every item query says both, so another user's
    item is missing even where its thread id is known."""
    return col(ChatItem.thread_id) == thread_id, col(ChatItem.user_id) == user_id


def _check_own_thread(session: Session, thread_id: str, user_id: str) -> None:
    """``NotFoundError`` unless the thread is the user's (reads its id only: no row object)."""
    found = session.exec(
        select(ChatThread.id).where(col(ChatThread.id) == thread_id, col(ChatThread.user_id) == user_id)
    ).first()
    if found is None:
        raise NotFoundError(f"Thread {thread_id} not found")


def _own_thread(session: Session, thread_id: str, user_id: str) -> ChatThread:
    thread = session.exec(
        select(ChatThread).where(col(ChatThread.id) == thread_id, ChatThread.user_id == user_id)
    ).first()
    if thread is None:
        raise NotFoundError(f"Thread {thread_id} not found")
    return thread


def _keys(model, order: str) -> tuple[keyset.Key, keyset.Key]:
    descending = _descending(order)
    return keyset.Key(col(model.created_at), descending), keyset.Key(col(model.id), descending)


def _beyond(model, order: str, created_at: dt.datetime, row_id: str) -> ColumnElement[bool]:
    """Rows strictly after (created_at, id) in ``order``."""
    return keyset.rows_after(_keys(model, order), (created_at, row_id))


def _read_page(session: Session, query, model, order: str, limit: int) -> tuple[list, bool]:
    """One page of ``query``'s rows in ``order``, and whether more follow."""
    size = keyset.page_size(limit, MAX_PAGE_SIZE)
    return keyset.split_page(session.exec(keyset.ordered_page(query, _keys(model, order), size)).all(), size)


def _page(page_type: type[Page[T]], data: list[T], more: bool) -> Page[T]:
    # ``after`` only while there is more: the last page points nowhere.
    return page_type(data=data, has_more=more, after=data[-1].id if more else None)


def _descending(order: str) -> bool:
    if order not in ("asc", "desc"):
        raise ValueError(f"order must be 'asc' or 'desc', not {order!r}")
    return order == "desc"
