"""One JSON line per HTTP request and per chat turn, for whoever runs the app.

Who (the user's id), what (the method and path, or the thread), how long it took and how
it ended, and which process served it (several workers share one log). Never what people
wrote: no message text, no task titles, no query strings, no tokens.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("todochat.requests")
PATH_MAX = 200  # a hostile path of any length is cut, not copied into the log


def log_line(event: str, **fields) -> None:
    logger.info(json.dumps({"event": event, **fields, "pid": os.getpid()}, separators=(",", ":")))


def log_to_stdout() -> None:
    """The lines as they are (already JSON) on stdout; called once by the app module."""
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def note_user(scope: Scope, user_id: str) -> None:
    """Called once the request's token named its user (api/deps.py)."""
    scope.setdefault("state", {})["user_id"] = user_id


class RequestLog:
    """ASGI middleware: one ``request`` line when the response has ended (a streamed
    /chatkit reply too: its duration is the whole stream)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log_line(
                "request",
                method=scope["method"],
                path=scope["path"][:PATH_MAX],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
                user_id=scope.get("state", {}).get("user_id"),
            )
