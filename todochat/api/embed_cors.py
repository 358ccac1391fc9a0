"""CORS for the sandboxed ChatKit frame, whose requests come from the opaque origin "null".

The embed page runs OpenAI's script in a frame sandboxed without ``allow-same-origin``, so
that script can read none of the app's storage or pages. Its only calls home are POST
/chatkit and GET /chatkit/mentions (the @-mention search) with a token narrowed to those
routes; this lets exactly those (and their preflights) through CORS, and nothing else
from "null". The frame may read one header of ours: whether a request changed tasks
(``TASKS_CHANGED_HEADER``, for the task list beside it).
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

OPAQUE_ORIGIN = b"null"
FRAME_PATHS = frozenset({"/chatkit", "/chatkit/mentions"})
TASKS_CHANGED_HEADER = "X-Tasks-Changed"


class ChatKitFrameCORS:
    def __init__(self, app: ASGIApp):
        self.app = app
        self.frame_cors = CORSMiddleware(
            app,
            allow_origins=["null"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-timezone"],
            expose_headers=[TASKS_CHANGED_HEADER],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in FRAME_PATHS and _origin(scope) == OPAQUE_ORIGIN:
            await self.frame_cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _origin(scope: Scope) -> bytes | None:
    return next((value for name, value in scope["headers"] if name == b"origin"), None)
