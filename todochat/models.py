"""SQLModel tables, and the rules of the task columns' stored forms (docs/architecture.md,
"Data model").

``user``, ``account`` and ``jwks`` use Better Auth's own table and column names
(camelCase, quoted), so a database Better Auth created can be shared and its users
can sign in here. Python attributes stay snake_case; ``sa_column`` maps the names.
Alembic owns the schema: change a table here, then add a migration. The UI framework
learns these tables in the app module (todochat/todochat.py): the data layer does not
import it.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from collections.abc import Iterable
from typing import Literal, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    event,
    false,
)
from sqlmodel import Field, SQLModel

from todochat.limits import RULE_MAX, TITLE_MAX
from todochat.zones import to_naive_utc

_ID_ALPHABET = string.ascii_letters + string.digits


def new_id(length: int = 32) -> str:
    """Ids shaped like Better Auth's (32 random alphanumerics)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def naive_utcnow() -> dt.datetime:
    # Task timestamps are stored naive in UTC: SQLite has no time zones, and one
    # convention on both databases keeps keyset cursors comparable.
    return to_naive_utc(dt.datetime.now(dt.timezone.utc))


class User(SQLModel, table=True):
    __tablename__ = "user"

    id: str = Field(default_factory=new_id, sa_column=Column("id", Text, primary_key=True))
    name: str = Field(sa_column=Column("name", Text, nullable=False))
    email: str = Field(sa_column=Column("email", Text, nullable=False, unique=True))
    email_verified: bool = Field(
        default=False, sa_column=Column("emailVerified", Boolean, nullable=False)
    )
    image: str | None = Field(default=None, sa_column=Column("image", Text, nullable=True))
    created_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column("createdAt", DateTime(timezone=True), nullable=False),
    )
    updated_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column("updatedAt", DateTime(timezone=True), nullable=False),
    )


class Account(SQLModel, table=True):
    """A way to sign in; ``providerId='credential'`` rows hold the scrypt password hash."""

    __tablename__ = "account"
    __table_args__ = (Index("account_userId_idx", "userId"),)

    id: str = Field(default_factory=new_id, sa_column=Column("id", Text, primary_key=True))
    account_id: str = Field(sa_column=Column("accountId", Text, nullable=False))
    provider_id: str = Field(sa_column=Column("providerId", Text, nullable=False))
    user_id: str = Field(
        sa_column=Column(
            "userId", Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        )
    )
    access_token: str | None = Field(default=None, sa_column=Column("accessToken", Text))
    refresh_token: str | None = Field(default=None, sa_column=Column("refreshToken", Text))
    id_token: str | None = Field(default=None, sa_column=Column("idToken", Text))
    access_token_expires_at: dt.datetime | None = Field(
        default=None, sa_column=Column("accessTokenExpiresAt", DateTime(timezone=True))
    )
    refresh_token_expires_at: dt.datetime | None = Field(
        default=None, sa_column=Column("refreshTokenExpiresAt", DateTime(timezone=True))
    )
    scope: str | None = Field(default=None, sa_column=Column("scope", Text))
    password: str | None = Field(default=None, sa_column=Column("password", Text))
    created_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column("createdAt", DateTime(timezone=True), nullable=False),
    )
    updated_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column("updatedAt", DateTime(timezone=True), nullable=False),
    )


class Jwks(SQLModel, table=True):
    """A signing key pair: public JWK as JSON, private JWK encrypted with TODOCHAT_SECRET."""

    __tablename__ = "jwks"

    id: str = Field(default_factory=new_id, sa_column=Column("id", Text, primary_key=True))
    public_key: str = Field(sa_column=Column("publicKey", Text, nullable=False))
    private_key: str = Field(sa_column=Column("privateKey", Text, nullable=False))
    created_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column("createdAt", DateTime(timezone=True), nullable=False),
    )
    expires_at: dt.datetime | None = Field(
        default=None, sa_column=Column("expiresAt", DateTime(timezone=True))
    )
    alg: str | None = Field(default=None, sa_column=Column("alg", Text))
    crv: str | None = Field(default=None, sa_column=Column("crv", Text))


Priority = Literal["low", "medium", "high"]
# Lowest first: sorting by priority ranks them in this order.
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
DEFAULT_PRIORITY: Priority = "medium"

NO_DUE_KEY = dt.datetime(9999, 12, 31, 23, 59, 59)


def due_key_of(due_date: dt.date | None, due_time: dt.time | None) -> dt.datetime:
    if due_date is None:
        return NO_DUE_KEY
    return dt.datetime.combine(due_date, due_time or dt.time(23, 59, 59))


def encode_tags(tags: Iterable[str]) -> str:
    """The ``task.tags`` column form of normalized tags: space-delimited with a leading and
    trailing space (" home work "; no tags: " "), so "has tag X" is a portable
    ``LIKE '% X %'`` on SQLite and PostgreSQL."""
    joined = " ".join(tags)
    return f" {joined} " if joined else " "


def decode_tags(column: str) -> list[str]:
    """The tags of a ``task.tags`` value, in their stored order."""
    return column.split()


