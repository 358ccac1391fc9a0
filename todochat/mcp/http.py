"""``/mcp``: the tools over MCP's Streamable HTTP, on the app's own port.

Each request is authenticated at the edge exactly like ``/api/tasks`` (the user's bearer
token; the ChatKit embed's narrowed token is refused) before its body is read; without a
valid token the answer is the API's own 401 (JSON, ``WWW-Authenticate: Bearer``). The
tools then act for that user only.

Stateless, JSON responses: every POST is answered on its own (GET and DELETE are 405), with no session kept
between requests, so any worker (README, "Production") can answer any request, and no
task group has to outlive a request. Reflex does not run a mounted app's lifespan, so the
SDK's session manager, whose ``run()`` would normally be entered there, is made and run
per request here; it costs a task group, and the server (``build_server``) a few dicts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from todochat.api.deps import bearer_token
from todochat.api.errors import error, unauthorized
from todochat.auth.accounts import Auth
from todochat.auth.tokens import InvalidToken
from todochat.limits import BODY_MAX_BYTES
from todochat.mcp.server import Caller, build_server
from todochat.request_log import note_user
from todochat.zones import zone_or_none

MCP_PATH = "/mcp"
# POST only. With no sessions there is nothing to end (DELETE) and nothing the server would
# ever send unasked, so a GET stream would only hold a connection open for good; the
# spec's answer to both is 405, which clients expect. (The API's 405, with Allow: POST.)
# Every method is routed here all the same, and the others answered 405 by us: unrouted,
# a GET would fall through to the web pages' 404 (Reflex serves the frontend for any GET
# the API does not take).
MCP_METHODS = ["POST"]

# The SDK's DNS-rebinding check (Host and Origin against a list) guards servers that trust
# whoever reaches them. Every request here needs the user's token, which a rebound page
# does not have; and the public host name is the operator's (APP_URL, nginx), not ours.
_NO_HOST_CHECK = TransportSecuritySettings(enable_dns_rebinding_protection=False)


class McpEndpoint:
    """The ASGI endpoint of ``/mcp`` in the FastAPI app (``create_api`` adds the route)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if request.method not in MCP_METHODS:
            refused = error(405, "METHOD_NOT_ALLOWED", "MCP here is stateless: POST each request")
            refused.headers["Allow"] = ", ".join(MCP_METHODS)
            await refused(scope, receive, send)
            return
        auth: Auth = request.app.state.auth
        try:
            user = await auth.user_from_token(bearer_token(request))
        except InvalidToken:
            await unauthorized()(scope, receive, send)
            return
        note_user(scope, user.id)
        # The caller's zone, as for POST /chatkit: what "today" and "this week" mean.
        tz = zone_or_none(request.headers.get("x-timezone")) or ZoneInfo("UTC")
        manager = StreamableHTTPSessionManager(
            build_server(Caller(auth.engine, user.id, tz)),
            json_response=True,
            stateless=True,
            security_settings=_NO_HOST_CHECK,
            # The API's own limit (its middleware counts the body too; this says it earlier).
            max_request_body_size=BODY_MAX_BYTES,
        )
        async with manager.run():
            await manager.handle_request(scope, receive, send)
