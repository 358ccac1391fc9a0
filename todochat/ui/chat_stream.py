"""One turn's stream as the chat page shows it, without Reflex: events in, messages out.

``TurnStream`` takes ChatKit ``ThreadStreamEvent``s one at a time and keeps what the page
has not been told yet: finished messages, history items replaced or removed, the thread's
new title, progress, a notice, an error, and the items still being written (``live``).
``take()`` hands those changes over as a ``Changes`` and starts afresh, so ChatState
pushes only what changed. ``drive`` runs a whole stream through a TurnStream, deciding
when the browser is told and noticing a Stop (see docs/architecture.md, "One chat
message").
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from chatkit.store import NotFoundError
from chatkit.types import ThreadStreamEvent

from todochat.chat.preflight import UnsupportedRequest
from todochat.ui.chat_items import ChatMessage, apply_update, message_of

log = logging.getLogger(__name__)

# Text deltas reach the browser at most this often; structural events go at once.
FLUSH_SECONDS = 0.05
# While the stream is quiet (the model thinking, a tool running) the page's state is still
# read this often, so a Stop pressed on any worker is seen within this time.
STOP_POLL_SECONDS = 0.25
_QUIET = object()


@dataclasses.dataclass
class Changes:
    """What the page must show since the last ``take()``; None means unchanged."""

    finished: list[ChatMessage]
    replaced: dict[str, ChatMessage | None]  # history items replaced (None: removed)
    live: list[ChatMessage] | None  # the items being written, when they changed
    thread: dict | None = None  # the thread as created or renamed
    retry_item: str | None = None  # the user message a Retry answers again
    progress: str | None = None
    notice: str | None = None
    error: tuple[str, bool] | None = None  # (message, can retry)

    def touches_messages(self) -> bool:
        return bool(self.finished or self.replaced)

    def applied_to(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        """The conversation after these changes: finished items appended, then replacements
        made in place (an item replaced that the page does not hold is ignored)."""
        result = [*messages, *self.finished]
        for item_id, message in self.replaced.items():
            index = next((i for i, m in enumerate(result) if m.id == item_id), None)
            if index is None:
                continue
            if message is None:
                del result[index]
            else:
                result[index] = message
        return result


class TurnStream:
    """The bookkeeping of one turn's stream (see the module docstring)."""

    def __init__(self) -> None:
        self._live: dict[str, dict] = {}  # in-flight items, raw protocol JSON, in arrival order
        self._live_changed = False
        self.thread_touched = False  # created or renamed: the conversation list must be re-read
        self.stopped = False
        self._reset()

    def _reset(self) -> None:
        self._finished: list[ChatMessage] = []
        self._replaced: dict[str, ChatMessage | None] = {}
        self._thread: dict | None = None
        self._retry_item: str | None = None
        self._progress: str | None = None
        self._notice: str | None = None
        self._error: tuple[str, bool] | None = None

    @property
    def live(self) -> list[ChatMessage]:
        """The items being written, as the page shows them (streaming)."""
        return [m for m in (message_of(i, streaming=True) for i in self._live.values()) if m is not None]

    def feed(self, event: ThreadStreamEvent) -> bool:
        """Take one event. True when the browser should see it at once; a text delta
        (False) can wait for the next flush."""
        kind = event.type
        if kind in ("thread.created", "thread.updated"):
            self._thread = event.thread.model_dump(mode="json")
            self.thread_touched = True
        elif kind == "thread.item.added":
            self._live[event.item.id] = event.item.model_dump(mode="json")
            self._live_changed = True
            if event.item.type != "user_message":
                self._progress = ""
        elif kind == "thread.item.updated":
            if event.item_id in self._live:
                self._live[event.item_id] = apply_update(self._live[event.item_id], event.update.model_dump(mode="json"))
                self._live_changed = True
                return False
        elif kind == "thread.item.done":
            self._live_changed |= self._live.pop(event.item.id, None) is not None
            if event.item.type == "user_message":
                self._retry_item = event.item.id
            message = message_of(event.item.model_dump(mode="json"))
            if message is not None:
                self._finished.append(message)
        elif kind == "thread.item.replaced":
            raw = event.item.model_dump(mode="json")
            if event.item.id in self._live:
                self._live[event.item.id] = raw
                self._live_changed = True
            else:
                self._replaced[event.item.id] = message_of(raw)
        elif kind == "thread.item.removed":
            if self._live.pop(event.item_id, None) is None:
                self._replaced[event.item_id] = None
            else:
                self._live_changed = True
        elif kind == "progress_update":
            self._progress = event.text
        elif kind == "notice":
            self._notice = event.message
        elif kind == "error":
            self._error = (event.message or "Something went wrong. Try again.", bool(event.allow_retry))
        return True

    def fail(self, message: str, can_retry: bool) -> None:
        """The stream failed outside the protocol: the page says so."""
        self._error = (message, can_retry)

    def cut(self) -> None:
        """The stream is over (ended, stopped or failed): whatever was still being written
        stays on the page, as written so far."""
        for raw in self._live.values():
            message = message_of(raw)
            if message is not None:
                self._finished.append(message)
        if self._live:
            self._live.clear()
            self._live_changed = True

    def take(self) -> Changes:
        """The changes since the last take; the stream then holds none."""
        changes = Changes(
            finished=self._finished, replaced=self._replaced, live=self.live if self._live_changed else None,
            thread=self._thread, retry_item=self._retry_item, progress=self._progress, notice=self._notice,
            error=self._error,
        )
        self._live_changed = False
        self._reset()
        return changes


