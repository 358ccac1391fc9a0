"""How ChatKit's threads and items are stored: the ``chat_thread`` and ``chat_item`` rows
made from them (and back), the one write both use, an upsert that never takes over
another user's row, and the write of a batch of items. The store (store.py) and a
request's pending items (pending_items.py) decide when to call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chatkit.store import NotFoundError
from chatkit.types import ThreadItem, ThreadMetadata
from pydantic import TypeAdapter
from sqlalchemy import and_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, update

from todochat.models import ChatItem, ChatThread
from todochat.zones import to_naive_utc

_THREAD_ITEM: TypeAdapter[ThreadItem] = TypeAdapter(ThreadItem)
_ITEMS = ChatItem.__table__


def item_row(thread_id: str, item: ThreadItem, user_id: str) -> dict[str, Any]:
    """The ``chat_item`` row for ``item``: its full JSON, plus the columns pages read by index."""
    return {
        "id": item.id,
        "thread_id": thread_id,
        "user_id": user_id,
        "type": item.type,
        "created_at": to_naive_utc(item.created_at),
        "data": item.model_dump(mode="json"),
    }


def stored_item(data: dict[str, Any]) -> ThreadItem:
    """The item a ``chat_item`` row's ``data`` holds (``item_row``'s JSON), validated again."""
    return _THREAD_ITEM.validate_python(data)


def thread_row(thread: ThreadMetadata, user_id: str, now: dt.datetime) -> dict[str, Any]:
    # ``allowed_image_domains`` is not stored: todochat never sets it (no generated images).
    dumped = thread.model_dump(mode="json", include={"status", "metadata"})
    return {
        "id": thread.id,
        "user_id": user_id,
        "title": thread.title,
        "status": dumped["status"],
        "metadata": dumped["metadata"],
        "created_at": to_naive_utc(thread.created_at),
        "updated_at": now,
    }


def thread_metadata(row: ChatThread) -> ThreadMetadata:
    return ThreadMetadata(
        id=row.id, title=row.title, created_at=row.created_at, status=row.status, metadata=row.meta
    )


def upsert(session: Session, table, rows: list[dict[str, Any]], owner_columns: tuple[str, ...]) -> int:
    """INSERT ... ON CONFLICT (id) DO UPDATE, only where the existing row has the same owner.

    One statement for all ``rows`` (which share their columns), on both databases, so two
    concurrent saves cannot race into a duplicate key. Returns how many rows were written:
    fewer than given when an id exists under a different owner (that row is left as it is).
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table)
    same_owner = and_(*(table.c[name] == insert.excluded[name] for name in owner_columns))
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={name: insert.excluded[name] for name in rows[0] if name != "id"},
        where=same_owner,
    ).returning(table.c.id)
    # The rows as parameters, not in the statement: SQLAlchemy then compiles it once and
    # caches it (with ``.values(rows)`` it had no cache key: compiled on every write), and
    # still sends one INSERT for all of them. RETURNING, not rowcount: it names the rows
    # written, on both drivers.
    return len(session.execute(statement, rows).all())


def write_items(session: Session, rows: list[dict[str, Any]], user_id: str, now: dt.datetime) -> None:
    """Insert or replace items (``item_row``'s) of the user's threads, in two statements per
    thread: its ``updated_at`` bumped once, an UPDATE that also proves the thread is the
    user's, then one upsert of all its items. A thread or an item id that is not the
    user's is ``NotFoundError``."""
    by_thread: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_thread.setdefault(row["thread_id"], []).append(row)
    for thread_id, items in by_thread.items():
        touched = session.exec(
            update(ChatThread)
            .where(col(ChatThread.id) == thread_id, col(ChatThread.user_id) == user_id)
            .values(updated_at=now)
        )
        if touched.rowcount != 1:
            raise NotFoundError(f"Thread {thread_id} not found")
        if upsert(session, _ITEMS, items, owner_columns=("user_id", "thread_id")) != len(items):
            raise NotFoundError(f"An item of thread {thread_id} was not found")