class Task(SQLModel, table=True):
    """A user's task. Written only through ``todochat.tasks.TaskService``."""

    __tablename__ = "task"
    __table_args__ = (
        # The main queries: one user's (open/done) tasks in due order, read as an index range.
        Index("ix_task_user_completed_due_key", "user_id", "completed", "due_key", "id"),
        Index("ix_task_user_due_key", "user_id", "due_key", "id"),
        Index("ix_task_user_created", "user_id", "created_at"),
        Index("ix_task_user_position", "user_id", "position"),
        # Never hand a deleted task's id to a new one: an old chat card or undo
        # snapshot must not reach a different task.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(sa_column=Column(String(TITLE_MAX), nullable=False))
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    completed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    priority: str = Field(
        default=DEFAULT_PRIORITY,
        sa_column=Column(
            String(max(map(len, PRIORITIES))), nullable=False, server_default=DEFAULT_PRIORITY
        ),
    )
    # A due date, optionally with a local wall-clock time ("friday 3pm" in the user's zone).
    due_date: dt.date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    due_time: dt.time | None = Field(default=None, sa_column=Column(Time, nullable=True))
    # The due order as one non-null value (no date sorts last, no time at the end of the
    # day), kept in step by ``_set_due_key`` below, so "by due date" is an index range.
    due_key: dt.datetime = Field(
        default_factory=lambda: NO_DUE_KEY, sa_column=Column(DateTime, nullable=False)
    )
    # Normalized tags in the form ``encode_tags`` writes.
    tags: str = Field(default=encode_tags(()), sa_column=Column(Text, nullable=False))
    # How the task repeats: an RFC 5545 RRULE in ``todochat.recurrence``'s one spelling.
    recurrence: str | None = Field(default=None, sa_column=Column(String(RULE_MAX), nullable=True))
    # The completed recurring task this one was scheduled from: reopening that task
    # withdraws this occurrence again if it is still untouched.
    spawned_from_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("task.id", ondelete="SET NULL"), nullable=True),
    )
    # Manual order; fractional so a task can move between two others without renumbering.
    position: float = Field(
        default=0.0, sa_column=Column(Float, nullable=False, server_default="0")
    )
    created_at: dt.datetime = Field(
        default_factory=naive_utcnow, sa_column=Column(DateTime, nullable=False)
    )
    updated_at: dt.datetime = Field(
        default_factory=naive_utcnow, sa_column=Column(DateTime, nullable=False)
    )
    completed_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime, nullable=True)
    )

    @property
    def tag_list(self) -> list[str]:
        return decode_tags(self.tags)


class ChatThread(SQLModel, table=True):
    """A ChatKit thread's metadata. Read and written only by ``todochat.chat.store``.

    ``status`` and ``metadata`` are JSON (``json`` on PostgreSQL, not ``jsonb``: it keeps
    any string the SDK hands us, ``\\u0000`` included). ``created_at`` is the SDK's own
    timestamp; with ``id`` it is the keyset of the thread list.
    """

    __tablename__ = "chat_thread"
    __table_args__ = (Index("ix_chat_thread_user_created", "user_id", "created_at", "id"),)

    id: str = Field(sa_column=Column(Text, primary_key=True))
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    title: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # ThreadStatus as JSON: {"type": "active"} or {"type": "locked"|"closed", "reason": ...}.
    status: dict = Field(
        default_factory=lambda: {"type": "active"}, sa_column=Column(JSON, nullable=False)
    )
    meta: dict = Field(default_factory=dict, sa_column=Column("metadata", JSON, nullable=False))
    created_at: dt.datetime = Field(
        default_factory=naive_utcnow, sa_column=Column(DateTime, nullable=False)
    )
    # Bumped whenever an item is added or saved: "recent activity" for a thread list.
    updated_at: dt.datetime = Field(
        default_factory=naive_utcnow, sa_column=Column(DateTime, nullable=False)
    )


class ChatItem(SQLModel, table=True):
    """One ChatKit thread item, stored whole as the SDK's JSON in ``data``.

    ``type`` and ``created_at`` are copies of the item's own fields, kept as columns so
    pages can be read by index; ``user_id`` is denormalized so every query can filter by
    the caller without a join.
    """

    __tablename__ = "chat_item"
    __table_args__ = (
        # A thread's page: equality on (thread_id, user_id), then ordered by the keyset.
        # Leading thread_id also serves the ON DELETE CASCADE from chat_thread.
        Index("ix_chat_item_thread_created", "thread_id", "user_id", "created_at", "id"),
        # ON DELETE CASCADE from user would otherwise scan every item.
        Index("ix_chat_item_user", "user_id"),
    )

    id: str = Field(sa_column=Column(Text, primary_key=True))
    thread_id: str = Field(
        sa_column=Column(
            Text, ForeignKey("chat_thread.id", ondelete="CASCADE"), nullable=False
        )
    )
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    type: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))
    data: dict = Field(sa_column=Column(JSON, nullable=False))


class AuthSession(SQLModel, table=True):
    """One sign-in: every token this app signs names one (claim ``sid``). Read and written
    only by ``todochat.auth.sessions``; a revoked or expired session's tokens are refused."""

    __tablename__ = "auth_session"
    __table_args__ = (Index("ix_auth_session_user", "user_id"),)

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))
    # The hard end: refreshing a token never moves it.
    expires_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))


class UndoAction(SQLModel, table=True):
    """What one Undo button will do, kept here so the button carries only ``token``.

    Written and read only by ``todochat.chat.undo``. A button never sends task ids or task
    data back: a client could otherwise restore a task under an id of its choosing.
    """

    __tablename__ = "undo_action"
    __table_args__ = (Index("ix_undo_action_user_expires", "user_id", "expires_at"),)

    token: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: str = Field(
        sa_column=Column(Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    # "add" {task_ids} | "delete" {snapshot} | "complete"/"reopen"/"update" {task_id, before}
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    data: dict = Field(sa_column=Column(JSON, nullable=False))
    expires_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))


@event.listens_for(Task, "before_insert")
@event.listens_for(Task, "before_update")
def _set_due_key(_mapper, _connection, task: Task) -> None:
    # Every ORM write passes here, so no code path can leave the sort key stale.
    task.due_key = due_key_of(task.due_date, task.due_time)
