"""Database work for the chat, off the event loop: one user's tasks, one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from todochat.chat.context import RequestContext
from todochat.tasks import TaskService

T = TypeVar("T")


async def in_db(ctx: RequestContext, work: Callable[[TaskService], T]) -> T:
    """Run blocking database work for this user off the event loop, in one transaction."""

    def run() -> T:
        with ctx.open_tasks() as tasks:
            return work(tasks)

    return await asyncio.to_thread(run)
