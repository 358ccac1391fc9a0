"""The orders a task list can be read in, and its page cursors.

Each sort is a keyset (``todochat.keyset``) ending in the task id, so the order is total.
A cursor is the last row's key values, base64 JSON the client hands back unchanged; since
it comes from the client, each value is checked before it reaches the database, and a
cursor of another sort or of the wrong shape is ``InvalidCursor``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import DateTime, Float, Integer, case
from sqlmodel import col

from todochat.keyset import Key
from todochat.limits import INT_MAX, INT_MIN, POSITION_MAX
from todochat.models import PRIORITIES, Task, due_key_of
from todochat.tasks.errors import InvalidCursor

Sort = Literal["due", "priority", "created", "position"]


@dataclass
class TaskPage:
    items: list[Task]
    next_cursor: str | None


@dataclass(frozen=True)
class _SortKey:
    """A keyset column, with how to read its value off a task (to write a cursor) and how
    to check a cursor's value for it (to read one)."""

    key: Key
    value_of: Callable[[Task], Any]
    decode: Callable[[Any], Any]


# "high" ranks above "medium" above "low"; an unknown value (none is stored) below them all.
_PRIORITY_RANK = {name: rank for rank, name in enumerate(PRIORITIES, start=1)}
_priority_key = case(
    *((col(Task.priority) == name, rank) for name, rank in _PRIORITY_RANK.items()), else_=0
)


def _cursor_int(v: Any) -> int:
    # A cursor comes back from the client: only what the database can compare is let through.
    if not isinstance(v, int) or isinstance(v, bool) or not INT_MIN <= v <= INT_MAX:
        raise ValueError("not a cursor integer")
    return v


def _cursor_float(v: Any) -> float:
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not -POSITION_MAX <= float(v) <= POSITION_MAX:
        raise ValueError("not a cursor number")  # Infinity and NaN fail the comparison too
    return float(v)


def _cursor_datetime(v: Any) -> dt.datetime:
    if not isinstance(v, str) or len(v) > 40:
        raise ValueError("not a cursor time")
    return dt.datetime.fromisoformat(v)


_ID_ASC = _SortKey(Key(col(Task.id), False, Integer()), lambda t: t.id, _cursor_int)
_DUE_KEYS = (
    _SortKey(
        Key(col(Task.due_key), False, DateTime()), lambda t: due_key_of(t.due_date, t.due_time), _cursor_datetime
    ),
)
SORT_KEYS: dict[str, tuple[_SortKey, ...]] = {
    "due": (*_DUE_KEYS, _ID_ASC),
    "priority": (
        _SortKey(Key(_priority_key, True, Integer()), lambda t: _PRIORITY_RANK.get(t.priority, 0), _cursor_int),
        *_DUE_KEYS,
        _ID_ASC,
    ),
    "created": (
        _SortKey(Key(col(Task.created_at), True), lambda t: t.created_at, _cursor_datetime),
        _SortKey(Key(col(Task.id), True, Integer()), lambda t: t.id, _cursor_int),
    ),
    "position": (
        _SortKey(Key(col(Task.position), False, Float()), lambda t: t.position, _cursor_float),
        _ID_ASC,
    ),
}


def keys_of(sort: str) -> list[Key]:
    """The keyset of ``sort``; an unknown sort is ``ValueError``."""
    if sort not in SORT_KEYS:
        raise ValueError(f"Unknown sort {sort!r}")
    return [sort_key.key for sort_key in SORT_KEYS[sort]]


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else value


def encode_cursor(sort: str, task: Task) -> str:
    """The cursor of the page that starts after ``task`` in ``sort``."""
    values = [_encode(sort_key.value_of(task)) for sort_key in SORT_KEYS[sort]]
    raw = json.dumps({"s": sort, "k": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> list[Any]:
    """The key values in ``cursor``, each checked; ``InvalidCursor`` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        sort_keys = SORT_KEYS[sort]
        if data["s"] != sort or len(data["k"]) != len(sort_keys):
            raise InvalidCursor()
        return [sort_key.decode(value) for sort_key, value in zip(sort_keys, data["k"])]
    except (ValueError, KeyError, TypeError, OverflowError, binascii.Error):
        raise InvalidCursor() from None
