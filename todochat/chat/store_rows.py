"""How ChatKit's threads and items are stored: the ``chat_thread`` and ``chat_item`` rows
made from them (and back), and the one write both use, an upsert that never takes over
another user's row. The store (store.py) decides when to call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chatkit.types import ThreadItem, ThreadMetadata
from sqlalchemy import and_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from todochat.models import ChatThread
from todochat.zones import to_naive_utc


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


def upsert(session: Session, table, row: dict[str, Any], owner_columns: tuple[str, ...]) -> bool:
    """INSERT ... ON CONFLICT (id) DO UPDATE, only where the existing row has the same owner.

    One statement on both databases, so two concurrent saves cannot race into a
    duplicate key. False when the id exists under a different owner (nothing written).
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(row)
    same_owner = and_(*(table.c[name] == insert.excluded[name] for name in owner_columns))
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={name: insert.excluded[name] for name in row if name != "id"},
        where=same_owner,
    ).returning(table.c.id)
    # RETURNING, not rowcount: it names the row written, on both drivers.
    return session.exec(statement).first() is not None
