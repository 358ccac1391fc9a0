"""Keyset pages, the one way todochat reads a long list a page at a time (tasks, chat
threads, chat items): order by a few columns that end in a unique one, and start the next
page strictly after the last row of this one. No OFFSET, so a page costs the same however
deep it is, and rows added or removed meanwhile never shift a page into gaps or repeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import and_, literal, or_, tuple_
from sqlalchemy.sql.elements import ColumnElement

T = TypeVar("T")
Q = TypeVar("Q")


@dataclass(frozen=True)
class Key:
    """One column of a page's order. ``sql_type``: how to bind a bound that came from a
    client (a cursor), so the database compares it as that type, not as text."""

    expr: Any
    descending: bool = False
    sql_type: Any = None


def rows_after(keys: Sequence[Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` (one per key) in the order ``keys``."""
    bounds = [literal(v, k.sql_type) if k.sql_type is not None else v for k, v in zip(keys, values)]
    if len({k.descending for k in keys}) == 1:
        # One direction: a row-value comparison, which PostgreSQL turns into an index range
        # (the equivalent OR chain scans from the start of the index).
        row, bound = tuple_(*(k.expr for k in keys)), tuple_(*bounds)
        return row < bound if keys[0].descending else row > bound
    clauses = []
    for i, key in enumerate(keys):
        step = key.expr < bounds[i] if key.descending else key.expr > bounds[i]
        clauses.append(and_(*(keys[j].expr == bounds[j] for j in range(i)), step))
    # Mixed directions need the OR chain; the first key's bound still narrows the scan.
    first = keys[0].expr <= bounds[0] if keys[0].descending else keys[0].expr >= bounds[0]
    return and_(first, or_(*clauses))


def page_size(limit: int, most: int) -> int:
    """The rows one page holds: what the caller asked for, at least 1 and at most ``most``."""
    return max(1, min(int(limit), most))


def ordered_page(query: Q, keys: Sequence[Key], size: int) -> Q:
    """``query`` in the order ``keys``, one row more than a page: that row says whether
    there is a next page (see ``split_page``)."""
    order = [k.expr.desc() if k.descending else k.expr.asc() for k in keys]
    return query.order_by(*order).limit(size + 1)  # type: ignore[attr-defined]


def split_page(rows: Sequence[T], size: int) -> tuple[list[T], bool]:
    """The page out of what ``ordered_page`` read, and whether more rows follow it."""
    return list(rows[:size]), len(rows) > size