async def drive(
    stream: AsyncIterator[ThreadStreamEvent],
    turn: TurnStream,
    flush: Callable[[], Awaitable[bool]],
    *,
    flush_seconds: float = FLUSH_SECONDS,
    poll_seconds: float = STOP_POLL_SECONDS,
) -> None:
    """Run ``stream`` through ``turn`` until it ends, fails or is stopped.

    ``flush`` shows ``turn.take()`` on the page and answers whether the user pressed Stop.
    It is called after each event the browser should see at once, after a text delta when
    ``flush_seconds`` have passed since the last call, and every ``poll_seconds`` while
    nothing arrives. A Stop cancels the stream (and with it the server's run and its
    tools) and sets ``turn.stopped``. Failures become the turn's error. The caller makes
    the last flush after ``turn.cut()``.
    """
    # One task reads the whole stream: the SDK's generator sets context variables that
    # must be reset in the context that set them, and cancelling this task is how Stop
    # cancels the server's run.
    queue: asyncio.Queue = asyncio.Queue()

    async def pump() -> None:
        try:
            async for streamed in stream:
                await queue.put(streamed)
        except Exception as exc:  # handed to the reader below
            await queue.put(exc)
        finally:
            await queue.put(None)

    reader = asyncio.create_task(pump())
    getting: asyncio.Future | None = None
    last_flush = time.monotonic()
    try:
        while True:
            if getting is None:
                getting = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getting}, timeout=poll_seconds)
            event = _QUIET  # nothing arrived: only look whether Stop was pressed
            if done:
                event, getting = getting.result(), None
            if event is None:
                break
            if isinstance(event, Exception):
                raise event
            urgent = event is _QUIET or turn.feed(event)
            if urgent or time.monotonic() - last_flush >= flush_seconds:
                last_flush = time.monotonic()
                if await flush():
                    turn.stopped = True
                    break
    except NotFoundError:
        turn.fail("That conversation or card no longer exists.", False)
    except UnsupportedRequest as exc:
        turn.fail(str(exc), False)
    except Exception:  # the server failed outside the protocol: say so, keep the page
        log.exception("chat stream failed")
        turn.fail("The assistant could not answer. Try again.", True)
    finally:
        if getting is not None:
            getting.cancel()
        if not reader.done():
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
