"""POST /chatkit: the ChatKit protocol over HTTP, for the official web component and others.

Order matters: the token is checked first (401), then the body is parsed with the SDK's
own request types (400), then any thread or item it names must be the caller's (404) —
all before a streaming response has sent its headers.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError

from todochat.api.deps import current_chat_user, get_auth
from todochat.api.embed_cors import TASKS_CHANGED_HEADER
from todochat.api.errors import error, error_responses
from todochat.auth.accounts import Auth
from todochat.chat import detached_turns
from todochat.chat.action_outcome import ActionError
from todochat.chat.context import RequestContext
from todochat.chat.preflight import UnsupportedRequest, check_request
from todochat.chat.server import CHATKIT_REQUEST, TodoChatKitServer
from todochat.models import User
from todochat.validation_text import error_message
from todochat.zones import zone_or_none

router = APIRouter(tags=["chat"])


def request_context(request: Request, user: User, auth: Auth) -> RequestContext:
    """The caller's zone comes from the X-Timezone header (the browser's), else UTC."""
    tz = zone_or_none(request.headers.get("x-timezone")) or ZoneInfo("UTC")
    return RequestContext(user_id=user.id, tz=tz, engine=auth.engine)


# The body is one of the ChatKit SDK's request types (``chatkit.types.ChatKitReq``), parsed
# here rather than by FastAPI so that a bad one is a 400 before any stream starts; the
# document describes the answers, not that union (tests/test_api_fuzz.py leaves it out).
@router.post(
    "/chatkit",
    summary="ChatKit protocol endpoint (streams text/event-stream)",
    responses={
        200: {
            "description": "A stream of ChatKit events, or a JSON result for non-streaming requests",
            "headers": {TASKS_CHANGED_HEADER: {
                "description": "On a JSON result: \"true\" when the request changed tasks (a stream says so with a client_effect event named tasks_changed)",
                "schema": {"type": "string"}}},
            "content": {
                "text/event-stream": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
        **error_responses(400, 401, 404, 409, 413, 429),
    },
)
async def chatkit(request: Request, user: User = Depends(current_chat_user), auth: Auth = Depends(get_auth)) -> Response:
    server: TodoChatKitServer = request.app.state.chatkit_server
    body = await request.body()
    try:
        parsed = CHATKIT_REQUEST.validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return error(400, "MALFORMED_JSON", "The request body is not valid JSON")
        return error(400, "INVALID_CHATKIT_REQUEST", f"Not a ChatKit request: {error_message(first)}")
    context = request_context(request, user, auth)
    try:
        await check_request(server, parsed, context)
        result = await server.process(parsed, context)  # parsed once, here
    except NotFoundError:
        return error(404, "NOT_FOUND", "Thread not found")
    except UnsupportedRequest as exc:
        return error(exc.status, exc.code, str(exc))
    except ValueError as exc:  # the SDK's own refusals of a non-streaming request
        return error(400, "INVALID_CHATKIT_REQUEST", str(exc))
    except ActionError as exc:
        return error(404 if exc.not_found else 400, "ACTION_FAILED", exc.message)
    if isinstance(result, StreamingResult):
        try:
            # The reply is written to its end even if this client goes away.
            events = detached_turns.start(user.id, result)
        except detached_turns.TooManyReplies:
            response = error(429, "TOO_MANY_REPLIES", "Several replies are still being written for you; try again when one has finished")
            response.headers["Retry-After"] = "5"
            return response
        return StreamingResponse(
            events,
            media_type="text/event-stream",
            # No proxy buffering: each event must reach the browser as it happens.
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    response = Response(content=result.json, media_type="application/json")
    if context.tasks_changed:
        # A streamed reply says so with an event (server.TASKS_CHANGED); a row ticked
        # through threads.sync_custom_action has only this to say it.
        response.headers[TASKS_CHANGED_HEADER] = "true"
    return response
