"""A model may take its time, but not go silent: ``MODEL_TIMEOUT_SECONDS`` between events.

The limit is on the model's own stream, every event counted (a tool call's arguments
arriving piece by piece too), so a slow local model writing a long call is not cut off,
while one that stops sending anything is. A turn's tools and cards do not count: they
are ours, and they run between model calls.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from agents import Model


class SilenceLimit(Model):
    """Wraps a model; raises ``TimeoutError`` when it sends nothing for ``seconds``."""

    def __init__(self, inner: Model, seconds: float):
        self.inner = inner
        self.seconds = seconds

    async def get_response(self, *args: Any, **kwargs: Any):
        async with asyncio.timeout(self.seconds):
            return await self.inner.get_response(*args, **kwargs)

    async def stream_response(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        events = self.inner.stream_response(*args, **kwargs).__aiter__()
        try:
            while True:
                # asyncio.timeout, not wait_for: the model's stream must run in this task, since
                # the Agents SDK sets context variables in it that it resets later.
                try:
                    async with asyncio.timeout(self.seconds):
                        event = await anext(events)
                except StopAsyncIteration:
                    return
                yield event
        finally:
            # Close the provider's stream now, not whenever it is collected.
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    def get_retry_advice(self, request: Any):
        return self.inner.get_retry_advice(request)

    async def close(self) -> None:
        await self.inner.close()
