"""Shared pieces of the chat tests: a fixed clock, users, and reading widgets and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from todochat.chat.context import RequestContext
from todochat.db import session_scope
from todochat.models import Task, User

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("UTC"))  # a Monday


def make_user(engine: Engine, email: str) -> str:
    with session_scope(engine) as session:
        user = User(name=email.split("@")[0], email=email)
        session.add(user)
        session.flush()
        return user.id


def context(engine: Engine, user_id: str) -> RequestContext:
    return RequestContext(user_id=user_id, tz=ZoneInfo("UTC"), clock=lambda: NOW, engine=engine)


async def collect(events: AsyncIterator) -> list:
    return [event async for event in events]


def widget_items(events: list) -> list:
    return [e.item for e in events if e.type == "thread.item.done" and e.item.type == "widget"]


def replies(events: list) -> str:
    return "\n".join(
        "".join(part.text for part in e.item.content)
        for e in events
        if e.type == "thread.item.done" and e.item.type == "assistant_message"
    )


def tree(item) -> dict:
    return item.widget.model_dump(mode="json", exclude_none=True)


def find(node: Any, component_id: str) -> dict | None:
    """The component with this id anywhere in a widget tree."""
    if isinstance(node, dict):
        if node.get("id") == component_id:
            return node
        for child in node.get("children") or []:
            found = find(child, component_id)
            if found:
                return found
    return None


def texts(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key in ("value", "label"):
            if isinstance(node.get(key), str):
                out.append(node[key])
        for child in node.get("children") or []:
            out.extend(texts(child))
    return out


def tasks_of(engine: Engine, user_id: str) -> list[Task]:
    from sqlmodel import select

    with session_scope(engine) as session:
        return list(session.exec(select(Task).where(Task.user_id == user_id).order_by(Task.id)).all())
