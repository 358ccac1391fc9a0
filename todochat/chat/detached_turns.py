"""A reply asked for over POST /chatkit is written to its end, whoever is still reading.

Closing or reloading the tab used to cancel the reply where it was: the SDK treats a
dropped connection as a cancel. Now the server's stream runs in a task of its own, and the
HTTP response only reads from it; when the reader goes, the task carries on, so the
official ChatKit UI finds the whole reply in the thread when it reloads. Only the model
timeout ends a reply early (the ChatKit UI is told it has no Stop: ``get_stream_options``).
The native chat page has its own Stop and does not come through here.

Each user may have ``PER_USER`` replies running in one process; beyond that POST /chatkit
answers 429, so closing connections cannot pile up work.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator

from chatkit.errors import ErrorCode
from chatkit.types import ErrorEvent

PER_USER = 3
_FAILED = b"data: " + ErrorEvent(code=ErrorCode.STREAM_ERROR, allow_retry=True).model_dump_json(
    by_alias=True, exclude_none=True).encode() + b"\n\n"
logger = logging.getLogger(__name__)
_running: Counter[str] = Counter()
_tasks: set[asyncio.Task] = set()  # held here: a task nobody references may be collected


class TooManyReplies(Exception):
    pass


def start(user_id: str, stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Run ``stream`` to its end in its own task; return what the response should send."""
    if _running[user_id] >= PER_USER:
        raise TooManyReplies()
    _running[user_id] += 1
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue()
    reading = True  # while the client reads, chunks are queued for it; after, dropped

    async def write_it_out() -> None:
        try:
            async for chunk in stream:
                if reading:
                    chunks.put_nowait(chunk)
        except Exception:
            # A failure before the reply began (the database refusing the new thread): the
            # reader is told, instead of a stream that just stops, and the log says why.
            logger.exception("a chat reply failed")
            if reading:
                chunks.put_nowait(_FAILED)
        finally:
            _running[user_id] -= 1
            if not _running[user_id]:
                del _running[user_id]
            chunks.put_nowait(None)

    task = asyncio.create_task(write_it_out())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)

    async def read_it() -> AsyncIterator[bytes]:
        """What the stream has written, as it comes; events already waiting go out in one
        write (a reply's events come in bursts: one write each cost a send and a trip
        through every middleware, for nothing the reader could tell apart)."""
        nonlocal reading
        try:
            ended = False
            while not ended and (chunk := await chunks.get()) is not None:
                ready = [chunk]
                while not chunks.empty():
                    waiting = chunks.get_nowait()
                    if waiting is None:
                        ended = True
                        break
                    ready.append(waiting)
                yield b"".join(ready)
        finally:
            reading = False

    return read_it()


def running(user_id: str) -> int:
    return _running[user_id]
